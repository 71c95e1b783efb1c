/**
 * The gated delivery flow over the Terraform Cloud API: plan every stack (upload → run with
 * `auto-apply=false` → wait for the plan), then later apply exactly the recorded runs that still wait for
 * approval, or read their status. Returns data; progress goes to an optional callback, never to the console.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { countPlanChanges, type GitLabTerraformReport } from '../../core/pipeline/terraform-plan-report';
import { ERROR_CODES, IamPlatformError } from '../../core/errors';
import {
  buildRunUrl,
  classifyRunState,
  countPlanAttributes,
  decideApply,
  describePolicyFailures,
  isApplySettled,
  isPlanSettled,
  type ApplyDecision,
  type TfcRunRecord,
  type TfcTarget,
} from '../../core/delivery';
import { pollUntil, type PollOptions } from './poll';
import type { TfcApi, TfcRun, TfcWorkspace } from './tfc-api';
import { packStackDirectory } from './tar-gz';

/** Options shared by plan, apply and status. */
export interface DeliveryOptions {
  /** Polling of configuration versions and runs. @default pollUntil defaults (1s → 10s, 1 hour) */
  readonly poll?: PollOptions;
  /** Progress lines (`iam-app-prod: planning`). @default - none */
  readonly onProgress?: (text: string) => void;
}

/** Options of {@link planStacks}. */
export interface PlanStacksOptions extends DeliveryOptions {
  /** Folder holding one folder per stack (`cdktf.out/stacks`). */
  readonly stacksDir: string;
  /** Speculative (plan-only) runs, as for merge requests: they can never be applied. @default false */
  readonly speculative?: boolean;
  /** Run message shown in Terraform Cloud. */
  readonly message: string;
  /** Stacks planned at the same time. @default 4 */
  readonly concurrency?: number;
  /**
   * Discard a workspace's current run when it still waits for approval (superseded by this plan). Without
   * it, such a run stops the plan before anything is created, since a new run would queue behind it.
   * Speculative plans never queue, so they ignore this. @default false
   */
  readonly discardPending?: boolean;
}

/** Runs `work` over `items` with at most `limit` at once, keeping the input order in the result. */
async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** The stack folder of a target; throws UNREADABLE_INPUT when it was not synthesized. */
function stackFolder(stacksDir: string, target: TfcTarget): string {
  const dir = join(stacksDir, target.stackName);
  if (!existsSync(join(dir, 'cdk.tf.json')) || !statSync(dir).isDirectory()) {
    throw new IamPlatformError(ERROR_CODES.UNREADABLE_INPUT, `no synthesized stack for account ${target.account} at ${join(dir, 'cdk.tf.json')}: run \`iamctl synth\` first`);
  }
  return dir;
}

/** The plan counts of a run whose plan finished: from the plan JSON when readable, else from the plan's summary. */
async function readPlanCounts(api: TfcApi, run: TfcRun, label: string, onProgress: (text: string) => void): Promise<GitLabTerraformReport | null> {
  if (!run.planId) return null;
  const planJson = await api.readPlanJson(run.planId, label);
  if (planJson !== undefined) {
    const count = countPlanChanges(planJson);
    for (const problem of count.problems) onProgress(`warning: ${label}: plan JSON ${problem.path}: ${problem.message}`);
    return { create: count.create, update: count.update, delete: count.delete };
  }
  const attributes = await api.showPlan(run.planId, label);
  return countPlanAttributes(attributes);
}

/** The current runs of the workspaces that wait for approval: a new run would queue behind them. */
async function findRunsAwaitingApproval(
  api: TfcApi,
  targets: readonly TfcTarget[],
  workspaces: readonly TfcWorkspace[],
): Promise<{ readonly workspace: string; readonly runId: string; readonly status: string }[]> {
  const found: { workspace: string; runId: string; status: string }[] = [];
  for (let i = 0; i < targets.length; i += 1) {
    const runId = workspaces[i].currentRunId;
    if (!runId) continue;
    const run = await api.showRun(runId, `workspace ${targets[i].workspace}`);
    if (classifyRunState(run.status) === 'needs-approval') found.push({ workspace: targets[i].workspace, runId, status: run.status });
  }
  return found;
}

