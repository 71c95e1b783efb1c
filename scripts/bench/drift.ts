/**
 * npm run bench:drift — drift detection at 1,000 roles with 3 policies each (1 inline, 1 customer managed,
 * 1 AWS managed), in moto. Prints JSON: API calls (counted by SDK middleware), wall seconds and peak RSS
 * for the paged read (GetAccountAuthorizationDetails) at 100 and 1,000 roles, and, as the baseline
 * measured in the same run, a per-role read (GetRole + ListRolePolicies + GetRolePolicy + ListAttachedRolePolicies).
 * Target: the paged read's calls grow with pages, not with roles.
 */
import { AttachRolePolicyCommand, CreatePolicyCommand, CreateRoleCommand, IAMClient, ListRolesCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { DESIRED_INVENTORY_SCHEMA_VERSION, type DesiredInventory, type DesiredPolicy, type DesiredRole, detectDrift, type LiveRole } from '../../src/core/drift';
import { countApiCalls, readLiveInventory, readLiveRole } from '../../src/io/iam';
import { MOTO_ACCOUNT_ID, MOTO_CREDENTIALS, MOTO_REGION, startMotoServer } from '../../test/support/moto-server';
import { summarizeBench } from './bench-result';

/** Roles of the large stage; BENCH_DRIFT_ROLES makes a smaller run (`npm run bench` uses 200). */
const ROLES = Number(process.env.BENCH_DRIFT_ROLES ?? 1000);
const SMALL = Math.min(100, Math.floor(ROLES / 2));
const CONCURRENCY = 25;

const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
const doc = (i: number, what: string) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Action: ['s3:GetObject', 's3:ListBucket'], Resource: [`arn:aws:s3:::bench-${what}-${i}`, `arn:aws:s3:::bench-${what}-${i}/*`] }] });

function desiredFor(count: number): DesiredInventory {
  const roles: DesiredRole[] = [];
  const policies: DesiredPolicy[] = [];
  for (let i = 0; i < count; i++) {
    const name = `bench-role-${String(i).padStart(4, '0')}`;
    const policyArn = `arn:aws:iam::${MOTO_ACCOUNT_ID}:policy/bench-policy-${i}`;
    policies.push({ name: `bench-policy-${i}`, path: '/', arn: policyArn, document: doc(i, 'managed') });
    roles.push({
      name,
      path: '/',
      arn: `arn:aws:iam::${MOTO_ACCOUNT_ID}:role/${name}`,
      kind: 'standard',
      maxSessionDuration: 3600,
      trustPolicy: trust,
      inlinePolicies: [{ name: 'inline', document: doc(i, 'inline') }],
      managedPolicyArns: [policyArn, 'arn:aws:iam::aws:policy/ReadOnlyAccess'],
      tags: { 'managed-by': 'iam-platform' },
    });
  }
  return {
    schemaVersion: DESIRED_INVENTORY_SCHEMA_VERSION,
    account: 'bench',
    accountId: MOTO_ACCOUNT_ID,
    mode: 'alert',
    roles,
    policies,
    oidcProviders: [],
    pipelineRoleArns: [],
    protectedRoleArns: [],
    platformPathPrefixes: ['/iam-platform/'],
  };
}

async function inBatches<T>(items: readonly T[], run: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += CONCURRENCY) await Promise.all(items.slice(i, i + CONCURRENCY).map(run));
}

async function apply(iam: IAMClient, desired: DesiredInventory, from: number, to: number): Promise<void> {
  await inBatches(desired.policies.slice(from, to), (p) => iam.send(new CreatePolicyCommand({ PolicyName: p.name, PolicyDocument: JSON.stringify(p.document) })));
  await inBatches(desired.roles.slice(from, to), async (r) => {
    await iam.send(new CreateRoleCommand({ RoleName: r.name, AssumeRolePolicyDocument: JSON.stringify(r.trustPolicy), Tags: [{ Key: 'managed-by', Value: 'iam-platform' }] }));
    await iam.send(new PutRolePolicyCommand({ RoleName: r.name, PolicyName: 'inline', PolicyDocument: JSON.stringify(r.inlinePolicies[0].document) }));
    for (const arn of r.managedPolicyArns) await iam.send(new AttachRolePolicyCommand({ RoleName: r.name, PolicyArn: arn }));
  });
}

