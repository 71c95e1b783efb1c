import type { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketLoggingA } from '@cdktf/provider-aws/lib/s3-bucket-logging';
import { S3BucketNotification } from '@cdktf/provider-aws/lib/s3-bucket-notification';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Construct } from 'constructs';
import type { SourceRef } from '../../src/core/model';
import { markSource } from '../source-marker';
import { denyInsecureTransportStatement } from '../../src/core/iam';

/** Days after which an incomplete multipart upload is aborted (checkov CKV_AWS_300). */
export const ABORT_INCOMPLETE_UPLOAD_DAYS = 7;

/** Props of {@link LogBucket}. */
export interface LogBucketProps {
  /** Provider of the account and region the bucket lives in. @default - the stack's default provider */
  readonly provider?: AwsProvider;
  /** Bucket name (globally unique). */
  readonly bucketName: string;
  /** Where the bucket is configured (org.yaml), for source markers. */
  readonly source: SourceRef;
  /** Default encryption: a KMS key, or SSE-S3 (required for S3 server access log targets). */
  readonly encryption: { readonly kind: 'kms'; readonly keyArn: string } | { readonly kind: 's3' };
  /** Statements that let services write into the bucket, given the bucket ARN (literal). */
  readonly writers: (bucketArn: string) => readonly Record<string, unknown>[];
  /** Days before objects move to Glacier Flexible Retrieval. */
  readonly transitionDays: number;
  /** Bucket receiving this bucket's S3 server access logs. @default - no access logging */
  readonly accessLogBucket?: string;
  /** AWS partition. @default 'aws' */
  readonly partition?: string;
}

/**
 * A log bucket: versioned, default-encrypted, every public access blocked, ACLs disabled (bucket owner
 * enforced), a TLS-only bucket policy (aws:SecureTransport), lifecycle to Glacier, EventBridge
 * notifications, and optionally S3 server access logging to another bucket.
 */
export class LogBucket extends Construct {
  /** The bucket. */
  public readonly bucket: S3Bucket;
  /** The bucket ARN, literal (`arn:aws:s3:::<name>`). */
  public readonly bucketArn: string;
  /** The bucket policy (the trail depends on it). */
  public readonly policy: S3BucketPolicy;

  constructor(scope: Construct, id: string, props: LogBucketProps) {
    super(scope, id);
    const provider = props.provider;
    this.bucketArn = `arn:${props.partition ?? 'aws'}:s3:::${props.bucketName}`;
    this.bucket = new S3Bucket(this, 'bucket', { provider, bucket: props.bucketName });
    markSource(this.bucket, props.source);
    const bucket = this.bucket.id;
    new S3BucketVersioningA(this, 'versioning', { provider, bucket, versioningConfiguration: { status: 'Enabled' } });
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      provider,
      bucket,
      rule: [
        props.encryption.kind === 'kms'
          ? { applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: props.encryption.keyArn }, bucketKeyEnabled: true }
          : { applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' } },
      ],
    });
    const publicAccess = new S3BucketPublicAccessBlock(this, 'public-access', {
      provider,
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, 'ownership', { provider, bucket, rule: { objectOwnership: 'BucketOwnerEnforced' } });
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      provider,
      bucket,
      rule: [
        {
          id: 'archive-and-abort-uploads',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          transition: [{ days: props.transitionDays, storageClass: 'GLACIER' }],
          noncurrentVersionTransition: [{ noncurrentDays: props.transitionDays, storageClass: 'GLACIER' }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: ABORT_INCOMPLETE_UPLOAD_DAYS }],
        },
      ],
    });
    new S3BucketNotification(this, 'notification', { provider, bucket, eventbridge: true });
    if (props.accessLogBucket !== undefined) {
      new S3BucketLoggingA(this, 'logging', { provider, bucket, targetBucket: props.accessLogBucket, targetPrefix: `${props.bucketName}/` });
    }
    this.policy = new S3BucketPolicy(this, 'policy', {
      provider,
      bucket,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          denyInsecureTransportStatement(this.bucketArn),
          ...props.writers(this.bucketArn),
        ],
      }),
      dependsOn: [publicAccess],
    });
  }
}
