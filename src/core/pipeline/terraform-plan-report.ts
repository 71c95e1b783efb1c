/**
 * GitLab's Terraform merge-request widget reads `{"create": N, "update": N, "delete": N}` from
 * `artifacts:reports:terraform`, counted from a plan JSON's `resource_changes[].change.actions`
 * (GitLab docs "Terraform integration in merge requests"). This module counts them, per stack and in total.
 */

/** The report GitLab's Terraform widget reads. */
export interface GitLabTerraformReport {
  readonly create: number;
  readonly update: number;
  readonly delete: number;
}

/** The parts of `terraform show -json <planfile>` this module reads. */
interface PlanJson {
  readonly resource_changes?: readonly { readonly address?: string; readonly change?: { readonly actions?: readonly string[] } }[];
}

/** Problems found while reading a plan: the plan is still counted from what could be read. */
export interface PlanReadProblem {
  readonly path: string;
  readonly message: string;
}

export interface PlanCount extends GitLabTerraformReport {
  /** Resource changes whose action list was not recognized, with their index. */
  readonly problems: readonly PlanReadProblem[];
}

/**
 * Counts one plan. A replace (`["delete","create"]` or `["create","delete"]`) counts as one create and one delete,
 * as GitLab's own `gitlab-terraform` script does; `no-op` and `read` count nothing.
 */
export function countPlanChanges(plan: unknown): PlanCount {
  const problems: PlanReadProblem[] = [];
  let create = 0;
  let update = 0;
  let remove = 0;
  if (typeof plan !== 'object' || plan === null || Array.isArray(plan)) {
    return { create, update, delete: remove, problems: [{ path: '$', message: 'not a Terraform plan JSON object (expected the output of `terraform show -json <planfile>`)' }] };
  }
  const changes = (plan as PlanJson).resource_changes ?? [];
  changes.forEach((change, i) => {
    const actions = change.change?.actions;
    if (!Array.isArray(actions)) {
      problems.push({ path: `$.resource_changes[${i}].change.actions`, message: 'missing actions list' });
      return;
    }
    for (const action of actions) {
      if (action === 'create') create += 1;
      else if (action === 'update') update += 1;
      else if (action === 'delete') remove += 1;
      else if (action !== 'no-op' && action !== 'read') {
        problems.push({ path: `$.resource_changes[${i}].change.actions`, message: `unknown action "${String(action)}"` });
      }
    }
  });
  return { create, update, delete: remove, problems };
}

/** Adds up several plans into one GitLab report. */
export function mergePlanCounts(counts: readonly GitLabTerraformReport[]): GitLabTerraformReport {
  return counts.reduce<GitLabTerraformReport>(
    (sum, c) => ({ create: sum.create + c.create, update: sum.update + c.update, delete: sum.delete + c.delete }),
    { create: 0, update: 0, delete: 0 },
  );
}
