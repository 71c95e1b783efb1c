/** Reads the live IAM inventory of an account: pages of GetAccountAuthorizationDetails, not a call per role. */
import {
  GetAccountAuthorizationDetailsCommand,
  type GetAccountAuthorizationDetailsCommandOutput,
  GetOpenIDConnectProviderCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  type IAMClient,
  ListAttachedRolePoliciesCommand,
  ListOpenIDConnectProvidersCommand,
  ListPolicyTagsCommand,
  ListPolicyVersionsCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  type ManagedPolicyDetail,
  type RoleDetail,
  type Tag,
} from '@aws-sdk/client-iam';
import type { LiveInventory, LiveOidcProvider, LivePolicy, LiveRole, NamedDocument } from '../../core/drift';
import { ERROR_CODES, IamPlatformError } from '../../core/errors';
import { decodePolicyText, type PolicyDocumentJson } from '../../core/policy';
import { callAws } from './errors';

/** Largest page IAM returns for GetAccountAuthorizationDetails and ListRoles (IAM API reference, MaxItems). */
export const IAM_MAX_PAGE_SIZE = 1000;

/** Options of {@link readLiveInventory}. */
export interface ReadLiveInventoryOptions {
  /** The account being read (for the inventory; the caller checks the credentials match). */
  readonly accountId: string;
  /** Items per page. @default IAM_MAX_PAGE_SIZE */
  readonly pageSize?: number;
  /** Read OIDC providers too (one call plus one per provider). @default true */
  readonly includeOidcProviders?: boolean;
}

/** Parses a policy document as IAM returns it (URL-encoded JSON). */
export function parseIamDocument(raw: string | undefined, where: string): PolicyDocumentJson {
  if (raw === undefined) throw new IamPlatformError(ERROR_CODES.AWS_API, `IAM returned no document for ${where}`, { source: 'internal' });
  try {
    return JSON.parse(decodePolicyText(raw)) as PolicyDocumentJson;
  } catch (error) {
    throw new IamPlatformError(ERROR_CODES.AWS_API, `IAM returned a document for ${where} that is not JSON: ${(error as Error).message}`, { source: 'internal' });
  }
}

function byName(a: NamedDocument, b: NamedDocument): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function tagsOf(tags: readonly Tag[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) if (t.Key !== undefined) out[t.Key] = t.Value ?? '';
  return out;
}

function roleFromDetail(detail: RoleDetail, listed: ListedRoles): LiveRole {
  const name = detail.RoleName ?? '';
  const inlinePolicies: NamedDocument[] = (detail.RolePolicyList ?? []).map((p) => ({
    name: p.PolicyName ?? '',
    document: parseIamDocument(p.PolicyDocument, `inline policy ${p.PolicyName} of role ${name}`),
  }));
  const session = listed.maxSession.get(name);
  const description = listed.description.get(name);
  return {
    ...(detail.RoleId ? { id: detail.RoleId } : {}),
    name,
    path: detail.Path ?? '/',
    arn: detail.Arn ?? '',
    trustPolicy: parseIamDocument(detail.AssumeRolePolicyDocument, `trust policy of role ${name}`),
    inlinePolicies: inlinePolicies.sort(byName),
    managedPolicyArns: (detail.AttachedManagedPolicies ?? []).map((p) => p.PolicyArn ?? '').filter((a) => a !== '').sort(),
    ...(detail.PermissionsBoundary?.PermissionsBoundaryArn ? { boundaryArn: detail.PermissionsBoundary.PermissionsBoundaryArn } : {}),
    ...(session !== undefined ? { maxSessionDuration: session } : {}),
    tags: tagsOf(detail.Tags),
    ...(description ? { description } : {}),
  };
}

