/**
 * Plans `iamctl import`: from the live IAM of one account, the accounts/ files that reproduce it and
 * the Terraform import ids that let the first plan adopt each resource instead of creating it. Pure:
 * the caller reads IAM and writes the files.
 *
 * Left out: service-linked and Identity Center roles (AWS owns them), AWS managed policies (never the
 * platform's resources), the account's deploy role (bootstrapped outside the stack, by ARN). A role or
 * policy the role model cannot express exactly is skipped with the reason, never imported changed.
 */
import { isAwsManagedPolicyArn, isAwsOwnedRole, isSameIamArn, iamNameKey, type LiveInventory, type LiveOidcProvider, type LivePolicy, type LiveRole } from '../drift';
import type { AccountImports, AdoptingResources } from '../model';
import type { PolicyDocumentJson } from '../policy';
import { mapTrustPolicy, type ImportedTrust } from './map-trust';

/** Session length the role model writes when a role file names none (IAM's default, one hour). */
export const DEFAULT_IMPORTED_SESSION_SECONDS = 3600;
/** Tags the account stack sets on every resource itself (provider default tags and the source tag): never written to files. */
export const PLATFORM_TAG_KEYS: readonly string[] = ['managed-by', 'account', 'source-file', 'iam-platform:source'];
/** First line of every file `iamctl import` writes; a role file that starts with it is the import's own and is rewritten on a re-run. */
export const IMPORT_MARKER = 'Imported by iamctl import';
/** Reason written for a role that had no permission boundary in IAM. */
export const IMPORTED_WITHOUT_BOUNDARY_REASON =
  'Imported by iamctl import without a permission boundary, as it is in IAM: review it and remove this opt-out to get the default boundary';

/** `roles/<name>.yaml` as plain data (keys in the order they are written). */
export interface ImportedRoleSpec {
  readonly description?: string;
  readonly owner: string;
  readonly path?: string;
  readonly maxSessionDuration?: number;
  readonly tags?: Readonly<Record<string, string>>;
  readonly trust: ImportedTrust;
  readonly managedPolicies?: readonly string[];
  readonly inlinePolicies?: Readonly<Record<string, PolicyDocumentJson>>;
  readonly permissionBoundary?: string | { readonly none: { readonly reason: string } };
}

/** `policies/<name>.yaml` as plain data. */
export interface ImportedPolicySpec {
  readonly description?: string;
  readonly path?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly document: PolicyDocumentJson;
}

/** One file to write, relative to the account folder. */
export interface ImportedFile<T> {
  readonly name: string;
  /** `roles/<name>.yaml` or `policies/<name>.yaml`. */
  readonly file: string;
  readonly arn: string;
  /** Comment lines at the top of the file (where it came from), without `# `. */
  readonly header: readonly string[];
  readonly spec: T;
}

/**
 * Terraform import ids, by resource type, exactly as the AWS provider documents them: role name;
 * `role:policy` for an inline policy; `role/policy-arn` for an attachment; the ARN of a policy or an
 * OIDC provider. This is the content of the account's `imports.yaml`.
 */
export type ImportIds = Omit<AccountImports, 'source' | 'adopting'>;

/** Something left out, and why. */
export interface SkippedResource {
  readonly type: 'role' | 'policy' | 'oidc-provider';
  readonly name: string;
  readonly arn: string;
  readonly reason: string;
}

/** A live role that the configuration already creates (a template or a hand-written role file). */
export interface AlreadyDefinedRole {
  readonly name: string;
  readonly arn: string;
  /** The template that creates it. @default - a role file */
  readonly template?: string;
  /** The file that defines it. */
  readonly file: string;
}

/** The result of {@link planAccountImport}. */
export interface ImportPlan {
  readonly account: string;
  readonly accountId: string;
  readonly roles: readonly ImportedFile<ImportedRoleSpec>[];
  readonly policies: readonly ImportedFile<ImportedPolicySpec>[];
  /** Roles the configuration already creates: imported (ids below), no file written. */
  readonly alreadyDefined: readonly AlreadyDefinedRole[];
  readonly imports: ImportIds;
  /**
   * The tags IAM holds on every imported role, policy and OIDC provider (imports.yaml `adopting:`): the stack keeps
   * exactly these until `iamctl import --finish`, so the import plan changes no tag.
   */
  readonly adopting: AdoptingResources;
  readonly skipped: readonly SkippedResource[];
}

