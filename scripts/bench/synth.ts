/**
 * `npm run bench:synth`: synthesis time and peak memory of the platform against bare cdktf.
 *
 * For each size (accounts × roles) it runs, each in a fresh child process so memory figures are independent:
 * - `platform`: writes an organization as YAML files into a temp dir, loads it with the same loader as
 *   `iamctl synth` (src/config loadOrganization) and synthesizes it with stacks/ (every guardrail,
 *   the policy lint with the action catalog included);
 * - `baseline`: bare cdktf with deep imports emitting the same resources with the same attributes (provider,
 *   backend, boundary, managed policies, roles, inline policies, attachments, tags) from in-memory data,
 *   with no loader, no modules and no guardrails.
 * - `baseline-no-source-maps`: the same with Node source maps off, as the platform does during its synth
 *   (cdktf captures a stack trace per token; under tsx every frame is source-mapped).
 * Prints one JSON document: wall and CPU seconds, peak RSS (VmHWM) and resource counts per run, and the ratios.
 * Targets: platform ≤ 1.5 × baseline and ≤ 1 GiB peak RSS. `withinTargets` compares CPU seconds (user + system)
 * against the faster baseline:
 * on a shared machine wall time swings with the load of other processes, CPU time much less.
 * Usage: `npm run bench:synth` (every size) or `npm run bench:synth -- 50 200` (one size).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { readSizes, summarizeBench } from './bench-result';

/** Sizes measured: accounts × roles per account. */
const SIZES: readonly (readonly [number, number])[] = [
  [10, 200],
  [50, 200],
  [200, 50],
];
/** Customer managed policies per account (roles attach one of them). */
const POLICIES_PER_ACCOUNT = 5;
/** Time target: platform seconds over baseline seconds. */
const MAX_TIME_RATIO = 1.5;
/** Memory target, bytes. */
const MAX_RSS_BYTES = 1024 ** 3;

type Mode = 'platform' | 'baseline' | 'baseline-no-source-maps';

interface RunFigures {
  readonly mode: Mode;
  readonly accounts: number;
  readonly rolesPerAccount: number;
  readonly resources: number;
  /** Seconds for loading accounts/ (platform only). */
  readonly loadSeconds: number;
  /** Seconds for building constructs and writing the stacks. */
  readonly synthSeconds: number;
  readonly totalSeconds: number;
  /** CPU seconds (user + system) of the measured part: steadier than wall time on a shared machine. */
  readonly cpuSeconds: number;
  /** Largest RSS sampled between phases, bytes. */
  readonly sampledPeakRssBytes: number;
  /** Kernel high-water mark of RSS (VmHWM), bytes. */
  readonly peakRssBytes: number;
}

function readVmHwm(): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

function accountName(i: number): string {
  return `acct-${String(i).padStart(3, '0')}`;
}
function accountId(i: number): string {
  return String(100000000000 + i);
}

/** The documents every generated account uses, as plain JSON (shared by both modes). */
function boundaryDocument(): object {
  return {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'AllowServices', Effect: 'Allow', Action: ['s3:*', 'dynamodb:*', 'lambda:*', 'sqs:*', 'logs:*'], Resource: '*' },
      { Sid: 'DenyIamWrites', Effect: 'Deny', Action: ['iam:CreateUser', 'iam:CreateAccessKey'], Resource: '*' },
    ],
  };
}
function policyDocument(account: number, p: number): object {
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: [`arn:aws:s3:::bench-${account}-${p}`, `arn:aws:s3:::bench-${account}-${p}/*`] }],
  };
}
function inlineDocument(account: number, r: number): object {
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['sqs:SendMessage', 'sqs:ReceiveMessage'], Resource: `arn:aws:sqs:eu-west-1:${accountId(account)}:queue-${r}` }],
  };
}
/** Even roles trust a service; odd roles trust humans of the next account with MFA. */
function roleTrustYaml(account: number, r: number, accounts: number): object {
  return r % 2 === 0
    ? { services: ['lambda.amazonaws.com'] }
    : { accounts: [{ principals: [accountId((account + 1) % accounts)], kind: 'human', mfaMaxAgeSeconds: 3600 }] };
}