function policyFromDetail(detail: ManagedPolicyDetail): LivePolicy {
  // The name is the ARN's last segment; some emulators leave PolicyName out of this call.
  const name = detail.PolicyName || (detail.Arn ?? '').split('/').pop() || '';
  return {
    ...(detail.PolicyId ? { id: detail.PolicyId } : {}),
    name,
    path: detail.Path ?? '/',
    arn: detail.Arn ?? '',
    defaultVersionId: detail.DefaultVersionId ?? '',
    ...(detail.Description ? { description: detail.Description } : {}),
    versions: (detail.PolicyVersionList ?? []).map((v) => ({
      versionId: v.VersionId ?? '',
      isDefault: v.IsDefaultVersion === true,
      document: parseIamDocument(v.Document, `version ${v.VersionId} of policy ${name}`),
      ...(v.CreateDate ? { createDate: new Date(v.CreateDate).toISOString() } : {}),
    })),
  };
}

/** What ListRoles adds to GetAccountAuthorizationDetails: session lengths and descriptions, by role name. */
interface ListedRoles {
  readonly maxSession: Map<string, number>;
  readonly description: Map<string, string>;
}

async function readListedRoles(iam: IAMClient, pageSize: number): Promise<ListedRoles> {
  const out: ListedRoles = { maxSession: new Map(), description: new Map() };
  let marker: string | undefined;
  do {
    const page = await callAws('IAM', 'ListRoles', () => iam.send(new ListRolesCommand({ MaxItems: pageSize, Marker: marker })));
    for (const role of page.Roles ?? []) {
      if (role.RoleName && role.MaxSessionDuration !== undefined) out.maxSession.set(role.RoleName, role.MaxSessionDuration);
      if (role.RoleName && role.Description) out.description.set(role.RoleName, role.Description);
    }
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return out;
}

async function readOidcProviders(iam: IAMClient): Promise<LiveOidcProvider[]> {
  const list = await callAws('IAM', 'ListOpenIDConnectProviders', () => iam.send(new ListOpenIDConnectProvidersCommand({})));
  const out: LiveOidcProvider[] = [];
  for (const entry of list.OpenIDConnectProviderList ?? []) {
    const arn = entry.Arn;
    if (!arn) continue;
    const p = await callAws('IAM', 'GetOpenIDConnectProvider', () => iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn })));
    out.push({ arn, url: p.Url ?? '', clientIds: p.ClientIDList ?? [], thumbprints: p.ThumbprintList ?? [], tags: tagsOf(p.Tags) });
  }
  return out;
}

/**
 * Reads every role (with trust, inline and attached policies, boundary, tags) and every customer managed
 * policy (with all stored versions) through GetAccountAuthorizationDetails pages; session lengths come
 * from ListRoles pages, OIDC providers from their own calls. Calls grow with pages, not with roles.
 */
