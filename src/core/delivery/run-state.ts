/**
 * Terraform Cloud run states (`data.attributes.status` of a run, HCP Terraform docs "Runs API",
 * "Run States") and what each one means for a gated plan → approve → apply pipeline.
 */

/** Every run state the Runs API documents. An unknown state is treated as still in progress. */
export const RUN_STATES = [
  'pending',
  'fetching',
  'fetching_completed',
  'pre_plan_running',
  'pre_plan_completed',
  'queuing',
  'plan_queued',
  'planning',
  'planned',
  'cost_estimating',
  'cost_estimated',
  'policy_checking',
  'policy_override',
  'policy_soft_failed',
  'policy_checked',
  'confirmed',
  'post_plan_running',
  'post_plan_completed',
  'planned_and_finished',
  'planned_and_saved',
  'apply_queued',
  'applying',
  'applied',
  'discarded',
  'errored',
  'canceled',
  'force_canceled',
] as const;

export type RunState = (typeof RUN_STATES)[number];

/**
 * What a run state means to the pipeline:
 * - `in-progress`: the run is still working; keep polling.
 * - `needs-approval`: the plan is done and the run waits for someone to confirm the apply (`auto-apply=false`).
 * - `planned-no-apply`: the plan is done and nothing will be applied (no changes, or a speculative / plan-only run).
 * - `applied`: the apply finished.
 * - `failed`: the run errored, or a policy failed and needs an override.
 * - `stopped`: the run was discarded or canceled (for example superseded by a newer run).
 */
export type RunPhase = 'in-progress' | 'needs-approval' | 'planned-no-apply' | 'applied' | 'failed' | 'stopped';

const PHASE_OF_STATE: Readonly<Record<RunState, RunPhase>> = {
  pending: 'in-progress',
  fetching: 'in-progress',
  fetching_completed: 'in-progress',
  pre_plan_running: 'in-progress',
  pre_plan_completed: 'in-progress',
  queuing: 'in-progress',
  plan_queued: 'in-progress',
  planning: 'in-progress',
  planned: 'needs-approval',
  cost_estimating: 'in-progress',
  cost_estimated: 'needs-approval',
  policy_checking: 'in-progress',
  policy_override: 'failed',
  policy_soft_failed: 'failed',
  policy_checked: 'needs-approval',
  confirmed: 'in-progress',
  post_plan_running: 'in-progress',
  post_plan_completed: 'needs-approval',
  planned_and_finished: 'planned-no-apply',
  planned_and_saved: 'planned-no-apply',
  apply_queued: 'in-progress',
  applying: 'in-progress',
  applied: 'applied',
  discarded: 'stopped',
  errored: 'failed',
  canceled: 'stopped',
  force_canceled: 'stopped',
};

/** True when `status` is one of the documented run states. */
export function isKnownRunState(status: string): status is RunState {
  return Object.prototype.hasOwnProperty.call(PHASE_OF_STATE, status);
}

/** The phase of a run state; unknown states (added to the API later) count as still in progress. */
export function classifyRunState(status: string): RunPhase {
  return isKnownRunState(status) ? PHASE_OF_STATE[status] : 'in-progress';
}

/** True when a plan wait may stop: the plan finished (awaiting approval or not) or the run ended. */
export function isPlanSettled(status: string): boolean {
  return classifyRunState(status) !== 'in-progress';
}

/** True when an apply wait may stop: the run was applied, failed or stopped. */
export function isApplySettled(status: string): boolean {
  const phase = classifyRunState(status);
  return phase === 'applied' || phase === 'failed' || phase === 'stopped' || phase === 'planned-no-apply';
}

/** True for the phases that make a pipeline fail (exit 1): an errored run or a failed policy. */
export function isFailedPhase(phase: RunPhase): boolean {
  return phase === 'failed';
}