/** Writes accounts/ for the size into root, in the format of src/config/schema.ts (also used by bench:terraform). */
export function generateOrganization(root: string, accounts: number, roles: number): void {
  const dir = path.join(root, 'accounts');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'org.yaml'),
    stringify({
      name: 'bench',
      defaultRegion: 'eu-west-1',
      owner: 'platform',
      tags: { 'cost-center': 'bench' },
      requiredTags: ['owner'],
      permissionBoundary: { name: 'iam-platform-boundary', document: boundaryDocument() },
      // The benchmark measures IAM synth against bare cdktf emitting the same IAM resources; the
      // drift-detection module (Config, EventBridge, a Lambda bundle per account) is not in the baseline.
      drift: { enabled: false },
    }),
  );
  const ouDir = path.join(dir, 'workloads');
  fs.mkdirSync(ouDir);
  fs.writeFileSync(path.join(ouDir, 'ou.yaml'), stringify({ environment: 'nonprod' }));
  for (let a = 0; a < accounts; a += 1) {
    const accountDir = path.join(ouDir, accountName(a));
    fs.mkdirSync(path.join(accountDir, 'roles'), { recursive: true });
    fs.mkdirSync(path.join(accountDir, 'policies'));
    fs.writeFileSync(path.join(accountDir, 'account.yaml'), stringify({ id: accountId(a), owner: `team-${a}` }));
    for (let p = 0; p < POLICIES_PER_ACCOUNT; p += 1) {
      fs.writeFileSync(path.join(accountDir, 'policies', `shared-${p}.yaml`), stringify({ description: `bench policy ${p}`, document: policyDocument(a, p) }));
    }
    for (let r = 0; r < roles; r += 1) {
      fs.writeFileSync(
        path.join(accountDir, 'roles', `role-${r}.yaml`),
        stringify({
          description: `bench role ${r}`,
          owner: `team-${a}`,
          trust: roleTrustYaml(a, r, accounts),
          managedPolicies: ['aws:ReadOnlyAccess', `shared-${r % POLICIES_PER_ACCOUNT}`],
          inlinePolicies: { queue: inlineDocument(a, r) },
        }),
      );
    }
  }
}

function countResources(outdir: string): number {
  let total = 0;
  const stacks = path.join(outdir, 'stacks');
  for (const stack of fs.readdirSync(stacks)) {
    const json = JSON.parse(fs.readFileSync(path.join(stacks, stack, 'cdk.tf.json'), 'utf8')) as { resource?: Record<string, object> };
    for (const byName of Object.values(json.resource ?? {})) total += Object.keys(byName).length;
  }
  return total;
}

/** The platform: YAML → loader → stacks (with guardrails) → cdk.tf.json. */
async function runPlatform(accounts: number, roles: number, work: string): Promise<Omit<RunFigures, 'peakRssBytes'>> {
  generateOrganization(work, accounts, roles);
  let sampled = process.memoryUsage().rss;
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  // Required here so module loading is part of the measured run, as it is for `iamctl synth`.
  const { loadOrganization } = await import('../../src/config');
  const { synthesizeOrganization } = await import('../../stacks');
  const { loadActionCatalog } = await import('../../src/io/catalog/load-action-catalog');
  const org = loadOrganization(work);
  const loaded = process.hrtime.bigint();
  sampled = Math.max(sampled, process.memoryUsage().rss);
  const outdir = path.join(work, 'cdktf.out');
  synthesizeOrganization(org, { outdir, catalog: loadActionCatalog() });
  const done = process.hrtime.bigint();
  sampled = Math.max(sampled, process.memoryUsage().rss);
  return {
    mode: 'platform',
    accounts,
    rolesPerAccount: roles,
    resources: countResources(outdir),
    loadSeconds: Number(loaded - started) / 1e9,
    synthSeconds: Number(done - loaded) / 1e9,
    totalSeconds: Number(done - started) / 1e9,
    cpuSeconds: cpuSecondsSince(cpu),
    sampledPeakRssBytes: sampled,
  };
}