export async function readLiveInventory(iam: IAMClient, options: ReadLiveInventoryOptions): Promise<LiveInventory> {
  const pageSize = options.pageSize ?? IAM_MAX_PAGE_SIZE;
  const roleDetails: RoleDetail[] = [];
  const policyDetails: ManagedPolicyDetail[] = [];
  let marker: string | undefined;
  do {
    const page: GetAccountAuthorizationDetailsCommandOutput = await callAws('IAM', 'GetAccountAuthorizationDetails', () =>
      iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Role', 'LocalManagedPolicy'], MaxItems: pageSize, Marker: marker })),
    );
    roleDetails.push(...(page.RoleDetailList ?? []));
    policyDetails.push(...(page.Policies ?? []));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);

  const listed = await readListedRoles(iam, pageSize);
  const oidcProviders = options.includeOidcProviders === false ? [] : await readOidcProviders(iam);
  return {
    accountId: options.accountId,
    roles: roleDetails.map((d) => roleFromDetail(d, listed)),
    policies: policyDetails.filter((p) => !/^arn:[^:]+:iam::aws:policy\//.test(p.Arn ?? '')).map(policyFromDetail),
    oidcProviders,
    readAt: new Date().toISOString(),
  };
}

function isNoSuchEntity(error: unknown): boolean {
  const cause = (error as { cause?: { name?: string } }).cause;
  return cause?.name === 'NoSuchEntity' || cause?.name === 'NoSuchEntityException';
}

/** Reads one role the way GetAccountAuthorizationDetails would report it; undefined when it does not exist. */
export async function readLiveRole(iam: IAMClient, roleName: string): Promise<LiveRole | undefined> {
  let role;
  try {
    role = (await callAws('IAM', 'GetRole', () => iam.send(new GetRoleCommand({ RoleName: roleName })))).Role;
  } catch (error) {
    if (isNoSuchEntity(error)) return undefined;
    throw error;
  }
  if (!role) return undefined;
  const names: string[] = [];
  let marker: string | undefined;
  do {
    const page = await callAws('IAM', 'ListRolePolicies', () => iam.send(new ListRolePoliciesCommand({ RoleName: roleName, Marker: marker })));
    names.push(...(page.PolicyNames ?? []));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  const inlinePolicies: NamedDocument[] = [];
  for (const name of names) {
    const p = await callAws('IAM', 'GetRolePolicy', () => iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: name })));
    inlinePolicies.push({ name, document: parseIamDocument(p.PolicyDocument, `inline policy ${name} of role ${roleName}`) });
  }
  const attached: string[] = [];
  do {
    const page = await callAws('IAM', 'ListAttachedRolePolicies', () => iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName, Marker: marker })));
    attached.push(...(page.AttachedPolicies ?? []).map((p) => p.PolicyArn ?? '').filter((a) => a !== ''));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return {
    ...(role.RoleId ? { id: role.RoleId } : {}),
    name: roleName,
    path: role.Path ?? '/',
    arn: role.Arn ?? '',
    trustPolicy: parseIamDocument(role.AssumeRolePolicyDocument, `trust policy of role ${roleName}`),
    inlinePolicies: inlinePolicies.sort(byName),
    managedPolicyArns: attached.sort(),
    ...(role.PermissionsBoundary?.PermissionsBoundaryArn ? { boundaryArn: role.PermissionsBoundary.PermissionsBoundaryArn } : {}),
    ...(role.MaxSessionDuration !== undefined ? { maxSessionDuration: role.MaxSessionDuration } : {}),
    tags: tagsOf(role.Tags),
  };
}

/** Reads one customer managed policy with all its versions; undefined when it does not exist. */
export async function readLivePolicy(iam: IAMClient, policyArn: string): Promise<LivePolicy | undefined> {
  let policy;
  try {
    policy = (await callAws('IAM', 'GetPolicy', () => iam.send(new GetPolicyCommand({ PolicyArn: policyArn })))).Policy;
  } catch (error) {
    if (isNoSuchEntity(error)) return undefined;
    throw error;
  }
  if (!policy) return undefined;
  const versions = (await callAws('IAM', 'ListPolicyVersions', () => iam.send(new ListPolicyVersionsCommand({ PolicyArn: policyArn })))).Versions ?? [];
  const out: LivePolicy['versions'][number][] = [];
  for (const v of versions) {
    const versionId = v.VersionId ?? '';
    const full = await callAws('IAM', 'GetPolicyVersion', () => iam.send(new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: versionId })));
    out.push({
      versionId,
      isDefault: v.IsDefaultVersion === true,
      document: parseIamDocument(full.PolicyVersion?.Document, `version ${versionId} of policy ${policy.PolicyName}`),
      ...(v.CreateDate ? { createDate: new Date(v.CreateDate).toISOString() } : {}),
    });
  }
  return { ...(policy.PolicyId ? { id: policy.PolicyId } : {}), name: policy.PolicyName ?? '', path: policy.Path ?? '/', arn: policyArn, defaultVersionId: policy.DefaultVersionId ?? '', versions: out };
}

/** The tags of one customer managed policy (GetAccountAuthorizationDetails leaves them out), every page. */
export async function readPolicyTags(iam: IAMClient, policyArn: string): Promise<Record<string, string>> {
  const tags: Tag[] = [];
  let marker: string | undefined;
  do {
    const page = await callAws('IAM', 'ListPolicyTags', () => iam.send(new ListPolicyTagsCommand({ PolicyArn: policyArn, Marker: marker })));
    tags.push(...(page.Tags ?? []));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return tagsOf(tags);
}
