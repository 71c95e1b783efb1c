/**
 * The schema of the files under accounts/, in code (zod 4). Every object is strict: an unknown key
 * is an error. `scripts/emit-schemas.ts` emits these as JSON Schema files into schemas/ so editors
 * complete and check the YAML (`# yaml-language-server: $schema=...`).
 *
 * These are the shapes as written in YAML. The loader merges them (org → OU → account) and
 * produces the resolved model of src/core/model.
 */
import { z } from 'zod';
import {
  MAX_PATH_CHARS,
  MAX_POLICY_NAME_CHARS,
  MAX_ROLE_NAME_CHARS,
  MAX_SESSION_DURATION_SECONDS,
  MIN_SESSION_DURATION_SECONDS,
} from '../core/policy';

/** Tag key length (IAM TagRole). @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_Tag.html */
export const MAX_TAG_KEY_CHARS = 128;
/** Tag value length (IAM TagRole). @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_Tag.html */
export const MAX_TAG_VALUE_CHARS = 256;
/** sts:ExternalId length (STS AssumeRole). @see https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html */
export const MIN_EXTERNAL_ID_CHARS = 2;
/** sts:ExternalId length (STS AssumeRole). @see https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html */
export const MAX_EXTERNAL_ID_CHARS = 1224;

/** Role description length (CreateRole). @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html */
export const MAX_ROLE_DESCRIPTION_CHARS = 1000;
/** Managed policy description length (CreatePolicy). @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html */
export const MAX_POLICY_DESCRIPTION_CHARS = 1000;

/** Environments an account can be in. */
export const ENVIRONMENTS = ['nonprod', 'staging', 'prod'] as const;
/** Role kinds. */
export const ROLE_KINDS = ['standard', 'break-glass', 'pipeline', 'service', 'audit'] as const;
/** Kinds of cross-account trust. */
export const TRUST_KINDS = ['human', 'workload', 'third-party'] as const;
/** OIDC providers the platform knows defaults for. */
export const OIDC_PROVIDERS = ['gitlab', 'terraform-cloud', 'custom'] as const;

/** Account and OU names: kebab-case, starting with a letter. */
export const NAME_PATTERN = /^[a-z][a-z0-9-]*$/;
/** IAM role and policy names (CreateRole / CreatePolicy). */
export const IAM_NAME_PATTERN = /^[\w+=,.@-]+$/;
/** IAM paths: `/` or `/segment/…/`. */
export const IAM_PATH_PATTERN = /^\/(?:[\x21-\x7e]+\/)?$/;
/** 12-digit AWS account id. */
export const ACCOUNT_ID_PATTERN = /^\d{12}$/;

const nameSchema = z
  .string({ error: (iss) => (iss.input === undefined ? undefined : 'expected a kebab-case name (`app-prod`)') })
  .regex(NAME_PATTERN, { error: 'expected a kebab-case name: lowercase letters, digits and dashes, starting with a letter (`app-prod`)' });

const roleNameSchema = z
  .string()
  .regex(IAM_NAME_PATTERN, { error: 'expected an IAM role name: letters, digits and + = , . @ _ - only' })
  .max(MAX_ROLE_NAME_CHARS, { error: `an IAM role name has at most ${MAX_ROLE_NAME_CHARS} characters (MAX_ROLE_NAME_CHARS)` });

const policyNameSchema = z
  .string()
  .regex(IAM_NAME_PATTERN, { error: 'expected an IAM policy name: letters, digits and + = , . @ _ - only' })
  .max(MAX_POLICY_NAME_CHARS, { error: `an IAM policy name has at most ${MAX_POLICY_NAME_CHARS} characters (MAX_POLICY_NAME_CHARS)` });

const policyDescriptionSchema = z
  .string()
  .max(MAX_POLICY_DESCRIPTION_CHARS, { error: `a policy description has at most ${MAX_POLICY_DESCRIPTION_CHARS} characters (MAX_POLICY_DESCRIPTION_CHARS, IAM CreatePolicy): shorten it` });

const iamPathSchema = z
  .string()
  .regex(IAM_PATH_PATTERN, { error: 'expected an IAM path: "/" or "/segment/" (starts and ends with a slash)' })
  .max(MAX_PATH_CHARS, { error: `an IAM path has at most ${MAX_PATH_CHARS} characters (MAX_PATH_CHARS)` })
  .describe('IAM path, `/` or `/team/`.');

