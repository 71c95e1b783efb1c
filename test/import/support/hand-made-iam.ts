/**
 * Hand-made IAM in moto's default account, as a team would have clicked it together before the
 * platform: 20 roles of every trust kind the role model expresses (and one it does not), customer
 * managed policies, a boundary, an OIDC provider, plus what import must leave out (a service-linked
 * role, the deploy role) and one role identical to the fixture org's `ssm-instance` template.
 */
import {
  AttachRolePolicyCommand,
  CreateOpenIDConnectProviderCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateServiceLinkedRoleCommand,
  type IAMClient,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';

export const ACCOUNT_ID = '123456789012';
const EXTERNAL_ID = 'vendor-7f3c2a9e51b04d6c';

const service = (principal: string): object => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: principal }, Action: 'sts:AssumeRole' }] });
const readBucket = (bucket: string): object => ({
  Version: '2012-10-17',
  Statement: [{ Sid: 'ReadBucket', Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`] }],
});

/** One hand-made role. */
export interface HandMadeRole {
  readonly name: string;
  readonly trust: object;
  readonly path?: string;
  readonly description?: string;
  readonly maxSessionDuration?: number;
  readonly tags?: Readonly<Record<string, string>>;
  readonly inline?: Readonly<Record<string, object>>;
  readonly managed?: readonly string[];
  readonly boundary?: string;
}

const policyArn = (name: string): string => `arn:aws:iam::${ACCOUNT_ID}:policy/${name}`;

/** The 20 hand-made roles (the template role, the deploy role and the service-linked role come on top). */
export const HAND_MADE_ROLES: readonly HandMadeRole[] = [
  { name: 'orders-lambda', trust: service('lambda.amazonaws.com'), inline: { 'read-orders': readBucket('orders') }, managed: [policyArn('app-read-data')] },
  { name: 'orders-task', trust: service('ecs-tasks.amazonaws.com'), inline: { 'read-uploads': readBucket('uploads') } },
  { name: 'batch-ec2', trust: service('ec2.amazonaws.com'), managed: ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess'] },
  { name: 'etl-states', trust: service('states.amazonaws.com'), inline: { 'invoke-etl': { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: `arn:aws:lambda:us-east-1:${ACCOUNT_ID}:function:etl-*` }] } } },
  { name: 'nightly-events', trust: service('events.amazonaws.com'), inline: { 'start-etl': { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'states:StartExecution', Resource: `arn:aws:states:us-east-1:${ACCOUNT_ID}:stateMachine:etl` }] } } },
  { name: 'glue-crawler', trust: service('glue.amazonaws.com'), managed: [policyArn('app-read-data')] },
  {
    name: 'reporting-reader',
    trust: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:role/reporting' }, Action: 'sts:AssumeRole' }] },
    managed: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
  },
  {
    name: 'ci-deployer',
    trust: { Version: '2012-10-17', Statement: [{ Sid: 'AccountTrust0', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:role/ci-runner' }, Action: 'sts:AssumeRole' }] },
    inline: { 'deploy-artifacts': readBucket('artifacts') },
  },
  // Whole accounts without MFA: refused by the platform's guardrails, so import skips it.
  { name: 'backup-operator', trust: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::111111111111:root', 'arn:aws:iam::222222222222:root'] }, Action: 'sts:AssumeRole' }] }, managed: [policyArn('app-read-data')] },
  { name: 'metrics-pusher', trust: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::333333333333:role/metrics-agent' }, Action: 'sts:AssumeRole' }] }, inline: { 'put-metrics': { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'cloudwatch:PutMetricData', Resource: '*' }] } } },
  {
    name: 'vendor-monitoring',
    description: 'Third-party monitoring (read-only)',
    trust: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::464622532012:root' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': EXTERNAL_ID } } }] },
    managed: ['arn:aws:iam::aws:policy/SecurityAudit'],
  },
  {
    name: 'vendor-backup',
    trust: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444444444444:root' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'backup-0d9e8f7a6b5c4d3e' } } }] },
    inline: { 'read-backups': readBucket('backups') },
  },
  {
    name: 'vendor-cost',
    trust: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::555555555555:root' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'cost-1a2b3c4d5e6f7a8b' } } }] },
    managed: ['arn:aws:iam::aws:policy/job-function/ViewOnlyAccess'],
  },
  {
    name: 'ops-admin',
    maxSessionDuration: 7200,
    trust: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'sts:AssumeRole', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } } }],
    },
    managed: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
  },
  {
    name: 'support-readonly',
    trust: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'sts:AssumeRole', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, NumericLessThan: { 'aws:MultiFactorAuthAge': '900' } } }],
    },
    managed: ['arn:aws:iam::aws:policy/job-function/ViewOnlyAccess'],
  },
  {
    name: 'gitlab-deploy',
    trust: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/gitlab.com` },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringEquals: { 'gitlab.com:aud': 'https://gitlab.com' }, StringLike: { 'gitlab.com:sub': 'project_path:acme/shop:ref_type:branch:ref:main' } },
        },
      ],
    },
    inline: { 'deploy-site': readBucket('site') },
  },
  {
    name: 'gitlab-plan',
    trust: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: `arn:aws:iam::${ACCOUNT_ID}:oidc-provider/gitlab.com` },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringEquals: { 'gitlab.com:aud': 'https://gitlab.com' }, StringLike: { 'gitlab.com:sub': ['project_path:acme/shop:ref_type:branch:ref:*'] } },
        },
      ],
    },
    managed: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
  },
  { name: 'bounded-worker', trust: service('lambda.amazonaws.com'), boundary: policyArn('legacy-boundary'), inline: { 'read-queue': { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sqs:ReceiveMessage', Resource: `arn:aws:sqs:us-east-1:${ACCOUNT_ID}:jobs` }] } } },
  {
    name: 'data-analyst',
    path: '/legacy/',
    description: 'Analysts query the data lake',
    maxSessionDuration: 14400,
    tags: { owner: 'data-team', team: 'analytics' },
    trust: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'sts:AssumeRole', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } } }],
    },
    managed: [policyArn('app-read-data')],
  },
  {
    name: 'office-only',
    trust: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'sts:AssumeRole', Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }] },
  },
];

