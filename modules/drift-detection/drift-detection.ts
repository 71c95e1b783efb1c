/**
 * Drift detection in one account: AWS Config recording IAM (one region), the IAM managed rules and a custom
 * rule, EventBridge rules on CloudTrail IAM calls and Config compliance changes, the drift Lambda, and a
 * KMS-encrypted SNS topic for alerts. Deploy it with a us-east-1 provider: IAM events arrive only there.
 */
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { ConfigConfigRule } from '@cdktf/provider-aws/lib/config-config-rule';
import { ConfigConfigurationRecorder } from '@cdktf/provider-aws/lib/config-configuration-recorder';
import { ConfigConfigurationRecorderStatus } from '@cdktf/provider-aws/lib/config-configuration-recorder-status';
import { ConfigDeliveryChannel } from '@cdktf/provider-aws/lib/config-delivery-channel';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { S3Object } from '@cdktf/provider-aws/lib/s3-object';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { Annotations, AssetType, Lazy, type TerraformProvider, TerraformAsset, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import type { LambdaNetwork } from '../lambda-network';
import type { DesiredStackMetadata, DriftScope } from '../../src/core/drift';
import { awsManagedPolicyArn, buildIamWriteEventNamePattern } from '../../src/core/iam';
import { buildStackDesiredInventory } from './desired-from-stack';
import { PolicyDocument, type PolicyDocumentJson } from '../../src/core/policy';
import { bundleDriftLambda } from './lambda-bundle';
import { listEscalationEventNames } from '../escalation-alarms/escalation-actions';
import { denyInsecureTransportStatement } from '../../src/core/iam';
import { driftMetricsEnvironment, driftMetricsStatement } from './drift-metrics-grant';

/** The only region where EventBridge receives IAM's CloudTrail events (EventBridge user guide, "IAM events"). */
export const IAM_EVENTS_REGION = 'us-east-1';

/** The IAM Config managed rules the module deploys, with their parameters. */
export const IAM_MANAGED_CONFIG_RULES: Readonly<Record<string, { readonly params?: Readonly<Record<string, string>>; readonly periodic: boolean }>> = {
  IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS: { params: { excludePermissionBoundaryPolicy: 'true' }, periodic: false },
  IAM_NO_INLINE_POLICY_CHECK: { periodic: false },
  IAM_USER_NO_POLICIES_CHECK: { periodic: false },
  IAM_ROOT_ACCESS_KEY_CHECK: { periodic: true },
  ROOT_ACCOUNT_MFA_ENABLED: { periodic: true },
  ACCESS_KEYS_ROTATED: { params: { maxAccessKeyAge: '90' }, periodic: true },
  IAM_USER_UNUSED_CREDENTIALS_CHECK: { params: { maxCredentialUsageAge: '90' }, periodic: true },
};

/** Name prefix of the module's resources when {@link DriftDetectionProps.namePrefix} is not set. */
export const DEFAULT_DRIFT_NAME_PREFIX = 'iam-platform-drift';

/** Name of the AWS Config rule the module deploys for a managed rule identifier (`IAM_NO_INLINE_POLICY_CHECK`). */
export function buildManagedConfigRuleName(identifier: string, prefix: string = DEFAULT_DRIFT_NAME_PREFIX): string {
  return `${prefix}-${identifier.toLowerCase().replace(/_/g, '-')}`;
}

/** Name of the module's custom AWS Config rule (IAM matches accounts/, backed by the drift Lambda). */
export function buildDesiredStateConfigRuleName(prefix: string = DEFAULT_DRIFT_NAME_PREFIX): string {
  return `${prefix}-desired-state`;
}

/** Names of every AWS Config rule the module deploys: the managed rules, then the custom rule. */
export function listPlatformConfigRuleNames(prefix: string = DEFAULT_DRIFT_NAME_PREFIX): readonly string[] {
  return [...Object.keys(IAM_MANAGED_CONFIG_RULES).map((id) => buildManagedConfigRuleName(id, prefix)), buildDesiredStateConfigRuleName(prefix)];
}

/** IAM CloudTrail calls the EventBridge rule matches: the one table in src/core/iam. */
export { IAM_WRITE_EVENT_NAMES } from '../../src/core/iam';

/** IAM resource types the recorder records (global: recorded in this one region only). */
export const RECORDED_IAM_RESOURCE_TYPES: readonly string[] = ['AWS::IAM::Role', 'AWS::IAM::Policy', 'AWS::IAM::User', 'AWS::IAM::Group'];

/** EventBridge pattern of the privilege-escalation IAM calls ({@link listEscalationEventNames}), whoever made them. */
export function buildEscalationCallEventPattern(): Record<string, unknown> {
  return {
    source: ['aws.iam'],
    'detail-type': ['AWS API Call via CloudTrail'],
    detail: { eventSource: ['iam.amazonaws.com'], eventName: listEscalationEventNames() },
  };
}

/**
 * The alert of one escalation call, naming who, what and where (EventBridge input transformer; a path
 * that is absent, such as errorCode of an allowed call, becomes an empty string).
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html
 */
export const ESCALATION_ALERT_TRANSFORMER = {
  inputPaths: {
    who: '$.detail.userIdentity.arn',
    what: '$.detail.eventName',
    account: '$.detail.recipientAccountId',
    region: '$.detail.awsRegion',
    time: '$.detail.eventTime',
    ip: '$.detail.sourceIPAddress',
    error: '$.detail.errorCode',
  },
  inputTemplate:
    '{"alert":"privilege-escalation-call","who":"<who>","what":"<what>","account":"<account>","region":"<region>","time":"<time>","sourceIp":"<ip>","errorCode":"<error>"}',
};

/** Props of {@link DriftDetection}. */
export interface DriftDetectionProps {
  /**
   * What the stack knows of the account beyond its resources (name, id, mode, protected and pipeline roles).
   * The desired inventory published to S3 is read from the stack's own IAM resources at synth, with it.
   */
  readonly metadata: DesiredStackMetadata;
  /**
   * The other stacks that deploy into the account (the organization stack into the management account, the
   * security baseline into the security account), asked at synth: their IAM resources are part of the account's
   * desired inventory, so the Lambda and the Config rule protect them as the account's own. Stacks pinned to
   * other accounts are left out.
   * @default - none: the desired inventory is this stack's IAM alone
   */
  readonly colocatedStacks?: () => readonly TerraformStack[];
  /** Region of the provider the module deploys with. @default 'us-east-1' */
  readonly region?: string;
  /** Provider to deploy with (a us-east-1 alias when the stack's default provider is elsewhere). @default - the stack's default provider */
  readonly provider?: TerraformProvider;
  /** Prefix of every resource name. @default 'iam-platform-drift' */
  readonly namePrefix?: string;
  /** Reserved concurrency of the Lambda (bounds remediation storms and cost). @default 2 */
  readonly reservedConcurrency?: number;
  /** Retention of the Lambda's log group, in days. @default 365 */
  readonly logRetentionDays?: number;
  /** Which resources the Lambda treats as the platform's. @default 'managed' */
  readonly scope?: DriftScope;
  /** DynamoDB table that keeps replaced documents (policy-version store). @default - journal in SNS messages and logs only */
  readonly versionTableName?: string;
  /** Folder with a prebuilt bundle (`index.js`). @default - bundled from src/lambda with esbuild at synth */
  readonly lambdaBundleDir?: string;
  /** Permission boundary of the module's two roles (the account's default boundary; the platform's guardrail requires one). @default - none */
  readonly permissionsBoundaryArn?: string;
  /** Bucket receiving S3 server access logs of the module's bucket (the org's log archive). @default - no access logging (checkov CKV_AWS_18 skipped) */
  readonly accessLogBucketName?: string;
  /**
   * Private network of the two functions (modules/lambda-network, with the same provider), from org.yaml
   * `network:`. Then checkov's CKV_AWS_117 passes and its entry in scan-suppressions.yaml is reported unused.
   * @default - no VPC: the functions call the public AWS endpoints
   */
  readonly network?: LambdaNetwork;
}

/**
 * checkov checks the module does not meet by design, with the reason; pass them as `--skip-check`
 * (terraform_json ignores inline suppressions).
 */
export const DRIFT_DETECTION_CHECKOV_SKIPS: Readonly<Record<string, string>> = {
  CKV_AWS_117: 'without org.yaml `network:`, the Lambda calls only public AWS APIs (IAM, S3, SNS, Config); with it, the functions run in private subnets and this check passes',
  CKV_AWS_272: 'code signing needs an AWS Signer profile per organization; the bundle is built and hashed by the pipeline',
  CKV2_AWS_62: 'the bucket holds Config snapshots and the desired inventory; nothing consumes object events',
  CKV_AWS_144: 'Config history is reproducible from AWS Config; cross-region replication is an org log-archive decision',
  CKV_AWS_18: 'access logging is enabled when accessLogBucketName is set (the org log archive); skip only without one',
  CKV2_AWS_45: 'the recorder records IAM resource types only, in the one region IAM events reach (by design: global types recorded once)',
  CKV2_AWS_48: 'as CKV2_AWS_45: all-resource, all-region recording is an organization Config decision (conformance pack)',
};

function json(document: PolicyDocumentJson): string {
  return PolicyDocument.fromJson(document).toString();
}

/** AWS Config, EventBridge, the drift Lambda and its alert topic, for one account. */
export class DriftDetection extends Construct {
  /** The alert topic. */
  public readonly topic: SnsTopic;
  /** The drift Lambda (both handlers share the bundle). */
  public readonly eventFunction: LambdaFunction;
  /** The Config custom rule's Lambda. */
  public readonly configRuleFunction: LambdaFunction;
  /** The bucket for Config delivery (`config/`) and the desired inventory (`desired/`). */
  public readonly bucket: S3Bucket;
  /** The CMK encrypting the bucket, topic, queue, logs and Lambda environment. */
  public readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: DriftDetectionProps) {
    super(scope, id);
    const desired = props.metadata;
    const accountId = desired.accountId;
    const region = props.region ?? IAM_EVENTS_REGION;
    const prefix = props.namePrefix ?? DEFAULT_DRIFT_NAME_PREFIX;
    const provider = props.provider;
    const common = provider ? { provider } : {};
    if (region !== IAM_EVENTS_REGION) {
      Annotations.of(this).addWarning(
        `drift-detection is deployed in ${region}, but IAM's CloudTrail events reach EventBridge only in ${IAM_EVENTS_REGION}: pass a ${IAM_EVENTS_REGION} provider`,
      );
    }
    const desiredKey = `desired/${desired.account}.json`;
    const bucketName = `${prefix}-${accountId}-${region}`;
    const logGroupName = `/aws/lambda/${prefix}`;
    const topicName = `${prefix}-alerts`;
    const arn = (service: string, resource: string) => `arn:aws:${service}:${region}:${accountId}:${resource}`;
    const topicArn = arn('sns', topicName);
    const escalationRuleName = `${prefix}-escalation-calls`;

    // Key: the account administers it; AWS services that encrypt with it are limited to this account.
    this.key = new KmsKey(this, 'key', {
      ...common,
      description: `iam-platform drift detection (${desired.account})`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: json({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'AccountAdministers', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'kms:*', Resource: '*' },
          {
            Sid: 'ServicesEncrypt',
            Effect: 'Allow',
            Principal: { Service: ['config.amazonaws.com', 'sns.amazonaws.com', 'events.amazonaws.com'] },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*', 'kms:Encrypt', 'kms:ReEncrypt*', 'kms:DescribeKey'],
            Resource: '*',
            Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
          },
          {
            // CloudWatch Logs names the log group in the encryption context (CloudWatch Logs user guide, "Encrypt log data").
            Sid: 'LogsEncrypt',
            Effect: 'Allow',
            Principal: { Service: `logs.${region}.amazonaws.com` },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*', 'kms:Encrypt', 'kms:ReEncrypt*', 'kms:DescribeKey'],
            Resource: '*',
            Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': arn('logs', 'log-group:*') } },
          },
        ],
      }),
    });
    new KmsAlias(this, 'key-alias', { ...common, name: `alias/${prefix}`, targetKeyId: this.key.keyId });

    // Bucket: Config delivery and the desired inventory.
    this.bucket = new S3Bucket(this, 'bucket', { ...common, bucket: bucketName, forceDestroy: false });
    new S3BucketOwnershipControls(this, 'bucket-ownership', { ...common, bucket: this.bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    new S3BucketPublicAccessBlock(this, 'bucket-public-access', {
      ...common,
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    if (props.accessLogBucketName) {
      new S3BucketLoggingA(this, 'bucket-logging', { ...common, bucket: this.bucket.id, targetBucket: props.accessLogBucketName, targetPrefix: `${bucketName}/` });
    }
    new S3BucketVersioningA(this, 'bucket-versioning', { ...common, bucket: this.bucket.id, versioningConfiguration: { status: 'Enabled' } });
    new S3BucketServerSideEncryptionConfigurationA(this, 'bucket-encryption', {
      ...common,
      bucket: this.bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: this.key.arn }, bucketKeyEnabled: true }],
    });
    new S3BucketLifecycleConfiguration(this, 'bucket-lifecycle', {
      ...common,
      bucket: this.bucket.id,
      rule: [
        {
          id: 'expire-old-versions',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          noncurrentVersionExpiration: [{ noncurrentDays: 365 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });
    const bucketArn = `arn:aws:s3:::${bucketName}`;
    new S3BucketPolicy(this, 'bucket-policy', {
      ...common,
      bucket: this.bucket.id,
      policy: json({
        Version: '2012-10-17',
        Statement: [
          denyInsecureTransportStatement(bucketArn),
          {
            Sid: 'ConfigChecksBucket',
            Effect: 'Allow',
            Principal: { Service: 'config.amazonaws.com' },
            Action: ['s3:GetBucketAcl', 's3:ListBucket'],
            Resource: bucketArn,
            Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
          },
          {
            Sid: 'ConfigDelivers',
            Effect: 'Allow',
            Principal: { Service: 'config.amazonaws.com' },
            Action: 's3:PutObject',
            Resource: `${bucketArn}/config/AWSLogs/${accountId}/Config/*`,
            Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
          },
        ],
      }),
    });
    new S3Object(this, 'desired-inventory', {
      ...common,
      bucket: this.bucket.id,
      key: desiredKey,
      // Read at synth from the IAM resources of every stack deploying into the account (this one and
      // `colocatedStacks`), after every construct (and aspect) is done: exactly what Terraform is told to
      // create, this module's roles included. Base64, so the policy variables in it (`${aws:username}`)
      // are no Terraform template and reach S3 byte for byte.
      contentBase64: Lazy.stringValue({
        produce: () => Buffer.from(JSON.stringify(buildStackDesiredInventory(TerraformStack.of(this), props.metadata, props.colocatedStacks?.() ?? [])), 'utf8').toString('base64'),
      }),
      contentType: 'application/json',
      serverSideEncryption: 'aws:kms',
      kmsKeyId: this.key.arn,
    });

    // Alerts: KMS-encrypted topic; EventBridge may publish Config compliance changes to it.
    this.topic = new SnsTopic(this, 'topic', { ...common, name: topicName, kmsMasterKeyId: this.key.arn });
    const complianceRule = new CloudwatchEventRule(this, 'compliance-change-rule', {
      ...common,
      name: `${prefix}-compliance-change`,
      description: 'IAM Config rules turning NON_COMPLIANT',
      eventPattern: JSON.stringify({
        source: ['aws.config'],
        'detail-type': ['Config Rules Compliance Change'],
        detail: { messageType: ['ComplianceChangeNotification'], newEvaluationResult: { complianceType: ['NON_COMPLIANT'] }, configRuleName: [{ prefix: `${prefix}-` }] },
      }),
    });
    new SnsTopicPolicy(this, 'topic-policy', {
      ...common,
      arn: this.topic.arn,
      policy: json({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'ComplianceAndEscalationEvents',
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: topicArn,
            Condition: { ArnEquals: { 'aws:SourceArn': [arn('events', `rule/${prefix}-compliance-change`), arn('events', `rule/${escalationRuleName}`)] } },
          },
        ],
      }),
    });
    new CloudwatchEventTarget(this, 'compliance-change-target', { ...common, rule: complianceRule.name, arn: this.topic.arn, targetId: 'alerts' });

    // Who, what and where of every privilege-escalation call in this account, allowed or refused: the IAM calls
    // of the linter's escalation table, straight from CloudTrail to the alert topic. (The organization trail's
    // CloudWatch alarms count the same calls across accounts, but an alarm cannot carry the caller.)
    const escalationRule = new CloudwatchEventRule(this, 'escalation-call-rule', {
      ...common,
      name: escalationRuleName,
      description: 'Privilege-escalation IAM calls (the escalation table), allowed or refused',
      eventPattern: JSON.stringify(buildEscalationCallEventPattern()),
    });
    new CloudwatchEventTarget(this, 'escalation-call-target', {
      ...common,
      rule: escalationRule.name,
      arn: this.topic.arn,
      targetId: 'alerts',
      inputTransformer: ESCALATION_ALERT_TRANSFORMER,
    });

    // AWS Config: IAM's global resource types, recorded in this one region.
    const boundary = props.permissionsBoundaryArn ? { permissionsBoundary: props.permissionsBoundaryArn } : {};
    const configRole = new IamRole(this, 'config-role', {
      ...common,
      ...boundary,
      name: `${prefix}-config`,
      assumeRolePolicy: json({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'config.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': accountId } } }],
      }),
    });
    new IamRolePolicyAttachment(this, 'config-role-managed', { ...common, role: configRole.name, policyArn: awsManagedPolicyArn('service-role/AWS_ConfigRole') });
    new IamRolePolicy(this, 'config-role-delivery', {
      ...common,
      role: configRole.name,
      name: 'delivery',
      policy: json({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'Deliver', Effect: 'Allow', Action: 's3:PutObject', Resource: `${bucketArn}/config/AWSLogs/${accountId}/Config/*`, Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } } },
          { Sid: 'CheckBucket', Effect: 'Allow', Action: 's3:GetBucketAcl', Resource: bucketArn },
          { Sid: 'Encrypt', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: arn('kms', 'key/*'), Condition: { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } } },
        ],
      }),
    });
    const recorder = new ConfigConfigurationRecorder(this, 'recorder', {
      ...common,
      name: prefix,
      roleArn: configRole.arn,
      recordingGroup: { allSupported: false, includeGlobalResourceTypes: false, resourceTypes: [...RECORDED_IAM_RESOURCE_TYPES] },
    });
    const channel = new ConfigDeliveryChannel(this, 'delivery-channel', {
      ...common,
      name: prefix,
      s3BucketName: this.bucket.id,
      s3KeyPrefix: 'config',
      s3KmsKeyArn: this.key.arn,
      // No snsTopicArn: every configuration change would reach the alert topic. NON_COMPLIANT changes
      // reach it through the compliance-change rule instead.
      dependsOn: [recorder],
    });
    new ConfigConfigurationRecorderStatus(this, 'recorder-status', { ...common, name: recorder.name, isEnabled: true, dependsOn: [channel] });

    // The Lambda: one bundle, two functions (CloudTrail events; Config custom rule).
    const asset = new TerraformAsset(this, 'lambda-asset', { path: props.lambdaBundleDir ?? bundleDriftLambda(), type: AssetType.ARCHIVE });
    const dlq = new SqsQueue(this, 'dlq', { ...common, name: `${prefix}-dlq`, kmsMasterKeyId: this.key.arn, messageRetentionSeconds: 1_209_600 });
    const logGroup = new CloudwatchLogGroup(this, 'log-group', { ...common, name: logGroupName, retentionInDays: props.logRetentionDays ?? 365, kmsKeyId: this.key.arn });
    const remediates = desired.mode === 'remediate';
    const functionArns = [arn('lambda', `function:${prefix}`), arn('lambda', `function:${prefix}-config-rule`)];
    // The role cannot be borrowed: Lambda of this account only (aws:SourceAccount). An aws:SourceArn condition on
    // the function is not used: Lambda does not document setting it when it assumes an execution role, and a
    // condition that is absent at AssumeRole would stop the drift functions from starting. What pins the role to
    // the two functions is the documented lambda:SourceFunctionArn in the IAM-write deny below, and the SCP that
    // reserves iam:PassRole of this role and writes to the functions to the pipeline.
    const role = new IamRole(this, 'lambda-role', {
      ...common,
      ...boundary,
      name: `${prefix}-handler`,
      assumeRolePolicy: json({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'DriftFunctionsOnly',
            Effect: 'Allow',
            Principal: { Service: 'lambda.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'aws:SourceAccount': accountId } },
          },
        ],
      }),
    });
    new IamRolePolicy(this, 'lambda-role-policy', {
      ...common,
      role: role.name,
      name: 'drift',
      policy: json(this.lambdaPolicy(props, { region, prefix, bucketArn, desiredKey, topicArn, logGroupName, remediates, arn, functionArns })),
    });

    const environment = {
      variables: {
        DESIRED_INVENTORY_BUCKET: bucketName,
        DESIRED_INVENTORY_KEY: desiredKey,
        ALERT_TOPIC_ARN: topicArn,
        DRIFT_SCOPE: props.scope ?? 'managed',
        ...(props.versionTableName ? { POLICY_VERSION_TABLE: props.versionTableName } : {}),
        ...driftMetricsEnvironment(),
      },
    };
    // In the private network option, the role manages the functions' ENIs; the functions wait for that grant.
    const placement = props.network?.grantFunctionPlacement(this, 'lambda-role-vpc-access', role.name);
    const makeFunction = (fid: string, name: string, handler: string, description: string) =>
      new LambdaFunction(this, fid, {
        ...common,
        functionName: name,
        description,
        role: role.arn,
        runtime: 'nodejs22.x',
        architectures: ['arm64'],
        handler,
        filename: asset.path,
        sourceCodeHash: asset.assetHash,
        timeout: 300,
        memorySize: 512,
        reservedConcurrentExecutions: props.reservedConcurrency ?? 2,
        deadLetterConfig: { targetArn: dlq.arn },
        tracingConfig: { mode: 'Active' },
        kmsKeyArn: this.key.arn,
        environment,
        loggingConfig: { logFormat: 'JSON', logGroup: logGroup.name },
        ...(props.network ? { vpcConfig: props.network.functionVpcConfig() } : {}),
        dependsOn: placement ? [logGroup, placement] : [logGroup],
      });
    this.eventFunction = makeFunction('event-function', prefix, 'index.iamEventHandler', 'iam-platform: alert on or remediate IAM changes from CloudTrail');
    this.configRuleFunction = makeFunction('config-rule-function', `${prefix}-config-rule`, 'index.configRuleHandler', 'iam-platform: AWS Config custom rule for IAM drift');

    // EventBridge: IAM write calls from CloudTrail (us-east-1).
    const iamRule = new CloudwatchEventRule(this, 'iam-call-rule', {
      ...common,
      name: `${prefix}-iam-calls`,
      description: 'IAM write calls recorded by CloudTrail',
      eventPattern: JSON.stringify({
        source: ['aws.iam'],
        'detail-type': ['AWS API Call via CloudTrail'],
        // Every IAM write call (one prefix per verb of the shared table; the handler keeps the exact names),
        // whoever made it: calls by platform roles are verified against the desired state, not filtered out.
        detail: { eventSource: ['iam.amazonaws.com'], eventName: [...buildIamWriteEventNamePattern()] },
      }),
    });
    new CloudwatchEventTarget(this, 'iam-call-target', { ...common, rule: iamRule.name, arn: this.eventFunction.arn, targetId: 'drift-handler' });
    new LambdaPermission(this, 'iam-call-permission', {
      ...common,
      statementId: 'EventBridgeIamCalls',
      action: 'lambda:InvokeFunction',
      functionName: this.eventFunction.functionName,
      principal: 'events.amazonaws.com',
      sourceArn: iamRule.arn,
      sourceAccount: accountId,
    });

    // Config rules: the IAM managed rules, and the custom rule backed by the Lambda.
    const configPermission = new LambdaPermission(this, 'config-rule-permission', {
      ...common,
      statementId: 'ConfigCustomRule',
      action: 'lambda:InvokeFunction',
      functionName: this.configRuleFunction.functionName,
      principal: 'config.amazonaws.com',
      sourceAccount: accountId,
    });
    for (const [identifier, rule] of Object.entries(IAM_MANAGED_CONFIG_RULES)) {
      new ConfigConfigRule(this, `rule-${identifier.toLowerCase().replace(/_/g, '-')}`, {
        ...common,
        name: buildManagedConfigRuleName(identifier, prefix),
        source: { owner: 'AWS', sourceIdentifier: identifier },
        ...(rule.params ? { inputParameters: JSON.stringify(rule.params) } : {}),
        ...(rule.periodic ? { maximumExecutionFrequency: 'TwentyFour_Hours' } : {}),
        dependsOn: [recorder],
      });
    }
    new ConfigConfigRule(this, 'rule-desired-state', {
      ...common,
      name: buildDesiredStateConfigRuleName(prefix),
      description: 'IAM roles and policies carry the managed-by tag and match accounts/',
      source: {
        owner: 'CUSTOM_LAMBDA',
        sourceIdentifier: this.configRuleFunction.arn,
        sourceDetail: [
          { eventSource: 'aws.config', messageType: 'ConfigurationItemChangeNotification' },
          { eventSource: 'aws.config', messageType: 'OversizedConfigurationItemChangeNotification' },
          { eventSource: 'aws.config', messageType: 'ScheduledNotification', maximumExecutionFrequency: 'TwentyFour_Hours' },
        ],
      },
      scope: { complianceResourceTypes: ['AWS::IAM::Role', 'AWS::IAM::Policy'] },
      dependsOn: [recorder, configPermission],
    });
  }

  /** Least privilege for the handlers: read IAM, publish alerts, and (remediate mode) the remediation calls on roles and policies, never on protected roles. */
  private lambdaPolicy(
    props: DriftDetectionProps,
    c: {
      readonly region: string;
      readonly prefix: string;
      readonly bucketArn: string;
      readonly desiredKey: string;
      readonly topicArn: string;
      readonly logGroupName: string;
      readonly remediates: boolean;
      readonly arn: (service: string, resource: string) => string;
      readonly functionArns: readonly string[];
    },
  ): PolicyDocumentJson {
    const accountId = props.metadata.accountId;
    const roleArns = `arn:aws:iam::${accountId}:role/*`;
    const policyArns = `arn:aws:iam::${accountId}:policy/*`;
    // Exact ARNs of the roles the platform protects (break-glass, pipeline, deploy), never a name pattern.
    const protectedRoles = [...new Set(props.metadata.protectedRoleArns)].sort();
    const statements = [
      { Sid: 'Logs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `${c.arn('logs', `log-group:${c.logGroupName}`)}:*` },
      // X-Ray trace writes have no resource-level permissions (Service Authorization Reference, AWS X-Ray).
      { Sid: 'Tracing', Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' },
      { Sid: 'DeadLetters', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: c.arn('sqs', `${c.prefix}-dlq`) },
      // The key by its alias, not its ARN: the ARN is known only after apply, and this document is part of
      // the desired state, which must be known at synth.
      {
        Sid: 'Key',
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: c.arn('kms', 'key/*'),
        Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': `alias/${c.prefix}` } },
      },
      { Sid: 'DesiredInventory', Effect: 'Allow', Action: 's3:GetObject', Resource: `${c.bucketArn}/${c.desiredKey}` },
      // Full alert records (the SNS message links them; it carries a summary when the record is too large).
      { Sid: 'AlertRecords', Effect: 'Allow', Action: 's3:PutObject', Resource: `${c.bucketArn}/alerts/*` },
      { Sid: 'Alerts', Effect: 'Allow', Action: 'sns:Publish', Resource: c.topicArn },
      // Drift counts for the dashboard, into the platform's namespace only.
      driftMetricsStatement(),
      // config:PutEvaluations has no resource-level permissions (Service Authorization Reference, AWS Config).
      { Sid: 'Evaluations', Effect: 'Allow', Action: 'config:PutEvaluations', Resource: '*' },
      // GetAccountAuthorizationDetails has no resource-level permissions (Service Authorization Reference, IAM).
      { Sid: 'ReadAccount', Effect: 'Allow', Action: 'iam:GetAccountAuthorizationDetails', Resource: '*' },
      {
        Sid: 'ReadIam',
        Effect: 'Allow',
        Action: [
          'iam:GetRole',
          'iam:GetRolePolicy',
          'iam:ListRolePolicies',
          'iam:ListAttachedRolePolicies',
          'iam:ListRoles',
          'iam:GetPolicy',
          'iam:GetPolicyVersion',
          'iam:ListPolicyVersions',
          'iam:ListPolicyTags',
        ],
        Resource: [roleArns, policyArns],
      },
      ...(c.remediates
        ? [
            {
              Sid: 'RemediateRoles',
              Effect: 'Allow',
              Action: [
                'iam:DeleteRolePolicy',
                'iam:PutRolePolicy',
                'iam:DetachRolePolicy',
                'iam:AttachRolePolicy',
                'iam:UpdateAssumeRolePolicy',
                'iam:PutRolePermissionsBoundary',
                'iam:DeleteRolePermissionsBoundary',
                'iam:UpdateRole',
                'iam:TagRole',
                'iam:UntagRole',
              ],
              Resource: roleArns,
            },
            { Sid: 'RemediatePolicies', Effect: 'Allow', Action: ['iam:CreatePolicyVersion', 'iam:DeletePolicyVersion', 'iam:SetDefaultPolicyVersion'], Resource: policyArns },
            // Defence in depth: the handler skips protected roles; the role cannot change them either.
            ...(protectedRoles.length > 0
              ? [
                  {
                    Sid: 'NeverTouchProtectedRoles',
                    Effect: 'Deny',
                    Action: ['iam:Put*', 'iam:Delete*', 'iam:Attach*', 'iam:Detach*', 'iam:Update*', 'iam:Tag*', 'iam:Untag*'],
                    Resource: protectedRoles,
                  },
                ]
              : []),
            // Credentials taken out of the function cannot write IAM: Lambda stamps lambda:SourceFunctionArn on
            // every call made from the function's code (Lambda developer guide, "source function ARN").
            {
              Sid: 'WritesOnlyFromTheDriftFunctions',
              Effect: 'Deny',
              Action: ['iam:Put*', 'iam:Delete*', 'iam:Attach*', 'iam:Detach*', 'iam:Update*', 'iam:Tag*', 'iam:Untag*', 'iam:Create*', 'iam:SetDefaultPolicyVersion'],
              Resource: '*',
              Condition: { ArnNotEquals: { 'lambda:SourceFunctionArn': [...c.functionArns] } },
            },
          ]
        : []),
      // Replaced documents, and the one-remediation-per-account lock item (conditional put, owner-conditional delete).
      ...(props.versionTableName
        ? [{ Sid: 'VersionStoreAndLock', Effect: 'Allow', Action: ['dynamodb:PutItem', 'dynamodb:DeleteItem'], Resource: c.arn('dynamodb', `table/${props.versionTableName}`) }]
        : []),
    ];
    return { Version: '2012-10-17', Statement: statements } as PolicyDocumentJson;
  }
}