const accountIdSchema = z
  .string({
    error: (iss) =>
      iss.input === undefined
        ? undefined
        : `expected the 12-digit account id as a quoted string ("123456789012"), got ${typeof iss.input} ${JSON.stringify(iss.input)}`,
  })
  .regex(ACCOUNT_ID_PATTERN, { error: 'expected a 12-digit AWS account id in quotes ("123456789012")' })
  .describe('12-digit AWS account id, quoted.');

const regionSchema = z
  .string()
  .regex(/^[a-z]{2}(?:-[a-z]+)+-\d$/, { error: 'expected an AWS region code (`eu-west-1`)' })
  .describe('AWS region code (`eu-west-1`).');

const tagsSchema = z
  .record(
    z.string().min(1).max(MAX_TAG_KEY_CHARS, { error: `a tag key has at most ${MAX_TAG_KEY_CHARS} characters` }),
    z.string({ error: (iss) => (iss.input === undefined ? undefined : 'expected a tag value as a string (quote numbers and booleans)') }).max(MAX_TAG_VALUE_CHARS, {
      error: `a tag value has at most ${MAX_TAG_VALUE_CHARS} characters`,
    }),
  )
  .describe('Tags, key: value. Maps deep-merge org → OU → account.');

const environmentSchema = z.enum(ENVIRONMENTS).describe('Deployment environment: nonprod, staging or prod.');

const textSchema = z.string().regex(/\S/, { error: 'must contain text' });

/** An expiry date, `YYYY-MM-DD` (UTC): the grant ends at the start of that day. */
export const EXPIRY_DATE_PATTERN = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/;

/** `expires` of a role, an account trust entry or a statement (temporary access, removed by `iamctl expire`). */
export const expiresSchema = z
  .string({ error: (iss) => (iss.input === undefined ? undefined : 'expected an expiry date as YYYY-MM-DD (`2026-12-31`)') })
  .regex(EXPIRY_DATE_PATTERN, { error: 'expected an expiry date as YYYY-MM-DD (`2026-12-31`)' })
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), {
    error: 'expected a calendar date that exists (`2026-02-28`, not `2026-02-30`)',
  })
  .describe('Temporary access: the grant ends at the start of this UTC day (YYYY-MM-DD); lint warns once it has passed and `iamctl expire` opens a merge request removing it. @default - never expires');

/**
 * A policy document as written in YAML (a map mirroring IAM's JSON). Checked in full by
 * validatePolicyDocument; the JSON Schema file gets a hand-written IAM policy schema instead.
 */
export const policyDocumentSchema = z.record(z.string(), z.unknown()).describe('IAM policy document: Version and Statement, as in IAM JSON.');

const lintSchema = z
  .strictObject({
    ignore: z
      .array(
        z.strictObject({
          rule: textSchema.describe('Lint rule id (`service-wildcard`).'),
          reason: textSchema.describe('Why the finding is accepted. Required.'),
        }),
      )
      .describe('Lint findings accepted for this role or policy, each with a written reason.'),
  })
  .describe('Lint settings.');

/** `permissionBoundary` of a role: a policy name, or an opt-out with a written reason. */
const roleBoundarySchema = z
  .union(
    [
      policyNameSchema,
      z.strictObject({
        none: z
          .strictObject({ reason: textSchema.describe('Why this role has no permission boundary (reviewed in the merge request). Required.') })
          .describe('Opt out of the permission boundary.'),
      }),
    ],
    { error: 'expected a policy name, or { none: { reason: "..." } } to opt out' },
  )
  .describe('Permission boundary: omit for the org/OU default, a policy name, or { none: { reason } } to opt out.');

const trustSidSchema = z
  .string()
  .regex(/^[A-Za-z0-9]*$/, { error: 'expected a statement id: letters and digits only ("" writes none)' })
  .optional()

const accountTrustSchema = z.strictObject({
  principals: z
    .array(z.string().min(1))
    .min(1, { error: 'list at least one principal' })
    .describe('Account names from accounts/, 12-digit account ids, or role/user ARNs.'),
  kind: z.enum(TRUST_KINDS).optional().describe('human (MFA applies), workload or third-party (external id). @default human'),
  requireMfa: z.boolean().optional().describe('Require aws:MultiFactorAuthPresent. @default true for human'),
  mfaMaxAgeSeconds: z.number().int().positive().optional().describe('Largest aws:MultiFactorAuthAge. @default 3600 when MFA is required'),
  externalId: z
    .string()
    .min(MIN_EXTERNAL_ID_CHARS)
    .max(MAX_EXTERNAL_ID_CHARS)
    .regex(/^[\w+=,.@:/-]+$/, { error: 'expected an external id: letters, digits and + = , . @ : / - _ only' })
    .optional()
    .describe('sts:ExternalId. Required for third-party trust.'),
  expires: expiresSchema.optional(),
  sid: trustSidSchema.describe('Statement id of this trust statement; "" writes none (iamctl import writes what IAM holds). @default AccountTrust<index>'),
});

