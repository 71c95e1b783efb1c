/**
 * `npm run bench:lint`: lints 10,000 generated identity and trust policies of realistic size and prints
 * JSON figures, with a baseline measured in the same run on the same documents: JSON.parse plus
 * validatePolicyDocument (the structural floor every linter pays).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { lintPolicy } from '../../src/core/lint';
import { validatePolicyDocument, type PolicyType } from '../../src/core/policy';
import { loadActionCatalog } from '../../src/io/catalog';

const POLICIES = Number(process.env.BENCH_POLICIES ?? 10000);

/** A small deterministic generator, so runs compare. */
function createRandom(seed: number): () => number {
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

function generatePolicy(random: () => number, i: number): { readonly text: string; readonly type: PolicyType } {
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

/** Parliament (duo-labs/parliament, BSD-3), pinned, in its own venv: `python3 -m venv .tools/parliament-venv && .tools/parliament-venv/bin/pip install parliament==1.6.4`. */
const PARLIAMENT = join(__dirname, '..', '..', '.tools', 'parliament-venv', 'bin', 'parliament');
const PARLIAMENT_VERSION = '1.6.4';

/** Parliament over the same identity policies (it has no trust/SCP mode), one process over a directory; undefined when not installed. */
function measureParliament(policies: readonly { readonly text: string; readonly type: PolicyType }[]): { seconds: number; policies: number } | { unavailable: string } {
  if (!existsSync(PARLIAMENT)) return { unavailable: `not installed at ${PARLIAMENT} (pip install parliament==${PARLIAMENT_VERSION} into .tools/parliament-venv)` };
  const dir = mkdtempSync(join(tmpdir(), 'bench-lint-parliament-'));
  try {
    const identity = policies.filter((p) => p.type === 'identity');
    identity.forEach((p, i) => writeFileSync(join(dir, `p${i}.json`), p.text));
    const start = process.hrtime.bigint();
    const r = spawnSync(PARLIAMENT, ['--directory', dir], { encoding: 'utf8', maxBuffer: 1 << 30 });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (r.error) return { unavailable: `failed to run: ${r.error.message}` };
    return { seconds, policies: identity.length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One policy of 10,000 statements (the worst case: the redundancy check used to be quadratic). */
function measureLargePolicy(catalog: ReturnType<typeof loadActionCatalog>): { statements: number; seconds: number; findings: number } {
  const actions = ['s3:GetObject', 's3:PutObject', 'dynamodb:GetItem', 'sqs:SendMessage', 'lambda:InvokeFunction', 'kms:Decrypt'];
  const statements = Array.from({ length: 10000 }, (_, i) => ({ Sid: `S${i}`, Effect: 'Allow', Action: [actions[i % 6], actions[(i + 1) % 6]], Resource: `arn:aws:s3:::bucket-${i}/*` }));
  const start = process.hrtime.bigint();
  const findings = lintPolicy({ Version: '2012-10-17', Statement: statements }, { type: 'identity', catalog }).length;
  return { statements: statements.length, seconds: Number(process.hrtime.bigint() - start) / 1e9, findings };
}

function main(): void {
  const random = createRandom(42);
  const policies = Array.from({ length: POLICIES }, (_, i) => generatePolicy(random, i));
  const bytes = policies.reduce((n, p) => n + p.text.length, 0);

  // Baseline: parse and structural validation only.
  let problems = 0;
  const baselineStart = process.hrtime.bigint();
  for (const p of policies) problems += validatePolicyDocument(JSON.parse(p.text), { type: p.type }).length;
  const baselineSeconds = Number(process.hrtime.bigint() - baselineStart) / 1e9;

  const loadStart = process.hrtime.bigint();
  const catalog = loadActionCatalog();
  const catalogLoadSeconds = Number(process.hrtime.bigint() - loadStart) / 1e9;

  let findings = 0;
  const byRule: Record<string, number> = {};
  const start = process.hrtime.bigint();
  for (const p of policies) {
    for (const f of lintPolicy(JSON.parse(p.text), { type: p.type, catalog })) {
      findings += 1;
      byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
    }
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  const largePolicy = measureLargePolicy(catalog);
  const parliament = process.env.BENCH_SKIP_PARLIAMENT ? { unavailable: 'skipped (BENCH_SKIP_PARLIAMENT)' } : measureParliament(policies);
  const identity = policies.filter((p) => p.type === 'identity');
  const identityCount = identity.length;
  const identityStart = process.hrtime.bigint();
  for (const p of identity) lintPolicy(JSON.parse(p.text), { type: p.type, catalog });
  const identitySeconds = Number(process.hrtime.bigint() - identityStart) / 1e9;

  const round = (n: number, d = 3): number => Math.round(n * 10 ** d) / 10 ** d;
  process.stdout.write(
    `${JSON.stringify(
      {
        policies: POLICIES,
        averageBytes: Math.round(bytes / POLICIES),
        seconds: round(seconds),
        policiesPerSecond: Math.round(POLICIES / seconds),
        catalogLoadSeconds: round(catalogLoadSeconds),
        peakRssMb,
        findings,
        findingsByRule: byRule,
        baseline: { what: 'JSON.parse + validatePolicyDocument', seconds: round(baselineSeconds), policiesPerSecond: Math.round(POLICIES / baselineSeconds), problems },
        largePolicy: { ...largePolicy, seconds: round(largePolicy.seconds) },
        parliament:
          'unavailable' in parliament
            ? { version: PARLIAMENT_VERSION, unavailable: parliament.unavailable }
            : {
                version: PARLIAMENT_VERSION,
                what: `parliament --directory over the same ${parliament.policies} identity policies (one process, start-up included)`,
                seconds: round(parliament.seconds),
                policiesPerSecond: Math.round(parliament.policies / parliament.seconds),
                oursSeconds: round(identitySeconds),
                // How many times faster we lint the same identity policies, same run (ours excludes our start-up; see catalogLoadSeconds).
                ratio: round(parliament.seconds / identitySeconds, 2),
              },
        identityPolicies: identityCount,
        machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version },
      },
      null,
      2,
    )}\n`,
  );
}

main();