/** Bare cdktf: the same resources and attributes from in-memory data, deep imports, no loader, no modules, no guardrails. */
async function runBaseline(accounts: number, roles: number, work: string, sourceMaps: boolean): Promise<Omit<RunFigures, 'peakRssBytes'>> {
  // The platform turns source maps off while it synthesizes (stacks/app.ts); this variant does the same to bare cdktf.
  if (!sourceMaps) process.setSourceMapsEnabled(false);
  let sampled = process.memoryUsage().rss;
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const { App, LocalBackend, TerraformStack } = await import('cdktf');
  const { AwsProvider } = await import('@cdktf/provider-aws/lib/provider');
  const { IamPolicy } = await import('@cdktf/provider-aws/lib/iam-policy');
  const { IamRole } = await import('@cdktf/provider-aws/lib/iam-role');
  const { IamRolePolicy } = await import('@cdktf/provider-aws/lib/iam-role-policy');
  const { IamRolePolicyAttachment } = await import('@cdktf/provider-aws/lib/iam-role-policy-attachment');
  const outdir = path.join(work, 'cdktf.out');
  const app = new App({ outdir, stackTraces: false });
  for (let a = 0; a < accounts; a += 1) {
    const name = accountName(a);
    const stack = new TerraformStack(app, `iam-${name}`);
    new AwsProvider(stack, 'aws', {
      region: 'eu-west-1',
      allowedAccountIds: [accountId(a)],
      assumeRole: [{ roleArn: `arn:aws:iam::${accountId(a)}:role/iam-platform-deploy` }],
      defaultTags: [{ tags: { 'cost-center': 'bench', 'managed-by': 'iam-platform', account: name, owner: `team-${a}`, 'source-file': `accounts/workloads/${name}/account.yaml` } }],
    });
    new LocalBackend(stack, { path: `terraform.iam-${name}.tfstate` });
    // The same attributes the platform emits (names, paths, descriptions, tags), so only the way there differs.
    const boundary = new IamPolicy(stack, 'boundary', {
      name: 'iam-platform-boundary',
      path: '/',
      description: 'Permission boundary of every role managed by iam-platform',
      policy: JSON.stringify(boundaryDocument()),
      tags: { 'iam-platform:source': 'accounts/org.yaml' },
    });
    const policies = Array.from(
      { length: POLICIES_PER_ACCOUNT },
      (_, p) =>
        new IamPolicy(stack, `policy-shared-${p}`, {
          name: `shared-${p}`,
          path: '/',
          description: `bench policy ${p}`,
          policy: JSON.stringify(policyDocument(a, p)),
          tags: { 'iam-platform:source': `accounts/workloads/${name}/policies/shared-${p}.yaml` },
        }),
    );
    for (let r = 0; r < roles; r += 1) {
      const trust =
        r % 2 === 0
          ? { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }
          : {
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Principal: { AWS: `arn:aws:iam::${accountId((a + 1) % accounts)}:root` },
                  Action: 'sts:AssumeRole',
                  Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } },
                },
              ],
            };
      const role = new IamRole(stack, `role-${r}`, {
        name: `role-${r}`,
        path: '/',
        description: `bench role ${r}`,
        assumeRolePolicy: JSON.stringify(trust),
        permissionsBoundary: boundary.arn,
        maxSessionDuration: 3600,
        tags: { owner: `team-${a}`, 'iam-platform:source': `accounts/workloads/${name}/roles/role-${r}.yaml` },
      });
      new IamRolePolicy(stack, `role-${r}-queue`, { name: 'queue', role: role.name, policy: JSON.stringify(inlineDocument(a, r)) });
      new IamRolePolicyAttachment(stack, `role-${r}-ro`, { role: role.name, policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
      new IamRolePolicyAttachment(stack, `role-${r}-shared`, { role: role.name, policyArn: policies[r % POLICIES_PER_ACCOUNT].arn });
    }
  }
  sampled = Math.max(sampled, process.memoryUsage().rss);
  app.synth();
  const done = process.hrtime.bigint();
  sampled = Math.max(sampled, process.memoryUsage().rss);
  return {
    mode: sourceMaps ? 'baseline' : 'baseline-no-source-maps',
    accounts,
    rolesPerAccount: roles,
    resources: countResources(outdir),
    loadSeconds: 0,
    synthSeconds: Number(done - started) / 1e9,
    totalSeconds: Number(done - started) / 1e9,
    cpuSeconds: cpuSecondsSince(cpu),
    sampledPeakRssBytes: sampled,
  };
}

