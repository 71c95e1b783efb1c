/**
 * The portal's library: find access, preview a request (the YAML change, the linter's findings, the
 * access-diff verdict and the approvers), submit it as a branch, a commit and a merge request, and list
 * a user's requests. No HTTP here: the server (portal-server.ts) renders what these return.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadOrganization } from '../config';
import { ACCESS_REQUEST_LABEL, planAccessRequest, type AccessRequest, type AccessRequestPlan, type AccessRequestProblem } from '../core/access-request';
import type { AccessLevel, ActionCatalog } from '../core/catalog';
import { buildAccessModel, decideApprovals, diffAccessModels, renderDiffMarkdown, type AccessDiff, type AccessModel, type ApprovalDecision, type ApprovalPolicy } from '../core/diff';
import { ERROR_CODES, IamPlatformError } from '../core/errors';
import { lintOrganization, type OrganizationLintFinding } from '../core/lint';
import type { ResolvedAccount, ResolvedOrganization, ResolvedRole } from '../core/model';
import { parseApprovalPolicy } from '../io/git';
import type { GitLabClient, GitLabMergeRequest } from '../io/gitlab';
import { applyRoleFileChange } from '../io/yaml-edit';
import { loadEditedOrganization } from './load-edited-organization';
import { renderTextDiff } from './render-text-diff';

/** Most search results of each kind. */
export const MAX_SEARCH_RESULTS = 50;
/** Most merge requests shown under "my requests" (each needs one call for its pipeline). */
export const MAX_LISTED_REQUESTS = 20;

/** What the portal works on. */
export interface PortalContext {
  /** Repository root (holds accounts/). */
  readonly rootDir: string;
  readonly org: ResolvedOrganization;
  readonly catalog: ActionCatalog;
  /** From accounts/org.yaml (`approval:`). */
  readonly approvalPolicy: ApprovalPolicy;
  /** Branch merge requests target. */
  readonly targetBranch: string;
}

/** Loads the organization, the approval policy and takes the catalog. */
export function loadPortalContext(rootDir: string, catalog: ActionCatalog, targetBranch: string): PortalContext {
  const org = loadOrganization(rootDir);
  const orgFile = 'accounts/org.yaml';
  const approvalPolicy = parseApprovalPolicy(readFileSync(resolve(rootDir, orgFile), 'utf8'), orgFile);
  return { rootDir, org, catalog, approvalPolicy, targetBranch };
}

/** One search hit. */
export interface SearchHit {
  readonly kind: 'account' | 'role' | 'action';
  readonly account?: string;
  readonly role?: string;
  readonly label: string;
  readonly detail: string;
}

/** Accounts, roles and roles granting an action, whose names contain the query (case-insensitive). */
export function searchAccess(context: PortalContext, query: string): SearchHit[] {
  const q = query.trim().toLowerCase();
  if (q === '') return [];
  const hits: SearchHit[] = [];
  for (const account of context.org.accounts) {
    if (account.name.includes(q) || account.id.includes(q)) hits.push({ kind: 'account', account: account.name, label: account.name, detail: `${account.id} · ${account.ou} · ${account.environment}` });
  }
  for (const account of context.org.accounts) {
    for (const role of account.roles) {
      if (role.name.toLowerCase().includes(q) || role.description.toLowerCase().includes(q)) {
        hits.push({ kind: 'role', account: account.name, role: role.name, label: `${role.name} (${account.name})`, detail: role.description });
      }
    }
  }
  if (q.includes(':')) {
    for (const account of context.org.accounts) {
      for (const role of account.roles) {
        const grant = describeRolePermissions(context, account, role).find((p) => p.action.toLowerCase() === q);
        if (grant) hits.push({ kind: 'action', account: account.name, role: role.name, label: `${role.name} (${account.name}) can ${grant.action}`, detail: grant.resources.join(', ') });
      }
    }
  }
  return hits.slice(0, MAX_SEARCH_RESULTS * 3);
}

