import { Annotations, type TerraformProvider, type TerraformStack } from 'cdktf';
import { PlatformStack } from './platform-stack';
import type { Construct } from 'constructs';
import { awsManagedPolicyArn, buildTrustPolicy, oidcHost, roleArn } from '../src/core/iam';
import type { ResolvedAccount, ResolvedRole } from '../src/core/model';
import {
  BREAK_GLASS_TAG,
  ManagedPolicy,
  OidcProvider,
  PermissionBoundary,
  Role,
  type RoleInlinePolicy,
  type RoleManagedPolicyAttachment,
} from '../modules';
import { joinSourcePath, reportGuardrailError, type SourcePositionFinder } from '../modules/guardrails';
import type { ResolvedPolicyRecord } from '../src/core/model';
import type { ActionCatalog } from '../src/core/catalog';
import { applyGuardrails } from './guardrails';
import { addAccountProvider, addStackBackend } from './stack-backend';
import { ADOPTING_PROVIDER_ALIAS, addImportBlocks, applyAdoption, buildImportBlocks } from './account-imports';
import { DriftDetection, IAM_EVENTS_REGION } from '../modules/drift-detection';
import { MetricsLink } from '../modules/iam-dashboard';
import { LambdaNetwork } from '../modules/lambda-network';
import { ServiceCredential } from '../modules/service-credential';
import { PolicyRegistry } from '../modules/policy-registry';
import { type DesiredInventory, type DesiredStackMetadata, isSameIamArn, PROTECTED_ROLE_KINDS } from '../src/core/drift';
import { buildStackDesiredInventory } from '../modules/drift-detection/desired-from-stack';
import { buildBootstrapImports } from './bootstrap-imports';

/** Value of the `managed-by` default tag. */
export const MANAGED_BY = 'iam-platform';
/** Guardrail id for a reference to a policy that does not exist in the account. */
export const POLICY_REFERENCE_RULE = 'policy-reference';

/** Props of {@link AccountStack}. */
export interface AccountStackProps {
  /** Apply the account guardrails (stacks/guardrails.ts). @default true */
  readonly guardrails?: boolean;
  /** Region when the account lists none. @default 'us-east-1' */
  readonly defaultRegion?: string;
  /** Account ids of the whole organization, for guardrails. @default - this account only */
  readonly organizationAccountIds?: readonly string[];
  /** IAM action catalog for guardrails that need it (policy lint). @default - none: those guardrails are skipped */
  readonly catalog?: ActionCatalog;
  /**
   * Whether the provider assumes the account's deploy role. The bootstrap stack sets false: the administrator's
   * own credentials apply it. @default - true, unless the account uses Terraform Cloud dynamic credentials
   */
  readonly assumeRole?: boolean;
  /** The policy record table (org.yaml `policyRecord:`): created in this stack when it names this account. @default - no record table */
  readonly policyRecord?: ResolvedPolicyRecord;
  /**
   * The other stacks that deploy into this account (the organization stack into the management account, the
   * security baseline into the security account), asked at synth: their IAM resources are part of the account's
   * desired inventory (the drift module's object, {@link AccountStack.desiredInventory}).
   * @default - none: the desired inventory is this stack's IAM alone
   */
  readonly colocatedStacks?: () => readonly TerraformStack[];
  /** Where a path is in its accounts/ file, so guardrail findings carry the element's line and column. @default - the document's start line */
  readonly locate?: SourcePositionFinder;
  /**
   * Create the account's deploy role (the role whose ARN is `deployRoleArn`) when the account defines it. Only the
   * bootstrap stack does: the account stack runs as that role (or beside it) and cannot create it. @default false
   */
  readonly createsDeployRole?: boolean;
  /**
   * ARN of the IAM dashboard's metrics sink in the security account (org.yaml `securityBaseline.metricsSinkArn`):
   * with drift detection on, the stack links the account's IamPlatform metrics to it (modules/iam-dashboard MetricsLink).
   * @default - no link
   */
  readonly metricsSinkArn?: string;
}

/** The default tags of every resource in the account's stack. */
export function accountDefaultTags(account: ResolvedAccount): Record<string, string> {
  return { ...account.tags, 'managed-by': MANAGED_BY, account: account.name, owner: account.owner, 'source-file': account.source.file };
}

/**
 * What drift needs to know of an account beyond the stack's resources: role kinds, and by ARN the roles
 * remediation never changes (break-glass and pipeline roles, the deploy role, which is created at
 * bootstrap outside the stack) and the roles the pipeline runs as.
 */
