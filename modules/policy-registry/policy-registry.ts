import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Construct } from 'constructs';
import { DEFAULT_POLICY_RECORD_TABLE, REGISTRY_TABLE_KEYS } from '../../src/core/registry';
import { customerManagedKeyConfig } from '../customer-managed-key';

/** Table name of the policy record when none is given. */
export const DEFAULT_POLICY_REGISTRY_TABLE = DEFAULT_POLICY_RECORD_TABLE;

/** Props of {@link PolicyRegistry}. */
export interface PolicyRegistryProps {
  /** Account id of the security account the table lives in (administers the key). */
  readonly accountId: string;
  /** Region of the table (the key is used through DynamoDB there). */
  readonly region: string;
  /** @default 'iam-platform-policy-registry' */
  readonly tableName?: string;
  /** ARNs of the roles that write the record (the pipeline's deploy role, the drift Lambda): the key lets them use it through DynamoDB. @default - none besides the account's IAM */
  readonly writerRoleArns?: readonly string[];
  /** @default 'aws' */
  readonly partition?: string;
}

/**
 * The DynamoDB table of the policy record (iamctl record, history, rollback): one item per account, resource and
 * commit. Point-in-time recovery, a customer managed KMS key with rotation, deletion protection, on demand.
 */
export class PolicyRegistry extends Construct {
  public readonly table: DynamodbTable;
  public readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: PolicyRegistryProps) {
    super(scope, id);
    const partition = props.partition ?? 'aws';
    const writers = props.writerRoleArns ?? [];
    this.key = new KmsKey(
      this,
      'key',
      customerManagedKeyConfig({
        description: 'Encrypts the iam-platform policy registry table',
        accountId: props.accountId,
        partition,
        grants:
          writers.length === 0
            ? []
            : [
                {
                  Sid: 'RegistryWritersThroughDynamoDb',
                  Effect: 'Allow',
                  Principal: { AWS: [...writers] },
                  Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
                  Resource: '*',
                  Condition: { StringEquals: { 'kms:ViaService': `dynamodb.${props.region}.amazonaws.com` } },
                },
              ],
      }),
    );
    new KmsAlias(this, 'alias', { name: 'alias/iam-platform-policy-registry', targetKeyId: this.key.keyId });
    this.table = new DynamodbTable(this, 'table', {
      name: props.tableName ?? DEFAULT_POLICY_REGISTRY_TABLE,
      billingMode: 'PAY_PER_REQUEST',
      hashKey: REGISTRY_TABLE_KEYS.partition,
      rangeKey: REGISTRY_TABLE_KEYS.sort,
      attribute: [
        { name: REGISTRY_TABLE_KEYS.partition, type: 'S' },
        { name: REGISTRY_TABLE_KEYS.sort, type: 'S' },
      ],
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: this.key.arn },
      deletionProtectionEnabled: true,
    });
  }
}
