/**
 * The resolved organization model: what the accounts/ loader (src/config) produces after merging
 * org → OU → account and applying role templates. Stacks, the linter, drift detection and the
 * analyzer read only this model, never the YAML files.
 *
 * Every value here is final: defaults are filled in and inheritance is applied.
 * `source` fields say which file (and path inside it) a value came from, for error messages.
 */
import type { PolicyDocument } from '../policy';

/** Deployment environment of an account; drives pipeline stages and role templates. */
export type Environment = 'nonprod' | 'staging' | 'prod';

/** Where a value came from. */
export interface SourceRef {
  /** Path of the YAML file, relative to the repository root (`accounts/workloads/app-prod/roles/app.yaml`). */
  readonly file: string;
  /** 1-based line of the value in that file, when known. */
  readonly line?: number;
  /** Path inside the file (`$.trust.accounts[0]`). */
  readonly path: string;
}

/** A lint suppression written next to a policy: `lint: { ignore: [{ rule, reason }] }`. */
export interface LintSuppression {
  /** Rule id (`service-wildcard`). */
  readonly rule: string;
  /** Why the finding is accepted. Required. */
  readonly reason: string;
}

/** Terraform backend of the per-account stacks. */
/** Role names of Terraform Cloud dynamic credentials: one read-only role per plan phase, the deployer per apply phase. */
export interface TfcDynamicCredentialRoles {
  /** Read-only role trusted only for `run_phase:plan` (speculative and gated plans). */
  readonly planRole: string;
  /** Deployer role trusted only for `run_phase:apply` of the account's own workspace. */
  readonly applyRole: string;
}

export type BackendConfig =
  | { readonly type: 'local' }
  | {
      readonly type: 'cloud';
      /** Terraform Cloud organization. */
      readonly organization: string;
      /** @default 'app.terraform.io' */
      readonly hostname: string;
      /** Terraform Cloud project. @default - the organization's default project */
      readonly project?: string;
      /** Workspace name prefix; the workspace is `<prefix><account name>`. @default 'iam-' */
      readonly workspacePrefix: string;
      /**
       * Dynamic provider credentials: role names, in every account, that the workspace's plan and apply
       * phases assume (`TFC_AWS_PLAN_ROLE_ARN`, `TFC_AWS_APPLY_ROLE_ARN`). The account stacks' provider then
       * uses the run's credentials and assumes no further role.
       * @default - none: the provider assumes the account's deploy role
       */
      readonly dynamicCredentials?: TfcDynamicCredentialRoles;
    }
  | {
      readonly type: 's3';
      readonly bucket: string;
      /** State key prefix; the key is `<prefix>/<account name>/terraform.tfstate`. */
      readonly keyPrefix: string;
      readonly region: string;
      /** @default - S3 native locking (use_lockfile) */
      readonly dynamodbTable?: string;
    };

/** A customer managed policy, from an account's `policies/` folder or the org-wide library. */
export interface ResolvedManagedPolicy {
  /** Policy name, unique in the account. */
  readonly name: string;
  /** @default - none */
  readonly description?: string;
  /** IAM path. @default '/' */
  readonly path: string;
  /** The document, validated once by the loader (placeholders filled in). */
  readonly document: PolicyDocument;
  readonly tags: Readonly<Record<string, string>>;
  readonly lint: readonly LintSuppression[];
  /** `account` for accounts/<ou>/<account>/policies, `library` for accounts/policies (org-wide). */
  readonly origin: 'account' | 'library';
  readonly source: SourceRef;
}

/** The permission boundary policy created in each account and attached to its roles. */
export interface ResolvedPermissionBoundary {
  /** Managed policy name (`iam-platform-boundary`). */
  readonly name: string;
  readonly description?: string;
  readonly path: string;
  /** The document, validated once by the loader (placeholders filled in). */
  readonly document: PolicyDocument;
  readonly lint: readonly LintSuppression[];
  readonly source: SourceRef;
}