/** What failed in a failed run, from its policy checks and task stages. */
async function readFailureDetail(api: TfcApi, runId: string, label: string): Promise<string | undefined> {
  const [checks, stages] = await Promise.all([api.listPolicyChecks(runId, label), api.listTaskStages(runId, label)]);
  return describePolicyFailures(checks, stages);
}

/** True when the run got far enough for its plan to hold resource counts. */
function planFinished(status: string): boolean {
  const phase = classifyRunState(status);
  return phase === 'needs-approval' || phase === 'planned-no-apply' || phase === 'applied' || status === 'policy_soft_failed' || status === 'policy_override';
}

/**
 * Plans every target: checks every stack folder and workspace first (so a typo fails before any run
 * starts), then per stack uploads a configuration version, creates a run with `auto-apply=false` and
 * waits until the plan settles (`planned`, `planned_and_finished`, `errored`, …).
 */
export async function planStacks(api: TfcApi, hostname: string, targets: readonly TfcTarget[], options: PlanStacksOptions): Promise<TfcRunRecord[]> {
  const progress = options.onProgress ?? (() => undefined);
  const speculative = options.speculative ?? false;
  const folders = targets.map((t) => stackFolder(options.stacksDir, t));
  const workspaces = await mapWithConcurrency(targets, options.concurrency ?? 4, (t) => api.showWorkspace(t.organization, t.workspace));
  const pending = speculative ? [] : await findRunsAwaitingApproval(api, targets, workspaces);
  if (pending.length > 0 && !options.discardPending) {
    throw new IamPlatformError(
      ERROR_CODES.REMOTE_API,
      `a new run would queue behind ${pending.map((p) => `run ${p.runId} of ${p.workspace} (${p.status})`).join(', ')}, which ${pending.length === 1 ? 'waits' : 'wait'} for approval: ` +
        'apply it with `iamctl tfc apply`, discard it in Terraform Cloud, or plan with --discard-pending to supersede it',
    );
  }
  for (const p of pending) {
    await api.discardRun(p.runId, `Superseded by a newer plan: ${options.message}`, `workspace ${p.workspace}`);
    progress(`${p.workspace}: discarded run ${p.runId} (${p.status}), superseded by this plan`);
  }
  const indexes = targets.map((_, i) => i);
  return mapWithConcurrency(indexes, options.concurrency ?? 4, async (i) => {
    const target = targets[i];
    const workspace = workspaces[i];
    const label = `workspace ${target.workspace}`;
    const archive = packStackDirectory(folders[i]);
    const created = await api.createConfigurationVersion(workspace.id, speculative, label);
    await api.uploadConfiguration(created, archive, label);
    const version = await pollUntil(
      `configuration version ${created.id} of ${target.workspace} to be uploaded`,
      () => api.showConfigurationVersion(created.id, label),
      (v) => v.status !== 'pending' && v.status !== 'fetching',
      (v) => v.status,
      options.poll,
    );
    if (version.status !== 'uploaded') {
      throw new IamPlatformError(
        ERROR_CODES.REMOTE_API,
        `Terraform Cloud did not accept the configuration of ${target.workspace} (configuration version ${version.id} is ${version.status}${version.errorMessage ? `: ${version.errorMessage}` : ''})`,
      );
    }
    const createdRun = await api.createRun({ workspaceId: workspace.id, configurationVersionId: version.id, message: options.message, planOnly: speculative }, label);
    progress(`${target.workspace}: run ${createdRun.id} created`);
    const run = await pollUntil(`run ${createdRun.id} of ${target.workspace} to finish planning`, () => api.showRun(createdRun.id, label), (r) => isPlanSettled(r.status), (r) => r.status, options.poll);
    progress(`${target.workspace}: ${run.status}`);
    const planCounts = planFinished(run.status) ? await readPlanCounts(api, run, label, progress) : null;
    const detail = classifyRunState(run.status) === 'failed' ? await readFailureDetail(api, run.id, label) : undefined;
    return {
      account: target.account,
      organization: target.organization,
      environment: target.environment,
      workspace: target.workspace,
      workspaceId: workspace.id,
      runId: run.id,
      status: run.status,
      planCounts,
      speculative,
      url: buildRunUrl(hostname, target.organization, target.workspace, run.id),
      ...(detail ? { detail } : {}),
    };
  });
}

