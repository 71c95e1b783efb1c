import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import type { SourceRef } from '../../src/core/model';
import { markSource } from '../source-marker';
import { LogBucket } from './log-bucket';
import { buildTrailArn, buildTrailKeyAliasArn, trailKeyAliasName } from './trail-names';
import { customerManagedKeyConfig } from '../customer-managed-key';

/** Days a trail log object stays in S3 Standard before moving to Glacier Flexible Retrieval. */
export const TRAIL_LOG_TRANSITION_DAYS = 90;

/** Props of {@link TrailStorage}. */
export interface TrailStorageProps {
  /** Name of the trail that writes here. */
  readonly trailName: string;
  /** Management account id: the trail's home account. */
  readonly managementAccountId: string;
  /** Home region of the trail. */
  readonly trailRegion: string;
  /** Account id this storage lives in (the log-archive account). */
  readonly accountId: string;
  /** Region of the bucket and the key (the log-archive account's primary region). */
  readonly region: string;
  /** Log bucket name (globally unique). */
  readonly bucketName: string;
  /** Where the trail is configured (org.yaml), for source markers. */
  readonly source: SourceRef;
  /** Provider of the log-archive account. @default - the stack's default provider */
  readonly provider?: AwsProvider;
  /** AWS partition. @default 'aws' */
  readonly partition?: string;
}

/**
 * The log-archive side of the organization trail: a customer managed KMS key (rotated, alias
 * `alias/<trail>`) that only this trail may encrypt with, the log bucket (versioned, KMS-encrypted,
 * private, TLS-only, lifecycle, access-logged) and its access-log bucket (SSE-S3: S3 server access
 * logging cannot deliver to SSE-KMS buckets). Every policy is literal JSON from names and account ids,
 * so it needs nothing from the management account's state.
 */
export class TrailStorage extends Construct {
  /** The trail's KMS key. */
  public readonly key: KmsKey;
  /** The key's alias ARN, literal: what the trail names as its key (`arn:aws:kms:<region>:<id>:alias/<trail>`). */
  public readonly keyAliasArn: string;
  /** The log bucket. */
  public readonly bucket: LogBucket;
  /** The access-log bucket of the log bucket. */
  public readonly accessLogBucket: LogBucket;

  constructor(scope: Construct, id: string, props: TrailStorageProps) {
    super(scope, id);
    const partition = props.partition ?? 'aws';
    const provider = props.provider;
    const trailArn = buildTrailArn({ partition, region: props.trailRegion, accountId: props.managementAccountId, name: props.trailName });
    const trailArnCondition = { StringEquals: { 'aws:SourceArn': trailArn } };
    const aliasName = trailKeyAliasName(props.trailName);
    this.keyAliasArn = buildTrailKeyAliasArn({ partition, region: props.region, accountId: props.accountId, trailName: props.trailName });

    this.key = new KmsKey(
      this,
      'key',
      customerManagedKeyConfig({
        provider,
        description: `Encrypts the ${props.trailName} organization trail and its bucket ${props.bucketName}`,
        accountId: props.accountId,
        partition,
        grants: [
          {
            Sid: 'CloudTrailEncryptLogs',
            Effect: 'Allow',
            Principal: { Service: 'cloudtrail.amazonaws.com' },
            Action: 'kms:GenerateDataKey*',
            Resource: '*',
            Condition: {
              StringEquals: { 'aws:SourceArn': trailArn },
              StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${partition}:cloudtrail:*:${props.managementAccountId}:trail/*` },
            },
          },
          { Sid: 'CloudTrailDescribeKey', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:DescribeKey', Resource: '*', Condition: trailArnCondition },
        ],
      }),
    );
    markSource(this.key, props.source);
    markSource(new KmsAlias(this, 'alias', { provider, name: aliasName, targetKeyId: this.key.keyId }), props.source);

    this.accessLogBucket = new LogBucket(this, 'access-logs', {
      provider,
      bucketName: `${props.bucketName}-access-logs`,
      source: props.source,
      transitionDays: TRAIL_LOG_TRANSITION_DAYS,
      // S3 server access logging delivers only to SSE-S3 buckets.
      encryption: { kind: 's3' },
      partition,
      writers: (arn) => [
        {
          Sid: 'S3ServerAccessLogs',
          Effect: 'Allow',
          Principal: { Service: 'logging.s3.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: `${arn}/*`,
          Condition: { StringEquals: { 'aws:SourceAccount': props.accountId }, ArnLike: { 'aws:SourceArn': `arn:${partition}:s3:::${props.bucketName}` } },
        },
      ],
    });

    this.bucket = new LogBucket(this, 'logs', {
      provider,
      bucketName: props.bucketName,
      source: props.source,
      transitionDays: TRAIL_LOG_TRANSITION_DAYS,
      encryption: { kind: 'kms', keyArn: this.key.arn },
      accessLogBucket: this.accessLogBucket.bucket.id,
      partition,
      writers: (arn) => [
        { Sid: 'CloudTrailAclCheck', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:GetBucketAcl', Resource: arn, Condition: trailArnCondition },
        {
          Sid: 'CloudTrailWrite',
          Effect: 'Allow',
          Principal: { Service: 'cloudtrail.amazonaws.com' },
          Action: 's3:PutObject',
          Resource: `${arn}/AWSLogs/*`,
          Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': trailArn } },
        },
      ],
    });
  }
}