const oidcTrustSchema = z.strictObject({
  provider: z.enum(OIDC_PROVIDERS).describe('gitlab, terraform-cloud or custom.'),
  url: z
    .string()
    .regex(/^https:\/\/[^\s/]+(?:\/[^\s]*)?$/, { error: 'expected an https issuer URL (`https://gitlab.example.com`)' })
    .optional()
    .describe('Issuer URL. @default https://gitlab.com for gitlab, https://app.terraform.io for terraform-cloud; required for custom'),
  audiences: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe('Allowed aud values. @default [url] for gitlab, [aws.workload.identity] for terraform-cloud; required for custom'),
  subjects: z.array(z.string().min(1)).min(1, { error: 'list at least one subject: never trust every token of an issuer' }).describe('Allowed sub values (StringLike).'),
  sid: trustSidSchema.describe('Statement id of this trust statement; "" writes none. @default OidcTrust<index>'),
});

const trustSchema = z
  .strictObject({
    accounts: z.array(accountTrustSchema).optional().describe('AWS accounts or roles that may assume the role.'),
    services: z
      .array(z.string().regex(/^[a-z0-9.-]+\.amazonaws\.com(?:\.cn)?$/, { error: 'expected an AWS service principal (`lambda.amazonaws.com`)' }))
      .optional()
      .describe('AWS service principals.'),
    serviceSid: trustSidSchema.describe('Statement id of the one statement for all services; "" writes none. @default ServiceTrust'),
    oidc: z.array(oidcTrustSchema).optional().describe('OIDC federation (GitLab CI, Terraform Cloud).'),
    saml: z
      .array(z.strictObject({ provider: z.string().min(1).describe('SAML provider name or ARN.'), sid: trustSidSchema.describe('Statement id; "" writes none. @default SamlTrust<index>') }))
      .optional().describe('SAML federation.'),
  })
  .describe('Who may assume the role. At least one entry.');

const inlinePoliciesSchema = z
  .union(
    [
      z.record(policyNameSchema, policyDocumentSchema),
      z.array(z.strictObject({ name: policyNameSchema, document: policyDocumentSchema })),
    ],
    { error: 'expected a map of policy name → document, or a list of { name, document }' },
  )
  .describe('Inline policies: name → document, or a list of { name, document }.');

const roleSpecShape = {
  description: z
    .string()
    .max(MAX_ROLE_DESCRIPTION_CHARS, { error: `a role description has at most ${MAX_ROLE_DESCRIPTION_CHARS} characters (MAX_ROLE_DESCRIPTION_CHARS, IAM CreateRole): shorten it` })
    .optional()
    .describe('What the role is for. @default ""'),
  owner: textSchema.describe('Team or person accountable for the role. Required.'),
  kind: z.enum(ROLE_KINDS).optional().describe('standard, break-glass, pipeline, service or audit. @default standard'),
  path: iamPathSchema.optional(),
  maxSessionDuration: z
    .number()
    .int()
    .min(MIN_SESSION_DURATION_SECONDS)
    .max(MAX_SESSION_DURATION_SECONDS)
    .optional()
    .describe(`Seconds, ${MIN_SESSION_DURATION_SECONDS}–${MAX_SESSION_DURATION_SECONDS}. @default ${MIN_SESSION_DURATION_SECONDS}`),
  tags: tagsSchema.optional(),
  trust: trustSchema,
  managedPolicies: z
    .array(z.string().min(1))
    .optional()
    .describe('aws:<name> for AWS managed policies; a plain name for a policy in the account policies/ or accounts/policies/.'),
  inlinePolicies: inlinePoliciesSchema.optional(),
  permissionBoundary: roleBoundarySchema.optional(),
  lint: lintSchema.optional(),
  expires: expiresSchema.optional(),
};

/** accounts/<ou>/<account>/roles/<role>.yaml: one role. */
export const roleFileSchema = z
  .strictObject({
    name: roleNameSchema.optional().describe('Role name. @default the file name without .yaml'),
    ...roleSpecShape,
  })
  .describe('One IAM role of an account (accounts/<ou>/<account>/roles/<role>.yaml).');

/** The role inside a role template: a role file whose name defaults to the template's. */
export const roleSpecSchema = z
  .strictObject({
    name: roleNameSchema.optional().describe('Role name, when it differs from the template name (one role per environment from several templates). @default the template name'),
    ...roleSpecShape,
  })
  .describe('The role to create in every matching account.');