/** An action a role may perform, from its inline and customer managed policies. */
export interface RolePermission {
  readonly action: string;
  /** @default - unknown to the catalog */
  readonly accessLevel?: AccessLevel;
  readonly resources: readonly string[];
  /** Policies that grant it. */
  readonly policies: readonly string[];
  /** Allowed only under conditions. */
  readonly conditional: boolean;
}

/** Who may assume a role, one line each. */
export interface RoleTrustLine {
  readonly who: string;
  readonly conditions: string;
  /** @default - permanent */
  readonly expires?: string;
}

/** A role as the find-access page shows it. */
export interface RoleView {
  readonly account: ResolvedAccount;
  readonly role: ResolvedRole;
  readonly permissions: readonly RolePermission[];
  /** AWS managed policies (documents unknown offline). */
  readonly awsManagedPolicies: readonly string[];
  readonly trust: readonly RoleTrustLine[];
}


/** The Allow statements of a role's documents, expanded to actions with access levels from the catalog. */
export function describeRolePermissions(context: PortalContext, account: ResolvedAccount, role: ResolvedRole): RolePermission[] {
  const documents = [
    ...role.inlinePolicies.map((p) => ({ name: `inline ${p.name}`, document: p.document })),
    ...role.managedPolicies.flatMap((m) => {
      if (m.kind !== 'customer') return [];
      const policy = account.policies.find((p) => p.name === m.name);
      return policy ? [{ name: m.name, document: policy.document }] : [];
    }),
  ];
  const byAction = new Map<string, { accessLevel?: AccessLevel; resources: Set<string>; policies: Set<string>; conditional: boolean }>();
  for (const { name, document } of documents) {
    // The model's validated statements: values are already lists.
    for (const statement of document.statements) {
      if (statement.effect !== 'Allow' || statement.actions === undefined) continue;
      for (const pattern of statement.actions) {
        const expanded = context.catalog.expandPattern(pattern);
        for (const action of expanded.length > 0 ? expanded : [pattern]) {
          const info = context.catalog.getAction(action);
          const key = info ? `${info.service}:${info.name}` : action;
          const entry = byAction.get(key) ?? { ...(info ? { accessLevel: info.accessLevel } : {}), resources: new Set<string>(), policies: new Set<string>(), conditional: true };
          (statement.resources ?? (statement.notResources !== undefined ? ['(NotResource)'] : [])).forEach((r) => entry.resources.add(r));
          entry.policies.add(name);
          entry.conditional &&= statement.conditions !== undefined;
          byAction.set(key, entry);
        }
      }
    }
  }
  return [...byAction.entries()]
    .map(([action, e]) => ({ action, ...(e.accessLevel !== undefined ? { accessLevel: e.accessLevel } : {}), resources: [...e.resources].sort(), policies: [...e.policies].sort(), conditional: e.conditional }))
    .sort((a, b) => a.action.localeCompare(b.action));
}

/** The role page: permissions with access levels, AWS managed policies and who can assume it. */
export function describeRole(context: PortalContext, accountName: string, roleName: string): RoleView | undefined {
  const account = context.org.accounts.find((a) => a.name === accountName);
  const role = account?.roles.find((r) => r.name.toLowerCase() === roleName.toLowerCase());
  if (!account || !role) return undefined;
  const nameOf = (principal: string): string => context.org.accounts.find((a) => a.id === principal)?.name ?? principal;
  const trust: RoleTrustLine[] = [
    ...role.trust.accounts.map((t) => ({
      who: `${t.principals.map(nameOf).join(', ')} (${t.kind})`,
      conditions: [t.requireMfa ? `MFA${t.mfaMaxAgeSeconds !== undefined ? ` within ${t.mfaMaxAgeSeconds} s` : ''}` : 'no MFA', ...(t.externalId !== undefined ? ['external id'] : [])].join(', '),
      ...(t.expires !== undefined ? { expires: t.expires } : {}),
    })),
    ...role.trust.services.map((s) => ({ who: `service ${s}`, conditions: '' })),
    ...role.trust.oidc.map((o) => ({ who: `OIDC ${o.provider} (${o.url})`, conditions: `sub ${o.subjects.join(' or ')}` })),
    ...role.trust.saml.map((s) => ({ who: `SAML ${s.provider}`, conditions: '' })),
  ];
  return { account, role, permissions: describeRolePermissions(context, account, role), awsManagedPolicies: role.managedPolicies.filter((m) => m.kind === 'aws').map((m) => m.name), trust };
}

