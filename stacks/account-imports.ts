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
import type { TerraformResource, TerraformStack } from 'cdktf';
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
