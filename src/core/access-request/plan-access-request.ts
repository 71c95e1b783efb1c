/**
 * From a validated access request to the role-file changes that grant it. Pure: which file, which
 * change; the YAML edit itself is src/io/yaml-edit (comment-preserving).
 */
import type { ActionCatalog } from '../catalog';
import type { ResolvedOrganization } from '../model';
import type { AccessRequest, AccessRequestFileEdit, AccessRequestPlan, AccessRequestProblem, RoleFileChange } from './types';

/** Inline policy that collects the statements granted by access requests. */
export const ACCESS_REQUEST_POLICY_NAME = 'access-requests';
/** Label of every access-request merge request (the portal lists "my requests" by it). */
export const ACCESS_REQUEST_LABEL = 'access-request';

/** Options of {@link planAccessRequest}. */
export interface PlanAccessRequestOptions {
  /** Checks actions exist. @default - actions are not checked */
  readonly catalog?: ActionCatalog;
  /** Time of the request: names the branch and the statement id. */
  readonly now: Date;
}

/** `20261201T1330` → a compact UTC stamp for branch names and Sids. */
function stampOf(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').slice(0, 13);
}

function sanitizeRef(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'user';
}

/**
 * Plans a request: one file edit per account, or every problem by form field. A role that comes from
 * a role template lives in org.yaml or ou.yaml, where a change reaches every account: it is refused.
 */
export function planAccessRequest(org: ResolvedOrganization, request: AccessRequest, options: PlanAccessRequestOptions): { plan?: AccessRequestPlan; problems: AccessRequestProblem[] } {
  const problems: AccessRequestProblem[] = [];
  if (request.accounts.length === 0) problems.push({ field: 'accounts', message: 'pick at least one account' });
  if (request.kind === 'permissions' && options.catalog) {
    request.actions.forEach((action, i) => {
      if (options.catalog!.getAction(action) !== undefined) return;
      const hint = options.catalog!.suggestAction(action);
      problems.push({ field: `actions[${i}]`, message: `unknown action "${action}"${hint ? ` (did you mean "${hint}"?)` : ''}: pick one from the catalog` });
    });
  }
  const stamp = stampOf(options.now);
  const edits: AccessRequestFileEdit[] = [];
  for (const accountName of request.accounts) {
    const account = org.accounts.find((a) => a.name === accountName);
    if (!account) {
      problems.push({ field: 'accounts', message: `unknown account "${accountName}": pick one of ${org.accounts.map((a) => a.name).join(', ')}` });
      continue;
    }
    const role = account.roles.find((r) => r.name.toLowerCase() === request.role.toLowerCase());
    if (!role) {
      problems.push({ field: 'role', message: `role "${request.role}" does not exist in ${accountName}: pick one of ${account.roles.map((r) => r.name).join(', ')}` });
      continue;
    }
    if (role.template !== undefined) {
      problems.push({ field: 'role', message: `role "${role.name}" in ${accountName} comes from the role template "${role.template}" (${role.source.file}), which every matching account shares: ask the platform team, or pick a role defined in the account` });
      continue;
    }
    if (role.kind === 'break-glass') {
      problems.push({ field: 'role', message: `role "${role.name}" is break-glass: its access is not requested through the portal` });
      continue;
    }
    const expires = request.expires !== undefined ? { expires: request.expires } : {};
    const change: RoleFileChange =
      request.kind === 'permissions'
        ? { kind: 'add-statement', policyName: ACCESS_REQUEST_POLICY_NAME, statement: { Sid: `AccessRequest${stamp.replace('T', '')}`, Effect: 'Allow', Action: [...request.actions], Resource: [...request.resources], ...expires } }
        : { kind: 'add-trust', entry: { principals: [request.principal], kind: 'human', ...(request.requireMfa === false ? { requireMfa: false as const } : {}), ...expires } };
    edits.push({ account: account.name, role: role.name, file: role.source.file, change });
  }
  if (problems.length > 0) return { problems };
  const what = request.kind === 'permissions' ? request.actions.join(', ') : `trust for ${request.principal}`;
  const title = `Access request: ${what} for ${request.role} in ${request.accounts.join(', ')}`;
  const branch = `access-request/${sanitizeRef(request.requester)}/${sanitizeRef(request.role)}-${stamp.toLowerCase()}`;
  return { plan: { request, edits, branch, title: title.length > 200 ? `${title.slice(0, 197)}...` : title }, problems };
}