/** A reference to a managed policy attached to a role. */
export type ManagedPolicyRef =
  /** A policy defined in this account's `policies/` or in the org-wide library (created in the account). */
  | { readonly kind: 'customer'; readonly name: string; readonly source: SourceRef }
  /** An AWS managed policy, by name (`ReadOnlyAccess`, `job-function/ViewOnlyAccess`). */
  | { readonly kind: 'aws'; readonly name: string; readonly source: SourceRef };

/** Humans or workloads in other AWS accounts (or this one) who may assume the role. */
export interface AccountTrust {
  /** Account ids (12 digits) or role/user ARNs; account names written in YAML are resolved to ids by the loader. */
  readonly principals: readonly string[];
  /** Whether the trust lets people in (MFA applies) or machines (MFA cannot apply). @default 'human' */
  readonly kind: 'human' | 'workload' | 'third-party';
  /** Require `aws:MultiFactorAuthPresent`. @default true for human, false otherwise */
  readonly requireMfa: boolean;
  /** Largest `aws:MultiFactorAuthAge` in seconds. @default 3600 when MFA is required */
  readonly mfaMaxAgeSeconds?: number;
  /** `sts:ExternalId`, required for third parties. @default - none */
  readonly externalId?: string;
  /** Temporary trust: ends at the start of this UTC day (`YYYY-MM-DD`). @default - never expires */
  readonly expires?: string;
  /** Statement id of the trust statement; `''` writes none (an imported trust as IAM holds it). @default `AccountTrust<index>` */
  readonly sid?: string;
  readonly source: SourceRef;
}

/** OIDC federation: GitLab CI, Terraform Cloud, or another issuer. */
export interface OidcTrust {
  readonly provider: 'gitlab' | 'terraform-cloud' | 'custom';
  /** Issuer URL without scheme or with (`gitlab.com`, `https://app.terraform.io`). */
  readonly url: string;
  /** Allowed `aud` values. */
  readonly audiences: readonly string[];
  /** Allowed `sub` values (StringLike patterns, e.g. `project_path:group/project:ref_type:branch:ref:main`). */
  readonly subjects: readonly string[];
  /** Statement id of the trust statement; `''` writes none. @default `OidcTrust<index>` */
  readonly sid?: string;
  readonly source: SourceRef;
}

/** SAML federation. */
export interface SamlTrust {
  /** SAML provider ARN or name in the account. */
  readonly provider: string;
  /** Statement id of the trust statement; `''` writes none. @default `SamlTrust<index>` */
  readonly sid?: string;
  readonly source: SourceRef;
}

/** Who may assume a role. At least one kind is present. */
export interface TrustConfig {
  readonly accounts: readonly AccountTrust[];
  /** AWS service principals (`lambda.amazonaws.com`). */
  readonly services: readonly string[];
  /** Statement id of the one statement for all services; `''` writes none. @default 'ServiceTrust' */
  readonly serviceSid?: string;
  readonly oidc: readonly OidcTrust[];
  readonly saml: readonly SamlTrust[];
}

/** Permission boundary of a role: the org/OU default, a named policy, or an explicit opt-out. */
export type RoleBoundary =
  | { readonly kind: 'default'; readonly name: string }
  | { readonly kind: 'named'; readonly name: string }
  | { readonly kind: 'none'; readonly reason: string };

/** A statement of an inline policy written with `expires` (the key is removed from the document IAM gets). */
export interface StatementExpiry {
  /** Index of the statement in the document's Statement list (0 when Statement is one object). */
  readonly index: number;
  /** `YYYY-MM-DD` (UTC): the statement ends at the start of that day. */
  readonly expires: string;
  readonly source: SourceRef;
}

/** An inline policy of a role. */
export interface InlinePolicy {
  readonly name: string;
  /** The document, validated once by the loader (placeholders filled in). */
  readonly document: PolicyDocument;
  /** Statements with an expiry date. @default - none */
  readonly statementExpiries?: readonly StatementExpiry[];
  readonly source: SourceRef;
}

/** What kind of role, for guardrails, drift scope and remediation (break-glass is never touched). */
export type RoleKind = 'standard' | 'break-glass' | 'pipeline' | 'service' | 'audit';