export function desiredStackMetadata(account: ResolvedAccount): DesiredStackMetadata {
  const arnOf = (role: ResolvedRole): string => roleArn(account.id, role.name, role.path);
  const pipelineRoles = account.roles.filter((r) => r.kind === 'pipeline').map(arnOf);
  const protectedRoles = account.roles.filter((r) => PROTECTED_ROLE_KINDS.includes(r.kind)).map(arnOf);
  return {
    account: account.name,
    accountId: account.id,
    mode: account.drift.mode,
    roleKinds: Object.fromEntries(account.roles.map((r) => [r.name, r.kind])),
    protectedRoleArns: [...new Set([account.deployRoleArn, ...protectedRoles])],
    pipelineRoleArns: [...new Set([account.deployRoleArn, ...pipelineRoles])],
  };
}

/** True for the account's deploy role (by ARN, as IAM compares it): created by the bootstrap stack only. */
export function isDeployRole(account: ResolvedAccount, role: ResolvedRole): boolean {
  return isSameIamArn(roleArn(account.id, role.name, role.path), account.deployRoleArn);
}

/** Logical ids from names (stable across reorders); a duplicate name gets a suffix so the name guardrail reports it. */
class IdAllocator {
  private readonly used = new Set<string>();
  public allocate(prefix: string, name: string): string {
    let id = `${prefix}-${name}`;
    for (let n = 2; this.used.has(id); n += 1) id = `${prefix}-${name}-${n}`;
    this.used.add(id);
    return id;
  }
}

/**
 * One Terraform stack per account (id `iam-<account>`): the AWS provider assuming the account's deploy
 * role, the backend, the permission boundary, customer managed policies, OIDC providers and roles.
 */
export class AccountStack extends PlatformStack {
  /** The account this stack deploys. */
  public readonly account: ResolvedAccount;
  /** Default tags of the provider. */
  public readonly defaultTags: Readonly<Record<string, string>>;
  /** The account's permission boundary. @default - none */
  public readonly boundary?: PermissionBoundary;
  /** Customer managed policies, by name. */
  public readonly policies: ReadonlyMap<string, ManagedPolicy>;
  /** OIDC providers, by host (`gitlab.com`). */
  public readonly oidcProviders: ReadonlyMap<string, OidcProvider>;
  /** Roles, by name. */
  public readonly roles: ReadonlyMap<string, Role>;
  /** Private networks of the platform Lambdas, by region (org.yaml `network:`). */
  private readonly lambdaNetworks = new Map<string, LambdaNetwork>();
  /** Role the provider assumes. @default - none: the run's own credentials */
  private readonly providerRoleArn?: string;
  /** See {@link AccountStackProps.colocatedStacks}. */
  private readonly colocatedStacks: () => readonly TerraformStack[];
  /** See {@link AccountStackProps.metricsSinkArn}. */
  private readonly metricsSinkArn?: string;

