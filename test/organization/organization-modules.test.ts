import { Cloudtrail } from '@cdktf/provider-aws/lib/cloudtrail';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchLogMetricFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-metric-filter';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { DataAwsOrganizationsOrganizationalUnit } from '@cdktf/provider-aws/lib/data-aws-organizations-organizational-unit';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { OrganizationsPolicy } from '@cdktf/provider-aws/lib/organizations-policy';
import { OrganizationsPolicyAttachment } from '@cdktf/provider-aws/lib/organizations-policy-attachment';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { Testing } from 'cdktf';
import { isPolicyCarrier } from '../../modules/guardrails';
import { CIS_IAM_POLICY_CHANGES_PATTERN, IamChangeAlerts, buildBreakGlassAssumeRolePattern, buildMissedIamChangesPattern } from '../../modules/iam-change-alerts';
import { OrganizationTrail, TrailStorage, buildTrailKeyAliasArn } from '../../modules/organization-trail';
import { OrganizationTargets, ServiceControlPolicy } from '../../modules/service-control-policy';
import { PolicyDocument } from '../../src/core/policy';

type Synth = { resource: Record<string, Record<string, Record<string, unknown>>>; data?: Record<string, Record<string, Record<string, unknown>>> };
const parse = (json: string): Synth => JSON.parse(json) as Synth;
const only = <T>(map: Record<string, T> | undefined): T[] => Object.values(map ?? {});

