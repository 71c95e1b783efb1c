/**
 * The access model of a resolved organization: what the diff compares. Trust policies come from the
 * builder the stacks use and ARNs from the same ARN functions, so the diff sees what Terraform is told to create.
 */
import { buildTrustPolicy, customerPolicyArn, roleArn } from '../iam';
import type { ResolvedAccount, ResolvedOrganization, ResolvedRole, ScpTarget } from '../model';
import type { AccessModel, AccountAccess, BoundaryAccess, RoleAccess, RolePolicyAccess, TrustKind } from './types';

function boundaryOf(account: ResolvedAccount, role: ResolvedRole): BoundaryAccess | undefined {
  if (role.boundary.kind === 'none') return undefined;
  const name = role.boundary.name;
  if (account.permissionBoundary?.name === name) return { name, document: account.permissionBoundary.document.toJSON() };
  const policy = account.policies.find((p) => p.name === name);
  return policy ? { name, document: policy.document.toJSON() } : { name };
}

function roleAccess(account: ResolvedAccount, role: ResolvedRole): RoleAccess {
  const policies: RolePolicyAccess[] = [
    ...role.inlinePolicies.map((p): RolePolicyAccess => ({ kind: 'inline', name: p.name, document: p.document.toJSON() })),
    ...role.managedPolicies.map((ref): RolePolicyAccess => {
      if (ref.kind === 'aws') return { kind: 'aws', name: ref.name };
      const policy = account.policies.find((p) => p.name === ref.name);
      return policy ? { kind: 'customer', name: ref.name, document: policy.document.toJSON() } : { kind: 'customer', name: ref.name };
    }),
  ];
  const trustKinds: Record<string, TrustKind> = {};
  role.trust.accounts.forEach((entry, i) => {
    trustKinds[`AccountTrust${i}`] = entry.kind;
  });
  const boundary = boundaryOf(account, role);
  return {
    name: role.name,
    arn: roleArn(account.id, role.name, role.path),
    maxSessionDuration: role.maxSessionDuration,
    trustPolicy: buildTrustPolicy(role.trust, { accountId: account.id }).toJSON(),
    trustKinds,
    policies,
    ...(boundary ? { boundary } : {}),
  };
}

function targetName(target: ScpTarget): string {
  return target.kind === 'root' ? 'root' : `${target.kind}:${target.name}`;
}

/** Builds the access model of every account and SCP of a resolved organization. */
export function buildAccessModel(org: ResolvedOrganization): AccessModel {
  const accounts: AccountAccess[] = org.accounts.map((account) => ({
    name: account.name,
    id: account.id,
    ou: account.ou,
    roles: account.roles.map((role) => roleAccess(account, role)),
    policies: account.policies.map((p) => ({ name: p.name, arn: customerPolicyArn(account.id, p.name, p.path), document: p.document.toJSON() })),
  }));
  return {
    organizationAccountIds: org.accounts.map((a) => a.id),
    accounts,
    scps: (org.organization?.scps ?? []).map((s) => ({ name: s.name, document: s.document.toJSON(), targets: s.targets.map(targetName) })),
  };
}
