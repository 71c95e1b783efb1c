import { listExpiredGrants } from '../access-request/grant-expiry';
import type { ActionCatalog } from '../catalog';
import { accountTrustSid, buildTrustPolicy } from '../iam';
import type { LintSuppression, ResolvedAccount, ResolvedOrganization, ResolvedRole, SourceRef } from '../model';
import type { PolicyDocument, PolicyType } from '../policy';
import { checkPrincipalEscalation, type PrincipalPolicy } from './checks/escalation-checks';
import { checkAwsManagedPolicyReferences } from './checks/managed-policy-checks';
import { checkRoleLimits } from './checks/role-limit-checks';
import { createFinding } from './finding';
import { checkScpProtectedPrincipals, listProtectedPrincipals } from './checks/scp-checks';
import { applySuppressions, lintPolicy } from './lint-policy';
import type { LintFinding, OrganizationLintFinding } from './types';

/** Options of {@link lintOrganization}. */
export interface LintOrganizationOptions {
  /** Trust policies are linted as built by `buildTrustPolicy` in this partition. @default 'aws' */
  readonly partition?: string;
  /** The time `expires` dates are compared with (rule expired-grant). @default - the current time */
  readonly now?: Date;
}

function at(findings: readonly LintFinding[], file: string, account: string, policy: string, line?: number): OrganizationLintFinding[] {
  return findings.map((f) => ({ ...f, file, account, policy, ...(line !== undefined ? { line } : {}) }));
}

/** The JSON path of a document that sits at `source.path` inside its file. */
function documentRoot(source: SourceRef): string {
  return source.path && source.path !== '$' ? source.path : '$';
}

/** Where the document of a policy file or an inline boundary sits: under `document:` of its source. */
function documentSource(source: SourceRef): SourceRef {
  return { file: source.file, line: source.line, path: `${source.path}.document` };
}

function lintDocument(
  document: PolicyDocument,
  type: PolicyType,
  source: SourceRef,
  suppressions: readonly LintSuppression[],
  account: ResolvedAccount,
  organizationAccountIds: readonly string[],
  catalog: ActionCatalog,
  policy: string,
  workloadTrustSids: readonly string[] = [],
  deployRole = false,
): OrganizationLintFinding[] {
  const findings = lintPolicy(document, { type, catalog, suppressions, path: documentRoot(source), accountId: account.id, organizationAccountIds, workloadTrustSids, deployRole });
  return at(findings, source.file, account.name, policy, source.path && source.path !== '$' ? source.line : undefined);
}

/** missing-permission-boundary for one role: none at all (error), a written opt-out (info), or a boundary that does not exist (error). */
function checkRoleBoundary(role: ResolvedRole, account: ResolvedAccount): LintFinding[] {
  const path = `${role.source.path}.boundary`;
  const boundary = role.boundary as ResolvedRole['boundary'] | undefined;
  if (!boundary) {
    return [createFinding('missing-permission-boundary', path, `Role "${role.name}" has no permission boundary: set boundary (or boundary: { none: <reason> } to opt out in writing)`)];
  }
  if (boundary.kind === 'none') {
    return [createFinding('missing-permission-boundary', path, `Role "${role.name}" has no permission boundary, by choice: "${boundary.reason}"`, 'info')];
  }
  if (boundary.kind === 'default' && !account.permissionBoundary) {
    return [createFinding('missing-permission-boundary', path, `Role "${role.name}" uses the default permission boundary, but account "${account.name}" defines none: define permissionBoundary for the account or its OU`)];
  }
  if (boundary.kind === 'named' && account.permissionBoundary?.name !== boundary.name && !account.policies.some((p) => p.name === boundary.name)) {
    return [createFinding('missing-permission-boundary', path, `Role "${role.name}" names boundary "${boundary.name}", which is not a policy of account "${account.name}"`)];
  }
  return [];
}

/**
 * privilege-escalation across a role's inline and customer managed policies (AWS managed ones are not in the
 * model's data yet): paths that only their union opens.
 */
function checkRoleEscalation(role: ResolvedRole, account: ResolvedAccount, catalog: ActionCatalog): LintFinding[] {
  const policies: PrincipalPolicy[] = [];
  for (const p of role.inlinePolicies) policies.push({ label: `inline policy "${p.name}"`, document: p.document });
  for (const ref of role.managedPolicies) {
    const managed = ref.kind === 'customer' ? account.policies.find((p) => p.name === ref.name) : undefined;
    if (managed) policies.push({ label: `managed policy "${managed.name}"`, document: managed.document });
  }
  return checkPrincipalEscalation(catalog, `role "${role.name}"`, policies, role.source.path);
}