const roleTemplateSchema = z.strictObject({
  name: roleNameSchema.describe('Template name (for disableTemplates and OU overrides); also the role name unless role.name is set.'),
  selector: z
    .strictObject({
      environments: z.array(environmentSchema).optional().describe('Match accounts in these environments.'),
      ous: z.array(nameSchema).optional().describe('Match accounts in these OUs.'),
      accounts: z.array(nameSchema).optional().describe('Match these accounts.'),
    })
    .optional()
    .describe('Which accounts get the role; every given list must match. @default every account'),
  role: roleSpecSchema,
});

/** accounts/policies/<name>.yaml and accounts/<ou>/<account>/policies/<name>.yaml: one customer managed policy. */
export const policyFileSchema = z
  .strictObject({
    name: policyNameSchema.optional().describe('Policy name. @default the file name without .yaml'),
    description: policyDescriptionSchema.optional().describe('What the policy allows. @default none'),
    path: iamPathSchema.optional(),
    document: policyDocumentSchema,
    tags: tagsSchema.optional(),
    lint: lintSchema.optional(),
  })
  .describe('One customer managed policy.');

const inlineBoundarySchema = z.strictObject({
  name: policyNameSchema.describe('Managed policy name of the boundary.'),
  description: policyDescriptionSchema.optional(),
  path: iamPathSchema.optional(),
  document: policyDocumentSchema,
  lint: lintSchema.optional(),
});

const defaultBoundarySchema = z
  .union([policyNameSchema, inlineBoundarySchema], { error: 'expected a policy name from accounts/policies/, or { name, document }' })
  .describe('Default permission boundary of every role: a policy in accounts/policies/, or { name, document }.');

const driftSchema = z
  .strictObject({
    mode: z.enum(['alert', 'remediate']).optional().describe('alert, or remediate (also restore). @default alert'),
    enabled: z.boolean().optional().describe('Deploy drift detection. @default true'),
  })
  .describe('Drift handling; maps deep-merge.');

const inheritedShape = {
  owner: textSchema.optional().describe('Team accountable for the accounts.'),
  regions: z.array(regionSchema).min(1).optional().describe('Regions, first is primary. Lists replace. @default [defaultRegion]'),
  tags: tagsSchema.optional(),
  requiredTags: z.array(z.string().min(1)).optional().describe('Tags every taggable resource must carry. Lists replace.'),
  permissionBoundary: defaultBoundarySchema.optional(),
  drift: driftSchema.optional(),
};

const deployRoleNameSchema = roleNameSchema.describe('Name of the role Terraform assumes in each account. @default iam-platform-deploy');

/** Organizations policy name length (CreatePolicy). @see https://docs.aws.amazon.com/organizations/latest/APIReference/API_CreatePolicy.html */
export const MAX_ORGANIZATIONS_POLICY_NAME_CHARS = 128;
/** Organizations policy description length (CreatePolicy). @see https://docs.aws.amazon.com/organizations/latest/APIReference/API_CreatePolicy.html */
export const MAX_ORGANIZATIONS_POLICY_DESCRIPTION_CHARS = 512;
/** Shortest CloudWatch Logs retention of the trail's log group: one year (CIS, checkov CKV_AWS_338). */
export const MIN_TRAIL_LOG_RETENTION_DAYS = 365;
/** Retention values CloudWatch Logs accepts (PutRetentionPolicy), from one year up. @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html */
export const TRAIL_LOG_RETENTION_DAYS = [365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

const trailSettingsSchema = z
  .strictObject({
    name: z.string().regex(/^[A-Za-z0-9][\w.-]{2,127}$/, { error: 'expected a trail name: 3–128 letters, digits, . _ -, starting with a letter or digit' }).optional().describe('Trail name. @default organization-trail'),
    logArchiveAccount: nameSchema.describe('Account (name from accounts/) that holds the log bucket and its KMS key; the bucket is in its primary region.'),
    bucketName: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: 'expected an S3 bucket name: 3–63 lowercase letters, digits, dots and dashes' })
      .optional()
      .describe('Log bucket name. @default <org>-organization-trail-<log-archive account id>'),
    logRetentionDays: z
      .literal(TRAIL_LOG_RETENTION_DAYS, { error: `expected a CloudWatch Logs retention of at least a year: one of ${TRAIL_LOG_RETENTION_DAYS.join(', ')}` })
      .optional()
      .describe(`Days the trail's CloudWatch Logs group keeps events (at least ${MIN_TRAIL_LOG_RETENTION_DAYS}). @default ${MIN_TRAIL_LOG_RETENTION_DAYS}`),
  })
  .describe('The organization CloudTrail: multi-region, log file validation, KMS, CloudWatch Logs and SNS.');