/** Actions of the catalog that start with the query (`s3:GetOb`), with access levels, for autocomplete. */
export function suggestActions(catalog: ActionCatalog, query: string, limit = MAX_SEARCH_RESULTS): { action: string; accessLevel: AccessLevel }[] {
  const q = query.trim().toLowerCase();
  const colon = q.indexOf(':');
  if (colon <= 0) return catalog.listServices().filter((s) => s.startsWith(q)).slice(0, limit).map((s) => ({ action: `${s}:`, accessLevel: 'List' as AccessLevel })).slice(0, q === '' ? 0 : limit);
  const service = q.slice(0, colon);
  if (!catalog.hasService(service)) return [];
  return catalog
    .listActions(service)
    .filter((a) => `${a.service}:${a.name}`.toLowerCase().startsWith(q))
    .slice(0, limit)
    .map((a) => ({ action: `${a.service}:${a.name}`, accessLevel: a.accessLevel }));
}

/** ARN templates of an action's resource types, filled for an account (`${Account}`, `${Region}`, `${Partition}`). */
export function suggestResourceArns(context: PortalContext, action: string, accountName: string | undefined): string[] {
  const info = context.catalog.getAction(action);
  if (!info) return [];
  const account = context.org.accounts.find((a) => a.name === accountName);
  return info.resourceTypes.flatMap((t) =>
    t.arnPatterns.map((p) =>
      p
        .replace(/\$\{Partition\}/g, 'aws')
        .replace(/\$\{Account\}/g, account?.id ?? '${Account}')
        .replace(/\$\{Region\}/g, account?.regions[0] ?? '${Region}'),
    ),
  );
}

/** One file the request changes. */
export interface PreviewFile {
  readonly file: string;
  readonly before: string;
  readonly after: string;
  /** Unified diff. */
  readonly diff: string;
}

/** Everything the preview page and the merge request show. */
export interface AccessRequestPreview {
  readonly plan: AccessRequestPlan;
  readonly files: readonly PreviewFile[];
  /** Lint findings in the changed files after the change (not suppressed); `isNew` when the change brings them. */
  readonly findings: readonly (OrganizationLintFinding & { readonly isNew: boolean })[];
  readonly diff: AccessDiff;
  readonly approvals: ApprovalDecision;
  /** The merge request description (Markdown). */
  readonly description: string;
}

/** Result of {@link previewAccessRequest}: a preview, or the problems by form field. */
export interface PreviewOutcome {
  readonly preview?: AccessRequestPreview;
  readonly problems: readonly AccessRequestProblem[];
}

/** What the preview compares with, computed once per loaded organization (the portal serves one checkout). */
const baseline = new WeakMap<PortalContext, { readonly findings: readonly OrganizationLintFinding[]; readonly model: AccessModel; readonly day: string }>();

function baselineOf(context: PortalContext, now: Date): { readonly findings: readonly OrganizationLintFinding[]; readonly model: AccessModel } {
  const day = now.toISOString().slice(0, 10);
  const cached = baseline.get(context);
  // expired-grant depends on the day: recompute when it changes.
  if (cached && cached.day === day) return cached;
  const fresh = { findings: lintOrganization(context.org, context.catalog, { now }), model: buildAccessModel(context.org), day };
  baseline.set(context, fresh);
  return fresh;
}

function findingKey(f: OrganizationLintFinding): string {
  return [f.file, f.rule, f.path, f.message].join('\u0000');
}

