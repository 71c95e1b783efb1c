/**
 * Why a run failed its policies, from the Policy Checks API (Sentinel `policy-checks`) and the Run Task
 * Stages API (`task-stages`, where newer policy evaluations and run tasks report). Pure: data in, text out.
 */

/** The parts of a policy check (`GET runs/:id/policy-checks`) this module reads. */
export interface PolicyCheckSummary {
  /** `passed`, `soft_failed`, `hard_failed`, `overridden`, `errored`, … */
  readonly status: string;
  /** `result` counts of the check. */
  readonly hardFailed: number;
  readonly softFailed: number;
  readonly advisoryFailed: number;
}

/** The parts of a task stage (`GET runs/:id/task-stages`) this module reads. */
export interface TaskStageSummary {
  /** `pre_plan`, `post_plan`, `pre_apply`, `post_apply`. */
  readonly stage: string;
  /** `passed`, `failed`, `awaiting_override`, `errored`, `canceled`, … */
  readonly status: string;
}

/** Task stage statuses that stop a run. */
const FAILED_STAGE_STATUSES: readonly string[] = ['failed', 'awaiting_override', 'errored'];

/**
 * One line on what failed (`policy checks: 1 hard-failed, 2 soft-failed; task stage post_plan awaiting_override`),
 * or undefined when neither source reports a failure.
 */
export function describePolicyFailures(checks: readonly PolicyCheckSummary[], stages: readonly TaskStageSummary[]): string | undefined {
  const parts: string[] = [];
  const hard = checks.reduce((n, c) => n + c.hardFailed, 0);
  const soft = checks.reduce((n, c) => n + c.softFailed, 0);
  const advisory = checks.reduce((n, c) => n + c.advisoryFailed, 0);
  const erroredChecks = checks.filter((c) => c.status === 'errored').length;
  if (hard + soft + erroredChecks > 0) {
    const counts = [hard > 0 && `${hard} hard-failed`, soft > 0 && `${soft} soft-failed`, advisory > 0 && `${advisory} advisory-failed`, erroredChecks > 0 && `${erroredChecks} errored`].filter(Boolean);
    parts.push(`policy checks: ${counts.join(', ')}`);
  }
  for (const stage of stages) {
    if (FAILED_STAGE_STATUSES.includes(stage.status)) parts.push(`task stage ${stage.stage} ${stage.status}`);
  }
  return parts.length > 0 ? parts.join('; ') : undefined;
}