export interface ResolvedRole {
  /** Role name, unique in the account. */
  readonly name: string;
  readonly description: string;
  /** Team or person accountable for the role. Required. */
  readonly owner: string;
  readonly kind: RoleKind;
  /** IAM path. @default '/' */
  readonly path: string;
  /** Seconds. @default 3600 */
  readonly maxSessionDuration: number;
  readonly trust: TrustConfig;
  readonly managedPolicies: readonly ManagedPolicyRef[];
  readonly inlinePolicies: readonly InlinePolicy[];
  readonly boundary: RoleBoundary;
  readonly tags: Readonly<Record<string, string>>;
  readonly lint: readonly LintSuppression[];
  /** Name of the org/OU role template this role came from. @default - defined in the account */
  readonly template?: string;
  /** Temporary role: ends at the start of this UTC day (`YYYY-MM-DD`). @default - never expires */
  readonly expires?: string;
  readonly source: SourceRef;
}

/** An IAM OIDC identity provider created in the account. */
export interface ResolvedOidcProvider {
  readonly provider: 'gitlab' | 'terraform-cloud' | 'custom';
  /** `https://gitlab.com`. */
  readonly url: string;
  readonly clientIds: readonly string[];
  /** @default - none (AWS no longer requires thumbprints for well-known issuers) */
  readonly thumbprints: readonly string[];
}

/** How drift is handled in the account. */
export interface DriftSettings {
  /** `alert` publishes to SNS; `remediate` also restores the desired state. @default 'alert' */
  readonly mode: 'alert' | 'remediate';
  /** Deploy the drift-detection module (Config rules, EventBridge, Lambda). @default true */
  readonly enabled: boolean;
}

export interface ResolvedAccount {
  /** Account name, kebab-case, unique in the organization (`app-prod`). */
  readonly name: string;
  /** 12-digit AWS account id. */
  readonly id: string;
  /** OU folder name (`workloads`). */
  readonly ou: string;
  /** OU names from the top-level OU down to {@link ou}, for accounts in nested OUs. @default - [ou] */
  readonly ouPath?: readonly string[];
  readonly environment: Environment;
  /** Team accountable for the account. */
  readonly owner: string;
  /** First region is the primary one (providers, Config recorder for global IAM resources). */
  readonly regions: readonly string[];
  /** ARN of the role Terraform assumes in the account. */
  readonly deployRoleArn: string;
  /**
   * Terraform Cloud dynamic credentials of the account's workspace, when the backend names them: the
   * values of `TFC_AWS_PLAN_ROLE_ARN` and `TFC_AWS_APPLY_ROLE_ARN`.
   * @default - none (the provider assumes deployRoleArn)
   */
  readonly dynamicCredentials?: { readonly planRoleArn: string; readonly applyRoleArn: string };
  /** Default tags of every resource in the account (org → OU → account merged). */
  readonly tags: Readonly<Record<string, string>>;
  /** Tags every taggable resource must carry. */
  readonly requiredTags: readonly string[];
  /** Terraform stack id and Terraform Cloud workspace name (`iam-app-prod`). */
  readonly stackName: string;
  readonly backend: BackendConfig;
  /** The boundary created in this account and attached to roles with `boundary.kind = 'default'`. @default - none */
  readonly permissionBoundary?: ResolvedPermissionBoundary;
  /** Customer managed policies created in the account (its own, plus library policies its roles use). */
  readonly policies: readonly ResolvedManagedPolicy[];
  readonly roles: readonly ResolvedRole[];
  readonly oidcProviders: readonly ResolvedOidcProvider[];
  readonly drift: DriftSettings;
  /** IAM user access keys kept in Secrets Manager and rotated (account.yaml `serviceCredentials:`). @default - none */
  readonly serviceCredentials?: readonly ResolvedServiceCredential[];
  /** Network placement of the platform Lambdas in this account (org.yaml `network:`). @default - none: public AWS endpoints */
  readonly network?: ResolvedNetwork;
  /** Existing IAM the account's stack adopts with Terraform import blocks (imports.yaml, written by `iamctl import`). @default - none */
  readonly imports?: AccountImports;
  /** The files this account was resolved from, nearest last (org.yaml, ou.yaml, account.yaml). */
  readonly sources: readonly string[];
  readonly source: SourceRef;
}