const alertSettingsSchema = z
  .strictObject({
    topicName: z.string().regex(/^[\w-]{1,256}$/, { error: 'expected an SNS topic name: letters, digits, _ and - (at most 256)' }).optional().describe('SNS topic of the alarms. @default iam-change-alerts'),
    namespace: z.string().min(1).max(255).optional().describe('CloudWatch metric namespace. @default CISBenchmark'),
    breakGlassRole: roleNameSchema.optional().describe('Role whose every sts:AssumeRole raises an alarm. @default break-glass'),
    emails: z.array(z.string().regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, { error: 'expected an e-mail address' })).optional().describe('E-mail addresses subscribed to the alarm topic. @default none'),
  })
  .describe('IAM-change alarms (CIS 4.4 and what it misses, break-glass AssumeRole) on the trail log group; needs trail.');

const organizationSettingsSchema = z
  .strictObject({
    managementAccount: nameSchema.describe('The management account (name from accounts/): the organization stack deploys there; SCPs never apply to it.'),
    trail: trailSettingsSchema.optional(),
    alerts: alertSettingsSchema.optional(),
  })
  .describe('Organization-level resources (stack iam-organization): SCPs from accounts/scps/, the organization trail, IAM-change alerts.');

/** Largest unused-access tracking period of IAM Access Analyzer, in days. @see https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_UnusedAccessConfiguration.html */
export const MAX_UNUSED_ACCESS_AGE_DAYS = 365;
/** Security Hub standards the baseline can enable: CIS AWS Foundations v3.0 and AWS Foundational Security Best Practices. */
export const SECURITY_HUB_STANDARD_KEYS = ['cis', 'fsbp'] as const;
/** Largest VPC CIDR prefix the private network option accepts: /24 still leaves four /26 subnets. @see https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html */
export const MAX_NETWORK_VPC_PREFIX = 24;
/** Smallest VPC CIDR prefix AWS accepts (/16). @see https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html */
export const MIN_NETWORK_VPC_PREFIX = 16;

const securityBaselineSchema = z
  .strictObject({
    securityAccount: nameSchema.describe('Account (name from accounts/) that is the delegated administrator of Security Hub, Access Analyzer and AWS Config; the baseline stack deploys there.'),
    securityHub: z
      .strictObject({
        enabled: z.boolean().optional().describe('@default true'),
        standards: z.array(z.enum(SECURITY_HUB_STANDARD_KEYS)).min(1).optional().describe('Standards enabled in every account: cis, fsbp. @default [cis, fsbp]'),
      })
      .optional()
      .describe('Security Hub: organization auto-enable, standards, cross-region finding aggregation.'),
    accessAnalyzer: z
      .strictObject({
        enabled: z.boolean().optional().describe('@default true'),
        unusedAccessAgeDays: z
          .number()
          .int()
          .min(1)
          .max(MAX_UNUSED_ACCESS_AGE_DAYS, { error: `the unused-access tracking period is 1 to ${MAX_UNUSED_ACCESS_AGE_DAYS} days (MAX_UNUSED_ACCESS_AGE_DAYS)` })
          .optional()
          .describe('Days without use after which the unused-access analyzer reports a role, key or permission. @default 90'),
      })
      .optional()
      .describe('IAM Access Analyzer: organization external-access and unused-access analyzers.'),
    configAggregator: z
      .strictObject({ enabled: z.boolean().optional().describe('@default true') })
      .optional()
      .describe('AWS Config aggregator over the organization and the IAM conformance pack.'),
    escalationAlarms: z
      .strictObject({
        enabled: z.boolean().optional().describe('@default true (needs organization.trail and organization.alerts)'),
        accessDeniedThreshold: z.number().int().min(1).optional().describe('AccessDenied IAM writes within 5 minutes that raise the burst alarm. @default 5'),
      })
      .optional()
      .describe('Privilege-escalation alarms on the organization trail log group, to the IAM-change alert topic.'),
    metricsSinkArn: z
      .string()
      .optional()
      .describe(
        "ARN of the IAM dashboard's metrics sink in the security account (output metrics-sink-arn of iam-security-baseline, known after its first apply; arn:aws:oam:us-east-1:<security account id>:sink/<id>). Each other account with drift detection then links its IamPlatform metrics to it, so the dashboard shows every account's drift. @default - no links: the dashboard shows the security account's drift only",
      ),
  })
  .describe('Organization security services, delegated to the security account (stack iam-security-baseline); needs organization.');