/** A role the configuration already defines. */
export interface ConfiguredRole {
  readonly name: string;
  /** @default - from a role file */
  readonly template?: string;
  /** Repository-relative file. */
  readonly file: string;
  /** True when that file was written by an earlier import (it starts with IMPORT_MARKER). */
  readonly writtenByImport: boolean;
}

/** What {@link planAccountImport} needs to know of the account's configuration. */
export interface ImportAccountContext {
  readonly name: string;
  readonly id: string;
  /** The account's owner: a role without an `owner` tag gets it. */
  readonly owner: string;
  /** The deploy role (never imported, matched by ARN). */
  readonly deployRoleArn: string;
  /** Path a role file without `path:` gets. @default '/' */
  readonly rolePath?: string;
  /** Path a policy file without `path:` gets. @default '/' */
  readonly policyPath?: string;
  /** Name of the default permission boundary. @default - none */
  readonly defaultBoundaryName?: string;
  /** Roles already in the configuration of the account. @default - none */
  readonly configuredRoles?: readonly ConfiguredRole[];
  /** Names of customer managed policies already in the configuration (account policies and the library). @default - none */
  readonly configuredPolicies?: readonly string[];
}

function sortStrings(values: Iterable<string>): string[] {
  return [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** `arn:aws:iam::aws:policy/job-function/ViewOnlyAccess` → `aws:job-function/ViewOnlyAccess`. */
function awsPolicyRef(arn: string): string {
  return `aws:${arn.replace(/^arn:[^:]+:iam::aws:policy\//, '')}`;
}

function filteredTags(tags: Readonly<Record<string, string>>, drop: readonly string[]): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const key of Object.keys(tags).sort()) if (!drop.includes(key)) out[key] = tags[key] ?? '';
  return Object.keys(out).length > 0 ? out : undefined;
}

function defaultDocument(policy: LivePolicy): PolicyDocumentJson | undefined {
  return (policy.versions.find((v) => v.isDefault) ?? policy.versions.find((v) => v.versionId === policy.defaultVersionId))?.document;
}

function planPolicy(policy: LivePolicy, context: ImportAccountContext): ImportedFile<ImportedPolicySpec> | SkippedResource {
  const document = defaultDocument(policy);
  if (!document) return { type: 'policy', name: policy.name, arn: policy.arn, reason: 'IAM returned no default version' };
  const tags = filteredTags(policy.tags ?? {}, PLATFORM_TAG_KEYS);
  return {
    name: policy.name,
    file: `policies/${policy.name}.yaml`,
    arn: policy.arn,
    header: [`${IMPORT_MARKER} from ${policy.arn}${policy.id ? ` (policy id ${policy.id})` : ''}, default version ${policy.defaultVersionId}.`],
    spec: {
      ...(policy.description ? { description: policy.description } : {}),
      ...(policy.path !== (context.policyPath ?? '/') ? { path: policy.path } : {}),
      ...(tags ? { tags } : {}),
      document,
    },
  };
}

