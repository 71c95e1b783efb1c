import { awsManagedPolicyArn, buildTrustPolicy, customerPolicyArn, oidcProviderArn, roleArn } from '../iam';
import type { ResolvedAccount, ResolvedRole } from '../model';
import { PolicyDocument } from '../policy';
import {
  DESIRED_INVENTORY_SCHEMA_VERSION,
  type DesiredInventory,
  type DesiredOidcProvider,
  type DesiredPolicy,
  type DesiredRole,
  MANAGED_BY_TAG_KEY,
  MANAGED_BY_TAG_VALUE,
} from './inventory';

/** Role kinds remediation never touches. */
export const PROTECTED_ROLE_KINDS: readonly string[] = ['break-glass', 'pipeline'];

/**
 * Name prefix of the platform's own infrastructure roles (the drift Lambda's role, the Config recorder's
 * role): they carry the managed-by tag but are not in accounts/, so drift treats them as known and protected.
 */
export const PLATFORM_ROLE_PREFIX = 'iam-platform-';

/** IAM path prefix reserved for platform resources: in scope even when the managed-by tag was removed. */
export const PLATFORM_PATH_PREFIX = '/iam-platform/';

/** Options of {@link buildDesiredInventory}. */
export interface BuildDesiredInventoryOptions {
  /** @default 'aws' */
  readonly partition?: string;
  /** Extra path prefixes that mark a resource as the platform's. @default [PLATFORM_PATH_PREFIX] */
  readonly platformPathPrefixes?: readonly string[];
}

function policyArnByName(account: ResolvedAccount, name: string, partition: string): string {
  const policy = account.policies.find((p) => p.name === name);
  if (policy) return customerPolicyArn(account.id, policy.name, policy.path, partition);
  if (account.permissionBoundary?.name === name) return customerPolicyArn(account.id, name, account.permissionBoundary.path, partition);
  return customerPolicyArn(account.id, name, '/', partition);
}

function boundaryArnOf(account: ResolvedAccount, role: ResolvedRole, partition: string): string | undefined {
  switch (role.boundary.kind) {
    case 'none':
      return undefined;
    case 'default':
    case 'named':
      return policyArnByName(account, role.boundary.name, partition);
  }
}

function canonicalJson(document: PolicyDocument): DesiredPolicy['document'] {
  return document.toJSON();
}

/** Name of the role in a role ARN of this account, or undefined for another account's role. */
function roleNameInAccount(arn: string, accountId: string): string | undefined {
  const match = /^arn:[^:]+:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(arn);
  return match && match[1] === accountId ? match[2] : undefined;
}

/**
 * Builds the desired IAM inventory of an account from its resolved model: roles (trust built with
 * the same builder the stacks use, inline and attached policies, boundary, session length, tags),
 * customer managed policies (including the boundary) and OIDC providers.
 */
export function buildDesiredInventory(account: ResolvedAccount, options: BuildDesiredInventoryOptions = {}): DesiredInventory {
  const partition = options.partition ?? 'aws';
  // The account stack's provider default_tags (stacks/account-stack.ts accountDefaultTags), less the
  // source-file tag that only says where the value came from.
  const baseTags = { ...account.tags, [MANAGED_BY_TAG_KEY]: MANAGED_BY_TAG_VALUE, account: account.name, owner: account.owner };

  const roles: DesiredRole[] = account.roles.map((role) => {
    const boundaryArn = boundaryArnOf(account, role, partition);
    return {
    name: role.name,
    path: role.path,
    arn: roleArn(account.id, role.name, role.path, partition),
    kind: role.kind,
    maxSessionDuration: role.maxSessionDuration,
    trustPolicy: canonicalJson(buildTrustPolicy(role.trust, { accountId: account.id, partition })),
    inlinePolicies: role.inlinePolicies.map((p) => ({ name: p.name, document: PolicyDocument.fromJson(p.document).toJSON() })),
    managedPolicyArns: role.managedPolicies.map((ref) =>
      ref.kind === 'aws' ? awsManagedPolicyArn(ref.name, partition) : policyArnByName(account, ref.name, partition),
    ),
    ...(boundaryArn !== undefined ? { boundaryArn } : {}),
    tags: { ...baseTags, ...role.tags, [MANAGED_BY_TAG_KEY]: MANAGED_BY_TAG_VALUE },
    };
  });

  const policies: DesiredPolicy[] = account.policies.map((p) => ({
    name: p.name,
    path: p.path,
    arn: customerPolicyArn(account.id, p.name, p.path, partition),
    document: PolicyDocument.fromJson(p.document).toJSON(),
  }));
  const boundary = account.permissionBoundary;
  if (boundary && !policies.some((p) => p.name === boundary.name)) {
    policies.push({
      name: boundary.name,
      path: boundary.path,
      arn: customerPolicyArn(account.id, boundary.name, boundary.path, partition),
      document: PolicyDocument.fromJson(boundary.document).toJSON(),
    });
  }

  const oidcProviders: DesiredOidcProvider[] = account.oidcProviders.map((p) => ({
    arn: oidcProviderArn(account.id, p.url, partition),
    url: p.url,
    clientIds: [...p.clientIds],
    thumbprints: [...p.thumbprints],
  }));

  const pipelineRoleArns = [account.deployRoleArn, ...roles.filter((r) => r.kind === 'pipeline').map((r) => r.arn)];
  const deployRoleName = roleNameInAccount(account.deployRoleArn, account.id);
  const protectedRoleNames = [
    ...(deployRoleName !== undefined ? [deployRoleName] : []),
    ...roles.filter((r) => PROTECTED_ROLE_KINDS.includes(r.kind)).map((r) => r.name),
  ];

  return {
    schemaVersion: DESIRED_INVENTORY_SCHEMA_VERSION,
    account: account.name,
    accountId: account.id,
    mode: account.drift.mode,
    roles,
    policies,
    oidcProviders,
    pipelineRoleArns: [...new Set(pipelineRoleArns)],
    protectedRoleNames: [...new Set(protectedRoleNames)],
    protectedRolePrefixes: [PLATFORM_ROLE_PREFIX],
    platformPathPrefixes: options.platformPathPrefixes ?? [PLATFORM_PATH_PREFIX],
  };
}
