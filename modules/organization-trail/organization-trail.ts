import { Cloudtrail } from '@cdktf/provider-aws/lib/cloudtrail';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { SourceRef } from '../../src/core/model';
import { markSource } from '../source-marker';
import { buildTrailArn } from './trail-names';
import { customerManagedKeyConfig } from '../customer-managed-key';

/** Props of {@link OrganizationTrail}. */
export interface OrganizationTrailProps {
  /** Trail name. */
  readonly name: string;
  /** Management account id: the trail's home account (the stack's default provider). */
  readonly managementAccountId: string;
  /** Home region of the trail (the default provider's region). */
  readonly region: string;
  /** Log bucket name (see {@link TrailStorage}). */
  readonly bucketName: string;
  /** KMS key of the log files: key ARN or alias ARN (`TrailStorage.keyAliasArn` when the key is in another account's stack). */
  readonly kmsKeyArn: string;
  /** CloudWatch Logs group of the trail. */
  readonly logGroupName: string;
  /** Retention of the log group in days (at least 365). */
  readonly logRetentionDays: number;
  /** Where the trail is configured (org.yaml), for source markers. */
  readonly source: SourceRef;
  /** Resources that must exist before the trail (the bucket policy, when in the same stack). @default - none */
  readonly dependsOn?: readonly ITerraformDependable[];
  /** AWS partition. @default 'aws' */
  readonly partition?: string;
}

/** A policy document as literal JSON (checkov reads literal policies; references would make it skip them). */
function policy(statements: readonly Record<string, unknown>[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

/**
 * The organization CloudTrail in the management account (checkov CKV_AWS_35/36/67/251/252, CKV2_AWS_10):
 * one multi-region organization trail with log file validation and global service events, log files
 * encrypted with the customer managed key of {@link TrailStorage}, delivered to its bucket, to a
 * KMS-encrypted CloudWatch Logs group (the IAM-change alarms read it) and notified to a KMS-encrypted
 * SNS topic. Every policy is literal JSON.
 */
export class OrganizationTrail extends Construct {
  /** The trail. */
  public readonly trail: Cloudtrail;
  /** The trail's ARN, known at synth (`arn:aws:cloudtrail:<region>:<management>:trail/<name>`). */
  public readonly trailArn: string;
  /** KMS key of the log group and the notification topic. */
  public readonly logsKey: KmsKey;
  /** The CloudWatch Logs group the trail delivers to. */
  public readonly logGroup: CloudwatchLogGroup;
  /** The topic CloudTrail notifies on each log file delivery. */
  public readonly topic: SnsTopic;

  constructor(scope: Construct, id: string, props: OrganizationTrailProps) {
    super(scope, id);
    const partition = props.partition ?? 'aws';
    const mgmt = props.managementAccountId;
    const region = props.region;
    this.trailArn = buildTrailArn({ partition, region, accountId: mgmt, name: props.name });
    const trailArnCondition = { StringEquals: { 'aws:SourceArn': this.trailArn } };
    const topicName = `${props.name}-notifications`;
    const topicArn = `arn:${partition}:sns:${region}:${mgmt}:${topicName}`;
    const logGroupArn = `arn:${partition}:logs:${region}:${mgmt}:log-group:${props.logGroupName}`;

    this.logsKey = new KmsKey(
      this,
      'logs-key',
      customerManagedKeyConfig({
        description: `Encrypts the ${props.name} CloudWatch Logs group and notification topic`,
        accountId: mgmt,
        partition,
        grants: [
        {
          Sid: 'CloudWatchLogs',
          Effect: 'Allow',
          Principal: { Service: `logs.${region}.amazonaws.com` },
          Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
          Resource: '*',
          Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': logGroupArn } },
        },
        {
          Sid: 'CloudTrailPublishToEncryptedTopic',
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
          Resource: '*',
          Condition: trailArnCondition,
        },
        ],
      }),
    );
    markSource(this.logsKey, props.source);

    this.logGroup = new CloudwatchLogGroup(this, 'log-group', { name: props.logGroupName, retentionInDays: props.logRetentionDays, kmsKeyId: this.logsKey.arn });
    markSource(this.logGroup, props.source);

    const role = new IamRole(this, 'delivery-role', {
      name: `${props.name}-cloudwatch-logs`,
      description: `CloudTrail delivers the ${props.name} trail to CloudWatch Logs`,
      assumeRolePolicy: policy([{ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: trailArnCondition }]),
    });
    markSource(role, props.source);
    const rolePolicy = new IamRolePolicy(this, 'delivery-policy', {
      name: 'deliver-to-cloudwatch-logs',
      role: role.id,
      policy: policy([{ Sid: 'DeliverTrailEvents', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: `${logGroupArn}:log-stream:*` }]),
    });

    this.topic = new SnsTopic(this, 'topic', { name: topicName, kmsMasterKeyId: this.logsKey.arn });
    markSource(this.topic, props.source);
    const topicPolicy = new SnsTopicPolicy(this, 'topic-policy', {
      arn: this.topic.arn,
      policy: policy([
        { Sid: 'CloudTrailPublish', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'SNS:Publish', Resource: topicArn, Condition: trailArnCondition },
      ]),
    });

    this.trail = new Cloudtrail(this, 'trail', {
      name: props.name,
      s3BucketName: props.bucketName,
      isOrganizationTrail: true,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      enableLogging: true,
      kmsKeyId: props.kmsKeyArn,
      cloudWatchLogsGroupArn: `${this.logGroup.arn}:*`,
      cloudWatchLogsRoleArn: role.arn,
      // The topic's name, not its ARN: the topic is in the trail's account and region, and the AWS provider reads
      // such a topic back as its name, so an ARN here would be planned again after every apply (seen in the e2e).
      snsTopicName: this.topic.name,
      dependsOn: [...(props.dependsOn ?? []), rolePolicy, topicPolicy],
    });
    markSource(this.trail, props.source);
  }
}