function planRole(role: LiveRole, context: ImportAccountContext, policyNames: ReadonlyMap<string, string>): ImportedFile<ImportedRoleSpec> | SkippedResource {
  const skip = (reason: string): SkippedResource => ({ type: 'role', name: role.name, arn: role.arn, reason });
  const trust = mapTrustPolicy(role.trustPolicy, context.id);
  if (!trust.ok) return skip(`trust policy: ${trust.reason}`);
  const managedPolicies: string[] = [];
  for (const arn of role.managedPolicyArns) {
    if (isAwsManagedPolicyArn(arn)) managedPolicies.push(awsPolicyRef(arn));
    else {
      const name = policyNames.get(arn.toLowerCase());
      if (!name) return skip(`attaches ${arn}, which is neither imported nor a policy of the account`);
      managedPolicies.push(name);
    }
  }
  let permissionBoundary: ImportedRoleSpec['permissionBoundary'];
  if (role.boundaryArn) {
    const name = policyNames.get(role.boundaryArn.toLowerCase());
    if (!name) return skip(`permission boundary ${role.boundaryArn} is not a customer managed policy of the account (the role model names boundaries of the account)`);
    if (context.defaultBoundaryName === undefined || iamNameKey(name) !== iamNameKey(context.defaultBoundaryName)) permissionBoundary = name;
  } else {
    permissionBoundary = { none: { reason: IMPORTED_WITHOUT_BOUNDARY_REASON } };
  }
  const tags = filteredTags(role.tags, [...PLATFORM_TAG_KEYS, 'owner']);
  const inline: Record<string, PolicyDocumentJson> = {};
  for (const p of role.inlinePolicies) inline[p.name] = p.document;
  const session = role.maxSessionDuration ?? DEFAULT_IMPORTED_SESSION_SECONDS;
  return {
    name: role.name,
    file: `roles/${role.name}.yaml`,
    arn: role.arn,
    header: [`${IMPORT_MARKER} from ${role.arn}${role.id ? ` (role id ${role.id})` : ''}.`, 'Review the owner, the trust and the boundary opt-out; edit freely: a re-run of iamctl import rewrites this file only while this line stays.'],
    spec: {
      ...(role.description ? { description: role.description } : {}),
      owner: role.tags.owner ?? context.owner,
      ...(role.path !== (context.rolePath ?? '/') ? { path: role.path } : {}),
      ...(session !== DEFAULT_IMPORTED_SESSION_SECONDS ? { maxSessionDuration: session } : {}),
      ...(tags ? { tags } : {}),
      trust: trust.trust,
      ...(managedPolicies.length > 0 ? { managedPolicies: sortStrings(managedPolicies) } : {}),
      ...(role.inlinePolicies.length > 0 ? { inlinePolicies: inline } : {}),
      ...(permissionBoundary !== undefined ? { permissionBoundary } : {}),
    },
  };
}