const networkSchema = z
  .strictObject({
    vpc: z
      .strictObject({
        cidr: z
          .string()
          .regex(/^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\/(?:1[6-9]|2[0-4])$/, {
            error: `expected an IPv4 CIDR from /${MIN_NETWORK_VPC_PREFIX} to /${MAX_NETWORK_VPC_PREFIX} (\`10.64.0.0/24\`)`,
          })
          .describe('CIDR of the VPC the platform creates for its Lambdas.'),
        availabilityZones: z.number().int().min(2).max(3).optional().describe('Private subnets, one per availability zone. @default 2'),
      })
      .optional()
      .describe('Run the platform Lambdas in private subnets with VPC endpoints only. @default - off: the Lambdas call only public AWS APIs'),
  })
  .describe('Network placement of the platform Lambdas.');

/** accounts/scps/<name>.yaml: one service control policy. */
export const scpFileSchema = z
  .strictObject({
    name: z
      .string()
      .regex(IAM_NAME_PATTERN, { error: 'expected an SCP name: letters, digits and + = , . @ _ - only' })
      .max(MAX_ORGANIZATIONS_POLICY_NAME_CHARS, { error: `an SCP name has at most ${MAX_ORGANIZATIONS_POLICY_NAME_CHARS} characters` })
      .optional()
      .describe('SCP name. @default the file name without .yaml'),
    description: z
      .string()
      .max(MAX_ORGANIZATIONS_POLICY_DESCRIPTION_CHARS, { error: `an SCP description has at most ${MAX_ORGANIZATIONS_POLICY_DESCRIPTION_CHARS} characters` })
      .optional()
      .describe('What the SCP prevents. @default ""'),
    document: policyDocumentSchema,
    targets: z
      .array(z.string().min(1))
      .describe('Where to attach: root, OU folder names (at any depth), account names; prefix ou: or account: when an OU and an account share a name. May be empty when ou.yaml files attach the SCP (scps:); an SCP attached nowhere is a problem.'),
    lint: lintSchema.optional(),
  })
  .describe('One service control policy (accounts/scps/<name>.yaml).');

/** Verdicts of the access diff (src/core/diff), as the approval policy names them. */
export const ACCESS_VERDICT_NAMES = ['no-new-access', 'new-access', 'risky'] as const;

/** A GitLab group (or subgroup) path whose members approve (`acme/security`). */
const approverGroupSchema = z.string().regex(/^[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)*$/, { error: 'expected a GitLab group path (`acme/security`)' });

const approvalScopeSchema = z
  .strictObject({
    ous: z.array(nameSchema).optional().describe('OU folder names this rule applies to. @default none'),
    accounts: z.array(nameSchema).optional().describe('Account names this rule applies to (an account rule wins over an OU rule). @default none'),
    groups: z.array(approverGroupSchema).min(1).describe('Groups that approve changes of these accounts.'),
    riskyGroups: z.array(approverGroupSchema).min(1).optional().describe('Second approver groups for risky changes of these accounts. @default the policy riskyGroups'),
  })
  .describe('Who approves the changes of some OUs or accounts.');

/** `approval:` in org.yaml: which access-diff verdicts need the security approval, and who gives it. */
export const approvalPolicySchema = z
  .strictObject({
    requiredFor: z
      .array(z.enum(ACCESS_VERDICT_NAMES))
      .optional()
      .describe('Verdicts that need the security approval. @default [new-access, risky]'),
    groups: z.array(approverGroupSchema).min(1).describe('Groups that approve by default.'),
    riskyGroups: z.array(approverGroupSchema).min(1).describe('Second approver groups, needed in addition for a risky verdict.'),
    scopes: z.array(approvalScopeSchema).optional().describe('Approvers per OU or account. @default none: groups approve everything'),
  })
  .describe('Approval policy of merge requests, by access-diff verdict (iamctl diff).');

export type ApprovalPolicyConfig = z.infer<typeof approvalPolicySchema>;

/** `policyRecord:` in org.yaml: where the record of policy versions and approvals (modules/policy-registry) lives. */
export const policyRecordSchema = z
  .strictObject({
    account: nameSchema.describe('Account (name from accounts/) whose stack holds the record table: the security account.'),
    tableName: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{3,255}$/, { error: 'a DynamoDB table name is 3–255 characters of letters, digits, _ . -' })
      .optional()
      .describe('@default iam-platform-policy-registry'),
  })
  .describe('The policy record table (iamctl record, history, rollback; drift remediation).');

