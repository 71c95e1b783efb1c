/**
 * Terraform `import` blocks of an account stack, from the account's imports.yaml (written by
 * `iamctl import`): each listed resource that the stack creates is adopted by the first plan instead of
 * created. The import id of each resource is built here from what the stack creates (role name,
 * `role:policy`, `role/policy-arn`, policy and OIDC provider ARNs) and matched against the file, so a
 * listed id the stack does not create emits nothing (Terraform refuses an import block without its
 * resource), and a resource created later is never "imported" from nothing.
 *
 * The blocks are one stack-level `import` list rather than `TerraformResource.importFrom`: cdktf 0.21
 * adds a validation per imported resource that runs `terraform version` at every synth.
 */
import type { TerraformProvider, TerraformResource, TerraformStack } from 'cdktf';
import { awsManagedPolicyArn, customerPolicyArn } from '../src/core/iam';
import type { AccountImports, ResolvedAccount } from '../src/core/model';
import type { ManagedPolicy, OidcProvider, Role } from '../modules';

/** One Terraform import block. */
export interface ImportBlock {
  /** Terraform address (`aws_iam_role.role-app_role_D8D81A12`). */
  readonly to: string;
  /** The provider's import id. */
  readonly id: string;
}

/** The stack's resources that imports can adopt. */
export interface ImportableResources {
  readonly account: ResolvedAccount;
  readonly roles: ReadonlyMap<string, Role>;
  readonly policies: ReadonlyMap<string, ManagedPolicy>;
  /** The permission boundary's policy resource and its name/path. @default - none */
  readonly boundary?: { readonly resource: TerraformResource; readonly name: string; readonly path: string };
  readonly oidcProviders: ReadonlyMap<string, OidcProvider>;
}

/** Terraform address of a resource (`aws_iam_role.role-app_role_D8D81A12`). */
export function addressOf(resource: TerraformResource): string {
  return `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
}

/** The import blocks for the resources listed in `imports` that the stack creates, in address order. */
export function buildImportBlocks(imports: AccountImports, resources: ImportableResources): ImportBlock[] {
  const lower = (values: readonly string[]): Set<string> => new Set(values.map((v) => v.toLowerCase()));
  const wanted = {
    roles: lower(imports.roles),
    rolePolicies: lower(imports.rolePolicies),
    attachments: lower(imports.rolePolicyAttachments),
    policies: lower(imports.policies),
    oidc: lower(imports.oidcProviders),
  };
  const blocks: ImportBlock[] = [];
  const add = (set: Set<string>, id: string, resource: TerraformResource): void => {
    if (set.has(id.toLowerCase())) blocks.push({ to: addressOf(resource), id });
  };
  const account = resources.account;
  for (const role of account.roles) {
    const construct = resources.roles.get(role.name);
    if (!construct) continue;
    add(wanted.roles, role.name, construct.resource);
    for (const [policyName, resource] of construct.inlinePolicyResources) add(wanted.rolePolicies, `${role.name}:${policyName}`, resource);
    for (const ref of role.managedPolicies) {
      const key = ref.kind === 'aws' ? `aws-${ref.name.replace(/\//g, '-')}` : ref.name;
      const resource = construct.attachments.get(key);
      const policy = account.policies.find((p) => p.name === ref.name);
      const arn = ref.kind === 'aws' ? awsManagedPolicyArn(ref.name) : policy ? customerPolicyArn(account.id, policy.name, policy.path) : undefined;
      if (resource && arn) add(wanted.attachments, `${role.name}/${arn}`, resource);
    }
  }
  for (const policy of account.policies) {
    const construct = resources.policies.get(policy.name);
    if (construct) add(wanted.policies, customerPolicyArn(account.id, policy.name, policy.path), construct.resource);
  }
  if (resources.boundary) add(wanted.policies, customerPolicyArn(account.id, resources.boundary.name, resources.boundary.path), resources.boundary.resource);
  for (const provider of resources.oidcProviders.values()) add(wanted.oidc, provider.providerArn, provider.resource);
  return blocks.sort((a, b) => (a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
}

/**
 * Writes the import blocks into the stack's Terraform JSON (top-level `import`), once per stack: blocks from
 * several sources (imports.yaml, the bootstrap hand-over) are merged, one per address (Terraform refuses two).
 */
export function addImportBlocks(stack: TerraformStack, blocks: readonly ImportBlock[]): void {
  const byAddress = new Map<string, ImportBlock>();
  for (const block of blocks) if (!byAddress.has(block.to)) byAddress.set(block.to, block);
  const unique = [...byAddress.values()].sort((a, b) => (a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
  if (unique.length > 0) stack.addOverride('import', unique.map((b) => ({ to: b.to, id: b.id })));
}

/** Alias of the AWS provider that carries the resources still being adopted (no platform default tags). */
export const ADOPTING_PROVIDER_ALIAS = 'adopting';

/** A resource that takes tags (`tags` on the AWS provider's IAM resources). */
type TaggableResource = TerraformResource & { tags?: Record<string, string> };

/**
 * imports.yaml `adopting:`: each listed resource the stack creates goes on `provider` (the account's provider
 * without the platform's default tags) and gets exactly the tags IAM holds, so the import plan changes
 * nothing. `iamctl import --finish` removes the list; the next plan moves them onto the default provider and
 * adds the platform tags, as a change of its own. Returns how many resources it moved.
 */
export function applyAdoption(imports: AccountImports, resources: ImportableResources, provider: () => TerraformProvider): number {
  const adopting = imports.adopting;
  if (!adopting) return 0;
  const byKey = <T>(record: Readonly<Record<string, T>>): Map<string, T> => new Map(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v]));
  const roles = byKey(adopting.roles);
  const policies = byKey(adopting.policies);
  const oidc = byKey(adopting.oidcProviders);
  let moved = 0;
  const adopt = (resource: TerraformResource, tags: Readonly<Record<string, string>> | undefined): void => {
    if (tags === undefined) return;
    resource.provider = provider();
    (resource as TaggableResource).tags = { ...tags };
    moved += 1;
  };
  const account = resources.account;
  for (const role of account.roles) {
    const construct = resources.roles.get(role.name);
    if (construct) adopt(construct.resource, roles.get(role.name.toLowerCase()));
  }
  for (const policy of account.policies) {
    const construct = resources.policies.get(policy.name);
    if (construct) adopt(construct.resource, policies.get(customerPolicyArn(account.id, policy.name, policy.path).toLowerCase()));
  }
  if (resources.boundary) adopt(resources.boundary.resource, policies.get(customerPolicyArn(account.id, resources.boundary.name, resources.boundary.path).toLowerCase()));
  for (const construct of resources.oidcProviders.values()) adopt(construct.resource, oidc.get(construct.providerArn.toLowerCase()));
  return moved;
}