function oidcHostOf(provider: LiveOidcProvider): string {
  return provider.url.replace(/^https:\/\//, '').replace(/\/+$/, '');
}

/**
 * Plans the import of an account: role and policy files, the import ids, what the configuration
 * already defines and what is skipped. Deterministic (sorted by name): the same IAM gives the same plan.
 */
export function planAccountImport(live: LiveInventory, context: ImportAccountContext): ImportPlan {
  const skipped: SkippedResource[] = [];
  const configuredRoles = new Map((context.configuredRoles ?? []).map((r) => [iamNameKey(r.name), r]));
  const configuredPolicies = new Set((context.configuredPolicies ?? []).map(iamNameKey));

  // Customer managed policies: every one is imported (a policy file, unless the configuration has it).
  const policies: ImportedFile<ImportedPolicySpec>[] = [];
  const policyNames = new Map<string, string>();
  const policyIds: string[] = [];
  for (const policy of [...live.policies].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (isAwsManagedPolicyArn(policy.arn)) continue;
    if (configuredPolicies.has(iamNameKey(policy.name))) {
      policyNames.set(policy.arn.toLowerCase(), policy.name);
      policyIds.push(policy.arn);
      continue;
    }
    const planned = planPolicy(policy, context);
    if ('reason' in planned) {
      skipped.push(planned);
      continue;
    }
    policies.push(planned);
    policyNames.set(policy.arn.toLowerCase(), policy.name);
    policyIds.push(policy.arn);
  }

  const roles: ImportedFile<ImportedRoleSpec>[] = [];
  const alreadyDefined: AlreadyDefinedRole[] = [];
  const roleIds: string[] = [];
  const rolePolicyIds: string[] = [];
  const attachmentIds: string[] = [];
  const trustedOidcHosts = new Set<string>();
  const adopt = (role: LiveRole): void => {
    roleIds.push(role.name);
    for (const p of role.inlinePolicies) rolePolicyIds.push(`${role.name}:${p.name}`);
    for (const arn of role.managedPolicyArns) attachmentIds.push(`${role.name}/${arn}`);
    const trust = mapTrustPolicy(role.trustPolicy, context.id);
    if (trust.ok) for (const o of trust.trust.oidc ?? []) trustedOidcHosts.add((o.url ?? (o.provider === 'gitlab' ? 'https://gitlab.com' : 'https://app.terraform.io')).replace(/^https:\/\//, ''));
  };
  for (const role of [...live.roles].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (isAwsOwnedRole(role.path)) {
      skipped.push({ type: 'role', name: role.name, arn: role.arn, reason: `owned by AWS (path ${role.path}: service-linked or Identity Center)` });
      continue;
    }
    if (isSameIamArn(role.arn, context.deployRoleArn)) {
      skipped.push({ type: 'role', name: role.name, arn: role.arn, reason: "the account's deploy role, bootstrapped outside the account stack" });
      continue;
    }
    const configured = configuredRoles.get(iamNameKey(role.name));
    if (configured && !configured.writtenByImport) {
      alreadyDefined.push({ name: role.name, arn: role.arn, file: configured.file, ...(configured.template ? { template: configured.template } : {}) });
      adopt(role);
      continue;
    }
    const planned = planRole(role, context, policyNames);
    if ('reason' in planned) {
      skipped.push(planned);
      continue;
    }
    roles.push(planned);
    adopt(role);
  }

  const oidcIds: string[] = [];
  const oidcTags: Record<string, Readonly<Record<string, string>>> = {};
  for (const provider of live.oidcProviders) {
    if (trustedOidcHosts.has(oidcHostOf(provider))) {
      oidcIds.push(provider.arn);
      oidcTags[provider.arn] = sortedTags(provider.tags);
    }
    else skipped.push({ type: 'oidc-provider', name: oidcHostOf(provider), arn: provider.arn, reason: 'no imported role trusts it (the account stack creates OIDC providers for the issuers its roles trust)' });
  }

  return {
    account: context.name,
    accountId: context.id,
    roles,
    policies,
    alreadyDefined,
    imports: {
      roles: sortStrings(roleIds),
      rolePolicies: sortStrings(rolePolicyIds),
      rolePolicyAttachments: sortStrings(attachmentIds),
      policies: sortStrings(policyIds),
      oidcProviders: sortStrings(oidcIds),
    },
    adopting: {
      roles: Object.fromEntries(live.roles.filter((r) => roleIds.includes(r.name)).sort((a, b) => (a.name < b.name ? -1 : 1)).map((r) => [r.name, sortedTags(r.tags)])),
      policies: Object.fromEntries(live.policies.filter((p) => policyIds.includes(p.arn)).sort((a, b) => (a.arn < b.arn ? -1 : 1)).map((p) => [p.arn, sortedTags(p.tags ?? {})])),
      oidcProviders: Object.fromEntries(Object.entries(oidcTags).sort(([a], [b]) => (a < b ? -1 : 1))),
    },
    skipped,
  };
}

function sortedTags(tags: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.keys(tags).sort().map((k) => [k, tags[k] ?? '']));
}

/**
 * imports.yaml `adopting:` after a run: the resources this run imports for the first time (not among `previous`
 * ids), plus those an earlier run left adopting, each with the tags IAM holds now. A resource whose adoption was
 * finished (`iamctl import --finish`) stays finished.
 */
export function mergeAdopting(current: AdoptingResources, previousIds: ImportIds, previous: AdoptingResources | undefined): AdoptingResources {
  const keep = (now: AdoptingResources[keyof AdoptingResources], ids: readonly string[], before: Readonly<Record<string, unknown>> | undefined): Record<string, Readonly<Record<string, string>>> => {
    const known = new Set(ids.map((i) => i.toLowerCase()));
    const still = new Set(Object.keys(before ?? {}).map((k) => k.toLowerCase()));
    return Object.fromEntries(Object.entries(now).filter(([id]) => !known.has(id.toLowerCase()) || still.has(id.toLowerCase())));
  };
  return {
    roles: keep(current.roles, previousIds.roles, previous?.roles),
    policies: keep(current.policies, previousIds.policies, previous?.policies),
    oidcProviders: keep(current.oidcProviders, previousIds.oidcProviders, previous?.oidcProviders),
  };
}

/** True when nothing is being adopted any more. */
export function isAdoptionEmpty(adopting: AdoptingResources): boolean {
  return Object.keys(adopting.roles).length + Object.keys(adopting.policies).length + Object.keys(adopting.oidcProviders).length === 0;
}

/** The union of two sets of import ids (a re-run keeps what an earlier run adopted). */
export function mergeImportIds(a: ImportIds, b: ImportIds): ImportIds {
  return {
    roles: sortStrings([...a.roles, ...b.roles]),
    rolePolicies: sortStrings([...a.rolePolicies, ...b.rolePolicies]),
    rolePolicyAttachments: sortStrings([...a.rolePolicyAttachments, ...b.rolePolicyAttachments]),
    policies: sortStrings([...a.policies, ...b.policies]),
    oidcProviders: sortStrings([...a.oidcProviders, ...b.oidcProviders]),
  };
}
