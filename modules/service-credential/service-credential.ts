import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretRotation } from '@cdktf/provider-aws/lib/secretsmanager-secret-rotation';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { AssetType, type ITerraformDependable, TerraformAsset } from 'cdktf';
import { Construct } from 'constructs';
import { serviceCredentialFunctionName, serviceCredentialPrefix, serviceCredentialRoleName, serviceCredentialSecretName } from '../../src/core/credentials';
import { ERROR_CODES, IamPlatformError } from '../../src/core/errors';
import type { SourceRef } from '../../src/core/model';
import { customerManagedKeyConfig } from '../customer-managed-key';
import type { LambdaNetwork } from '../lambda-network';
import type { RoleFacts } from '../guardrails/facts';
import { markSource } from '../source-marker';
import { PolicyDocument } from '../../src/core/policy';
import { bundleRotationLambda } from './rotation-bundle';

/** Longest rotation interval: CIS and checkov CKV_AWS_304 want secrets rotated within 90 days. */
export const MAX_ROTATION_DAYS = 90;
/** How often the sweep looks for superseded keys whose grace period is over. */
export const SWEEP_SCHEDULE = 'rate(1 hour)';
/** Seconds in an hour. */
const HOUR_SECONDS = 3600;
/** Seconds in a day. */
const DAY_SECONDS = 86_400;
/** SQS' longest retention (14 days), for the dead-letter queue. @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html */
const DLQ_RETENTION_SECONDS = 1_209_600;

/**
 * checkov checks the module does not meet by design, with the reason (pass as `--skip-check`; the scan gate
 * uses scan-suppressions.yaml). CKV_AWS_117 (Lambda in a VPC) is not here: pass `network` to meet it.
 */
export const SERVICE_CREDENTIAL_CHECKOV_SKIPS: Readonly<Record<string, string>> = {
  CKV_AWS_272: 'code signing needs an AWS Signer profile per organization; the bundle is built and hashed by the pipeline',
};

/** Why the rotation role has no permission boundary (the guardrails require a written reason). */
export const ROTATION_ROLE_BOUNDARY_OPT_OUT =
  "the platform boundary denies iam:CreateAccessKey, this role's one job; its own policy allows the keys of one user and one secret only";

/** Props of {@link ServiceCredential}. */
export interface ServiceCredentialProps {
  /** The existing IAM user whose access key the secret holds (a service account that cannot move to a role). */
  readonly userName: string;
  /** IAM path of the user. @default '/' */
  readonly userPath?: string;
  /** Account id of the user, the secret and the function. */
  readonly accountId: string;
  /** Region of the secret and the function (the provider's). */
  readonly region: string;
  /** Where the credential is configured, for source markers. */
  readonly source: SourceRef;
  /** Days between rotations (1–90). @default 30 */
  readonly rotationDays?: number;
  /** Hours a superseded key keeps working; shorter than the rotation interval. @default 24 */
  readonly graceHours?: number;
  /** Private network of the function (modules/lambda-network). @default - no VPC: public AWS endpoints */
  readonly network?: LambdaNetwork;
  /** Prefix of every name. @default 'iam-platform-credential-<user>' */
  readonly namePrefix?: string;
  /** Folder with a prebuilt bundle (`index.js`). @default - bundled from src/lambda/rotation with esbuild at synth */
  readonly lambdaBundleDir?: string;
  /** AWS partition. @default 'aws' */
  readonly partition?: string;
}

/**
 * A Secrets Manager secret, encrypted with its own customer managed key, that holds an IAM user's access
 * key, and the rotation Lambda that replaces the key every `rotationDays`: it creates the new key, stores
 * and tests it, makes it current, and deletes the old key once `graceHours` have passed (hourly sweep).
 */
export class ServiceCredential extends Construct {
  /** What the guardrails see of the rotation role: its boundary opt-out is written here, with the reason. */
  public readonly guardrailFacts: RoleFacts;
  public readonly secret: SecretsmanagerSecret;
  public readonly key: KmsKey;
  public readonly rotationFunction: LambdaFunction;

