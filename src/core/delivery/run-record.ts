/**
 * The run manifest `iamctl tfc plan` writes (`plans/tfc-runs.json`) and `iamctl tfc apply` reads:
 * one record per account, naming the exact Terraform Cloud run that was planned and reviewed.
 */
import { ERROR_CODES, IamPlatformError, type Problem } from '../errors';
import type { Environment } from '../model';
import { mergePlanCounts, type GitLabTerraformReport } from '../pipeline/terraform-plan-report';
import { classifyRunState, type RunPhase } from './run-state';

/** Version of the run manifest shape; bumped on any incompatible change. */
export const RUN_MANIFEST_VERSION = 1;

/** Marker of a run manifest file, so `tfc apply` refuses any other JSON. */
export const RUN_MANIFEST_KIND = 'iamctl-tfc-runs';

/** One account's Terraform Cloud run. */
export interface TfcRunRecord {
  /** Account name (`app-prod`). */
  readonly account: string;
  /** Terraform Cloud organization of the workspace. */
  readonly organization: string;
  /** Environment of the account, for `tfc apply --environment`. */
  readonly environment: Environment;
  /** Workspace name (`iam-app-prod`). */
  readonly workspace: string;
  /** Workspace id (`ws-…`), checked against the run before an apply. */
  readonly workspaceId: string;
  /** Run id (`run-…`). */
  readonly runId: string;
  /** Last run status seen (`planned`, `applied`, `errored`, …). */
  readonly status: string;
  /** Resource changes of the plan, or null when the plan did not finish. */
  readonly planCounts: GitLabTerraformReport | null;
  /** Whether the run was speculative (plan only, can never be applied). */
  readonly speculative: boolean;
  /** The run's page in the Terraform Cloud UI. */
  readonly url: string;
  /** What failed, for a failed run (policy checks, task stages). @default - none */
  readonly detail?: string;
}

/** The file `tfc plan` writes and `tfc apply` / `tfc status` read. */
export interface TfcRunManifest {
  readonly kind: typeof RUN_MANIFEST_KIND;
  readonly version: typeof RUN_MANIFEST_VERSION;
  /** Terraform Cloud hostname (`app.terraform.io`). */
  readonly hostname: string;
  /** When the plans were created (ISO 8601). */
  readonly createdAt: string;
  readonly runs: readonly TfcRunRecord[];
}

/** The `resource-additions`/`resource-changes`/`resource-destructions` attributes of a plan (Plans API). */
export interface PlanResourceAttributes {
  readonly 'resource-additions'?: number | null;
  readonly 'resource-changes'?: number | null;
  readonly 'resource-destructions'?: number | null;
}

/** Plan counts from the plan resource's summary attributes, when the JSON output is not readable by the token. */
export function countPlanAttributes(attributes: PlanResourceAttributes): GitLabTerraformReport {
  return {
    create: attributes['resource-additions'] ?? 0,
    update: attributes['resource-changes'] ?? 0,
    delete: attributes['resource-destructions'] ?? 0,
  };
}

/** The GitLab Terraform widget report summed over every run with a finished plan. */
export function buildGitLabReport(runs: readonly TfcRunRecord[]): GitLabTerraformReport {
  return mergePlanCounts(runs.flatMap((r) => (r.planCounts ? [r.planCounts] : [])));
}

/** True when a plan ended as it should: waiting for approval, nothing to apply, or already applied. */
export function isPlanSuccessful(status: string): boolean {
  const phase = classifyRunState(status);
  return phase === 'needs-approval' || phase === 'planned-no-apply' || phase === 'applied';
}

/** True when any plan did not end as it should (errored, policy failed, canceled or discarded while planning): exit 1. */
export function hasUnsuccessfulPlan(runs: readonly TfcRunRecord[]): boolean {
  return runs.some((r) => !isPlanSuccessful(r.status));
}

/** The environments in deployment order, for ordering applies when no --environment is given. */
export const ENVIRONMENT_ORDER: readonly Environment[] = ['nonprod', 'staging', 'prod'];

/** Records in deployment order (nonprod → staging → prod), keeping the manifest order inside an environment. */
export function sortByDeploymentOrder(runs: readonly TfcRunRecord[]): TfcRunRecord[] {
  return [...runs].sort((a, b) => ENVIRONMENT_ORDER.indexOf(a.environment) - ENVIRONMENT_ORDER.indexOf(b.environment));
}

/** True when any run failed (errored, or a policy failed): the pipeline exits 1. */
export function hasFailedRun(runs: readonly TfcRunRecord[]): boolean {
  return runs.some((r) => classifyRunState(r.status) === 'failed');
}