/** What happened to one recorded run in `tfc apply`. */
export interface ApplyOutcome {
  /** The record with its status after the apply (or as found, when skipped or refused). */
  readonly record: TfcRunRecord;
  /** What was decided before anything was applied. */
  readonly decision: ApplyDecision;
}

/** Options of {@link applyRuns}. */
export interface ApplyRunsOptions extends DeliveryOptions {
  /** Comment recorded on each apply (who approved, which pipeline). */
  readonly comment: string;
}

/**
 * Applies exactly the recorded runs. First reads every run and decides (apply, skip, refuse); when any run
 * is refused (superseded, discarded, errored, speculative, another workspace) nothing is applied and the
 * outcomes say why. Otherwise applies the runs waiting for approval one by one and waits for each to settle.
 */
export async function applyRuns(api: TfcApi, records: readonly TfcRunRecord[], options: ApplyRunsOptions): Promise<ApplyOutcome[]> {
  const progress = options.onProgress ?? (() => undefined);
  const checked: ApplyOutcome[] = [];
  for (const record of records) {
    const label = `workspace ${record.workspace}`;
    const run = await api.showRun(record.runId, label);
    let decision = decideApply(record, run.status);
    if (run.workspaceId !== undefined && run.workspaceId !== record.workspaceId) {
      decision = { action: 'refuse', reason: `run ${record.runId} belongs to workspace ${run.workspaceId}, not ${record.workspace} (${record.workspaceId}): the run manifest does not match Terraform Cloud` };
    }
    checked.push({ record: { ...record, status: run.status }, decision });
  }
  if (checked.some((o) => o.decision.action === 'refuse')) return checked;
  const outcomes: ApplyOutcome[] = [];
  for (const outcome of checked) {
    if (outcome.decision.action !== 'apply') {
      progress(`${outcome.record.workspace}: ${outcome.decision.reason}`);
      outcomes.push(outcome);
      continue;
    }
    const { record } = outcome;
    const label = `workspace ${record.workspace}`;
    await api.applyRun(record.runId, options.comment, label);
    progress(`${record.workspace}: apply of ${record.runId} confirmed`);
    const run = await pollUntil(`run ${record.runId} of ${record.workspace} to finish applying`, () => api.showRun(record.runId, label), (r) => isApplySettled(r.status), (r) => r.status, options.poll);
    progress(`${record.workspace}: ${run.status}`);
    const detail = classifyRunState(run.status) === 'failed' ? await readFailureDetail(api, run.id, label) : undefined;
    outcomes.push({ record: { ...record, status: run.status, ...(detail ? { detail } : {}) }, decision: outcome.decision });
  }
  return outcomes;
}

/** Reads the current status of every recorded run. */
export async function readRunStatuses(api: TfcApi, records: readonly TfcRunRecord[]): Promise<TfcRunRecord[]> {
  const updated: TfcRunRecord[] = [];
  for (const record of records) {
    const run = await api.showRun(record.runId, `workspace ${record.workspace}`);
    updated.push({ ...record, status: run.status });
  }
  return updated;
}

/** One account to roll back: its run of the failed pipeline and the run that last applied its previous version. */
export interface ReapplyTarget {
  /** The run manifest record of the version being rolled back (workspace, account, environment). */
  readonly record: TfcRunRecord;
  /** The run that applied the version to return to: its configuration version is planned and applied again. */
  readonly previousRunId: string;
}

