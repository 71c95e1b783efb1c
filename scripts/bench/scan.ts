/**
 * `npm run bench:scan`: scans a generated 50-account organization (cdktf-shaped cdk.tf.json, ~20 IAM
 * resources per account) and prints JSON with seconds for one scanner process over all stacks
 * against one process per stack. Per-stack checkov is measured on a bounded sample and extrapolated
 * (the output says so). The baseline is the scanner's bare start-up (`--version`), measured in the same run.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { locateScanner, readStacks, runCheckov, runProcess, runTfsec } from '../../src/io/scanners';
import { summarizeBench } from './bench-result';

const ACCOUNTS = Number(process.env.BENCH_SCAN_ACCOUNTS ?? 50);
const CHECKOV_PER_STACK_SAMPLE = Number(process.env.BENCH_SCAN_CHECKOV_SAMPLE ?? 3);
const TFSEC_PER_STACK_SAMPLE = Number(process.env.BENCH_SCAN_TFSEC_SAMPLE ?? 10);
const ROOT = path.resolve(__dirname, '../..');

function accountId(index: number): string {
  return String(100000000000 + index * 1111);
}

/** One account's stack: 7 roles, 7 managed policies, 7 attachments (21 IAM resources). */
function generateStack(account: string, index: number): Record<string, unknown> {
  const id = accountId(index);
  const roles: Record<string, unknown> = {};
  const policies: Record<string, unknown> = {};
  const attachments: Record<string, unknown> = {};
  for (let n = 0; n < 7; n += 1) {
    const role = `role-app-${n}_role_${(index * 7 + n).toString(16).toUpperCase().padStart(8, '0')}`;
    const policy = `policy-app-${n}_policy_${(index * 7 + n + 1).toString(16).toUpperCase().padStart(8, '0')}`;
    const source = `accounts/workloads/${account}/roles/app-${n}.yaml`;
    const trust =
      n % 2 === 0
        ? { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }
        : { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId(0)}:role/app-deployer` }, Action: 'sts:AssumeRole', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }] };
    const document = {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'ReadData', Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: [`arn:aws:s3:::${account}-data-${n}`, `arn:aws:s3:::${account}-data-${n}/*`] },
        { Sid: 'Table', Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'], Resource: `arn:aws:dynamodb:eu-west-1:${id}:table/${account}-table-${n}` },
      ],
    };
    const marker = (p: string, unique: string) => ({ metadata: { path: `iam-${account}/${p}`, uniqueId: unique }, 'iam-platform': { source, path: '$', line: 1 } });
    roles[role] = { '//': marker(`roles/app-${n}/role`, role), name: `app-${n}`, assume_role_policy: JSON.stringify(trust), max_session_duration: 3600, tags: { 'iam-platform:source': source } };
    policies[policy] = { '//': marker(`policies/app-${n}/policy`, policy), name: `app-${n}`, path: '/', policy: JSON.stringify(document), tags: { 'iam-platform:source': source } };
    attachments[`${role}_attach`] = { '//': marker(`roles/app-${n}/attach`, `${role}_attach`), role: `\${aws_iam_role.${role}.name}`, policy_arn: `\${aws_iam_policy.${policy}.arn}` };
  }
  return {
    '//': { metadata: { backend: 'local', stackName: `iam-${account}`, version: '0.21.0' }, outputs: {} },
    provider: { aws: [{ default_tags: [{ tags: { 'iam-platform:source': `accounts/workloads/${account}/account.yaml` } }], region: 'eu-west-1' }] },
    resource: { aws_iam_role: roles, aws_iam_policy: policies, aws_iam_role_policy_attachment: attachments },
    terraform: { backend: { local: { path: `terraform.iam-${account}.tfstate` } }, required_providers: { aws: { source: 'aws', version: '6.25.0' } } },
  };
}

async function time<T>(run: () => Promise<T>): Promise<{ seconds: number; value: T }> {
  const started = process.hrtime.bigint();
  const value = await run();
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, value };
}

const round = (n: number): number => Math.round(n * 100) / 100;

async function main(): Promise<void> {
  const checkov = locateScanner('checkov', { cwd: ROOT });
  const tfsec = locateScanner('tfsec', { cwd: ROOT });
  const work = mkdtempSync(path.join(tmpdir(), 'bench-scan-'));
  try {
    const stacksDir = path.join(work, 'stacks');
    for (let i = 0; i < ACCOUNTS; i += 1) {
      const account = `acct-${String(i).padStart(2, '0')}`;
      mkdirSync(path.join(stacksDir, `iam-${account}`), { recursive: true });
      writeFileSync(path.join(stacksDir, `iam-${account}`, 'cdk.tf.json'), JSON.stringify(generateStack(account, i), null, 2));
    }
    const stacks = readStacks({ cwd: work, stacksDir });
    const resources = stacks.reduce((n, s) => n + s.resources.size, 0);

    const checkovStartup = await time(() => runProcess(checkov, ['--version'], { cwd: work }));
    const tfsecStartup = await time(() => runProcess(tfsec, ['--version'], { cwd: work }));

    const checkovOnce = await time(() => runCheckov({ executable: checkov, cwd: work, stacksDir, stacks, wholeFolder: true }));
    const checkovSample = stacks.slice(0, CHECKOV_PER_STACK_SAMPLE);
    const checkovPerStack = await time(async () => {
      for (const stack of checkovSample) await runCheckov({ executable: checkov, cwd: work, stacksDir, stacks: [stack], wholeFolder: false });
    });

    const tfsecOnce = await time(() => runTfsec({ executable: tfsec, cwd: work, stacksDir, stacks }));
    const tfsecSample = stacks.slice(0, TFSEC_PER_STACK_SAMPLE);
    const tfsecPerStack = await time(async () => {
      for (const stack of tfsecSample) await runTfsec({ executable: tfsec, cwd: work, stacksDir: path.dirname(stack.absPath), stacks: [stack] });
    });

    const perStackCheckov = checkovPerStack.seconds / checkovSample.length;
    const perStackTfsec = tfsecPerStack.seconds / tfsecSample.length;
    const result = {
      ...summarizeBench({
        benchmark: 'scan',
        size: `${stacks.length} accounts, ${resources} resources`,
        figure: { what: 'checkov, one process for every stack', value: round(checkovOnce.seconds), unit: 's' },
        better: 'lower',
        baseline: { what: `checkov, one process per stack (${checkovSample.length} measured, extrapolated)`, value: round(perStackCheckov * stacks.length), unit: 's' },
        baselineNote: `tfsec: ${round(tfsecOnce.seconds)} s in one process against ${round(perStackTfsec * stacks.length)} s per stack`,
      }),
      organization: { accounts: stacks.length, resources, resourcesPerAccount: round(resources / stacks.length) },
      scannerStartup: { checkovStartupSeconds: round(checkovStartup.seconds), tfsecStartupSeconds: round(tfsecStartup.seconds), note: 'bare `--version` of each scanner, measured in this run' },
      checkov: {
        version: checkovOnce.value.version,
        oneProcessAllStacksSeconds: round(checkovOnce.seconds),
        checkResults: checkovOnce.value.results.length,
        perStack: {
          measuredStacks: checkovSample.length,
          measuredSeconds: round(checkovPerStack.seconds),
          secondsPerStack: round(perStackCheckov),
          extrapolatedAllStacksSeconds: round(perStackCheckov * stacks.length),
          note: `one checkov process per stack was run on ${checkovSample.length} stacks and extrapolated to ${stacks.length} (linear)`,
        },
        speedup: round((perStackCheckov * stacks.length) / checkovOnce.seconds),
      },
      tfsec: {
        version: tfsecOnce.value.version,
        oneProcessAllStacksSeconds: round(tfsecOnce.seconds),
        checkResults: tfsecOnce.value.results.length,
        perStack: {
          measuredStacks: tfsecSample.length,
          measuredSeconds: round(tfsecPerStack.seconds),
          secondsPerStack: round(perStackTfsec),
          extrapolatedAllStacksSeconds: round(perStackTfsec * stacks.length),
          note: `one tfsec process per stack was run on ${tfsecSample.length} stacks and extrapolated to ${stacks.length} (linear)`,
        },
        speedup: round((perStackTfsec * stacks.length) / tfsecOnce.seconds),
      },
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:scan failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
});
