/**
 * The account stack's side of the bootstrap: `import` blocks that adopt what the bootstrap stack created.
 */
import { awsManagedPolicyArn, oidcProviderArn } from '../src/core/iam';
import type { ResolvedAccount } from '../src/core/model';
import { bootstrapPolicyArn, selectBootstrapRoleNames, selectBootstrapSet, type BootstrapSet } from '../src/core/bootstrap';
import type { TerraformResource } from 'cdktf';
import type { ManagedPolicy, OidcProvider, PermissionBoundary, Role } from '../modules';
import { addressOf, type ImportBlock } from './account-imports';

/** The parts of an account stack that {@link buildBootstrapImports} reads. */
export interface BootstrapImportTarget {
  readonly account: ResolvedAccount;
  readonly boundary?: PermissionBoundary;
  readonly policies: ReadonlyMap<string, ManagedPolicy>;
  readonly oidcProviders: ReadonlyMap<string, OidcProvider>;
  readonly roles: ReadonlyMap<string, Role>;
}

/**
 * A Terraform `import` block for every resource of the account's bootstrap set, so that the first plan of
 * the account stack adopts what the bootstrap stack created instead of creating it again. Import ids are literal
 * (names and ARNs built by the same functions as everywhere else): Terraform must know them at plan time.
 * Once the resources are in the workspace's state, the blocks are no-ops. Written once per stack with the imports.yaml blocks (addImportBlocks).
 */
export function buildBootstrapImports(stack: BootstrapImportTarget, set: BootstrapSet = selectBootstrapSet(stack.account, selectBootstrapRoleNames(stack.account), { skipMissing: true })): ImportBlock[] {
  const account = stack.account;
  const blocks: ImportBlock[] = [];
  const adopt = (resource: TerraformResource | undefined, id: string): void => {
    if (resource) blocks.push({ to: addressOf(resource), id });
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
  return blocks;
}