/** Plans the request, edits the files in memory, loads and lints the result, diffs access and decides approvers. */
export function previewAccessRequest(context: PortalContext, request: AccessRequest, now: Date): PreviewOutcome {
  const planned = planAccessRequest(context.org, request, { catalog: context.catalog, now });
  if (!planned.plan) return { problems: planned.problems };
  const plan = planned.plan;
  const texts = new Map<string, string>();
  const originals = new Map<string, string>();
  for (const edit of plan.edits) {
    const before = originals.get(edit.file) ?? readFileSync(resolve(context.rootDir, edit.file), 'utf8');
    originals.set(edit.file, before);
    texts.set(edit.file, applyRoleFileChange(texts.get(edit.file) ?? before, edit.file, edit.change));
  }
  let head: ResolvedOrganization;
  try {
    head = loadEditedOrganization(context.rootDir, texts);
  } catch (error) {
    if (error instanceof IamPlatformError && error.code === ERROR_CODES.INVALID_CONFIG) {
      const problems = (error.problems ?? []).map((p) => ({ field: fieldOfPath(p.path), message: `${p.file ?? ''} ${p.path}: ${p.message}` }));
      return { problems: problems.length > 0 ? problems : [{ field: 'role', message: error.message }] };
    }
    throw error;
  }
  const changed = new Set(texts.keys());
  const lintOptions = { now };
  const base = baselineOf(context, now);
  const beforeKeys = new Set(base.findings.filter((f) => changed.has(f.file)).map(findingKey));
  const findings = lintOrganization(head, context.catalog, lintOptions)
    .filter((f) => changed.has(f.file) && !f.suppressed)
    .map((f) => ({ ...f, isNew: !beforeKeys.has(findingKey(f)) }));
  const diff = diffAccessModels(base.model, buildAccessModel(head), { catalog: context.catalog, baseLabel: context.targetBranch, headLabel: plan.branch });
  const ous = new Map(context.org.accounts.map((a) => [a.name, a.ou]));
  const approvals = decideApprovals(diff, context.approvalPolicy, (name) => ous.get(name));
  const files = [...texts.entries()].map(([file, after]) => ({ file, before: originals.get(file)!, after, diff: renderTextDiff(file, originals.get(file)!, after) }));
  const description = renderRequestDescription(plan, files, findings, diff, approvals);
  return { preview: { plan, files, findings, diff, approvals, description }, problems: [] };
}

/** The form field a loader problem is about (`$.trust.accounts[1].expires` → `expires`). */
function fieldOfPath(path: string): string {
  if (/expires$/.test(path)) return 'expires';
  if (/\.trust\b/.test(path)) return 'principal';
  if (/Resource/.test(path)) return 'resources';
  if (/Action/.test(path)) return 'actions';
  return 'role';
}

/** Marker of the approvers line in the description (the pipeline's approval job reads the same policy). */
export const APPROVERS_HEADING = '### Approvers';