/** Options of {@link reapplyRuns}. */
export interface ReapplyRunsOptions extends DeliveryOptions {
  /** Message of the new runs. */
  readonly message: string;
  /** Comment on their applies and on discarding a superseded run. */
  readonly comment: string;
  /** Terraform Cloud hostname, for the run URLs. */
  readonly hostname: string;
}

/** What happened to one account in {@link reapplyRuns}. */
export interface ReapplyOutcome {
  /** The new run (or, when refused, the record as found). */
  readonly record: TfcRunRecord;
  /** `reapplied`, `failed` (the new run did not apply) or `refused` (nothing created), with the reason. */
  readonly result: 'reapplied' | 'failed' | 'refused';
  readonly reason: string;
}

/**
 * Re-applies earlier configurations, one account at a time: reads the previous run (same workspace, with a
 * configuration version), discards the rolled-back run if it still waits for approval (a new run would queue
 * behind it), creates a run on the previous configuration version with auto-apply off, waits for its plan,
 * applies it and waits for the apply. Stops at the first account that does not apply: the earlier ones stay
 * applied (forward only), the outcomes say which were not tried.
 */
export async function reapplyRuns(api: TfcApi, targets: readonly ReapplyTarget[], options: ReapplyRunsOptions): Promise<ReapplyOutcome[]> {
  const progress = options.onProgress ?? (() => undefined);
  const outcomes: ReapplyOutcome[] = [];
  for (const [index, { record, previousRunId }] of targets.entries()) {
    const label = `workspace ${record.workspace}`;
    const previous = await api.showRun(previousRunId, label);
    const refusal =
      previous.workspaceId !== undefined && previous.workspaceId !== record.workspaceId
        ? `run ${previousRunId} belongs to workspace ${previous.workspaceId}, not ${record.workspace} (${record.workspaceId}): the record does not match Terraform Cloud`
        : previous.configurationVersionId === undefined
          ? `run ${previousRunId} of ${record.workspace} names no configuration version to apply again`
          : undefined;
    if (refusal !== undefined) {
      outcomes.push({ record, result: 'refused', reason: refusal });
      break;
    }
    const current = await api.showRun(record.runId, label);
    if (classifyRunState(current.status) === 'needs-approval') {
      await api.discardRun(record.runId, `Rolled back: ${options.comment}`, label);
      progress(`${record.workspace}: discarded run ${record.runId} (${current.status}), which is rolled back`);
    }
    const created = await api.createRun({ workspaceId: record.workspaceId, configurationVersionId: previous.configurationVersionId!, message: options.message, planOnly: false }, label);
    progress(`${record.workspace}: run ${created.id} created on configuration version ${previous.configurationVersionId} of run ${previousRunId}`);
    let run = await pollUntil(`run ${created.id} of ${record.workspace} to finish planning`, () => api.showRun(created.id, label), (r) => isPlanSettled(r.status), (r) => r.status, options.poll);
    if (classifyRunState(run.status) === 'needs-approval') {
      await api.applyRun(created.id, options.comment, label);
      run = await pollUntil(`run ${created.id} of ${record.workspace} to finish applying`, () => api.showRun(created.id, label), (r) => isApplySettled(r.status), (r) => r.status, options.poll);
    }
    progress(`${record.workspace}: ${run.status}`);
    const applied = classifyRunState(run.status) === 'applied' || classifyRunState(run.status) === 'planned-no-apply';
    const next: TfcRunRecord = { ...record, runId: created.id, status: run.status, speculative: false, url: buildRunUrl(options.hostname, record.organization, record.workspace, created.id) };
    outcomes.push({ record: next, result: applied ? 'reapplied' : 'failed', reason: applied ? `re-applied the configuration of run ${previousRunId}` : `run ${created.id} ended ${run.status}` });
    if (!applied) {
      for (const rest of targets.slice(index + 1)) outcomes.push({ record: rest.record, result: 'refused', reason: `not tried: ${record.workspace} did not re-apply` });
      break;
    }
  }
  return outcomes;
}
