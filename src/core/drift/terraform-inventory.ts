/**
 * The desired inventory of an account, read from what its stack tells Terraform to create: the
 * `aws_iam_*` resources of the synthesized Terraform JSON (`cdk.tf.json`) and the provider's
 * `default_tags`. One reading for every consumer: `iamctl drift`/`remediate`, the drift module's S3
 * object (the Lambda and the Config rule) and the tests.
 */
import { ERROR_CODES, IamPlatformError, type Problem } from '../errors';
import { customerPolicyArn, DEFAULT_PARTITION, oidcProviderArn, roleArn } from '../iam';
import { PolicyDocument, type PolicyDocumentJson } from '../policy';
import { PLATFORM_PATH_PREFIX } from './desired';
import {
  DESIRED_INVENTORY_SCHEMA_VERSION,
  type DesiredInventory,
  type DesiredOidcProvider,
  type DesiredPolicy,
  type DesiredRole,
  type NamedDocument,
} from './inventory';

/** Kind of the roles that modules create (the drift handler, the Config recorder): not from accounts/. */
export const PLATFORM_ROLE_KIND = 'platform';

/**
 * Role session length the AWS provider sends when `max_session_duration` is not set.
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html
 */
export const DEFAULT_MAX_SESSION_DURATION_SECONDS = 3600;

/** The parts of a Terraform JSON configuration the reader uses (`cdk.tf.json`). */
export interface TerraformJson {
  readonly provider?: Readonly<Record<string, unknown>>;
  readonly resource?: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>>;
}

/** What the stack knows about the account that Terraform resources do not say. */
export interface DesiredStackMetadata {
  /** Account name (`app-prod`). */
  readonly account: string;
  readonly accountId: string;
  /** What the drift Lambda does. */
  readonly mode: 'alert' | 'remediate';
  /** Kind of each accounts/ role, by role name. @default - every role is of kind {@link PLATFORM_ROLE_KIND} */
  readonly roleKinds?: Readonly<Record<string, string>>;
  /** ARNs of roles remediation never changes (break-glass, pipeline roles, the deploy role). */
  readonly protectedRoleArns: readonly string[];
  /** ARNs of the roles the pipeline runs as. */
  readonly pipelineRoleArns: readonly string[];
  /** @default 'aws' */
  readonly partition?: string;
  /** @default [PLATFORM_PATH_PREFIX] */
  readonly platformPathPrefixes?: readonly string[];
}

type Attributes = Readonly<Record<string, unknown>>;

/**
 * Terraform's template escapes: `$${` is a literal `${`, `%%{` a literal `%{`. The reader undoes them
 * so the inventory holds what AWS will hold.
 * @see https://developer.hashicorp.com/terraform/language/expressions/strings#escape-sequences
 */
export function unescapeTerraformTemplate(text: string): string {
  return text.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
}

/** An interpolation (`${...}`) not escaped as `$${`. */
const INTERPOLATION = /(?<!\$)\$\{([^}]*)\}/g;

/**
 * A Terraform expression in an interpolation: a resource attribute (`aws_iam_policy.x.arn`) or a
 * `data.`, `var.`, `local.`, `module.` reference. Anything else (`aws:userid`, `app.terraform.io:sub`,
 * `*`) is an IAM policy variable a stack read before its template escape holds literally.
 */