const scpDocument = PolicyDocument.fromJson({
  Version: '2012-10-17',
  Statement: [{ Sid: 'DenyLeave', Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' }],
});
const source = { file: 'accounts/scps/deny-leave.yaml', path: '$.document' };

describe('ServiceControlPolicy', () => {
  it('emits a SERVICE_CONTROL_POLICY with minified literal content, one attachment per target, OUs looked up by name', () => {
    let carrier: unknown;
    const json = Testing.synthScope((scope) => {
      const targets = new OrganizationTargets(scope, 'org');
      carrier = new ServiceControlPolicy(scope, 'scp', {
        name: 'deny-leave',
        description: 'Stay in the organization',
        document: scpDocument,
        source,
        targets: [
          { key: 'root', targetId: targets.targetId({ kind: 'root' }) },
          { key: 'ou-workloads', targetId: targets.targetId({ kind: 'ou', name: 'workloads' }) },
          { key: 'account-app', targetId: targets.targetId({ kind: 'account', name: 'app', id: '123456789012' }) },
        ],
      });
      // A second lookup of the same OU reuses the data source.
      targets.targetId({ kind: 'ou', name: 'workloads' });
    });
    expect(json).toHaveResourceWithProperties(OrganizationsPolicy, {
      name: 'deny-leave',
      type: 'SERVICE_CONTROL_POLICY',
      content: '{"Version":"2012-10-17","Statement":[{"Sid":"DenyLeave","Effect":"Deny","Action":"organizations:LeaveOrganization","Resource":"*"}]}',
    });
    expect(json).toHaveDataSourceWithProperties(DataAwsOrganizationsOrganizationalUnit, { name: 'workloads' });
    const synth = parse(json);
    const ous = only(synth.data?.aws_organizations_organizational_unit);
    expect(ous).toHaveLength(1);
    const rootId = /^\$\{data\.aws_organizations_organization\.org_organization_\w+\.roots\[0\]\.id\}$/;
    expect(ous[0].parent_id).toMatch(rootId);
    const targetIds = only(synth.resource.aws_organizations_policy_attachment).map((a) => a.target_id);
    expect(targetIds).toHaveLength(3);
    expect(targetIds).toEqual(expect.arrayContaining([expect.stringMatching(rootId), expect.stringMatching(/^\$\{data\.aws_organizations_organizational_unit\.org_ou-workloads_\w+\.id\}$/), '123456789012']));
    expect(json).toHaveResource(OrganizationsPolicyAttachment);
    expect(isPolicyCarrier(carrier)).toBe(true);
    expect((carrier as ServiceControlPolicy).carriedPolicies).toEqual([
      { document: scpDocument, type: 'scp', source, suppressions: [], description: 'service control policy "deny-leave"' },
    ]);
  });
});

describe('OrganizationTrail and TrailStorage', () => {
  const trailSource = { file: 'accounts/org.yaml', path: '$.organization.trail' };
  const json = Testing.synthScope((scope) => {
    const storage = new TrailStorage(scope, 'storage', {
      trailName: 'org-trail',
      managementAccountId: '111111111111',
      trailRegion: 'eu-west-1',
      accountId: '222222222222',
      region: 'eu-central-1',
      bucketName: 'example-org-trail',
      source: trailSource,
    });
    new OrganizationTrail(scope, 'trail', {
      name: 'org-trail',
      managementAccountId: '111111111111',
      region: 'eu-west-1',
      bucketName: 'example-org-trail',
      kmsKeyArn: storage.keyAliasArn,
      logGroupName: '/aws/cloudtrail/org-trail',
      logRetentionDays: 365,
      source: trailSource,
      dependsOn: [storage.bucket.policy],
    });
  });
  const synth = parse(json);

  it('is an organization, multi-region trail with validation, the CMK by alias ARN, CloudWatch Logs and SNS', () => {
    expect(json).toHaveResourceWithProperties(Cloudtrail, {
      name: 'org-trail',
      s3_bucket_name: 'example-org-trail',
      kms_key_id: 'arn:aws:kms:eu-central-1:222222222222:alias/org-trail',
      is_organization_trail: true,
      is_multi_region_trail: true,
      include_global_service_events: true,
      enable_log_file_validation: true,
      enable_logging: true,
    });
    expect(buildTrailKeyAliasArn({ partition: 'aws', region: 'eu-central-1', accountId: '222222222222', trailName: 'org-trail' })).toBe('arn:aws:kms:eu-central-1:222222222222:alias/org-trail');
    const trail = only(synth.resource.aws_cloudtrail)[0];
    expect(trail.cloud_watch_logs_group_arn).toMatch(/^\$\{aws_cloudwatch_log_group\.\S+\.arn\}:\*$/);
    expect(trail.sns_topic_name).toMatch(/^\$\{aws_sns_topic\.\S+\.name\}$/);
    expect(trail.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_s3_bucket_policy\.storage_logs_policy_\w+$/)]));
    expect(json).toHaveResourceWithProperties(CloudwatchLogGroup, { name: '/aws/cloudtrail/org-trail', retention_in_days: 365 });
    expect(json).toHaveResourceWithProperties(SnsTopic, { name: 'org-trail-notifications' });
  });

  it('stores logs in a versioned, encrypted, private, TLS-only bucket that only this trail writes to', () => {
    expect(only(synth.resource.aws_s3_bucket).map((b) => b.bucket)).toEqual(['example-org-trail-access-logs', 'example-org-trail']);
    expect(json).toHaveResourceWithProperties(S3BucketVersioningA, { versioning_configuration: { status: 'Enabled' } });
    expect(json).toHaveResourceWithProperties(S3BucketPublicAccessBlock, { block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    const encryption = only(synth.resource.aws_s3_bucket_server_side_encryption_configuration).map((e) => (e.rule as { apply_server_side_encryption_by_default: { sse_algorithm: string } }[])[0].apply_server_side_encryption_by_default.sse_algorithm);
    expect(encryption.sort()).toEqual(['AES256', 'aws:kms']);
    expect(json).toHaveResource(S3BucketServerSideEncryptionConfigurationA);
    const policies = only(synth.resource.aws_s3_bucket_policy).map((p) => JSON.parse(p.policy as string) as { Statement: { Sid: string; Condition?: unknown }[] });
    expect(policies).toHaveLength(2);
    for (const policy of policies) {
      expect(policy.Statement[0]).toEqual(expect.objectContaining({ Sid: 'DenyInsecureTransport', Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    }
    const trailPolicy = policies.find((p) => p.Statement.some((s) => s.Sid === 'CloudTrailWrite'));
    expect(trailPolicy?.Statement.find((s) => s.Sid === 'CloudTrailWrite')?.Condition).toEqual({
      StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': 'arn:aws:cloudtrail:eu-west-1:111111111111:trail/org-trail' },
    });
    expect(json).toHaveResource(S3BucketPolicy);
    expect(json).toHaveResourceWithProperties(S3Bucket, { bucket: 'example-org-trail' });
  });

  it('rotates every key, aliases the trail key and lets CloudTrail use it only for this trail', () => {
    const keys = only(synth.resource.aws_kms_key);
    expect(keys).toHaveLength(2);
    for (const key of keys) expect(key).toEqual(expect.objectContaining({ enable_key_rotation: true, is_enabled: true }));
    expect(json).toHaveResourceWithProperties(KmsAlias, { name: 'alias/org-trail' });
    const trailKey = keys.find((k) => (k.description as string).includes('organization trail'));
    const statements = (JSON.parse(trailKey?.policy as string) as { Statement: { Sid: string; Principal: unknown; Condition?: unknown }[] }).Statement;
    expect(statements.map((s) => s.Sid)).toEqual(['KeyAdministration', 'CloudTrailEncryptLogs', 'CloudTrailDescribeKey']);
    expect(statements[0].Principal).toEqual({ AWS: 'arn:aws:iam::222222222222:root' });
    expect(statements[1].Condition).toEqual({
      StringEquals: { 'aws:SourceArn': 'arn:aws:cloudtrail:eu-west-1:111111111111:trail/org-trail' },
      StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': 'arn:aws:cloudtrail:*:111111111111:trail/*' },
    });
    expect(json).toHaveResource(KmsKey);
  });
});

describe('IamChangeAlerts', () => {
  it('has the exact CIS 4.4 pattern, the events it misses and break-glass AssumeRole, each alarmed at Sum >= 1 over 300 s to a KMS topic', () => {
    const json = Testing.synthScope((scope) => {
      new IamChangeAlerts(scope, 'alerts', {
        logGroupName: '/aws/cloudtrail/org-trail',
        accountId: '111111111111',
        region: 'eu-west-1',
        topicName: 'iam-change-alerts',
        namespace: 'CISBenchmark',
        breakGlassRoleName: 'break-glass',
        emails: ['oncall@example.com'],
        source: { file: 'accounts/org.yaml', path: '$.organization.alerts' },
      });
    });
    expect(CIS_IAM_POLICY_CHANGES_PATTERN).toBe(
      '{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}',
    );
    const synth = parse(json);
    const filters = only(synth.resource.aws_cloudwatch_log_metric_filter)
      .map((f) => [f.name, f.pattern])
      .sort((a, b) => ['cis-iam-policy-changes', 'iam-changes-missed-by-cis', 'break-glass-assume-role'].indexOf(a[0] as string) - ['cis-iam-policy-changes', 'iam-changes-missed-by-cis', 'break-glass-assume-role'].indexOf(b[0] as string));
    expect(filters).toEqual([
      ['cis-iam-policy-changes', CIS_IAM_POLICY_CHANGES_PATTERN],
      ['iam-changes-missed-by-cis', buildMissedIamChangesPattern()],
      ['break-glass-assume-role', '{($.eventSource=sts.amazonaws.com)&&($.eventName=AssumeRole)&&($.requestParameters.roleArn="*:role/break-glass")}'],
    ]);
    expect(buildBreakGlassAssumeRolePattern('break-glass')).toBe(filters[2][1]);
    for (const event of ['SetDefaultPolicyVersion', 'UpdateAssumeRolePolicy', 'PutRolePermissionsBoundary', 'DeleteRolePermissionsBoundary', 'CreateLoginProfile', 'CreateAccessKey']) {
      expect(buildMissedIamChangesPattern()).toContain(`($.eventName=${event})`);
    }
    expect(json).toHaveResourceWithProperties(CloudwatchLogMetricFilter, { log_group_name: '/aws/cloudtrail/org-trail', metric_transformation: { name: 'IAMPolicyChanges', namespace: 'CISBenchmark', value: '1' } });
    const alarms = only(synth.resource.aws_cloudwatch_metric_alarm);
    expect(alarms).toHaveLength(3);
    for (const alarm of alarms) {
      expect(alarm).toEqual(expect.objectContaining({ statistic: 'Sum', period: 300, evaluation_periods: 1, threshold: 1, comparison_operator: 'GreaterThanOrEqualToThreshold', namespace: 'CISBenchmark' }));
      expect(alarm.alarm_actions).toEqual([expect.stringMatching(/^\$\{aws_sns_topic\.\S+\.arn\}$/)]);
    }
    expect(json).toHaveResource(CloudwatchMetricAlarm);
    const topic = only(synth.resource.aws_sns_topic)[0];
    expect(topic.kms_master_key_id).toMatch(/^\$\{aws_kms_key\.\S+\.arn\}$/);
    expect(only(synth.resource.aws_sns_topic_subscription)).toEqual([expect.objectContaining({ protocol: 'email', endpoint: 'oncall@example.com' })]);
  });
});
