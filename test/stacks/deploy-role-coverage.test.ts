/**
 * The deploy roles can really apply the stacks: for every stack of a full synth of the example organization, the
 * customer managed policies of the role that applies it (the provider's assume_role, or the Terraform Cloud apply role
 * when the account uses dynamic credentials) allow every call the AWS provider makes to create, read, update and
 * delete each resource, and to read each data source, on that resource's ARN, or on `*` when the catalog says the
 * action has no resource type. moto does not enforce IAM, so this is what keeps a first real apply from failing with
 * AccessDenied. The SCPs are checked too: none denies the deploy role one of those calls.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrganization } from '../../src/config';
import { arnMatchesTemplate } from '../../src/core/catalog';
import type { ActionCatalog } from '../../src/core/catalog';
import type { ResolvedOrganization } from '../../src/core/model/organization';
import { loadActionCatalog } from '../../src/io/catalog/load-action-catalog';
import { synthesizeOrganization } from '../../stacks';
import { copyCloudOrganization } from '../bootstrap/support/cloud-org';
import { EXAMPLE_ORG_ROOT } from '../support/example-org';

type Body = Record<string, unknown>;
type Blocks = Record<string, Record<string, Body>>;

/** What an ARN builder sees: the resource, its account and region, and the other resources of the stack. */
interface ArnContext {
  readonly account: string;
  readonly region: string;
  readonly management: string;
  readonly body: Body;
  /** The value of a `${type.name.attr}` reference, as far as the synthesized JSON knows it. */
  readonly resolve: (value: unknown) => string;
  /** The ARN of the resource a `${type.name.attr}` reference points to. */
  readonly arnOf: (value: unknown) => string;
}
type ArnBuilder = (c: ArnContext) => string;
/** One call on an ARN, with the request's condition keys beyond the resource tags (iam:PassedToService). */
type Call = readonly [string, string] | readonly [string, string, Readonly<Record<string, string>>];

/** One reviewed resource type: its ARN, the calls on it, and calls on other resources (PassRole, the key, the function). */
interface Reviewed {
  readonly arn: ArnBuilder;
  readonly actions: readonly string[];
  readonly others?: (c: ArnContext) => readonly Call[];
}

// Stand-ins for ids AWS generates (the policies must not depend on them).
const ORG = 'o-a1b2c3d4e5';
const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const keyArn = (c: ArnContext, ref: unknown): string => (str(ref).startsWith('arn:') ? str(ref) : c.arnOf(ref));
const passRole = (c: ArnContext, ref: unknown, service: string): readonly Call[] => (ref ? [['iam:PassRole', c.arnOf(ref), { 'iam:PassedToService': service }]] : []);

const s3Bucket: ArnBuilder = (c) => `arn:aws:s3:::${c.resolve(c.body.bucket)}`;
const logGroup = (c: ArnContext, name: unknown): string => `arn:aws:logs:${c.region}:${c.account}:log-group:${c.resolve(name)}`;
const bucketSetting = (...actions: string[]): Reviewed => ({ arn: s3Bucket, actions });
/** An EC2 ARN of the given type; ids are generated, so a stand-in id with the type's prefix. */
const ec2 = (c: ArnContext, type: string, prefix: string): string => `arn:aws:ec2:${c.region}:${c.account}:${type}/${prefix}-0a1b2c3d4e5f67890`;
const ORGANIZATIONS_READ = ['organizations:DescribeOrganization', 'organizations:ListAWSServiceAccessForOrganization', 'organizations:ListDelegatedAdministrators'];

/**
 * The AWS provider's calls per resource type (terraform-provider-aws internal/service/<service>/<resource>.go, v6:
 * create, read incl. tags, update, delete), with the calls AWS authorizes on other resources (iam:PassRole of a role
 * given to a service, KMS use of a key given to a service that encrypts as the caller, organizations calls of
 * organization-wide services). A type missing here fails the test: a new resource needs its permissions reviewed.
 */