const EXPRESSION = /^(?:(?:data|var|local|module)\.|[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+\.[a-z_][a-z0-9_]*$)/;

class StackReader {
  private readonly problems: Problem[] = [];
  private readonly resources: Readonly<Record<string, Readonly<Record<string, Attributes>>>>;
  private readonly partition: string;
  private readonly providerTags = new Map<string, Readonly<Record<string, string>>>();

  constructor(
    stack: TerraformJson,
    private readonly meta: DesiredStackMetadata,
    private readonly documents: ReadonlyMap<string, PolicyDocument> = new Map(),
  ) {
    this.resources = stack.resource ?? {};
    this.partition = meta.partition ?? DEFAULT_PARTITION;
    const aws = stack.provider?.aws;
    for (const block of Array.isArray(aws) ? aws : aws ? [aws] : []) {
      const b = block as Attributes;
      const key = typeof b.alias === 'string' ? `aws.${b.alias}` : 'aws';
      const defaults = Array.isArray(b.default_tags) ? (b.default_tags[0] as Attributes | undefined) : (b.default_tags as Attributes | undefined);
      this.providerTags.set(key, this.stringMap(defaults?.tags, `provider.${key}.default_tags.tags`));
    }
  }

  public fail(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  public check(): void {
    if (this.problems.length === 0) return;
    throw new IamPlatformError(
      ERROR_CODES.UNREADABLE_INPUT,
      `The stack of account ${this.meta.account} cannot be read as a desired inventory (${this.problems.length} problem(s)):\n${this.problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`,
      { problems: this.problems },
    );
  }

  public of(type: string): [string, Attributes][] {
    return Object.entries(this.resources[type] ?? {}).sort(([a], [b]) => a.localeCompare(b));
  }

  private attribute(type: string, id: string, name: string, address: string): string | undefined {
    const resource = this.resources[type]?.[id];
    if (!resource) {
      this.fail(address, `refers to ${type}.${id}, which is not a resource of the stack`);
      return undefined;
    }
    const at = `${type}.${id}`;
    if (type === 'aws_iam_policy' && name === 'arn') return customerPolicyArn(this.meta.accountId, this.literal(resource.name, `${at}.name`), this.path(resource.path, `${at}.path`), this.partition);
    if (type === 'aws_iam_policy' && name === 'name') return this.literal(resource.name, `${at}.name`);
    if (type === 'aws_iam_role' && (name === 'name' || name === 'id')) return this.literal(resource.name, `${at}.name`);
    if (type === 'aws_iam_role' && name === 'arn') return roleArn(this.meta.accountId, this.literal(resource.name, `${at}.name`), this.path(resource.path, `${at}.path`), this.partition);
    if (type === 'aws_iam_openid_connect_provider' && name === 'arn') return oidcProviderArn(this.meta.accountId, this.literal(resource.url, `${at}.url`), this.partition);
    this.fail(address, `refers to ${type}.${id}.${name}, which is known only after apply: IAM attributes must not depend on it`);
    return undefined;
  }

  /** A string attribute with every reference resolved and template escapes undone. */
  public literal(value: unknown, address: string): string {
    if (typeof value !== 'string') {
      this.fail(address, `is ${value === undefined ? 'missing' : `a ${typeof value}`}, expected a string`);
      return '';
    }
    const resolved = value.replace(INTERPOLATION, (whole, expression: string) => {
      if (!EXPRESSION.test(expression)) return whole;
      const parts = expression.split('.');
      if (parts.length !== 3 || ['data', 'var', 'local', 'module'].includes(parts[0])) {
        this.fail(address, `holds the Terraform expression ${whole}, which the desired inventory cannot resolve`);
        return whole;
      }
      return this.attribute(parts[0], parts[1], parts[2], address) ?? whole;
    });
    return unescapeTerraformTemplate(resolved);
  }

  public path(value: unknown, address: string): string {
    return value === undefined ? '/' : this.literal(value, address);
  }

  public document(value: unknown, address: string): PolicyDocumentJson {
    const text = this.literal(value, address);
    // A policy the stack's constructs emitted (their PolicyDocument's toString() is this very text): no re-parse.
    const known = this.documents.get(text);
    if (known) return known.toJSON();
    try {
      return PolicyDocument.fromJson(JSON.parse(text)).toJSON();
    } catch (error) {
      this.fail(address, `is not a valid policy document: ${(error as Error).message}`);
      return { Version: '2012-10-17', Statement: [] };
    }
  }

  public stringMap(value: unknown, address: string): Record<string, string> {
    if (value === undefined || value === null) return {};
    if (typeof value !== 'object' || Array.isArray(value)) {
      this.fail(address, 'is not a map of strings');
      return {};
    }
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [unescapeTerraformTemplate(k), this.literal(v, `${address}.${k}`)]));
  }

  public strings(value: unknown, address: string): string[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      this.fail(address, 'is not a list of strings');
      return [];
    }
    return value.map((v, i) => this.literal(v, `${address}[${i}]`));
  }

  /** `tags_all` as the AWS provider computes it: the provider's default tags, overridden by the resource's tags. */
  public tagsAll(resource: Attributes, address: string): Record<string, string> {
    const provider = typeof resource.provider === 'string' ? resource.provider : 'aws';
    const defaults = this.providerTags.get(provider);
    if (defaults === undefined) this.fail(`${address}.provider`, `names provider ${provider}, which the stack does not configure`);
    return { ...(defaults ?? {}), ...this.stringMap(resource.tags, `${address}.tags`) };
  }
}

/** Options of {@link readDesiredInventoryFromTerraform}. */
export interface ReadDesiredInventoryOptions {
  /**
   * Documents already built, by their minified text (`PolicyDocument.toString()`): a policy attribute whose text is
   * one of them is read from it instead of parsed again. The text must match exactly. @default - every policy is parsed
   */
  readonly documents?: ReadonlyMap<string, PolicyDocument>;
}