/** accounts/org.yaml. */
export const orgFileSchema = z
  .strictObject({
    name: nameSchema.describe('Organization name.'),
    defaultRegion: regionSchema,
    ...inheritedShape,
    deployRole: deployRoleNameSchema.optional(),
    naming: z
      .strictObject({
        rolePath: iamPathSchema.optional().describe('Default IAM path of roles. @default /'),
        policyPath: iamPathSchema.optional().describe('Default IAM path of managed policies. @default /'),
      })
      .optional()
      .describe('Naming defaults.'),
    backend: z
      .strictObject({
        terraformCloud: z
          .strictObject({
            organization: z.string().min(1).describe('Terraform Cloud organization.'),
            hostname: z.string().min(1).optional().describe('@default app.terraform.io'),
            project: z.string().min(1).optional().describe('@default the organization default project'),
            workspacePrefix: z.string().optional().describe('Workspace is <prefix><account>. @default iam-'),
            dynamicCredentials: z
              .strictObject({
                planRole: roleNameSchema.describe('Read-only role of every account, trusted only for run_phase:plan (TFC_AWS_PLAN_ROLE_ARN).'),
                applyRole: roleNameSchema.describe('Deployer role of every account, trusted only for run_phase:apply of its workspace (TFC_AWS_APPLY_ROLE_ARN).'),
              })
              .optional()
              .describe('Terraform Cloud dynamic credentials, one role per run phase. @default - none: the provider assumes deployRole'),
          })
          .optional(),
        s3: z
          .strictObject({
            bucket: z.string().min(3).describe('State bucket.'),
            keyPrefix: z.string().min(1).optional().describe('Key is <prefix>/<account>/terraform.tfstate. @default iam-platform'),
            region: regionSchema.optional().describe('@default defaultRegion'),
            dynamodbTable: z.string().min(1).optional().describe('@default S3 native locking'),
          })
          .optional(),
      })
      .optional()
      .describe('Terraform backend. @default local'),
    roleTemplates: z.array(roleTemplateSchema).optional().describe('Roles created in every matching account.'),
    organization: organizationSettingsSchema.optional(),
    approval: approvalPolicySchema.optional(),
    policyRecord: policyRecordSchema.optional(),
    securityBaseline: securityBaselineSchema.optional(),
    network: networkSchema.optional(),
  })
  .describe('Organization defaults (accounts/org.yaml).');

/** accounts/<ou>/ou.yaml. */
export const ouFileSchema = z
  .strictObject({
    description: z.string().optional(),
    environment: environmentSchema.optional().describe('Default environment of the accounts in the OU.'),
    ...inheritedShape,
    deployRole: deployRoleNameSchema.optional(),
    roleTemplates: z.array(roleTemplateSchema).optional().describe('Roles created in every matching account of the OU; accumulate with org templates.'),
    scps: z
      .array(z.string().min(1))
      .optional()
      .describe('Service control policies (names of accounts/scps/ files) attached to this OU, in addition to the OUs each SCP file targets. Nested OUs inherit them, as in AWS.'),
  })
  .describe('OU defaults (accounts/<ou>/ou.yaml, accounts/<ou>/<nested-ou>/ou.yaml).');

/** IAM user names are at most 64 characters. @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html */
export const MAX_USER_NAME_CHARS = 64;
/** Longest rotation interval of a service credential (CIS and checkov CKV_AWS_304: 90 days). */
export const MAX_SERVICE_CREDENTIAL_ROTATION_DAYS = 90;

const serviceCredentialSchema = z
  .strictObject({
    user: z
      .string()
      .regex(IAM_NAME_PATTERN, { error: 'expected an IAM user name: letters, digits and + = , . @ _ - only' })
      .max(MAX_USER_NAME_CHARS, { error: `an IAM user name has at most ${MAX_USER_NAME_CHARS} characters (MAX_USER_NAME_CHARS)` })
      .describe('The existing IAM user (a service account that cannot move to a role) whose access key is rotated.'),
    path: z.string().regex(IAM_PATH_PATTERN, { error: 'expected an IAM path: / or /segment/.../' }).optional().describe("The user's IAM path. @default /"),
    reason: textSchema.describe('Why this workload needs a long-lived key instead of a role (reviewed in the merge request). Required.'),
    rotationDays: z
      .number()
      .int()
      .min(1)
      .max(MAX_SERVICE_CREDENTIAL_ROTATION_DAYS, { error: `rotate at least every ${MAX_SERVICE_CREDENTIAL_ROTATION_DAYS} days (MAX_SERVICE_CREDENTIAL_ROTATION_DAYS)` })
      .optional()
      .describe('Days between rotations. @default 30'),
    graceHours: z.number().min(0).optional().describe('Hours a superseded key keeps working; shorter than the rotation interval. @default 24'),
  })
  .describe('An IAM user access key held in Secrets Manager and rotated by a Lambda (modules/service-credential).');