/** The merge request description: who asks, why, for how long, the verdict, approvers, the YAML diff and the access diff. */
export function renderRequestDescription(
  plan: AccessRequestPlan,
  files: readonly PreviewFile[],
  findings: AccessRequestPreview['findings'],
  diff: AccessDiff,
  approvals: ApprovalDecision,
): string {
  const r = plan.request;
  const what = r.kind === 'permissions' ? `permissions ${r.actions.map((a) => `\`${a}\``).join(', ')} on ${r.resources.map((x) => `\`${x}\``).join(', ')}` : `trust for \`${r.principal}\`${r.requireMfa === false ? ' (no MFA)' : ' (MFA required)'}`;
  const lines = [
    `Access request by @${r.requester}: ${what} for role \`${r.role}\` in ${r.accounts.map((a) => `\`${a}\``).join(', ')}.`,
    '',
    '### Justification',
    '',
    ...r.justification.split('\n').map((l) => `> ${l}`),
    '',
    `**Expires:** ${r.expires ?? 'never (permanent access)'}`,
    '',
    `**Access diff verdict:** \`${diff.verdict}\``,
    '',
    APPROVERS_HEADING,
    '',
    ...(approvals.required ? approvals.approvals.map((a) => `- ${a.stage === 'security' ? 'Security approval' : 'Second approval (risky)'}: ${a.groups.map((g) => `@${g}`).join(', ')} (accounts ${a.accounts.join(', ')})`) : ['- none required']),
    '',
    `_${approvals.reason}_`,
    '',
    '### Lint',
    '',
    ...(findings.length === 0 ? ['No findings in the changed files.'] : findings.map((f) => `- ${f.severity} \`${f.rule}\` ${f.file} ${f.path}: ${f.message}${f.isNew ? ' (new)' : ''}`)),
    '',
    '### YAML change',
    '',
    '```diff',
    ...files.map((f) => f.diff.trimEnd()),
    '```',
    '',
    renderDiffMarkdown(diff),
  ];
  return lines.join('\n');
}

/** What {@link submitAccessRequest} created. */
export interface SubmittedRequest {
  readonly branch: string;
  readonly commit: string;
  readonly mergeRequest: GitLabMergeRequest;
}

/**
 * Submits a preview: checks that each changed file on the target branch is the text the preview edited
 * (a stale checkout would otherwise overwrite changes merged since), then one commit on a new branch
 * and a merge request labelled `access-request`.
 */
export async function submitAccessRequest(context: PortalContext, gitlab: GitLabClient, preview: AccessRequestPreview): Promise<SubmittedRequest> {
  for (const file of preview.files) {
    const remote = await gitlab.readFile(file.file, context.targetBranch);
    if (remote === undefined) throw new IamPlatformError(ERROR_CODES.REMOTE_API, `${file.file} does not exist on ${context.targetBranch} in GitLab: the portal's checkout is ahead of or apart from ${context.targetBranch}; pull and restart iamctl serve`);
    if (remote !== file.before) throw new IamPlatformError(ERROR_CODES.REMOTE_API, `${file.file} changed on ${context.targetBranch} since the portal loaded it: pull and restart iamctl serve, then preview again`);
  }
  const r = preview.plan.request;
  const message = `${preview.plan.title}\n\nRequested by @${r.requester} through iamctl serve.\nVerdict: ${preview.diff.verdict}.${r.expires !== undefined ? `\nExpires: ${r.expires}.` : ''}`;
  const commit = await gitlab.createCommit(preview.plan.branch, context.targetBranch, message, preview.files.map((f) => ({ action: 'update' as const, file_path: f.file, content: f.after })));
  const mergeRequest = await gitlab.createMergeRequest(preview.plan.branch, context.targetBranch, preview.plan.title, preview.description, { labels: [ACCESS_REQUEST_LABEL, `verdict::${preview.diff.verdict}`] });
  return { branch: preview.plan.branch, commit: commit.id, mergeRequest };
}

/** A request under "my requests". */
export interface MyRequest {
  readonly iid: number;
  readonly title: string;
  readonly state: string;
  readonly webUrl: string;
  /** Pipeline status of the head (`running`, `success`, `failed`), or `none`. */
  readonly pipeline: string;
}

/** The user's access-request merge requests with their pipeline states. */
export async function listMyRequests(gitlab: GitLabClient, username: string): Promise<MyRequest[]> {
  const list = (await gitlab.listMergeRequests({ authorUsername: username, labels: [ACCESS_REQUEST_LABEL] })).slice(0, MAX_LISTED_REQUESTS);
  const out: MyRequest[] = [];
  for (const mr of list) {
    const full = await gitlab.getMergeRequest(mr.iid);
    out.push({ iid: mr.iid, title: mr.title ?? full.title ?? '', state: full.state ?? mr.state ?? 'unknown', webUrl: mr.web_url, pipeline: full.head_pipeline?.status ?? 'none' });
  }
  return out;
}