/**
 * Reads the desired inventory from a stack's Terraform JSON: every `aws_iam_role` (with its
 * `aws_iam_role_policy` and `aws_iam_role_policy_attachment` resources), `aws_iam_policy` and
 * `aws_iam_openid_connect_provider`, references within the stack resolved to names and ARNs, template
 * escapes undone and tags merged as `tags_all`. Throws an UNREADABLE_INPUT error listing every
 * attribute that cannot be known before apply.
 */
export function readDesiredInventoryFromTerraform(stack: TerraformJson, meta: DesiredStackMetadata, options: ReadDesiredInventoryOptions = {}): DesiredInventory {
  const reader = new StackReader(stack, meta, options.documents);
  const partition = meta.partition ?? DEFAULT_PARTITION;

  const inline = new Map<string, NamedDocument[]>();
  for (const [id, r] of reader.of('aws_iam_role_policy')) {
    const at = `aws_iam_role_policy.${id}`;
    const role = reader.literal(r.role, `${at}.role`);
    inline.set(role, [...(inline.get(role) ?? []), { name: reader.literal(r.name, `${at}.name`), document: reader.document(r.policy, `${at}.policy`) }]);
  }
  const attached = new Map<string, string[]>();
  for (const [id, r] of reader.of('aws_iam_role_policy_attachment')) {
    const at = `aws_iam_role_policy_attachment.${id}`;
    const role = reader.literal(r.role, `${at}.role`);
    attached.set(role, [...(attached.get(role) ?? []), reader.literal(r.policy_arn, `${at}.policy_arn`)]);
  }

  const roles: DesiredRole[] = reader.of('aws_iam_role').map(([id, r]) => {
    const at = `aws_iam_role.${id}`;
    const name = reader.literal(r.name, `${at}.name`);
    const path = reader.path(r.path, `${at}.path`);
    const boundaryArn = r.permissions_boundary === undefined ? undefined : reader.literal(r.permissions_boundary, `${at}.permissions_boundary`);
    const description = r.description === undefined ? undefined : reader.literal(r.description, `${at}.description`);
    return {
      name,
      path,
      arn: roleArn(meta.accountId, name, path, partition),
      kind: meta.roleKinds?.[name] ?? PLATFORM_ROLE_KIND,
      maxSessionDuration: typeof r.max_session_duration === 'number' ? r.max_session_duration : DEFAULT_MAX_SESSION_DURATION_SECONDS,
      trustPolicy: reader.document(r.assume_role_policy, `${at}.assume_role_policy`),
      inlinePolicies: (inline.get(name) ?? []).sort((a, b) => a.name.localeCompare(b.name)),
      managedPolicyArns: [...new Set(attached.get(name) ?? [])].sort(),
      ...(boundaryArn !== undefined ? { boundaryArn } : {}),
      ...(description !== undefined ? { description } : {}),
      tags: reader.tagsAll(r, at),
    };
  });
  const roleNames = new Set(roles.map((r) => r.name));
  for (const name of [...inline.keys(), ...attached.keys()]) {
    if (!roleNames.has(name)) reader.fail(`role ${name}`, 'has inline policies or attachments but is not an aws_iam_role of the stack');
  }

  const policies: DesiredPolicy[] = reader.of('aws_iam_policy').map(([id, r]) => {
    const at = `aws_iam_policy.${id}`;
    const name = reader.literal(r.name, `${at}.name`);
    const path = reader.path(r.path, `${at}.path`);
    return { name, path, arn: customerPolicyArn(meta.accountId, name, path, partition), document: reader.document(r.policy, `${at}.policy`), tags: reader.tagsAll(r, at) };
  });

  const oidcProviders: DesiredOidcProvider[] = reader.of('aws_iam_openid_connect_provider').map(([id, r]) => {
    const at = `aws_iam_openid_connect_provider.${id}`;
    const url = reader.literal(r.url, `${at}.url`);
    return {
      arn: oidcProviderArn(meta.accountId, url, partition),
      url,
      clientIds: reader.strings(r.client_id_list, `${at}.client_id_list`),
      thumbprints: reader.strings(r.thumbprint_list, `${at}.thumbprint_list`),
      tags: reader.tagsAll(r, at),
    };
  });
  reader.check();

  return {
    schemaVersion: DESIRED_INVENTORY_SCHEMA_VERSION,
    account: meta.account,
    accountId: meta.accountId,
    mode: meta.mode,
    roles: roles.sort((a, b) => a.name.localeCompare(b.name)),
    policies: policies.sort((a, b) => a.name.localeCompare(b.name)),
    oidcProviders,
    pipelineRoleArns: [...new Set(meta.pipelineRoleArns)],
    protectedRoleArns: [...new Set(meta.protectedRoleArns)],
    platformPathPrefixes: meta.platformPathPrefixes ?? [PLATFORM_PATH_PREFIX],
  };
}