const REVIEWED: Readonly<Record<string, Reviewed>> = {
  // IAM (also in test/bootstrap/administrator-policy.test.ts).
  aws_iam_role: {
    arn: (c) => `arn:aws:iam::${c.account}:role${str(c.body.path) || '/'}${str(c.body.name)}`,
    actions: [
      'iam:CreateRole', 'iam:GetRole', 'iam:DeleteRole', 'iam:UpdateAssumeRolePolicy', 'iam:UpdateRole', 'iam:UpdateRoleDescription', 'iam:TagRole', 'iam:UntagRole',
      'iam:ListRolePolicies', 'iam:ListAttachedRolePolicies', 'iam:ListInstanceProfilesForRole', 'iam:PutRolePermissionsBoundary', 'iam:DeleteRolePermissionsBoundary',
    ],
  },
  aws_iam_policy: {
    arn: (c) => `arn:aws:iam::${c.account}:policy${str(c.body.path) || '/'}${str(c.body.name)}`,
    actions: ['iam:CreatePolicy', 'iam:GetPolicy', 'iam:GetPolicyVersion', 'iam:ListPolicyVersions', 'iam:CreatePolicyVersion', 'iam:DeletePolicyVersion', 'iam:DeletePolicy', 'iam:TagPolicy', 'iam:UntagPolicy'],
  },
  aws_iam_openid_connect_provider: {
    arn: (c) => `arn:aws:iam::${c.account}:oidc-provider/${str(c.body.url).replace(/^https:\/\//, '')}`,
    actions: [
      'iam:CreateOpenIDConnectProvider', 'iam:GetOpenIDConnectProvider', 'iam:DeleteOpenIDConnectProvider', 'iam:TagOpenIDConnectProvider', 'iam:UntagOpenIDConnectProvider',
      'iam:UpdateOpenIDConnectProviderThumbprint', 'iam:AddClientIDToOpenIDConnectProvider', 'iam:RemoveClientIDFromOpenIDConnectProvider',
    ],
  },
  aws_iam_role_policy_attachment: { arn: (c) => c.arnOf(c.body.role), actions: ['iam:AttachRolePolicy', 'iam:DetachRolePolicy', 'iam:ListAttachedRolePolicies'] },
  aws_iam_role_policy: { arn: (c) => c.arnOf(c.body.role), actions: ['iam:PutRolePolicy', 'iam:GetRolePolicy', 'iam:DeleteRolePolicy'] },

  // Drift module, policy record, service credentials (account stacks).
  aws_s3_bucket: {
    arn: s3Bucket,
    actions: [
      's3:CreateBucket', 's3:ListBucket', 's3:DeleteBucket', 's3:PutBucketTagging', 's3:GetBucketTagging', 's3:GetBucketPolicy', 's3:GetBucketAcl', 's3:GetBucketCORS',
      's3:GetBucketWebsite', 's3:GetBucketVersioning', 's3:GetAccelerateConfiguration', 's3:GetBucketRequestPayment', 's3:GetBucketLogging', 's3:GetLifecycleConfiguration',
      's3:GetReplicationConfiguration', 's3:GetEncryptionConfiguration', 's3:GetBucketObjectLockConfiguration', 's3:GetBucketLocation',
    ],
  },
  aws_s3_bucket_lifecycle_configuration: bucketSetting('s3:PutLifecycleConfiguration', 's3:GetLifecycleConfiguration'),
  aws_s3_bucket_ownership_controls: bucketSetting('s3:PutBucketOwnershipControls', 's3:GetBucketOwnershipControls'),
  aws_s3_bucket_policy: bucketSetting('s3:PutBucketPolicy', 's3:GetBucketPolicy', 's3:DeleteBucketPolicy'),
  // DeletePublicAccessBlock authorizes as s3:PutBucketPublicAccessBlock.
  aws_s3_bucket_public_access_block: bucketSetting('s3:PutBucketPublicAccessBlock', 's3:GetBucketPublicAccessBlock'),
  // DeleteBucketEncryption authorizes as s3:PutEncryptionConfiguration.
  aws_s3_bucket_server_side_encryption_configuration: bucketSetting('s3:PutEncryptionConfiguration', 's3:GetEncryptionConfiguration'),
  aws_s3_bucket_versioning: bucketSetting('s3:PutBucketVersioning', 's3:GetBucketVersioning'),
  aws_s3_bucket_logging: bucketSetting('s3:PutBucketLogging', 's3:GetBucketLogging'),
  aws_s3_bucket_notification: bucketSetting('s3:PutBucketNotification', 's3:GetBucketNotification'),
  aws_s3_object: {
    arn: (c) => `arn:aws:s3:::${c.resolve(c.body.bucket)}/${str(c.body.key)}`,
    actions: ['s3:PutObject', 's3:GetObject', 's3:GetObjectTagging', 's3:PutObjectTagging', 's3:DeleteObject', 's3:DeleteObjectVersion'],
    // The bucket's default encryption is its KMS key: an upload needs a data key (and Decrypt for multipart); delete lists versions.
    others: (c) => [['s3:ListBucketVersions', `arn:aws:s3:::${c.resolve(c.body.bucket)}`], ['kms:GenerateDataKey', `arn:aws:kms:${c.region}:${c.account}:key/${KEY_ID}`], ['kms:Decrypt', `arn:aws:kms:${c.region}:${c.account}:key/${KEY_ID}`]],
  },
  aws_kms_key: {
    arn: (c) => `arn:aws:kms:${c.region}:${c.account}:key/${KEY_ID}`,
    actions: [
      'kms:CreateKey', 'kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:ListResourceTags', 'kms:PutKeyPolicy', 'kms:EnableKeyRotation', 'kms:DisableKeyRotation',
      'kms:TagResource', 'kms:UntagResource', 'kms:UpdateKeyDescription', 'kms:EnableKey', 'kms:DisableKey', 'kms:ScheduleKeyDeletion',
    ],
  },
  aws_kms_alias: {
    arn: (c) => `arn:aws:kms:${c.region}:${c.account}:${str(c.body.name)}`,
    actions: ['kms:CreateAlias', 'kms:UpdateAlias', 'kms:DeleteAlias', 'kms:ListAliases'],
    // CreateAlias and UpdateAlias authorize on the key too.
    others: (c) => [['kms:CreateAlias', keyArn(c, c.body.target_key_id)], ['kms:UpdateAlias', keyArn(c, c.body.target_key_id)], ['kms:DeleteAlias', keyArn(c, c.body.target_key_id)]],
  },
  aws_lambda_function: {
    arn: (c) => `arn:aws:lambda:${c.region}:${c.account}:function:${str(c.body.function_name)}`,
    actions: [
      'lambda:CreateFunction', 'lambda:GetFunction', 'lambda:GetFunctionConfiguration', 'lambda:GetFunctionCodeSigningConfig', 'lambda:GetFunctionConcurrency',
      'lambda:ListVersionsByFunction', 'lambda:ListTags', 'lambda:TagResource', 'lambda:UntagResource', 'lambda:UpdateFunctionCode', 'lambda:UpdateFunctionConfiguration',
      'lambda:PutFunctionConcurrency', 'lambda:DeleteFunctionConcurrency', 'lambda:DeleteFunction',
    ],
    // The environment is encrypted with the function's key as the caller.
    others: (c) => [
      ...passRole(c, c.body.role, 'lambda.amazonaws.com'),
      // A function in a VPC: Lambda checks the subnets and security groups as the caller.
      ...(c.body.vpc_config ? (['ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs'] as const).map((a) => [a, '*'] as const) : []),
      ...(c.body.kms_key_arn ? ([['kms:Encrypt', keyArn(c, c.body.kms_key_arn)], ['kms:Decrypt', keyArn(c, c.body.kms_key_arn)], ['kms:CreateGrant', keyArn(c, c.body.kms_key_arn)]] as const) : [])],
  },
  aws_lambda_permission: { arn: (c) => c.arnOf(c.body.function_name), actions: ['lambda:AddPermission', 'lambda:GetPolicy', 'lambda:RemovePermission'] },
  aws_sqs_queue: {
    arn: (c) => `arn:aws:sqs:${c.region}:${c.account}:${str(c.body.name)}`,
    actions: ['sqs:CreateQueue', 'sqs:GetQueueAttributes', 'sqs:SetQueueAttributes', 'sqs:ListQueueTags', 'sqs:TagQueue', 'sqs:UntagQueue', 'sqs:DeleteQueue'],
  },
  aws_sns_topic: {
    arn: (c) => `arn:aws:sns:${c.region}:${c.account}:${str(c.body.name)}`,
    actions: ['sns:CreateTopic', 'sns:GetTopicAttributes', 'sns:SetTopicAttributes', 'sns:ListTagsForResource', 'sns:TagResource', 'sns:UntagResource', 'sns:DeleteTopic'],
  },
  aws_sns_topic_policy: { arn: (c) => c.arnOf(c.body.arn), actions: ['sns:SetTopicAttributes', 'sns:GetTopicAttributes'] },
  aws_cloudwatch_log_group: {
    arn: (c) => logGroup(c, c.body.name),
    actions: [
      'logs:CreateLogGroup', 'logs:DescribeLogGroups', 'logs:ListTagsForResource', 'logs:TagResource', 'logs:UntagResource', 'logs:PutRetentionPolicy', 'logs:DeleteRetentionPolicy',
      'logs:AssociateKmsKey', 'logs:DisassociateKmsKey', 'logs:DeleteLogGroup',
    ],
  },
  aws_cloudwatch_event_rule: {
    arn: (c) => `arn:aws:events:${c.region}:${c.account}:rule/${str(c.body.name)}`,
    actions: ['events:PutRule', 'events:DescribeRule', 'events:ListTagsForResource', 'events:TagResource', 'events:UntagResource', 'events:EnableRule', 'events:DisableRule', 'events:ListTargetsByRule', 'events:DeleteRule'],
  },
  aws_cloudwatch_event_target: {
    arn: (c) => c.arnOf(c.body.rule),
    actions: ['events:PutTargets', 'events:ListTargetsByRule', 'events:RemoveTargets'],
    others: (c) => passRole(c, c.body.role_arn, 'events.amazonaws.com'),
  },
  aws_config_config_rule: {
    arn: (c) => `arn:aws:config:${c.region}:${c.account}:config-rule/config-rule-a1b2c3`,
    actions: ['config:PutConfigRule', 'config:DescribeConfigRules', 'config:ListTagsForResource', 'config:TagResource', 'config:UntagResource', 'config:DeleteConfigRule'],
  },
  aws_config_configuration_recorder: {
    arn: (c) => `arn:aws:config:${c.region}:${c.account}:configuration-recorder/${str(c.body.name)}/a1b2c3d4`,
    actions: ['config:PutConfigurationRecorder', 'config:DescribeConfigurationRecorders', 'config:DeleteConfigurationRecorder'],
    others: (c) => passRole(c, c.body.role_arn, 'config.amazonaws.com'),
  },
  aws_config_configuration_recorder_status: {
    arn: (c) => `arn:aws:config:${c.region}:${c.account}:configuration-recorder/${c.resolve(c.body.name)}/a1b2c3d4`,
    actions: ['config:StartConfigurationRecorder', 'config:StopConfigurationRecorder', 'config:DescribeConfigurationRecorderStatus', 'config:DescribeConfigurationRecorders'],
  },
  aws_config_delivery_channel: { arn: () => '*', actions: ['config:PutDeliveryChannel', 'config:DescribeDeliveryChannels', 'config:DeleteDeliveryChannel'] },
  aws_dynamodb_table: {
    arn: (c) => `arn:aws:dynamodb:${c.region}:${c.account}:table/${str(c.body.name)}`,
    actions: [
      'dynamodb:CreateTable', 'dynamodb:DescribeTable', 'dynamodb:UpdateTable', 'dynamodb:DeleteTable', 'dynamodb:DescribeContinuousBackups', 'dynamodb:UpdateContinuousBackups',
      'dynamodb:DescribeTimeToLive', 'dynamodb:UpdateTimeToLive', 'dynamodb:ListTagsOfResource', 'dynamodb:TagResource', 'dynamodb:UntagResource',
    ],
    // A table encrypted with a customer managed key: DynamoDB creates a grant as the caller.
    others: (c) => {
      const sse = c.body.server_side_encryption as Body | undefined;
      return sse?.kms_key_arn ? [['kms:DescribeKey', keyArn(c, sse.kms_key_arn)], ['kms:CreateGrant', keyArn(c, sse.kms_key_arn)]] : [];
    },
  },
  aws_secretsmanager_secret: {
    arn: (c) => `arn:aws:secretsmanager:${c.region}:${c.account}:secret:${str(c.body.name)}-AbCdEf`,
    actions: [
      'secretsmanager:CreateSecret', 'secretsmanager:DescribeSecret', 'secretsmanager:GetResourcePolicy', 'secretsmanager:UpdateSecret', 'secretsmanager:TagResource',
      'secretsmanager:UntagResource', 'secretsmanager:DeleteSecret',
    ],
    others: (c) => (c.body.kms_key_id ? [['kms:DescribeKey', keyArn(c, c.body.kms_key_id)], ['kms:GenerateDataKey', keyArn(c, c.body.kms_key_id)], ['kms:Decrypt', keyArn(c, c.body.kms_key_id)]] : []),
  },
  aws_secretsmanager_secret_rotation: {
    arn: (c) => c.arnOf(c.body.secret_id),
    actions: ['secretsmanager:RotateSecret', 'secretsmanager:DescribeSecret', 'secretsmanager:CancelRotateSecret'],
    // RotateSecret invokes the rotation function at once, as the caller.
    others: (c) => [['lambda:InvokeFunction', c.arnOf(c.body.rotation_lambda_arn)]],
  },

  // Lambda network option (org.yaml network.vpc) and the metrics link to the dashboard's sink (securityBaseline.metricsSinkArn).
  aws_vpc: {
    arn: (c) => ec2(c, 'vpc', 'vpc'),
    actions: ['ec2:CreateVpc', 'ec2:ModifyVpcAttribute', 'ec2:DeleteVpc', 'ec2:CreateTags', 'ec2:DeleteTags', 'ec2:DescribeVpcs', 'ec2:DescribeVpcAttribute', 'ec2:DescribeRouteTables', 'ec2:DescribeSecurityGroups', 'ec2:DescribeNetworkAcls'],
  },
  aws_subnet: {
    arn: (c) => ec2(c, 'subnet', 'subnet'),
    actions: ['ec2:CreateSubnet', 'ec2:ModifySubnetAttribute', 'ec2:DeleteSubnet', 'ec2:CreateTags', 'ec2:DeleteTags', 'ec2:DescribeSubnets'],
    others: (c) => [['ec2:CreateSubnet', ec2(c, 'vpc', 'vpc')]],
  },
  aws_route_table: {
    arn: (c) => ec2(c, 'route-table', 'rtb'),
    actions: ['ec2:CreateRouteTable', 'ec2:DeleteRouteTable', 'ec2:CreateTags', 'ec2:DeleteTags', 'ec2:DescribeRouteTables'],
    others: (c) => [['ec2:CreateRouteTable', ec2(c, 'vpc', 'vpc')]],
  },
  aws_route: { arn: (c) => ec2(c, 'route-table', 'rtb'), actions: ['ec2:CreateRoute', 'ec2:ReplaceRoute', 'ec2:DeleteRoute', 'ec2:DescribeRouteTables'] },
  aws_route_table_association: {
    arn: (c) => ec2(c, 'route-table', 'rtb'),
    actions: ['ec2:AssociateRouteTable', 'ec2:ReplaceRouteTableAssociation', 'ec2:DisassociateRouteTable', 'ec2:DescribeRouteTables'],
    others: (c) => [['ec2:AssociateRouteTable', ec2(c, 'subnet', 'subnet')]],
  },
  aws_internet_gateway: {
    arn: (c) => ec2(c, 'internet-gateway', 'igw'),
    actions: ['ec2:CreateInternetGateway', 'ec2:AttachInternetGateway', 'ec2:DetachInternetGateway', 'ec2:DeleteInternetGateway', 'ec2:CreateTags', 'ec2:DeleteTags', 'ec2:DescribeInternetGateways'],
    others: (c) => [['ec2:AttachInternetGateway', ec2(c, 'vpc', 'vpc')], ['ec2:DetachInternetGateway', ec2(c, 'vpc', 'vpc')]],
  },
  aws_eip: {
    arn: (c) => ec2(c, 'elastic-ip', 'eipalloc'),
    actions: ['ec2:AllocateAddress', 'ec2:ReleaseAddress', 'ec2:CreateTags', 'ec2:DeleteTags', 'ec2:DescribeAddresses', 'ec2:DescribeAddressesAttribute'],
  },
  aws_nat_gateway: {
    arn: (c) => ec2(c, 'natgateway', 'nat'),
    actions: ['ec2:CreateNatGateway', 'ec2:DeleteNatGateway', 'ec2:CreateTags', 'ec2:DeleteTags', 'ec2:DescribeNatGateways'],
    others: (c) => [['ec2:CreateNatGateway', ec2(c, 'subnet', 'subnet')], ['ec2:CreateNatGateway', ec2(c, 'elastic-ip', 'eipalloc')]],
  },
  aws_security_group: {
    arn: (c) => ec2(c, 'security-group', 'sg'),
    actions: ['ec2:CreateSecurityGroup', 'ec2:DeleteSecurityGroup', 'ec2:RevokeSecurityGroupEgress', 'ec2:CreateTags', 'ec2:DeleteTags', 'ec2:DescribeSecurityGroups'],
    others: (c) => [['ec2:CreateSecurityGroup', ec2(c, 'vpc', 'vpc')]],
  },
  aws_default_security_group: {
    arn: (c) => ec2(c, 'security-group', 'sg'),
    actions: ['ec2:RevokeSecurityGroupIngress', 'ec2:RevokeSecurityGroupEgress', 'ec2:AuthorizeSecurityGroupIngress', 'ec2:AuthorizeSecurityGroupEgress', 'ec2:CreateTags', 'ec2:DeleteTags', 'ec2:DescribeSecurityGroups'],
  },
  aws_vpc_security_group_egress_rule: {
    arn: (c) => ec2(c, 'security-group', 'sg'),
    actions: ['ec2:AuthorizeSecurityGroupEgress', 'ec2:RevokeSecurityGroupEgress', 'ec2:ModifySecurityGroupRules', 'ec2:DescribeSecurityGroupRules'],
    others: (c) => [['ec2:CreateTags', ec2(c, 'security-group-rule', 'sgr')], ['ec2:ModifySecurityGroupRules', ec2(c, 'security-group-rule', 'sgr')]],
  },
  aws_vpc_security_group_ingress_rule: {
    arn: (c) => ec2(c, 'security-group', 'sg'),
    actions: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress', 'ec2:ModifySecurityGroupRules', 'ec2:DescribeSecurityGroupRules'],
    others: (c) => [['ec2:CreateTags', ec2(c, 'security-group-rule', 'sgr')], ['ec2:ModifySecurityGroupRules', ec2(c, 'security-group-rule', 'sgr')]],
  },
  aws_vpc_endpoint: {
    arn: (c) => ec2(c, 'vpc-endpoint', 'vpce'),
    actions: ['ec2:CreateVpcEndpoint', 'ec2:ModifyVpcEndpoint', 'ec2:DeleteVpcEndpoints', 'ec2:CreateTags', 'ec2:DeleteTags', 'ec2:DescribeVpcEndpoints', 'ec2:DescribePrefixLists'],
    // CreateVpcEndpoint authorizes on the VPC, subnets, security groups and route tables it uses too.
    others: (c) => [
      ...(['vpc', 'subnet', 'security-group', 'route-table'] as const).map((t) => ['ec2:CreateVpcEndpoint', ec2(c, t, 'x')] as const),
      ...(['subnet', 'security-group', 'route-table'] as const).map((t) => ['ec2:ModifyVpcEndpoint', ec2(c, t, 'x')] as const),
    ],
  },
  aws_flow_log: {
    arn: (c) => ec2(c, 'vpc-flow-log', 'fl'),
    actions: ['ec2:CreateFlowLogs', 'ec2:DeleteFlowLogs', 'ec2:CreateTags', 'ec2:DeleteTags', 'ec2:DescribeFlowLogs'],
    others: (c) => [['ec2:CreateFlowLogs', ec2(c, 'vpc', 'vpc')], ...passRole(c, c.body.iam_role_arn, 'vpc-flow-logs.amazonaws.com')],
  },
  aws_oam_link: {
    arn: (c) => `arn:aws:oam:${c.region}:${c.account}:link/a1b2c3d4-5678-90ab-cdef-1234567890ab`,
    actions: ['oam:GetLink', 'oam:UpdateLink', 'oam:DeleteLink', 'oam:ListTagsForResource', 'oam:TagResource', 'oam:UntagResource'],
    // CreateLink authorizes on the sink (in the security account), and sharing metrics needs cloudwatch:Link.
    others: (c) => [['oam:CreateLink', str(c.body.sink_identifier)], ['cloudwatch:Link', '*']],
  },

  // Organization stacks (management, log-archive, security).
  aws_cloudtrail: {
    arn: (c) => `arn:aws:cloudtrail:${c.region}:${c.account}:trail/${str(c.body.name)}`,
    actions: [
      'cloudtrail:CreateTrail', 'cloudtrail:DescribeTrails', 'cloudtrail:ListTrails', 'cloudtrail:GetTrailStatus', 'cloudtrail:GetEventSelectors', 'cloudtrail:GetInsightSelectors',
      'cloudtrail:ListTags', 'cloudtrail:AddTags', 'cloudtrail:RemoveTags', 'cloudtrail:UpdateTrail', 'cloudtrail:StartLogging', 'cloudtrail:StopLogging',
      'cloudtrail:PutEventSelectors', 'cloudtrail:DeleteTrail',
    ],
    // An organization trail: CloudTrail checks the organization, enables its service access and creates its service-linked role.
    others: (c) => [
      ...passRole(c, c.body.cloud_watch_logs_role_arn, 'cloudtrail.amazonaws.com'),
      ...ORGANIZATIONS_READ.map((a) => [a, '*'] as const),
      ['organizations:EnableAWSServiceAccess', '*'],
      ['iam:CreateServiceLinkedRole', `arn:aws:iam::${c.account}:role/aws-service-role/cloudtrail.amazonaws.com/AWSServiceRoleForCloudTrail`],
      ['iam:GetRole', `arn:aws:iam::${c.account}:role/aws-service-role/cloudtrail.amazonaws.com/AWSServiceRoleForCloudTrail`],
    ],
  },
  aws_cloudwatch_log_metric_filter: { arn: (c) => logGroup(c, c.body.log_group_name), actions: ['logs:PutMetricFilter', 'logs:DescribeMetricFilters', 'logs:DeleteMetricFilter'] },
  aws_cloudwatch_metric_alarm: {
    arn: (c) => `arn:aws:cloudwatch:${c.region}:${c.account}:alarm:${str(c.body.alarm_name)}`,
    actions: ['cloudwatch:PutMetricAlarm', 'cloudwatch:DescribeAlarms', 'cloudwatch:ListTagsForResource', 'cloudwatch:TagResource', 'cloudwatch:UntagResource', 'cloudwatch:DeleteAlarms'],
  },
  aws_cloudwatch_query_definition: { arn: () => '*', actions: ['logs:PutQueryDefinition', 'logs:DescribeQueryDefinitions', 'logs:DeleteQueryDefinition'] },
  aws_cloudwatch_dashboard: {
    arn: (c) => `arn:aws:cloudwatch::${c.account}:dashboard/${str(c.body.dashboard_name)}`,
    actions: ['cloudwatch:PutDashboard', 'cloudwatch:GetDashboard', 'cloudwatch:DeleteDashboards'],
  },
  aws_organizations_policy: {
    arn: (c) => `arn:aws:organizations::${c.management}:policy/${ORG}/service_control_policy/p-a1b2c3d4`,
    actions: ['organizations:CreatePolicy', 'organizations:DescribePolicy', 'organizations:UpdatePolicy', 'organizations:DeletePolicy', 'organizations:ListTagsForResource', 'organizations:TagResource', 'organizations:UntagResource'],
  },
  aws_organizations_policy_attachment: {
    arn: (c) => `arn:aws:organizations::${c.management}:policy/${ORG}/service_control_policy/p-a1b2c3d4`,
    actions: ['organizations:AttachPolicy', 'organizations:DetachPolicy', 'organizations:ListTargetsForPolicy'],
    // Attach and detach authorize on the target too (the root or an OU).
    others: (c) => {
      const target = str(c.body.target_id).includes('organizational_unit') ? `arn:aws:organizations::${c.management}:ou/${ORG}/ou-a1b2-c3d4e5f6` : `arn:aws:organizations::${c.management}:root/${ORG}/r-a1b2`;
      return [['organizations:AttachPolicy', target], ['organizations:DetachPolicy', target]];
    },
  },
  aws_organizations_delegated_administrator: {
    arn: (c) => `arn:aws:organizations::${c.management}:account/${ORG}/${str(c.body.account_id)}`,
    actions: ['organizations:RegisterDelegatedAdministrator', 'organizations:DeregisterDelegatedAdministrator'],
    others: (c) => [
      ['organizations:ListDelegatedAdministrators', '*'],
      ['organizations:ListDelegatedServicesForAccount', `arn:aws:organizations::${c.management}:account/${ORG}/${str(c.body.account_id)}`],
      ['organizations:DescribeOrganization', '*'],
    ],
  },
  aws_securityhub_account: {
    arn: (c) => `arn:aws:securityhub:${c.region}:${c.account}:hub/default`,
    actions: ['securityhub:EnableSecurityHub', 'securityhub:DescribeHub', 'securityhub:GetEnabledStandards', 'securityhub:UpdateSecurityHubConfiguration', 'securityhub:DisableSecurityHub'],
    others: (c) => [['iam:CreateServiceLinkedRole', `arn:aws:iam::${c.account}:role/aws-service-role/securityhub.amazonaws.com/AWSServiceRoleForSecurityHub`]],
  },
  aws_securityhub_organization_admin_account: {
    arn: (c) => `arn:aws:securityhub:${c.region}:${c.account}:hub/default`,
    actions: ['securityhub:EnableOrganizationAdminAccount', 'securityhub:ListOrganizationAdminAccounts', 'securityhub:DisableOrganizationAdminAccount'],
    // Security Hub registers the delegated administrator through Organizations as the caller.
    others: (c) => [
      ...ORGANIZATIONS_READ.map((a) => [a, '*'] as const),
      ['organizations:EnableAWSServiceAccess', '*'],
      ['organizations:RegisterDelegatedAdministrator', `arn:aws:organizations::${c.management}:account/${ORG}/${str(c.body.admin_account_id)}`],
    ],
  },
  aws_securityhub_organization_configuration: {
    arn: (c) => `arn:aws:securityhub:${c.region}:${c.account}:hub/default`,
    actions: ['securityhub:UpdateOrganizationConfiguration', 'securityhub:DescribeOrganizationConfiguration'],
    others: () => ORGANIZATIONS_READ.map((a) => [a, '*'] as const),
  },
  aws_securityhub_configuration_policy: {
    arn: (c) => `arn:aws:securityhub:${c.region}:${c.account}:configuration-policy/a1b2c3d4-5678-90ab-cdef-1234567890ab`,
    actions: ['securityhub:CreateConfigurationPolicy', 'securityhub:GetConfigurationPolicy', 'securityhub:UpdateConfigurationPolicy', 'securityhub:DeleteConfigurationPolicy'],
  },
  // The association calls authorize on the hub.
  aws_securityhub_configuration_policy_association: {
    arn: (c) => `arn:aws:securityhub:${c.region}:${c.account}:hub/default`,
    actions: ['securityhub:StartConfigurationPolicyAssociation', 'securityhub:GetConfigurationPolicyAssociation', 'securityhub:StartConfigurationPolicyDisassociation'],
    others: () => ORGANIZATIONS_READ.map((a) => [a, '*'] as const),
  },
  aws_securityhub_finding_aggregator: {
    arn: (c) => `arn:aws:securityhub:${c.region}:${c.account}:finding-aggregator/a1b2c3d4-5678-90ab-cdef-1234567890ab`,
    actions: ['securityhub:CreateFindingAggregator', 'securityhub:GetFindingAggregator', 'securityhub:UpdateFindingAggregator', 'securityhub:DeleteFindingAggregator'],
  },
  aws_accessanalyzer_analyzer: {
    arn: (c) => `arn:aws:access-analyzer:${c.region}:${c.account}:analyzer/${str(c.body.analyzer_name)}`,
    actions: ['access-analyzer:CreateAnalyzer', 'access-analyzer:GetAnalyzer', 'access-analyzer:TagResource', 'access-analyzer:UntagResource', 'access-analyzer:DeleteAnalyzer'],
    // An organization analyzer checks the delegation and creates the service-linked role.
    others: (c) => [
      ...ORGANIZATIONS_READ.map((a) => [a, '*'] as const),
      ['iam:CreateServiceLinkedRole', `arn:aws:iam::${c.account}:role/aws-service-role/access-analyzer.amazonaws.com/AWSServiceRoleForAccessAnalyzer`],
    ],
  },
  aws_accessanalyzer_archive_rule: {
    arn: (c) => `arn:aws:access-analyzer:${c.region}:${c.account}:analyzer/${c.resolve(c.body.analyzer_name)}/archive-rule/${str(c.body.rule_name)}`,
    actions: ['access-analyzer:CreateArchiveRule', 'access-analyzer:GetArchiveRule', 'access-analyzer:UpdateArchiveRule', 'access-analyzer:DeleteArchiveRule'],
  },
  aws_config_configuration_aggregator: {
    arn: (c) => `arn:aws:config:${c.region}:${c.account}:config-aggregator/config-aggregator-a1b2c3d4`,
    actions: ['config:PutConfigurationAggregator', 'config:DescribeConfigurationAggregators', 'config:DeleteConfigurationAggregator', 'config:ListTagsForResource', 'config:TagResource', 'config:UntagResource'],
    others: (c) => [...passRole(c, (c.body.organization_aggregation_source as Body | undefined)?.role_arn, 'config.amazonaws.com'), ...ORGANIZATIONS_READ.map((a) => [a, '*'] as const)],
  },
  aws_config_organization_conformance_pack: {
    arn: (c) => `arn:aws:config:${c.region}:${c.account}:organization-conformance-pack/${str(c.body.name)}-a1b2c3d4`,
    actions: ['config:PutOrganizationConformancePack', 'config:DescribeOrganizationConformancePacks', 'config:DescribeOrganizationConformancePackStatuses', 'config:GetOrganizationConformancePackDetailedStatus', 'config:DeleteOrganizationConformancePack'],
    others: (c) => [
      ...ORGANIZATIONS_READ.map((a) => [a, '*'] as const),
      ['iam:CreateServiceLinkedRole', `arn:aws:iam::${c.account}:role/aws-service-role/config-conforms.amazonaws.com/AWSServiceRoleForConfigConforms`],
    ],
  },
  aws_oam_sink: {
    arn: (c) => `arn:aws:oam:${c.region}:${c.account}:sink/a1b2c3d4-5678-90ab-cdef-1234567890ab`,
    actions: ['oam:CreateSink', 'oam:GetSink', 'oam:DeleteSink', 'oam:ListTagsForResource', 'oam:TagResource', 'oam:UntagResource'],
  },
  aws_oam_sink_policy: { arn: (c) => c.arnOf(c.body.sink_identifier), actions: ['oam:PutSinkPolicy', 'oam:GetSinkPolicy'] },
};