  constructor(scope: Construct, account: ResolvedAccount, props: AccountStackProps = {}) {
    super(scope, account.stackName);
    this.account = account;
    this.defaultTags = accountDefaultTags(account);
    const providerRoleArn = props.assumeRole === false || account.dynamicCredentials ? undefined : account.deployRoleArn;
    this.providerRoleArn = providerRoleArn;
    this.colocatedStacks = props.colocatedStacks ?? (() => []);
    this.metricsSinkArn = props.metricsSinkArn;
    addAccountProvider(this, { accountId: account.id, roleArn: providerRoleArn, region: account.regions[0] ?? props.defaultRegion ?? 'us-east-1', defaultTags: this.defaultTags });
    addStackBackend(this, account.backend, account.name);
    const ids = new IdAllocator();

    if (account.permissionBoundary) {
      const b = account.permissionBoundary;
      this.boundary = new PermissionBoundary(this, 'boundary', { name: b.name, path: b.path, description: b.description, document: b.document, source: b.source, suppressions: b.lint });
    }

    const policies = new Map<string, ManagedPolicy>();
    for (const policy of account.policies) {
      const construct = new ManagedPolicy(this, ids.allocate('policy', policy.name), {
        name: policy.name,
        path: policy.path,
        description: policy.description,
        document: policy.document,
        source: policy.source,
        tags: policy.tags,
        suppressions: policy.lint,
      });
      if (!policies.has(policy.name)) policies.set(policy.name, construct);
    }
    this.policies = policies;

    const providers = new Map<string, OidcProvider>();
    for (const provider of account.oidcProviders) {
      const host = oidcHost(provider.url);
      if (providers.has(host)) continue;
      providers.set(
        host,
        new OidcProvider(this, ids.allocate('oidc', host), {
          url: provider.url,
          clientIds: provider.clientIds,
          thumbprints: provider.thumbprints,
          issuer: provider.provider,
          accountId: account.id,
          source: account.source,
        }),
      );
    }
    this.oidcProviders = providers;

    const roles = new Map<string, Role>();
    for (const role of account.roles) {
      if (!props.createsDeployRole && isDeployRole(account, role)) continue;
      const construct = this.addRole(role, ids);
      if (!roles.has(role.name)) roles.set(role.name, construct);
    }
    this.roles = roles;

    // Import blocks, written once: with dynamic credentials the stack cannot run before the bootstrap stack
    // created its plan and apply roles, so its first plan adopts the bootstrap resources (stacks/bootstrap-stack.ts)
    // instead of creating them; imports.yaml (iamctl import) adopts existing IAM the same way.
    const importBlocks = account.dynamicCredentials ? buildBootstrapImports(this) : [];
    if (account.imports) {
      const boundary = this.boundary && account.permissionBoundary ? { resource: this.boundary.policy.resource, name: account.permissionBoundary.name, path: account.permissionBoundary.path } : undefined;
      const importable = { account, roles, policies, oidcProviders: providers, ...(boundary ? { boundary } : {}) };
      importBlocks.push(...buildImportBlocks(account.imports, importable));
      // Resources still being adopted keep their live tags, on a provider without the platform's default tags.
      let adoptingProvider: TerraformProvider | undefined;
      const region = account.regions[0] ?? props.defaultRegion ?? 'us-east-1';
      applyAdoption(account.imports, importable, () => {
        adoptingProvider ??= addAccountProvider(this, { accountId: account.id, roleArn: providerRoleArn, region, defaultTags: {}, alias: ADOPTING_PROVIDER_ALIAS });
        return adoptingProvider;
      });
    }
    addImportBlocks(this, importBlocks);

    if (account.drift.enabled) this.addDriftDetection(props.defaultRegion ?? IAM_EVENTS_REGION);
    this.addServiceCredentials(account.regions[0] ?? props.defaultRegion ?? IAM_EVENTS_REGION);
    // The record of policy versions and approvals, in the account org.yaml `policyRecord:` names (the security account).
    const record = props.policyRecord;
    if (record && record.account === account.name) {
      new PolicyRegistry(this, 'policy-registry', { accountId: account.id, region: record.region, tableName: record.tableName });
    }

    if (props.guardrails ?? true) {
      applyGuardrails(this, { account, defaultTags: this.defaultTags, organizationAccountIds: props.organizationAccountIds ?? [account.id], catalog: props.catalog, locate: props.locate });
    }
  }

  /**
   * The desired IAM inventory of the account, read from this stack's IAM resources and those of the
   * colocated stacks (call after every construct is added; the drift module's S3 object holds the same, read at synth).
   */
  public desiredInventory(): DesiredInventory {
    return buildStackDesiredInventory(this, desiredStackMetadata(this.account), this.colocatedStacks());
  }

  /**
   * AWS Config rules, EventBridge rules and the drift Lambda. IAM's CloudTrail events reach EventBridge
   * only in us-east-1, so the module lives there, through a second provider when the primary region differs.
   */
  private addDriftDetection(defaultRegion: string): void {
    const account = this.account;
    const primary = account.regions[0] ?? defaultRegion;
    const provider =
      primary === IAM_EVENTS_REGION
        ? undefined
        : addAccountProvider(this, { accountId: account.id, roleArn: this.providerRoleArn, region: IAM_EVENTS_REGION, defaultTags: this.defaultTags, alias: 'iam-events' });
    const network = this.lambdaNetworkIn(IAM_EVENTS_REGION, provider);
    // The drift metrics, shared to the dashboard's sink in the security account (same region as the Lambda).
    if (this.metricsSinkArn) new MetricsLink(this, 'drift-metrics-link', { sinkArn: this.metricsSinkArn, region: IAM_EVENTS_REGION, ...(provider ? { provider } : {}) });
    new DriftDetection(this, 'drift-detection', {
      metadata: desiredStackMetadata(account),
      colocatedStacks: () => this.colocatedStacks(),
      region: IAM_EVENTS_REGION,
      permissionsBoundaryArn: this.boundary?.arn,
      ...(provider ? { provider } : {}),
      ...(network ? { network } : {}),
    });
  }