async function runChild(mode: string, accounts: number, roles: number): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `bench-synth-${mode}-`));
  try {
    const figures = mode === 'platform' ? await runPlatform(accounts, roles, work) : await runBaseline(accounts, roles, work, mode === 'baseline');
    process.stdout.write(`${JSON.stringify({ ...figures, peakRssBytes: readVmHwm() })}\n`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function spawnRun(mode: Mode, accounts: number, roles: number): RunFigures {
  const child = spawnSync(process.execPath, [...process.execArgv, __filename, '--child', mode, String(accounts), String(roles)], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (child.status !== 0) {
    throw new Error(`bench child ${mode} ${accounts}x${roles} failed (exit ${child.status}):\n${child.stderr}`);
  }
  const line = child.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as RunFigures;
}

function round(value: number, digits = 2): number {
  return Number(value.toFixed(digits));
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    await runChild(args[1], Number(args[2]), Number(args[3]));
    return;
  }
  if (args[0] === '--generate') {
    // Writes the organization only, for profiling: --generate DIR ACCOUNTS ROLES
    generateOrganization(path.resolve(args[1]), Number(args[2]), Number(args[3]));
    return;
  }
  const only = args.length >= 2 ? [[Number(args[0]), Number(args[1])] as const] : readSizes('BENCH_SIZES', SIZES);
  const results = only.map(([accounts, roles]) => {
    const baseline = spawnRun('baseline', accounts, roles);
    const baselineNoSourceMaps = spawnRun('baseline-no-source-maps', accounts, roles);
    const platform = spawnRun('platform', accounts, roles);
    return {
      size: `${accounts}x${roles}`,
      baseline: { seconds: round(baseline.totalSeconds), cpuSeconds: round(baseline.cpuSeconds), peakRssMiB: round(baseline.peakRssBytes / 1024 ** 2, 0), resources: baseline.resources },
      baselineNoSourceMaps: {
        seconds: round(baselineNoSourceMaps.totalSeconds),
        cpuSeconds: round(baselineNoSourceMaps.cpuSeconds),
        peakRssMiB: round(baselineNoSourceMaps.peakRssBytes / 1024 ** 2, 0),
        resources: baselineNoSourceMaps.resources,
      },
      platform: {
        seconds: round(platform.totalSeconds),
        cpuSeconds: round(platform.cpuSeconds),
        loadSeconds: round(platform.loadSeconds),
        synthSeconds: round(platform.synthSeconds),
        peakRssMiB: round(platform.peakRssBytes / 1024 ** 2, 0),
        sampledPeakRssMiB: round(platform.sampledPeakRssBytes / 1024 ** 2, 0),
        resources: platform.resources,
      },
      timeRatio: round(platform.totalSeconds / baseline.totalSeconds),
      cpuTimeRatio: round(platform.cpuSeconds / baseline.cpuSeconds),
      cpuTimeRatioNoSourceMaps: round(platform.cpuSeconds / baselineNoSourceMaps.cpuSeconds),
      // Judged against the faster of the two baselines.
      withinTargets: platform.cpuSeconds <= MAX_TIME_RATIO * Math.min(baseline.cpuSeconds, baselineNoSourceMaps.cpuSeconds) && platform.peakRssBytes <= MAX_RSS_BYTES,
    };
  });
  // The common summary (scripts/bench/bench-result.ts): the largest size measured, CPU seconds against the faster bare cdktf.
  const largest = results.reduce((a, b) => (b.platform.resources > a.platform.resources ? b : a));
  const bareCpu = Math.min(largest.baseline.cpuSeconds, largest.baselineNoSourceMaps.cpuSeconds);
  const summary = summarizeBench({
    benchmark: 'synth',
    size: `${largest.size} (${largest.platform.resources} resources)`,
    figure: { what: 'iamctl synth: load, guardrails, lint, synth; CPU', value: largest.platform.cpuSeconds, unit: 's' },
    better: 'lower',
    baseline: { what: 'bare cdktf, same resources; CPU', value: bareCpu, unit: 's' },
    baselineNote: `target: ours ≤ ${MAX_TIME_RATIO}× the bare cdktf time (ratio ≥ ${round(1 / MAX_TIME_RATIO)})`,
  });
  const report = {
    ...summary,
    memoryGiB: round(os.totalmem() / 1024 ** 3, 1),
    targets: { maxTimeRatio: MAX_TIME_RATIO, maxPeakRssMiB: MAX_RSS_BYTES / 1024 ** 2 },
    results,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

// Runs when executed (npm run bench:synth), not when bench:terraform imports the generator.
if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 2;
  });
}