  constructor(scope: Construct, id: string, props: ServiceCredentialProps) {
    super(scope, id);
    const partition = props.partition ?? 'aws';
    const rotationDays = props.rotationDays ?? 30;
    const graceHours = props.graceHours ?? 24;
    if (!Number.isInteger(rotationDays) || rotationDays < 1 || rotationDays > MAX_ROTATION_DAYS) {
      throw new IamPlatformError(ERROR_CODES.INVALID_CONFIG, `rotationDays ${rotationDays} is out of range: rotate every 1 to ${MAX_ROTATION_DAYS} days (MAX_ROTATION_DAYS)`);
    }
    if (graceHours < 0 || graceHours * HOUR_SECONDS >= rotationDays * DAY_SECONDS) {
      throw new IamPlatformError(
        ERROR_CODES.INVALID_CONFIG,
        `graceHours ${graceHours} must be at least 0 and shorter than the rotation interval (${rotationDays} days): IAM allows two keys per user, so a rotation ends the previous grace period`,
      );
    }
    const prefix = props.namePrefix ?? serviceCredentialPrefix(props.userName);
    const functionName = serviceCredentialFunctionName(prefix);
    const arn = (service: string, resource: string) => `arn:${partition}:${service}:${props.region}:${props.accountId}:${resource}`;
    const userArn = `arn:${partition}:iam::${props.accountId}:user${props.userPath ?? '/'}${props.userName}`;
    const logGroupName = `/aws/lambda/${functionName}`;
    const secretName = serviceCredentialSecretName(props.userName);

    this.key = new KmsKey(
      this,
      'key',
      customerManagedKeyConfig({
        description: `Encrypts the access key of IAM user ${props.userName} (secret, function environment, logs, dead letters)`,
        accountId: props.accountId,
        partition,
        grants: [
          {
            Sid: 'CloudWatchLogs',
            Effect: 'Allow',
            Principal: { Service: `logs.${props.region}.amazonaws.com` },
            Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
            Resource: '*',
            Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': arn('logs', `log-group:${logGroupName}`) } },
          },
        ],
      }),
    );
    markSource(this.key, props.source);
    this.secret = new SecretsmanagerSecret(this, 'secret', {
      name: secretName,
      description: `Access key of IAM user ${props.userName}, rotated every ${rotationDays} days by ${functionName}`,
      kmsKeyId: this.key.arn,
      recoveryWindowInDays: 30,
    });
    markSource(this.secret, props.source);

    // Names, not references, in the role's policy: the desired state drift compares against is read from the
    // stack at synth, where a key id is not known yet. The key is named by its alias (kms:ResourceAliases).
    const keyAlias = `alias/${prefix}`;
    new KmsAlias(this, 'key-alias', { name: keyAlias, targetKeyId: this.key.keyId });
    const dlqName = `${functionName.slice(0, 76)}-dlq`;
    const dlq = new SqsQueue(this, 'dlq', { name: dlqName, kmsMasterKeyId: this.key.arn, messageRetentionSeconds: DLQ_RETENTION_SECONDS });
    const logGroup = new CloudwatchLogGroup(this, 'log-group', { name: logGroupName, retentionInDays: 365, kmsKeyId: this.key.arn });
    // No permissions boundary: the platform boundary denies iam:CreateAccessKey, which is this role's job.
    // Its own policy limits it to this one user's keys and this one secret.
    const roleName = serviceCredentialRoleName(prefix);
    const trust = PolicyDocument.fromJson({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': props.accountId } } }],
    });
    const role = new IamRole(this, 'role', {
      name: roleName,
      description: `Rotates the access key of IAM user ${props.userName}`,
      assumeRolePolicy: trust.toString(),
    });
    markSource(role, props.source);
    this.guardrailFacts = {
      kind: 'role',
      name: roleName,
      path: '/',
      accountId: props.accountId,
      source: props.source,
      boundaryOptOutReason: ROTATION_ROLE_BOUNDARY_OPT_OUT,
      assumeRolePolicy: trust,
      inlinePolicies: [],
      managedPolicyCount: props.network ? 1 : 0,
    };
    const policy = new IamRolePolicy(this, 'role-policy', {
      name: 'rotate-one-access-key',
      role: role.name,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Sid: 'UserKeys', Effect: 'Allow', Action: ['iam:ListAccessKeys', 'iam:CreateAccessKey', 'iam:DeleteAccessKey'], Resource: userArn },
          {
            Sid: 'Secret',
            Effect: 'Allow',
            Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage'],
            Resource: arn('secretsmanager', `secret:${secretName}-*`),
          },
          {
            Sid: 'Key',
            Effect: 'Allow',
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
            Resource: arn('kms', 'key/*'),
            Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': keyAlias } },
          },
          { Sid: 'Logs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `${arn('logs', `log-group:${logGroupName}`)}:*` },
          { Sid: 'DeadLetters', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: arn('sqs', dlqName) },
          // X-Ray trace writes have no resource-level permissions (Service Authorization Reference, AWS X-Ray).
          { Sid: 'Tracing', Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' },
        ],
      }),
    });
    const dependsOn: ITerraformDependable[] = [logGroup, policy];
    if (props.network) dependsOn.push(props.network.grantFunctionPlacement(this, 'vpc-access', role.name));
    const asset = new TerraformAsset(this, 'lambda-asset', { path: props.lambdaBundleDir ?? bundleRotationLambda(), type: AssetType.ARCHIVE });
    this.rotationFunction = new LambdaFunction(this, 'function', {
      functionName,
      description: `iam-platform: rotates the access key of IAM user ${props.userName}`,
      role: role.arn,
      runtime: 'nodejs22.x',
      architectures: ['arm64'],
      handler: 'index.handler',
      filename: asset.path,
      sourceCodeHash: asset.assetHash,
      timeout: 120,
      memorySize: 256,
      reservedConcurrentExecutions: 1,
      deadLetterConfig: { targetArn: dlq.arn },
      tracingConfig: { mode: 'Active' },
      kmsKeyArn: this.key.arn,
      environment: { variables: { SERVICE_USER_NAME: props.userName, SECRET_ARN: this.secret.arn, GRACE_PERIOD_SECONDS: String(graceHours * HOUR_SECONDS) } },
      loggingConfig: { logFormat: 'JSON', logGroup: logGroup.name },
      ...(props.network ? { vpcConfig: props.network.functionVpcConfig() } : {}),
      dependsOn,
    });
    markSource(this.rotationFunction, props.source);
    const invoke = new LambdaPermission(this, 'secrets-manager-invoke', {
      action: 'lambda:InvokeFunction',
      functionName: this.rotationFunction.functionName,
      principal: 'secretsmanager.amazonaws.com',
      sourceArn: this.secret.arn,
      sourceAccount: props.accountId,
    });
    new SecretsmanagerSecretRotation(this, 'rotation', {
      secretId: this.secret.id,
      rotationLambdaArn: this.rotationFunction.arn,
      rotationRules: { automaticallyAfterDays: rotationDays },
      dependsOn: [invoke],
    });

    const sweep = new CloudwatchEventRule(this, 'sweep-schedule', {
      name: `${functionName}-sweep`.slice(0, 64),
      description: `Deletes the superseded access key of ${props.userName} once its ${graceHours} h grace period is over`,
      scheduleExpression: SWEEP_SCHEDULE,
    });
    new CloudwatchEventTarget(this, 'sweep-target', { rule: sweep.name, arn: this.rotationFunction.arn, input: JSON.stringify({ action: 'sweep' }) });
    new LambdaPermission(this, 'sweep-invoke', {
      action: 'lambda:InvokeFunction',
      functionName: this.rotationFunction.functionName,
      principal: 'events.amazonaws.com',
      sourceArn: sweep.arn,
      sourceAccount: props.accountId,
    });
  }
}