  /**
   * The private network of the platform Lambdas in `region` (org.yaml `network:`), one per region and
   * provider, created on first use; undefined when the option is off.
   */
  private lambdaNetworkIn(region: string, provider: TerraformProvider | undefined): LambdaNetwork | undefined {
    const vpc = this.account.network?.vpc;
    if (!vpc) return undefined;
    const existing = this.lambdaNetworks.get(region);
    if (existing) return existing;
    const network = new LambdaNetwork(this, `lambda-network-${region}`, {
      namePrefix: 'iam-platform-lambdas',
      cidr: vpc.cidr,
      availabilityZones: vpc.availabilityZones,
      region,
      accountId: this.account.id,
      source: vpc.source,
      ...(this.boundary ? { permissionsBoundaryArn: this.boundary.arn } : {}),
      ...(provider ? { provider } : {}),
    });
    this.lambdaNetworks.set(region, network);
    return network;
  }

  /** account.yaml `serviceCredentials:`: a rotated secret per IAM user, in the primary region. */
  private addServiceCredentials(primaryRegion: string): void {
    for (const credential of this.account.serviceCredentials ?? []) {
      const network = this.lambdaNetworkIn(primaryRegion, undefined);
      new ServiceCredential(this, `service-credential-${credential.userName.toLowerCase()}`, {
        userName: credential.userName,
        userPath: credential.userPath,
        accountId: this.account.id,
        region: primaryRegion,
        source: credential.source,
        rotationDays: credential.rotationDays,
        graceHours: credential.graceHours,
        ...(network ? { network } : {}),
      });
    }
  }

  private resolveBoundary(role: ResolvedRole): { arn?: string; optOut?: string } {
    switch (role.boundary.kind) {
      case 'none':
        return { optOut: role.boundary.reason };
      case 'default':
        return { arn: this.boundary?.arn };
      case 'named': {
        const name = role.boundary.name;
        if (this.boundary && this.boundary.boundaryName === name) return { arn: this.boundary.arn };
        const policy = this.policies.get(name);
        if (policy) return { arn: policy.arn };
        reportGuardrailError(
          this,
          POLICY_REFERENCE_RULE,
          role.source,
          `role "${role.name}" names permission boundary "${name}", which is not a policy of account ${this.account.name}: add it to the account's policies or use the default boundary`,
          joinSourcePath(role.source.path, '$.boundary'),
        );
        return {};
      }
    }
  }

  private resolveManagedPolicies(role: ResolvedRole): RoleManagedPolicyAttachment[] {
    const out: RoleManagedPolicyAttachment[] = [];
    for (const ref of role.managedPolicies) {
      if (ref.kind === 'aws') {
        out.push({ name: `aws-${ref.name.replace(/\//g, '-')}`, arn: awsManagedPolicyArn(ref.name) });
        continue;
      }
      const policy = this.policies.get(ref.name);
      if (policy) {
        out.push({ name: ref.name, arn: policy.arn });
      } else if (!this.account.policies.some((p) => p.name === ref.name)) {
        reportGuardrailError(
          this,
          POLICY_REFERENCE_RULE,
          ref.source,
          `role "${role.name}" attaches policy "${ref.name}", which is not a policy of account ${this.account.name} nor of the policy library`,
        );
      }
    }
    return out;
  }

  private addRole(role: ResolvedRole, ids: IdAllocator): Role {
    const inline: RoleInlinePolicy[] = role.inlinePolicies.map((policy) => ({ name: policy.name, document: policy.document, source: policy.source }));
    const boundary = this.resolveBoundary(role);
    const dependsOn: OidcProvider['resource'][] = [];
    for (const oidc of role.trust.oidc) {
      const provider = this.oidcProviders.get(oidcHost(oidc.url));
      if (provider) dependsOn.push(provider.resource);
      else {
        Annotations.of(this).addWarning(
          `${oidc.source.file} ${oidc.source.path}: role "${role.name}" trusts ${oidc.url}, which is not an OIDC provider of account ${this.account.name}; the provider must exist before apply`,
        );
      }
    }
    const tags: Record<string, string> = { owner: role.owner, ...role.tags };
    if (role.kind === 'break-glass') tags[BREAK_GLASS_TAG] = 'true';
    return new Role(this, ids.allocate('role', role.name), {
      name: role.name,
      accountId: this.account.id,
      description: role.description,
      path: role.path,
      maxSessionDuration: role.maxSessionDuration,
      trust: role.trust,
      assumeRolePolicy: buildTrustPolicy(role.trust, { accountId: this.account.id }),
      inlinePolicies: inline,
      managedPolicies: this.resolveManagedPolicies(role),
      permissionsBoundaryArn: boundary.arn,
      boundaryOptOutReason: boundary.optOut,
      tags,
      suppressions: role.lint,
      source: role.source,
      dependsOn: dependsOn.length > 0 ? dependsOn : undefined,
    });
  }
}
