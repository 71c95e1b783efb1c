/**
 * What an administrator creates once per account before Terraform Cloud can run the account's stack: the
 * Terraform Cloud plan and apply roles (dynamic credentials), the read-only drift role of the scheduled job,
 * the deploy role (`deployRole`, when the account defines it: what the organization stacks and the account stacks
 * without dynamic credentials assume), the OIDC providers these roles trust, and the policies they attach.
 *
 * These are resources of the account's own stack: the bootstrap stack builds them from the same resolved
 * account with the same constructs (one construction), and the account stack adopts them on its first
 * apply with Terraform `import` blocks. After that, the account stack is their only owner.
 */
import { ERROR_CODES, IamPlatformError } from '../errors';
import { isSameIamArn } from '../drift';
import { customerPolicyArn, oidcHost, roleArn } from '../iam';
import type { ResolvedAccount, ResolvedManagedPolicy, ResolvedRole } from '../model';

/** Plan role name when the backend names no dynamic credentials (the example organization's template). */
export const DEFAULT_PLAN_ROLE = 'tfc-iam-plan';
/** Apply role name when the backend names no dynamic credentials. */
export const DEFAULT_APPLY_ROLE = 'tfc-iam-apply';
/** Role of the scheduled drift job (the default of DRIFT_ROLE_NAME in .gitlab-ci.yml and scripts/ci/drift-all.sh). */
export const DEFAULT_DRIFT_ROLE = 'gitlab-drift-reader';
/** Stack id prefix of the bootstrap stacks: `iam-bootstrap-<account>`. */
export const BOOTSTRAP_STACK_PREFIX = 'iam-bootstrap-';

/** The roles of the bootstrap set, by name. */
export interface BootstrapRoleNames {
  /** Role of the plan phase (`TFC_AWS_PLAN_ROLE_ARN`). */
  readonly planRole: string;
  /** Role of the apply phase (`TFC_AWS_APPLY_ROLE_ARN`). */
  readonly applyRole: string;
  /** Role of the scheduled drift job. */
  readonly driftRole: string;
}

/** Options of {@link selectBootstrapRoleNames}. */
export interface BootstrapRoleOptions {
  /** Role of the scheduled drift job. @default DEFAULT_DRIFT_ROLE */
  readonly driftRole?: string;
}

/** The bootstrap roles of an account: the backend's dynamic-credential roles (or the defaults) and the drift role. */
export function selectBootstrapRoleNames(account: ResolvedAccount, options: BootstrapRoleOptions = {}): BootstrapRoleNames {
  const dynamic = account.backend.type === 'cloud' ? account.backend.dynamicCredentials : undefined;
  return {
    planRole: dynamic?.planRole ?? DEFAULT_PLAN_ROLE,
    applyRole: dynamic?.applyRole ?? DEFAULT_APPLY_ROLE,
    driftRole: options.driftRole ?? DEFAULT_DRIFT_ROLE,
  };
}

/** The resources of an account's stack that its bootstrap creates, as the resolved config they come from. */
export interface BootstrapSet {
  /** The account. */
  readonly account: ResolvedAccount;
  /** The bootstrap roles, in the account's order. */
  readonly roles: readonly ResolvedRole[];
  /** The customer managed policies these roles attach or use as a named boundary. */
  readonly policies: readonly ResolvedManagedPolicy[];
  /** Whether a role uses the account's default boundary (the boundary is then part of the set). */
  readonly includesBoundary: boolean;
  /** Hosts (`gitlab.com`, `app.terraform.io`) of the OIDC providers these roles trust. */
  readonly oidcHosts: readonly string[];
}

/** Options of {@link selectBootstrapSet}. */
export interface SelectBootstrapSetOptions {
  /** Leave a role the account does not create out of the set instead of throwing. @default false */
  readonly skipMissing?: boolean;
}

/**
 * The bootstrap set of an account. Throws a user error naming every missing role and where to define it.
 * Role names compare case-insensitively, as IAM does.
 */
export function selectBootstrapSet(account: ResolvedAccount, names: BootstrapRoleNames, options: SelectBootstrapSetOptions = {}): BootstrapSet {
  const wanted = [names.planRole, names.applyRole, names.driftRole];
  const byName = new Map(account.roles.map((r) => [r.name.toLowerCase(), r]));
  const missing = wanted.filter((n) => !byName.has(n.toLowerCase()));
  if (missing.length > 0 && !options.skipMissing) {
    throw new IamPlatformError(
      ERROR_CODES.INVALID_CONFIG,
      `Account ${account.name} has no role ${missing.map((n) => `"${n}"`).join(', ')}, which its bootstrap creates (Terraform Cloud plan and apply roles, drift role). Fix: add the role templates to accounts/org.yaml (see docs/adopt.md), or name the existing roles with backend.terraformCloud.dynamicCredentials and --drift-role`,
      { source: 'user', problems: missing.map((n) => ({ file: account.source.file, path: '$.roles', message: `role "${n}" is not created in account ${account.name}` })) },
    );
  }
  const keep = new Set(wanted.map((n) => n.toLowerCase()));
  // The deploy role, when the account defines it (by ARN): the bootstrap stack is the only one that creates it.
  const roles = account.roles.filter((r) => keep.has(r.name.toLowerCase()) || isSameIamArn(roleArn(account.id, r.name, r.path), account.deployRoleArn));
  const policyNames = new Set<string>();
  for (const role of roles) {
    for (const ref of role.managedPolicies) if (ref.kind === 'customer') policyNames.add(ref.name);
    if (role.boundary.kind === 'named' && role.boundary.name !== account.permissionBoundary?.name) policyNames.add(role.boundary.name);
  }
  const includesBoundary = account.permissionBoundary !== undefined && roles.some((r) => r.boundary.kind === 'default' || (r.boundary.kind === 'named' && r.boundary.name === account.permissionBoundary?.name));
  const oidcHosts = [...new Set(roles.flatMap((r) => r.trust.oidc.map((o) => oidcHost(o.url))))].sort();
  return { account, roles, policies: account.policies.filter((p) => policyNames.has(p.name)), includesBoundary, oidcHosts };
}

/**
 * The account reduced to its bootstrap set, for the bootstrap stack (`iam-bootstrap-<account>`): the same roles,
 * policies, boundary and providers, local state on the administrator's machine, no drift module, no service
 * credentials, no Lambda network and no dynamic credentials (the administrator's own credentials apply it).
 */
export function buildBootstrapAccount(set: BootstrapSet): ResolvedAccount {
  const { account } = set;
  const hosts = new Set(set.oidcHosts);
  // No service credentials and no Lambda network: the account stack owns those, never the bootstrap.
  const { dynamicCredentials: _dynamic, permissionBoundary, serviceCredentials: _credentials, network: _network, ...rest } = account;
  return {
    ...rest,
    stackName: `${BOOTSTRAP_STACK_PREFIX}${account.name}`,
    backend: { type: 'local' },
    ...(set.includesBoundary && permissionBoundary ? { permissionBoundary } : {}),
    policies: set.policies,
    roles: set.roles,
    oidcProviders: account.oidcProviders.filter((p) => hosts.has(oidcHost(p.url))),
    drift: { ...account.drift, enabled: false },
  };
}

/** ARN of a customer managed policy of the set (import ids are literal: Terraform must know them at plan). */
export function bootstrapPolicyArn(account: ResolvedAccount, name: string): string {
  const policy = account.policies.find((p) => p.name === name);
  const path = policy?.path ?? (account.permissionBoundary?.name === name ? account.permissionBoundary.path : '/');
  return customerPolicyArn(account.id, name, path);
}