/** Whether `tfc apply` may apply a run, decided from the run's current status before any apply starts. */
export type ApplyDecision =
  | { readonly action: 'apply' }
  | { readonly action: 'skip'; readonly reason: string }
  | { readonly action: 'refuse'; readonly reason: string };

/**
 * Decides what `tfc apply` does with a recorded run given its current status: apply a run that waits for
 * approval; skip a run with nothing to apply or already applied; refuse anything else, saying why.
 */
export function decideApply(record: TfcRunRecord, currentStatus: string): ApplyDecision {
  const phase: RunPhase = classifyRunState(currentStatus);
  const run = `run ${record.runId} (${record.workspace})`;
  if (record.speculative) {
    return { action: 'refuse', reason: `${run} is a speculative plan and can never be applied: plan again without --speculative` };
  }
  switch (phase) {
    case 'needs-approval':
      return { action: 'apply' };
    case 'planned-no-apply':
      return { action: 'skip', reason: `${run} is ${currentStatus}: no changes to apply` };
    case 'applied':
      return { action: 'skip', reason: `${run} is already applied` };
    case 'stopped':
      return {
        action: 'refuse',
        reason: `${run} is ${currentStatus}, not planned: it was discarded, canceled or superseded by a newer run, so the reviewed plan can no longer be applied. Run \`iamctl tfc plan\` again and have the new plan reviewed`,
      };
    case 'failed':
      return { action: 'refuse', reason: `${run} is ${currentStatus}, not planned: fix the error or policy failure (see ${record.url}) and plan again` };
    case 'in-progress':
      return {
        action: 'refuse',
        reason: `${run} is ${currentStatus}, not planned: it is not waiting for approval (an apply may already be under way, or the plan has not finished). Check ${record.url}`,
      };
  }
}

const ENVIRONMENT_VALUES: readonly string[] = ENVIRONMENT_ORDER;

/** Reads a run manifest, reporting every problem with its path; throws UNREADABLE_INPUT naming the file. */
export function parseRunManifest(json: unknown, file: string): TfcRunManifest {
  const problems: Problem[] = [];
  const add = (path: string, message: string): void => {
    problems.push({ file, path, message });
  };
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(json)) {
    add('$', 'expected a JSON object written by `iamctl tfc plan`');
  } else {
    if (json.kind !== RUN_MANIFEST_KIND) add('$.kind', `expected "${RUN_MANIFEST_KIND}", got ${JSON.stringify(json.kind)}`);
    if (json.version !== RUN_MANIFEST_VERSION) add('$.version', `expected ${RUN_MANIFEST_VERSION}, got ${JSON.stringify(json.version)}`);
    for (const key of ['hostname', 'createdAt'] as const) {
      if (typeof json[key] !== 'string' || json[key] === '') add(`$.${key}`, 'expected a non-empty string');
    }
    if (!Array.isArray(json.runs)) {
      add('$.runs', 'expected a list of runs');
    } else {
      json.runs.forEach((run: unknown, i) => {
        const at = `$.runs[${i}]`;
        if (!isObject(run)) {
          add(at, 'expected an object');
          return;
        }
        for (const key of ['account', 'organization', 'workspace', 'workspaceId', 'runId', 'status', 'url'] as const) {
          if (typeof run[key] !== 'string' || run[key] === '') add(`${at}.${key}`, 'expected a non-empty string');
        }
        if (typeof run.runId === 'string' && !/^run-[A-Za-z0-9]+$/.test(run.runId)) add(`${at}.runId`, `expected a run id like "run-…", got "${run.runId}"`);
        if (!ENVIRONMENT_VALUES.includes(run.environment as string)) add(`${at}.environment`, `expected one of ${ENVIRONMENT_VALUES.join(', ')}`);
        if (typeof run.speculative !== 'boolean') add(`${at}.speculative`, 'expected true or false');
        if (run.detail !== undefined && typeof run.detail !== 'string') add(`${at}.detail`, 'expected a string when present');
        const counts = run.planCounts;
        if (counts !== null && !(isObject(counts) && ['create', 'update', 'delete'].every((k) => Number.isInteger(counts[k])))) {
          add(`${at}.planCounts`, 'expected null or {create, update, delete} integers');
        }
      });
    }
  }
  if (problems.length > 0) {
    throw new IamPlatformError(
      ERROR_CODES.UNREADABLE_INPUT,
      `${file} is not a run manifest written by \`iamctl tfc plan\`: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      { problems },
    );
  }
  return json as unknown as TfcRunManifest;
}