/** Data sources: the reads each needs. */
const REVIEWED_DATA: Readonly<Record<string, Reviewed>> = {
  aws_organizations_organization: {
    arn: () => '*',
    actions: ['organizations:DescribeOrganization', 'organizations:ListRoots', 'organizations:ListAccounts', 'organizations:ListAWSServiceAccessForOrganization'],
  },
  aws_availability_zones: { arn: () => '*', actions: ['ec2:DescribeAvailabilityZones'] },
  aws_organizations_organizational_unit: {
    arn: (c) => `arn:aws:organizations::${c.management}:root/${ORG}/r-a1b2`,
    actions: ['organizations:ListOrganizationalUnitsForParent'],
  },
};

interface Statement {
  readonly Effect: string;
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: Record<string, Record<string, string | readonly string[]>>;
}

const list = (v: string | readonly string[] | undefined): readonly string[] => (v === undefined ? [] : typeof v === 'string' ? [v] : v);
const globToRegExp = (glob: string): RegExp => new RegExp(`^${glob.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
const matches = (patterns: readonly string[], value: string): boolean => patterns.some((p) => globToRegExp(p).test(value));

/**
 * A statement's conditions, for a resource the platform tags (provider default_tags, e.g. managed-by) and the request's
 * own keys (iam:PassedToService). Only StringEquals on those keys is modelled; any other condition counts as not met,
 * so it cannot hide a gap.
 */
function conditionHolds(condition: Statement['Condition'], tags: Readonly<Record<string, string>>, request: Readonly<Record<string, string>>): boolean {
  for (const [operator, keys] of Object.entries(condition ?? {})) {
    for (const [key, expected] of Object.entries(keys)) {
      const tag = /^aws:(?:ResourceTag|RequestTag)\/(.+)$/.exec(key)?.[1];
      const actual = tag !== undefined ? tags[tag] : request[key];
      if (operator !== 'StringEquals' || actual === undefined || !list(expected).includes(actual)) return false;
    }
  }
  return true;
}

function statementApplies(s: Statement, action: string, arn: string, tags: Readonly<Record<string, string>>, request: Readonly<Record<string, string>>): boolean {
  const actionMatches = s.Action !== undefined ? matches(list(s.Action), action) : !matches(list(s.NotAction), action);
  return actionMatches && matches(list(s.Resource), arn) && conditionHolds(s.Condition, tags, request);
}

function isAllowed(stack: StackUnderTest, call: Call, tags: Readonly<Record<string, string>>): 'allowed' | 'not allowed' | 'denied by an SCP' {
  const [action, arn, request = {}] = call;
  if (!stack.allows.some((s) => s.Effect === 'Allow' && statementApplies(s, action, arn, tags, request))) return 'not allowed';
  return stack.denies.some((s) => s.Effect === 'Deny' && scpDenies(s, action, arn, stack.roleArn)) ? 'denied by an SCP' : 'allowed';
}

/**
 * An SCP Deny applies to the deploy role unless its condition exempts the role by aws:PrincipalARN. A condition on any
 * other key is taken as not met (the Deny does not apply): only restrict-break-glass-assume has one, on sts:AssumeRole.
 */
function scpDenies(s: Statement, action: string, arn: string, principalArn: string): boolean {
  const actionMatches = s.Action !== undefined ? matches(list(s.Action), action) : !matches(list(s.NotAction), action);
  if (!actionMatches || !matches(list(s.Resource ?? '*'), arn)) return false;
  for (const [operator, keys] of Object.entries(s.Condition ?? {})) {
    for (const [key, values] of Object.entries(keys)) {
      if (key.toLowerCase() !== 'aws:principalarn') return false; // a condition we do not model: assume it does not apply
      const hit = matches(list(values), principalArn);
      if ((operator === 'ArnNotLike' || operator === 'StringNotLike' || operator === 'ArnNotEquals' || operator === 'StringNotEquals') && hit) return false;
      if ((operator === 'ArnLike' || operator === 'StringLike' || operator === 'ArnEquals' || operator === 'StringEquals') && !hit) return false;
    }
  }
  return true;
}

interface StackUnderTest {
  readonly stack: string;
  readonly account: string;
  readonly roleArn: string;
  readonly allows: readonly Statement[];
  readonly denies: readonly Statement[];
  readonly json: { resource?: Blocks; data?: Blocks; provider?: { aws?: Body[] } };
}

/** Every (action, ARN) the applying role may not call for one stack, or a type without reviewed permissions. */
function findGaps(stack: StackUnderTest, catalog: ActionCatalog, management: string, onlyAccessLevels?: ReadonlySet<string>): string[] {
  const providers = stack.json.provider?.aws ?? [];
  const defaultProvider = providers.find((p) => p.alias === undefined) ?? providers[0];
  const account = str((defaultProvider?.allowed_account_ids as string[] | undefined)?.[0]);
  const blocks: Record<string, Blocks> = { resource: stack.json.resource ?? {}, data: stack.json.data ?? {} };
  const out: string[] = [];
  const visit = (kind: 'resource' | 'data', type: string, body: Body): void => {
    const reviewed = (kind === 'resource' ? REVIEWED : REVIEWED_DATA)[type];
    if (!reviewed) {
      out.push(`${kind === 'data' ? 'data.' : ''}${type}: type without reviewed permissions`);
      return;
    }
    const provider = body.provider ? providers.find((p) => `aws.${str(p.alias)}` === body.provider) : defaultProvider;
    const region = str(provider?.region);
    const tags = ((provider?.default_tags as Array<{ tags: Record<string, string> }> | undefined)?.[0]?.tags ?? {}) as Record<string, string>;
    const context = (b: Body): ArnContext => {
      const c: ArnContext = {
        account, region, management, body: b,
        resolve: (value) => {
          const ref = /^\$\{(data\.)?([a-z0-9_]+)\.([^.]+)\.([a-z_]+)\}$/.exec(str(value));
          if (!ref) return str(value);
          const target = blocks[ref[1] ? 'data' : 'resource'][ref[2]]?.[ref[3]];
          return str(target?.[ref[4]] ?? target?.name ?? target?.bucket ?? target?.function_name ?? value);
        },
        arnOf: (value) => {
          const ref = /^\$\{([a-z0-9_]+)\.([^.]+)\.[a-z_]+\}$/.exec(str(value));
          const target = ref ? blocks.resource[ref[1]]?.[ref[2]] : undefined;
          if (!ref || !target || !REVIEWED[ref[1]]) return str(value);
          return REVIEWED[ref[1]].arn(context(target));
        },
      };
      return c;
    };
    const c = context(body);
    const arn = reviewed.arn(c);
    const calls: Call[] = [...reviewed.actions.map((a) => [a, arn] as const), ...(reviewed.others?.(c) ?? [])];
    for (const call of calls) {
      const [action, onArn, request] = call;
      const info = catalog.getAction(action);
      if (!info) {
        out.push(`${action}: not in the action catalog`);
        continue;
      }
      // The plan phase only reads: its role needs the calls of the Read and List access levels (terraform refresh).
      if (onlyAccessLevels && !onlyAccessLevels.has(info.accessLevel)) continue;
      const target = info.resourceTypes.length === 0 ? '*' : onArn;
      // The ARN this test builds must be one the action authorizes on (catalog templates), or the check proves nothing.
      if (target === '*' && info.resourceTypes.length > 0) {
        out.push(`${action}: the test gives no ARN, but the action authorizes on ${info.resourceTypes.map((t) => t.name).join(', ')} (${type})`);
        continue;
      }
      if (target !== '*' && !info.resourceTypes.some((t) => t.arnPatterns.some((template) => arnMatchesTemplate(target, template)))) {
        out.push(`${action}: ${target} is not an ARN of ${info.resourceTypes.map((t) => t.name).join(', ')} (${type})`);
        continue;
      }
      const verdict = isAllowed(stack, request ? [action, target, request] : [action, target], tags);
      if (verdict !== 'allowed') out.push(`${stack.stack}: ${action} on ${target} ${verdict} (${type})`);
    }
  };
  for (const kind of ['resource', 'data'] as const) for (const [type, named] of Object.entries(blocks[kind])) for (const body of Object.values(named)) visit(kind, type, body);
  return out;
}

/** The applying role of each stack, resolved from accounts/, with its customer managed policies and the SCPs over its account. */
function stacksOf(org: ResolvedOrganization, outdir: string, accounts?: readonly string[], phase: 'apply' | 'plan' = 'apply'): StackUnderTest[] {
  const result = synthesizeOrganization(org, { outdir, ...(accounts ? { accounts } : {}) });
  return result.stacks.map((s) => {
    const json = JSON.parse(readFileSync(s.file, 'utf8')) as StackUnderTest['json'];
    const provider = (json.provider?.aws ?? []).find((p) => p.alias === undefined)!;
    const accountId = str((provider.allowed_account_ids as string[])[0]);
    const account = org.accounts.find((a) => a.id === accountId)!;
    const assumed = str((provider.assume_role as Array<{ role_arn: string }> | undefined)?.[0]?.role_arn);
    const roleArn = phase === 'plan' ? account.dynamicCredentials?.planRoleArn ?? '' : assumed || account.dynamicCredentials?.applyRoleArn || '';
    const roleName = roleArn.split('/').pop()!;
    const role = account.roles.find((r) => r.name === roleName);
    if (!role) throw new Error(`${s.stack}: the applying role ${roleArn} is not defined in accounts/`);
    const allows = role.managedPolicies.flatMap((ref) => {
      if (ref.kind !== 'customer') throw new Error(`${s.stack}: ${roleName} uses the AWS managed policy ${ref.name}; review it here`);
      const policy = account.policies.find((p) => p.name === ref.name)!;
      return (policy.document.toJSON() as { Statement: Statement[] }).Statement;
    });
    const denies = scpsOver(org, account.name);
    return { stack: s.stack, account: account.name, roleArn, allows, denies, json };
  });
}

/**
 * The statements of every SCP of the organization, wherever it is attached: a superset of those over the account, so
 * stricter than AWS. None apply to the management account, as in AWS.
 */
function scpsOver(org: ResolvedOrganization, accountName: string): Statement[] {
  const settings = org.organization as unknown as { managementAccount?: string; scps?: Array<{ targets?: unknown; document: { toJSON(): unknown } }> } | undefined;
  if (!settings || settings.managementAccount === accountName) return [];
  return (settings.scps ?? []).flatMap((scp) => (scp.document.toJSON() as { Statement: Statement[] }).Statement);
}

describe('the deploy roles can apply every stack', () => {
  const catalog = loadActionCatalog();
  const roots: string[] = [];
  afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

  function check(root: string, accounts?: readonly string[], phase: 'apply' | 'plan' = 'apply'): { stacks: StackUnderTest[]; gaps: string[] } {
    const org = loadOrganization(root);
    const outdir = mkdtempSync(join(tmpdir(), 'deploy-coverage-out-'));
    roots.push(outdir);
    const management = org.accounts.find((a) => a.name === org.organization?.managementAccount)!.id;
    const stacks = stacksOf(org, outdir, accounts, phase);
    const reads = phase === 'plan' ? new Set(['Read', 'List']) : undefined;
    return { stacks, gaps: [...new Set(stacks.flatMap((s) => findGaps(s, catalog, management, reads)))] };
  }

  it('iam-platform-deploy (local backend: every account and organization stack)', () => {
    const { stacks, gaps } = check(EXAMPLE_ORG_ROOT);
    expect(stacks.map((s) => s.stack).sort()).toEqual([
      'iam-app-dev', 'iam-app-prod', 'iam-app-staging', 'iam-data-prod', 'iam-log-archive', 'iam-management', 'iam-organization', 'iam-organization-log-archive',
      'iam-security', 'iam-security-baseline', 'iam-shared-services',
    ]);
    expect(new Set(stacks.map((s) => s.roleArn.split('/').pop()))).toEqual(new Set(['iam-platform-deploy']));
    // The SCPs are part of the check: every account but the management account is under them.
    expect(stacks.find((s) => s.stack === 'iam-app-dev')!.denies.length).toBeGreaterThan(0);
    expect(stacks.find((s) => s.stack === 'iam-organization')!.denies).toEqual([]);
    expect(gaps).toEqual([]);
  });

  it('gives the organization policies only to iam-platform-deploy in the management and security OUs', () => {
    const org = loadOrganization(EXAMPLE_ORG_ROOT);
    const policiesOf = (account: string, role: string): string[] =>
      org.accounts.find((a) => a.name === account)!.roles.find((r) => r.name === role)!.managedPolicies.map((m) => m.name);
    const accountStackOnly = ['iam-platform-deployer', 'iam-platform-drift-deployer', 'iam-platform-network-deployer'];
    const organizationStacks = [...accountStackOnly, 'iam-platform-organization-deployer', 'iam-platform-security-baseline-deployer'];
    for (const account of ['app-dev', 'app-prod', 'app-staging', 'data-prod', 'shared-services']) expect(policiesOf(account, 'iam-platform-deploy')).toEqual(accountStackOnly);
    for (const account of ['management', 'log-archive', 'security']) expect(policiesOf(account, 'iam-platform-deploy')).toEqual(organizationStacks);
    for (const account of org.accounts) expect(policiesOf(account.name, 'tfc-iam-apply')).toEqual(accountStackOnly);
  });

  it('the check bites: a missing action, a name outside the platform, an untagged key, an SCP deny and unreviewed types are reported', () => {
    const org = loadOrganization(EXAMPLE_ORG_ROOT);
    const account = org.accounts.find((a) => a.name === 'app-dev')!;
    const statementsOf = (name: string): Statement[] => (account.policies.find((p) => p.name === name)!.document.toJSON() as { Statement: Statement[] }).Statement;
    const allows = [...statementsOf('iam-platform-deployer'), ...statementsOf('iam-platform-drift-deployer')].map((st) => ({
      ...st,
      Action: list(st.Action).filter((a) => a !== 'lambda:UpdateFunctionCode'),
    }));
    const denies: Statement[] = [{ Effect: 'Deny', Action: ['lambda:DeleteFunction'], Resource: '*', Condition: { ArnNotLike: { 'aws:PrincipalARN': 'arn:aws:iam::*:role/someone-else' } } }];
    const tagged = { 'managed-by': 'iam-platform' };
    const stack: StackUnderTest = {
      stack: 'iam-probe',
      account: account.name,
      roleArn: `arn:aws:iam::${account.id}:role/iam-platform-deploy`,
      allows,
      denies,
      json: {
        provider: {
          aws: [
            { allowed_account_ids: [account.id], region: 'eu-west-1', default_tags: [{ tags: tagged }] },
            { alias: 'untagged', allowed_account_ids: [account.id], region: 'eu-west-1', default_tags: [{ tags: {} }] },
          ],
        },
        resource: {
          aws_iam_role: { handler: { name: 'iam-platform-drift-handler' } },
          aws_lambda_function: {
            ours: { function_name: 'iam-platform-drift', role: '${aws_iam_role.handler.arn}' },
            theirs: { function_name: 'someone-else', role: '${aws_iam_role.handler.arn}' },
          },
          aws_kms_key: { untagged: { provider: 'aws.untagged' } },
          aws_iam_user: { u: { name: 'x' } },
        },
        data: { aws_caller_identity: { me: {} } },
      },
    };
    const problems = findGaps(stack, catalog, '210987654321');
    const fn = (name: string): string => `arn:aws:lambda:eu-west-1:${account.id}:function:${name}`;
    expect(problems).toContain(`iam-probe: lambda:UpdateFunctionCode on ${fn('iam-platform-drift')} not allowed (aws_lambda_function)`);
    expect(problems).toContain(`iam-probe: lambda:CreateFunction on ${fn('someone-else')} not allowed (aws_lambda_function)`);
    expect(problems).toContain(`iam-probe: lambda:DeleteFunction on ${fn('iam-platform-drift')} denied by an SCP (aws_lambda_function)`);
    expect(problems).toContain(`iam-probe: kms:DescribeKey on arn:aws:kms:eu-west-1:${account.id}:key/${KEY_ID} not allowed (aws_kms_key)`);
    expect(problems).toContain('aws_iam_user: type without reviewed permissions');
    expect(problems).toContain('data.aws_caller_identity: type without reviewed permissions');
    // What is allowed stays allowed: the tagged function's create and its role's PassRole to Lambda.
    expect(problems.filter((p) => p.includes(`lambda:CreateFunction on ${fn('iam-platform-drift')}`) || p.includes('iam:PassRole'))).toEqual([]);
  });

  it('with the optional parts on: the Lambda network (VPC, subnets, endpoints, NAT, flow logs) and the metrics link', () => {
    const root = mkdtempSync(join(tmpdir(), 'deploy-coverage-network-'));
    roots.push(root);
    cpSync(join(EXAMPLE_ORG_ROOT, 'accounts'), join(root, 'accounts'), { recursive: true });
    const file = join(root, 'accounts', 'org.yaml');
    const text = readFileSync(file, 'utf8');
    const commented = '# network:\n#   vpc:\n#     cidr: 10.64.0.0/24\n#     availabilityZones: 2';
    expect(text).toContain(commented);
    writeFileSync(
      file,
      text
        .replace(commented, commented.replace(/^# /gm, ''))
        .replace('  escalationAlarms:\n', '  metricsSinkArn: arn:aws:oam:us-east-1:310987654321:sink/a1b2c3d4-5678-90ab-cdef-1234567890ab\n  escalationAlarms:\n'),
    );
    // Every account, shared-services too: its Lambdas run in two regions (drift in us-east-1, its service credential
    // in eu-west-1), so it has two networks, each with its own flow-log role.
    const { stacks, gaps } = check(root);
    const types = new Set(stacks.flatMap((s) => Object.keys(s.json.resource ?? {})));
    for (const type of ['aws_vpc', 'aws_subnet', 'aws_vpc_endpoint', 'aws_nat_gateway', 'aws_flow_log', 'aws_oam_link']) expect(types).toContain(type);
    // IAM is global: shared-services' two networks each deliver their flow logs through a role of their own region.
    const sharedServices = stacks.find((s) => s.stack === 'iam-shared-services')!;
    const flowLogRoles = Object.values(sharedServices.json.resource?.aws_iam_role ?? {}).map((r) => String(r.name)).filter((n) => n.includes('flow-logs')).sort();
    expect(flowLogRoles).toEqual(['iam-platform-lambdas-flow-logs-eu-west-1', 'iam-platform-lambdas-flow-logs-us-east-1']);
    expect(gaps).toEqual([]);
  });

  it('tfc-iam-plan (the plan phase of Terraform Cloud runs) reads every resource of the account stacks', () => {
    const root = copyCloudOrganization('plan-coverage-');
    roots.push(root);
    const org = loadOrganization(root);
    const accounts = org.accounts.filter((a) => a.dynamicCredentials).map((a) => a.name);
    expect(accounts.length).toBe(8);
    const { stacks, gaps } = check(root, accounts, 'plan');
    expect(new Set(stacks.map((s) => s.roleArn.split('/').pop()))).toEqual(new Set(['tfc-iam-plan']));
    expect(gaps).toEqual([]);
  });

  it('tfc-iam-apply (Terraform Cloud dynamic credentials) for the account stacks', () => {
    const root = copyCloudOrganization('deploy-coverage-');
    roots.push(root);
    const { stacks, gaps } = check(root);
    expect(stacks.filter((s) => s.roleArn.endsWith(':role/tfc-iam-apply')).length).toBeGreaterThanOrEqual(8);
    expect(gaps).toEqual([]);
  });
});