async function measure<T>(run: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const started = process.hrtime.bigint();
  const value = await run();
  return { value, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/** The baseline: one call sequence per role, as a naive reader would do. */
async function readPerRole(iam: IAMClient): Promise<LiveRole[]> {
  const names: string[] = [];
  let marker: string | undefined;
  do {
    const page = await iam.send(new ListRolesCommand({ Marker: marker, MaxItems: 1000 }));
    names.push(...(page.Roles ?? []).map((r) => r.RoleName ?? ''));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  const out: LiveRole[] = [];
  for (const name of names) {
    const role = await readLiveRole(iam, name);
    if (role) out.push(role);
  }
  return out;
}

async function main(): Promise<void> {
  const moto = await startMotoServer();
  try {
    const client = () => new IAMClient({ endpoint: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS });
    const desired = desiredFor(ROLES);
    const setup = client();
    const paged: Record<string, unknown> = {};

    const stages: readonly { label: string; from: number; to: number }[] = [
      { label: `roles${SMALL}`, from: 0, to: SMALL },
      { label: `roles${ROLES}`, from: SMALL, to: ROLES },
    ];
    for (const stage of stages) {
      const setupRun = await measure(() => apply(setup, desired, stage.from, stage.to));
      const iam = client();
      const calls = countApiCalls(iam);
      const read = await measure(() => readLiveInventory(iam, { accountId: MOTO_ACCOUNT_ID }));
      const subset = { ...desired, roles: desired.roles.slice(0, stage.to), policies: desired.policies.slice(0, stage.to) };
      const diff = await measure(async () => detectDrift(subset, read.value, { scope: 'managed' }));
      paged[stage.label] = {
        roles: read.value.roles.length,
        policies: read.value.policies.length,
        apiCalls: calls().total,
        apiCallsByCommand: calls().byCommand,
        readSeconds: Number(read.seconds.toFixed(3)),
        diffSeconds: Number(diff.seconds.toFixed(3)),
        driftItems: diff.value.drift.length,
        setupSeconds: Number(setupRun.seconds.toFixed(1)),
      };
    }

    const baselineClient = client();
    const baselineCalls = countApiCalls(baselineClient);
    const baseline = await measure(() => readPerRole(baselineClient));

    const large = paged[`roles${ROLES}`] as { readSeconds: number; apiCalls: number };
    const summary = summarizeBench({
      benchmark: 'drift',
      size: `${ROLES} roles × 3 policies in moto`,
      figure: { what: `paged read (GetAccountAuthorizationDetails), ${large.apiCalls} API calls`, value: large.readSeconds, unit: 's' },
      better: 'lower',
      baseline: { what: `one read per role, ${baselineCalls().total} API calls`, value: Number(baseline.seconds.toFixed(3)), unit: 's' },
      baselineNote: 'moto answers locally; against AWS the calls, not the seconds, dominate (see apiCalls)',
    });
    console.log(
      JSON.stringify(
        {
          ...summary,
          emulator: 'moto 5.2.5 (GetAccountAuthorizationDetails answers in one page; ListRoles pages by MaxItems)',
          roles: ROLES,
          policiesPerRole: 3,
          pagedRead: paged,
          baselinePerRoleRead: { roles: baseline.value.length, apiCalls: baselineCalls().total, apiCallsByCommand: baselineCalls().byCommand, readSeconds: Number(baseline.seconds.toFixed(3)) },
          peakRssMb: Number((process.resourceUsage().maxRSS / 1024).toFixed(1)),
          callsGrowWithPagesNotRoles: (paged[`roles${SMALL}`] as { apiCalls: number }).apiCalls === large.apiCalls,
        },
        null,
        2,
      ),
    );
  } finally {
    await moto.stop();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 2;
});