/**
 * Terraform import ids of existing resources, by resource type, as the AWS provider documents them:
 * role name; `role:policy` (inline policy); `role/policy-arn` (attachment); policy or OIDC provider ARN.
 */
export interface AccountImports {
  readonly roles: readonly string[];
  readonly rolePolicies: readonly string[];
  readonly rolePolicyAttachments: readonly string[];
  readonly policies: readonly string[];
  readonly oidcProviders: readonly string[];
  /**
   * Resources still being adopted (imports.yaml `adopting:`), with their tags as IAM holds them: the stack puts them on a
   * provider without default tags and gives them exactly these tags. @default - none: every resource gets the platform tags
   */
  readonly adopting?: AdoptingResources;
  /** imports.yaml. */
  readonly source: SourceRef;
}

/** Tags of the resources still being adopted, as IAM holds them, by import id. */
export interface AdoptingResources {
  /** Role name → tags. */
  readonly roles: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Customer managed policy ARN → tags. */
  readonly policies: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** OIDC provider ARN → tags. */
  readonly oidcProviders: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

export interface ResolvedOrganization {
  /** Organization name from org.yaml. */
  readonly name: string;
  /** Root folder the model was loaded from (absolute). */
  readonly rootDir: string;
  readonly defaultRegion: string;
  readonly accounts: readonly ResolvedAccount[];
  /** SCPs, organization trail and alerts, when org.yaml has `organization:`. @default - none */
  readonly organization?: ResolvedOrganizationSettings;
  /** Organization security services (org.yaml `securityBaseline:`). @default - none */
  readonly securityBaseline?: ResolvedSecurityBaseline;
  /** Network placement of the platform Lambdas (org.yaml `network:`). @default - none: public AWS endpoints */
  readonly network?: ResolvedNetwork;
  /** The policy record table (org.yaml `policyRecord:`). @default - none: the record goes to a local file */
  readonly policyRecord?: ResolvedPolicyRecord;
}

/** Where the record of policy versions and approvals lives. */
export interface ResolvedPolicyRecord {
  /** Account whose stack holds the table. */
  readonly account: string;
  readonly accountId: string;
  /** Region of the table: the account's primary region. */
  readonly region: string;
  readonly tableName: string;
}

/** Where an SCP is attached: the organization root, an OU (by folder name) or an account. */
export type ScpTarget =
  | { readonly kind: 'root' }
  | {
      readonly kind: 'ou';
      readonly name: string;
      /** OU names from the top-level OU down to this one (nested OUs are looked up under their parent). @default - [name]: under the root */
      readonly path?: readonly string[];
    }
  | { readonly kind: 'account'; readonly name: string; readonly id: string };

/** A service control policy from accounts/scps/<name>.yaml. */
export interface ResolvedServiceControlPolicy {
  /** Policy name in AWS Organizations (the file name unless `name:` is set). */
  readonly name: string;
  /** @default '' */
  readonly description: string;
  /** The document, validated once by the loader (placeholders filled in). */
  readonly document: PolicyDocument;
  /** Where the SCP is attached, in file order. */
  readonly targets: readonly ScpTarget[];
  readonly lint: readonly LintSuppression[];
  readonly source: SourceRef;
}

/** The organization CloudTrail (`organization.trail` in org.yaml). */
export interface ResolvedTrailSettings {
  /** Trail name. @default 'organization-trail' */
  readonly name: string;
  /** Account holding the log bucket and its key (name and id). */
  readonly logArchiveAccount: string;
  readonly logArchiveAccountId: string;
  /** Primary region of the log-archive account: the bucket's region. */
  readonly logArchiveRegion: string;
  /** Role Terraform assumes in the log-archive account. */
  readonly logArchiveDeployRoleArn: string;
  /** Log bucket name. @default '<org>-organization-trail-<log-archive id>' */
  readonly bucketName: string;
  /** CloudWatch Logs group of the trail. @default '/aws/cloudtrail/<trail name>' */
  readonly logGroupName: string;
  /** Retention of the log group, in days (at least 365). @default 365 */
  readonly logRetentionDays: number;
  readonly source: SourceRef;
}

/** IAM-change alarms on the trail's log group (`organization.alerts` in org.yaml). */
export interface ResolvedAlertSettings {
  /** SNS topic of the alarms. @default 'iam-change-alerts' */
  readonly topicName: string;
  /** CloudWatch metric namespace. @default 'CISBenchmark' */
  readonly namespace: string;
  /** Name of the break-glass role whose every AssumeRole raises an alarm. @default 'break-glass' */
  readonly breakGlassRoleName: string;
  /** E-mail addresses subscribed to the topic. @default - none */
  readonly emails: readonly string[];
  readonly source: SourceRef;
}

/** Organization-level settings: SCPs, the organization trail and IAM-change alerts. */
export interface ResolvedOrganizationSettings {
  /** Name of the management account (must be an account of accounts/). */
  readonly managementAccount: string;
  /** 12-digit id of the management account. */
  readonly managementAccountId: string;
  /** Service control policies, sorted by name. */
  readonly scps: readonly ResolvedServiceControlPolicy[];
  /** @default - no organization trail */
  readonly trail?: ResolvedTrailSettings;
  /** @default - no alerts (alerts need the trail) */
  readonly alerts?: ResolvedAlertSettings;
  readonly source: SourceRef;
}

/** A Security Hub standard the baseline enables. */
export type SecurityHubStandardKey = 'cis' | 'fsbp';

/** Organization security services in the security account (`securityBaseline` in org.yaml). */
export interface ResolvedSecurityBaseline {
  /** Delegated administrator account (name and id). */
  readonly securityAccount: string;
  readonly securityAccountId: string;
  /** Security Hub. @default - off */
  readonly securityHub?: { readonly standards: readonly SecurityHubStandardKey[]; readonly source: SourceRef };
  /** IAM Access Analyzer. @default - off */
  readonly accessAnalyzer?: { readonly unusedAccessAgeDays: number; readonly source: SourceRef };
  /** AWS Config organization aggregator and IAM conformance pack. @default - off */
  readonly configAggregator?: { readonly source: SourceRef };
  /** Privilege-escalation alarms on the trail's log group. @default - off (also without trail and alerts) */
  readonly escalationAlarms?: { readonly accessDeniedThreshold: number; readonly source: SourceRef };
  /** The dashboard's metrics sink every other account with drift detection links to. @default - no links */
  readonly metricsSink?: { readonly arn: string; readonly source: SourceRef };
  readonly source: SourceRef;
}

/** One rotated IAM user access key (account.yaml `serviceCredentials[i]`). */
export interface ResolvedServiceCredential {
  /** The IAM user whose key is rotated. */
  readonly userName: string;
  /** The user's IAM path. */
  readonly userPath: string;
  /** Why the workload needs a long-lived key. */
  readonly reason: string;
  readonly rotationDays: number;
  readonly graceHours: number;
  /** ARN of the rotation Lambda's role: the one principal, besides break-glass, that may create the user's keys. */
  readonly rotationRoleArn: string;
  readonly source: SourceRef;
}

/** Private subnets for the platform Lambdas (`network.vpc` in org.yaml). */
export interface ResolvedVpcSettings {
  /** IPv4 CIDR of the VPC. */
  readonly cidr: string;
  /** Number of private subnets, one per availability zone. @default 2 */
  readonly availabilityZones: number;
  readonly source: SourceRef;
}

/** Network placement of the platform Lambdas. */
export interface ResolvedNetwork {
  /** @default - no VPC: the Lambdas use the public AWS endpoints */
  readonly vpc?: ResolvedVpcSettings;
}
