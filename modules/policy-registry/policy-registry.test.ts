import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { PolicyRegistry } from './policy-registry';

describe('PolicyRegistry', () => {
  const stack = new TerraformStack(Testing.app(), 'iam-security');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  new PolicyRegistry(stack, 'registry', { accountId: '310987654321', region: 'eu-west-1', writerRoleArns: ['arn:aws:iam::310987654321:role/iam-platform-deploy'] });
  const synthesized = Testing.synth(stack);

  it('keys items by account and <resource ARN>#<commit>, with point-in-time recovery, KMS and deletion protection', () => {
    expect(synthesized).toHaveResourceWithProperties(DynamodbTable, {
      name: 'iam-platform-policy-registry',
      billing_mode: 'PAY_PER_REQUEST',
      hash_key: 'account',
      range_key: 'recordKey',
      point_in_time_recovery: { enabled: true },
      deletion_protection_enabled: true,
      server_side_encryption: { enabled: true, kms_key_arn: '${aws_kms_key.registry_key_C4068A01.arn}' },
    });
  });

  it('encrypts with a rotated customer managed key the writers use only through DynamoDB in the region', () => {
    expect(synthesized).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true, deletion_window_in_days: 30 });
    const key = Object.values((JSON.parse(synthesized) as { resource: { aws_kms_key: Record<string, { policy: string }> } }).resource.aws_kms_key)[0];
    const policy = JSON.parse(key.policy) as { Statement: { Sid?: string; Condition?: unknown }[] };
    expect(policy.Statement.find((s) => s.Sid === 'RegistryWritersThroughDynamoDb')?.Condition).toEqual({ StringEquals: { 'kms:ViaService': 'dynamodb.eu-west-1.amazonaws.com' } });
  });
});