/** The AWS provider blocks of a stack's Terraform JSON (one object or a list, as cdktf writes them). */
function awsProviderBlocks(stack: TerraformJson): Attributes[] {
  const aws = stack.provider?.aws;
  return (Array.isArray(aws) ? aws : aws ? [aws] : []) as Attributes[];
}

/**
 * The account ids a stack deploys into: the `allowed_account_ids` its AWS providers are pinned to (every
 * platform stack pins each provider to its one account). Empty when no provider is pinned.
 */
export function stackDeployAccountIds(stack: TerraformJson): string[] {
  const ids = new Set<string>();
  for (const block of awsProviderBlocks(stack)) {
    const allowed = block.allowed_account_ids;
    if (Array.isArray(allowed)) for (const id of allowed) ids.add(String(id));
  }
  return [...ids].sort();
}

/** One synthesized stack: its id (`iam-organization`) and Terraform JSON. */
export interface NamedTerraformStack {
  /** Stack id, for messages. */
  readonly id: string;
  readonly json: TerraformJson;
  /** See {@link ReadDesiredInventoryOptions.documents}. @default - every policy is parsed */
  readonly documents?: ReadonlyMap<string, PolicyDocument>;
}

/**
 * The desired inventory of one account from every stack that deploys into it: the account's own stack (`own`),
 * and those of `others` pinned to the account's id ({@link stackDeployAccountIds}): the organization stacks that
 * create IAM there (the trail's delivery role in the management account, the Config aggregator's role in the
 * security account). `own` counts even when its providers are not pinned; pinned to another account it is an
 * error. Of `others`, stacks pinned elsewhere or not pinned are left out, and a stack pinned to several accounts
 * is an error (its resources could not be told apart). The same role, policy or OIDC provider created by two
 * stacks is an error (compared as IAM compares names: case-insensitively).
 */
export function readAccountDesiredInventory(own: NamedTerraformStack, others: readonly NamedTerraformStack[], meta: DesiredStackMetadata): DesiredInventory {
  const problems: Problem[] = [];
  const parts: { id: string; inventory: DesiredInventory }[] = [];
  const read = (stack: NamedTerraformStack): void => {
    parts.push({ id: stack.id, inventory: readDesiredInventoryFromTerraform(stack.json, meta, stack.documents ? { documents: stack.documents } : {}) });
  };
  const ownIds = stackDeployAccountIds(own.json);
  if (ownIds.length > 0 && !(ownIds.length === 1 && ownIds[0] === meta.accountId)) {
    problems.push({ path: `${own.id}.provider.aws`, message: `is pinned to account(s) ${ownIds.join(', ')}, not to account ${meta.account} (${meta.accountId}): this is not the account's stack` });
  } else {
    read(own);
  }
  for (const stack of others) {
    if (stack.id === own.id) continue;
    const accountIds = stackDeployAccountIds(stack.json);
    if (accountIds.length > 1) {
      problems.push({ path: `${stack.id}.provider.aws`, message: `is pinned to accounts ${accountIds.join(', ')}; a stack must deploy into one account for its IAM to be told apart` });
    } else if (accountIds[0] === meta.accountId) {
      read(stack);
    }
  }
  const owners = new Map<string, string>();
  const claim = (kind: string, key: string, stackId: string): boolean => {
    const id = `${kind} ${key.toLowerCase()}`;
    const owner = owners.get(id);
    if (owner !== undefined) {
      problems.push({ path: `${stackId}: ${kind} ${key}`, message: `is also created by stack ${owner}; one IAM resource must have one owner` });
      return false;
    }
    owners.set(id, stackId);
    return true;
  };
  const roles: DesiredRole[] = [];
  const policies: DesiredPolicy[] = [];
  const oidcProviders: DesiredOidcProvider[] = [];
  for (const { id, inventory } of parts) {
    roles.push(...inventory.roles.filter((r) => claim('role', r.name, id)));
    policies.push(...inventory.policies.filter((p) => claim('policy', p.arn, id)));
    oidcProviders.push(...inventory.oidcProviders.filter((o) => claim('OIDC provider', o.arn, id)));
  }
  if (problems.length > 0) {
    throw new IamPlatformError(
      ERROR_CODES.UNREADABLE_INPUT,
      `The stacks of account ${meta.account} cannot be read as one desired inventory (${problems.length} problem(s)):\n${problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`,
      { problems },
    );
  }
  return {
    ...parts[0].inventory,
    roles: roles.sort((a, b) => a.name.localeCompare(b.name)),
    policies: policies.sort((a, b) => a.name.localeCompare(b.name)),
    oidcProviders,
  };
}
