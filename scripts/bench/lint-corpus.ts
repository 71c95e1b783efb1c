/**
 * The generated policy set of `npm run bench:lint`, shared with the lint differential test
 * (test/lint/lint-golden.test.ts), so the benchmark measures the documents whose findings the golden file pins.
 */
import type { PolicyType } from '../../src/core/policy';

/** A small deterministic generator, so runs compare. */
export function createRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const ACTIONS = [
  ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket', 's3:GetBucketLocation', 's3:Get*'],
  ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem', 'dynamodb:BatchGetItem'],
  ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
  ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:Encrypt'],
  ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:CreateLogGroup'],
  ['ec2:DescribeInstances', 'ec2:DescribeVpcs', 'ec2:Describe*', 'ec2:StartInstances', 'ec2:StopInstances'],
  ['lambda:InvokeFunction', 'lambda:GetFunction', 'lambda:UpdateFunctionCode'],
  ['iam:PassRole', 'iam:GetRole', 'iam:ListRoles'],
  ['secretsmanager:GetSecretValue', 'ssm:GetParameter', 'ssm:GetParametersByPath'],
  ['s3:GetObjekt', 'dynamodb:GetItems', 'sqs:SendMesage'],
];
const RESOURCES: Record<string, (n: number) => string> = {
  s3: (n) => (n % 2 === 0 ? `arn:aws:s3:::bucket-${n}/*` : `arn:aws:s3:::bucket-${n}`),
  dynamodb: (n) => `arn:aws:dynamodb:eu-west-1:111122223333:table/table-${n}`,
  sqs: (n) => `arn:aws:sqs:eu-west-1:111122223333:queue-${n}`,
  kms: (n) => `arn:aws:kms:eu-west-1:111122223333:key/${n}-0000-0000-0000-000000000000`,
  logs: (n) => `arn:aws:logs:eu-west-1:111122223333:log-group:/app/${n}:*`,
  ec2: () => '*',
  lambda: (n) => `arn:aws:lambda:eu-west-1:111122223333:function:fn-${n}`,
  iam: (n) => `arn:aws:iam::111122223333:role/app-${n}`,
  secretsmanager: (n) => `arn:aws:secretsmanager:eu-west-1:111122223333:secret:app-${n}-*`,
};

export function generatePolicy(random: () => number, i: number): { readonly text: string; readonly type: PolicyType } {
  if (i % 5 === 4) {
    const statements = [
      { Sid: 'Workload', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${100000000000 + (i % 900)}:role/deployer` }, Action: 'sts:AssumeRole' },
      ...(i % 10 === 9 ? [{ Effect: 'Allow', Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/gitlab.com' }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { 'gitlab.com:aud': 'https://gitlab.com' }, StringLike: { 'gitlab.com:sub': `project_path:group/p${i}:ref_type:branch:ref:main` } } }] : []),
    ];
    return { text: JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2), type: 'trust' };
  }
  const count = 3 + Math.floor(random() * 6);
  const statements = Array.from({ length: count }, (_, s) => {
    const group = ACTIONS[Math.floor(random() * (random() < 0.03 ? ACTIONS.length : ACTIONS.length - 1))];
    const actions = [...new Set(Array.from({ length: 1 + Math.floor(random() * 4) }, () => group[Math.floor(random() * group.length)]))];
    const service = actions[0].split(':')[0];
    const resources = Array.from({ length: 1 + Math.floor(random() * 3) }, () => (RESOURCES[service] ?? (() => '*'))(Math.floor(random() * 1000)));
    const statement: Record<string, unknown> = { Sid: `S${s}`, Effect: random() < 0.9 ? 'Allow' : 'Deny', Action: actions, Resource: [...new Set(resources)] };
    if (random() < 0.3) statement.Condition = { StringEquals: { 'aws:PrincipalOrgID': 'o-abc123def4' }, Bool: { 'aws:SecureTransport': 'true' } };
    if (service === 'iam' && random() < 0.5) statement.Condition = { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } };
    return statement;
  });
  return { text: JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2), type: 'identity' };
}

/** The first `count` policies of the benchmark's set (seed 42): the same documents every run. */
export function generatePolicies(count: number): { readonly text: string; readonly type: PolicyType }[] {
  const random = createRandom(42);
  return Array.from({ length: count }, (_, i) => generatePolicy(random, i));
}