/** accounts/<ou>/<account>/account.yaml. */
export const accountFileSchema = z
  .strictObject({
    id: accountIdSchema,
    name: nameSchema.optional().describe('Account name; must equal the folder name. @default the folder name'),
    description: z.string().optional(),
    environment: environmentSchema.optional().describe('Required here or in ou.yaml.'),
    ...inheritedShape,
    deployRole: z
      .union([roleNameSchema, z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/)], {
        error: 'expected a role name or a role ARN (arn:aws:iam::123456789012:role/name)',
      })
      .optional()
      .describe('Role Terraform assumes: a name in this account or an ARN. @default the org/OU deployRole'),
    disableTemplates: z.array(roleNameSchema).optional().describe('Org/OU role templates not to create in this account.'),
    serviceCredentials: z
      .array(serviceCredentialSchema)
      .optional()
      .describe('IAM users whose access keys the platform keeps in Secrets Manager and rotates (for service accounts that cannot use a role).'),
  })
  .describe('One AWS account (accounts/<ou>/<account>/account.yaml).');

const importIdsSchema = z.array(z.string().min(1)).optional();
const adoptingTagsSchema = z.record(z.string().min(1), z.record(z.string(), z.string())).optional();

/** accounts/<ou>/<account>/imports.yaml: existing IAM the account's stack adopts (written by `iamctl import`). */
export const importsFileSchema = z
  .strictObject({
    roles: importIdsSchema.describe('Role names (aws_iam_role import ids).'),
    rolePolicies: importIdsSchema.describe('<role>:<policy> of inline policies (aws_iam_role_policy import ids).'),
    rolePolicyAttachments: importIdsSchema.describe('<role>/<policy ARN> of attachments (aws_iam_role_policy_attachment import ids).'),
    policies: importIdsSchema.describe('Customer managed policy ARNs (aws_iam_policy import ids).'),
    oidcProviders: importIdsSchema.describe('OIDC provider ARNs (aws_iam_openid_connect_provider import ids).'),
    adopting: z
      .strictObject({
        roles: adoptingTagsSchema.describe('Role name → its tags as IAM holds them.'),
        policies: adoptingTagsSchema.describe('Policy ARN → its tags as IAM holds them.'),
        oidcProviders: adoptingTagsSchema.describe('OIDC provider ARN → its tags as IAM holds them.'),
      })
      .optional()
      .describe(
        'Resources still being adopted, with their live tags: the stack gives them exactly these tags, on a provider without the platform default tags, so the import plan changes nothing. `iamctl import --finish` removes this; the plan after it adds the platform tags. @default - none: every resource carries the platform tags',
      ),
  })
  .describe("Existing IAM resources that the account's first Terraform plan imports instead of creating (accounts/<ou>/<account>/imports.yaml).");

export type ImportsFileConfig = z.infer<typeof importsFileSchema>;
export type RoleFileConfig = z.infer<typeof roleFileSchema>;
export type RoleSpecConfig = z.infer<typeof roleSpecSchema>;
export type RoleTemplateConfig = z.infer<typeof roleTemplateSchema>;
export type PolicyFileConfig = z.infer<typeof policyFileSchema>;
export type OrgFileConfig = z.infer<typeof orgFileSchema>;
export type OuFileConfig = z.infer<typeof ouFileSchema>;
export type AccountFileConfig = z.infer<typeof accountFileSchema>;
export type DefaultBoundaryConfig = z.infer<typeof defaultBoundarySchema>;
export type TrustSpecConfig = z.infer<typeof trustSchema>;
export type ScpFileConfig = z.infer<typeof scpFileSchema>;
export type OrganizationSettingsConfig = z.infer<typeof organizationSettingsSchema>;
export type SecurityBaselineConfig = z.infer<typeof securityBaselineSchema>;
export type NetworkConfig = z.infer<typeof networkSchema>;

/** The file kinds under accounts/, each with its schema; the key is the JSON Schema file name stem. */
export const FILE_SCHEMAS = {
  org: orgFileSchema,
  ou: ouFileSchema,
  account: accountFileSchema,
  role: roleFileSchema,
  policy: policyFileSchema,
  scp: scpFileSchema,
  imports: importsFileSchema,
} as const;

export type FileKind = keyof typeof FILE_SCHEMAS;