/** The role identical to the fixture org's `ssm-instance` template (its trust as buildTrustPolicy writes it). */
export const TEMPLATE_ROLE: HandMadeRole = {
  name: 'ssm-instance',
  description: 'EC2 instances managed by Systems Manager',
  tags: { owner: 'platform-team' },
  trust: { Version: '2012-10-17', Statement: [{ Sid: 'ServiceTrust', Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
  managed: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
};

async function createRole(iam: IAMClient, role: HandMadeRole): Promise<void> {
  await iam.send(
    new CreateRoleCommand({
      RoleName: role.name,
      Path: role.path,
      Description: role.description,
      MaxSessionDuration: role.maxSessionDuration,
      AssumeRolePolicyDocument: JSON.stringify(role.trust),
      Tags: role.tags ? Object.entries(role.tags).map(([Key, Value]) => ({ Key, Value })) : undefined,
    }),
  );
  for (const [PolicyName, document] of Object.entries(role.inline ?? {})) await iam.send(new PutRolePolicyCommand({ RoleName: role.name, PolicyName, PolicyDocument: JSON.stringify(document) }));
  for (const PolicyArn of role.managed ?? []) await iam.send(new AttachRolePolicyCommand({ RoleName: role.name, PolicyArn }));
  if (role.boundary) await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: role.name, PermissionsBoundary: role.boundary }));
}

/** Creates everything in moto. */
export async function createHandMadeIam(iam: IAMClient): Promise<void> {
  await iam.send(
    new CreatePolicyCommand({
      PolicyName: 'app-read-data',
      Description: 'Read the data lake buckets',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'ReadLake', Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::lake', 'arn:aws:s3:::lake/*'] }] }),
      Tags: [{ Key: 'cost-center', Value: 'data' }],
    }),
  );
  await iam.send(
    new CreatePolicyCommand({
      PolicyName: 'legacy-boundary',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['sqs:*', 's3:*', 'logs:*'], Resource: '*' }, { Effect: 'Deny', Action: 'iam:*', Resource: '*' }] }),
    }),
  );
  await iam.send(new CreatePolicyCommand({ PolicyName: 'unattached-policy', Path: '/legacy/', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: { Effect: 'Allow', Action: 'sns:Publish', Resource: `arn:aws:sns:us-east-1:${ACCOUNT_ID}:alerts` } }) }));
  await iam.send(new CreateOpenIDConnectProviderCommand({ Url: 'https://gitlab.com', ClientIDList: ['https://gitlab.com'], ThumbprintList: ['b3dd7606d2b5a8b4a13771dbecc9ee1cecafa38a'] }));
  for (const role of HAND_MADE_ROLES) await createRole(iam, role);
  await createRole(iam, TEMPLATE_ROLE);
  await createRole(iam, { name: 'iam-platform-deploy', trust: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` }, Action: 'sts:AssumeRole' }] }, managed: ['arn:aws:iam::aws:policy/AdministratorAccess'] });
  await iam.send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'autoscaling.amazonaws.com' }));
}