/**
 * Lints every policy of a resolved organization: each account's permission boundary, managed policies,
 * role inline policies and role trust policies (as `buildTrustPolicy` builds them), plus the role-level rules
 * (missing-permission-boundary, aggregate sizes), and the organization's SCPs. Each finding names the file and the account.
 */
export function lintOrganization(org: ResolvedOrganization, catalog: ActionCatalog, options: LintOrganizationOptions = {}): OrganizationLintFinding[] {
  const ids = org.accounts.map((a) => a.id);
  const out: OrganizationLintFinding[] = [];
  for (const account of org.accounts) {
    const b = account.permissionBoundary;
    if (b) out.push(...lintDocument(b.document, 'boundary', documentSource(b.source), b.lint, account, ids, catalog, `permission boundary "${b.name}"`));
    for (const p of account.policies) {
      // A library policy is the same document in every account that uses it: lint it once.
      out.push(...lintDocument(p.document, 'identity', documentSource(p.source), p.lint, account, ids, catalog, `managed policy "${p.name}"`));
    }
    for (const role of account.roles) {
      for (const inline of role.inlinePolicies) {
        out.push(...lintDocument(inline.document, 'identity', inline.source, role.lint, account, ids, catalog, `inline policy "${inline.name}" of role "${role.name}"`));
      }
      const hasTrust = role.trust.accounts.length + role.trust.services.length + role.trust.oidc.length + role.trust.saml.length > 0;
      const policy = `trust policy of role "${role.name}"`;
      if (hasTrust) {
        const trust = buildTrustPolicy(role.trust, { accountId: account.id, partition: options.partition });
        const workloadSids = role.trust.accounts.flatMap((t, i) => (t.kind === 'workload' ? [accountTrustSid(t, i) ?? ''] : [])).filter((sid) => sid !== '');
        out.push(...lintDocument(trust, 'trust', { file: role.source.file, path: '$' }, role.lint, account, ids, catalog, policy, workloadSids, role.kind === 'pipeline'));
      } else {
        out.push(...at(applySuppressions([createFinding('invalid-document', `${role.source.path}.trust`, `Role "${role.name}" trusts nobody: give at least one account, service, OIDC or SAML trust`)], { suppressions: role.lint }), role.source.file, account.name, policy));
      }
      const roleFindings = applySuppressions([...checkRoleBoundary(role, account), ...checkRoleLimits({ name: role.name, path: role.source.path, inlinePolicies: role.inlinePolicies.map((p) => p.document), managedPolicyCount: role.managedPolicies.length }), ...checkRoleEscalation(role, account, catalog), ...checkAwsManagedPolicyReferences(catalog.awsNames, role.managedPolicies.filter((m) => m.kind === 'aws').map((m) => ({ name: m.name, path: m.source.path })))], { suppressions: role.lint });
      out.push(...at(roleFindings, role.source.file, account.name, `role "${role.name}"`, role.source.line));
    }
  }
  // Temporary access whose date has passed: still deployed until `iamctl expire` merges its removal.
  for (const grant of listExpiredGrants(org, options.now ?? new Date())) {
    const role = org.accounts.find((a) => a.name === grant.account)?.roles.find((r) => r.name === grant.role);
    const finding = createFinding('expired-grant', grant.path, `${grant.description} expired on ${grant.expires}: run iamctl expire (or merge its merge request) to remove it`);
    out.push(...at(applySuppressions([finding], { suppressions: role?.lint ?? [] }), grant.file, grant.account, `role "${grant.role}"`));
  }
  // Service control policies (accounts/scps/): linted once, under the management account that deploys them.
  const settings = org.organization;
  const protectedPrincipals = listProtectedPrincipals(org);
  for (const scp of settings?.scps ?? []) {
    const findings = [
      ...lintPolicy(scp.document, { type: 'scp', catalog, suppressions: scp.lint, path: '$.document', organizationAccountIds: ids }),
      ...applySuppressions(checkScpProtectedPrincipals(scp, org, catalog, protectedPrincipals), { suppressions: scp.lint }),
    ];
    out.push(...at(findings, scp.source.file, settings?.managementAccount ?? '', `service control policy "${scp.name}"`));
  }
  // Library policies and role templates are written once and resolved into every account that uses them:
  // report each of their findings once (for the first account), not once per account.
  const seen = new Set<string>();
  return out.filter((f) => {
    const key = [f.file, f.rule, f.path, f.policy, f.message.replace(/\d{12}/g, '<account>')].join('\u0000');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
