/**
 * `npm run bench:diff`: the access diff of a generated organization (BENCH_ACCOUNTS × BENCH_ROLES roles, each with
 * wildcard grants the catalog expands) where one role gains s3:* on a bucket. Baseline, same run, same models:
 * canonicalizing and comparing every document with PolicyDocument.equals (what telling "something changed" costs,
 * without saying what). Prints JSON figures.
 */
import { diffAccessModels, type AccessModel, type RoleAccess } from '../../src/core/diff';
import { PolicyDocument, type PolicyDocumentJson } from '../../src/core/policy';
import { loadActionCatalog } from '../../src/io/catalog';

const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 50);
const ROLES = Number(process.env.BENCH_ROLES ?? 40);
const PATTERNS = ['s3:Get*', 's3:List*', 'dynamodb:Query', 'dynamodb:GetItem', 'sqs:*', 'logs:Put*', 'kms:Decrypt', 'ec2:Describe*', 'lambda:InvokeFunction', 'sns:Publish'];

function role(account: number, i: number): RoleAccess {
  const id = String(100000000000 + account);
  const statements = PATTERNS.map((p, j) => ({ Sid: `S${j}`, Effect: 'Allow' as const, Action: p, Resource: j % 2 === 0 ? `arn:aws:${p.split(':')[0]}:eu-west-1:${id}:app-${i}-${j}*` : '*' }));
  return {
    name: `role-${i}`,
    arn: `arn:aws:iam::${id}:role/role-${i}`,
    maxSessionDuration: 3600,
    trustPolicy: { Version: '2012-10-17', Statement: [{ Sid: 'AccountTrust0', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::100000000000:root' }, Action: 'sts:AssumeRole', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }] },
    trustKinds: { AccountTrust0: 'human' },
    policies: [{ kind: 'inline', name: 'main', document: { Version: '2012-10-17', Statement: statements } }],
    boundary: { name: 'boundary', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', NotAction: ['organizations:*'], Resource: '*' }, { Effect: 'Deny', Action: 'iam:CreateUser', Resource: '*' }] } },
  };
}

function generate(): AccessModel {
  const accounts = Array.from({ length: ACCOUNTS }, (_, a) => ({ name: `account-${a}`, id: String(100000000000 + a), ou: 'workloads', roles: Array.from({ length: ROLES }, (_, i) => role(a, i)), policies: [] }));
  return { organizationAccountIds: accounts.map((a) => a.id), accounts, scps: [] };
}

function documentsOf(model: AccessModel): PolicyDocumentJson[] {
  return model.accounts.flatMap((a) => a.roles.flatMap((r) => [r.trustPolicy, ...r.policies.map((p) => p.document!), ...(r.boundary?.document ? [r.boundary.document] : [])]));
}

function main(): void {
  const catalog = loadActionCatalog();
  const base = generate();
  const head = generate();
  const changed = head.accounts[0].roles[0];
  const doc = changed.policies[0].document!;
  (changed.policies as unknown as { document: PolicyDocumentJson }[])[0].document = { ...doc, Statement: [...(doc.Statement as object[]), { Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::uploads/*' }] } as PolicyDocumentJson;
  catalog.expandPattern('s3:*'); // warm the catalog's service data, as any run would

  const baselineStart = process.hrtime.bigint();
  const a = documentsOf(base);
  const b = documentsOf(head);
  let differing = 0;
  for (let i = 0; i < a.length; i++) if (!PolicyDocument.fromJson(a[i]).equals(PolicyDocument.fromJson(b[i]))) differing += 1;
  const baselineSeconds = Number(process.hrtime.bigint() - baselineStart) / 1e9;

  const start = process.hrtime.bigint();
  const diff = diffAccessModels(base, head, { catalog });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const round = (n: number): number => Math.round(n * 1000) / 1000;
  process.stdout.write(
    `${JSON.stringify(
      {
        accounts: ACCOUNTS,
        roles: ACCOUNTS * ROLES,
        documents: a.length * 2,
        seconds: round(seconds),
        rolesPerSecond: Math.round((ACCOUNTS * ROLES) / seconds),
        peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
        verdict: diff.verdict,
        changes: diff.summary.changes,
        baseline: { what: 'PolicyDocument.fromJson + equals of every document pair', seconds: round(baselineSeconds), differing },
        ratio: round(seconds / baselineSeconds),
      },
      null,
      2,
    )}\n`,
  );
}

main();
