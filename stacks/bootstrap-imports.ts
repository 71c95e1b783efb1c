/**
 * The account stack's side of the bootstrap: `import` blocks that adopt what the bootstrap stack created.
 */
import { awsManagedPolicyArn, oidcProviderArn } from '../src/core/iam';
import type { ResolvedAccount } from '../src/core/model';
import { bootstrapPolicyArn, selectBootstrapRoleNames, selectBootstrapSet, type BootstrapSet } from '../src/core/bootstrap';
import type { ManagedPolicy, OidcProvider, PermissionBoundary, Role } from '../modules';

/** The parts of an account stack that {@link addBootstrapImports} reads. */
export interface BootstrapImportTarget {
  readonly account: ResolvedAccount;
  readonly boundary?: PermissionBoundary;
  readonly policies: ReadonlyMap<string, ManagedPolicy>;
  readonly oidcProviders: ReadonlyMap<string, OidcProvider>;
  readonly roles: ReadonlyMap<string, Role>;
}

/**
 * Adds a Terraform `import` block for every resource of the account's bootstrap set, so that the first plan of
 * the account stack adopts what the bootstrap stack created instead of creating it again. Import ids are literal
 * (names and ARNs built by the same functions as everywhere else): Terraform must know them at plan time.
 * Once the resources are in the workspace's state, the blocks are no-ops. Returns the number of import blocks.
 */
export function addBootstrapImports(stack: BootstrapImportTarget, set: BootstrapSet = selectBootstrapSet(stack.account, selectBootstrapRoleNames(stack.account), { skipMissing: true })): number {
  const account = stack.account;
  let count = 0;
  const adopt = (resource: { importFrom(id: string): void } | undefined, id: string): void => {
    if (!resource) return;
    resource.importFrom(id);
    count += 1;
  };
  if (set.includesBoundary && stack.boundary && account.permissionBoundary) adopt(stack.boundary.policy.resource, bootstrapPolicyArn(account, account.permissionBoundary.name));
  for (const policy of set.policies) adopt(stack.policies.get(policy.name)?.resource, bootstrapPolicyArn(account, policy.name));
  for (const host of set.oidcHosts) {
    const provider = stack.oidcProviders.get(host);
    if (provider) adopt(provider.resource, oidcProviderArn(account.id, provider.url));
  }
  for (const role of set.roles) {
    const construct = stack.roles.get(role.name);
    if (!construct) continue;
    adopt(construct.resource, role.name);
    for (const inline of role.inlinePolicies) adopt(construct.inlinePolicyResources.get(inline.name), `${role.name}:${inline.name}`);
    for (const ref of role.managedPolicies) {
      const key = ref.kind === 'aws' ? `aws-${ref.name.replace(/\//g, '-')}` : ref.name;
      const arn = ref.kind === 'aws' ? awsManagedPolicyArn(ref.name) : bootstrapPolicyArn(account, ref.name);
      adopt(construct.attachments.get(key), `${role.name}/${arn}`);
    }
  }
  return count;
}
