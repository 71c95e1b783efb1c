/**
 * `npm run bench:terraform`: seconds of `terraform validate` over every stack of the example
 * organization and of a generated 50-account organization (scripts/bench/synth.ts generator), one
 * stack after another (the baseline) and in parallel (bounded, as `iamctl validate --terraform`
 * runs), and the seconds of one account's apply (iam-app-prod) against moto.
 * Prints one JSON document; `ratio` is parallel over serial seconds (below 1 is faster).
 * Needs `npm run setup` (terraform, the AWS provider, moto).
 * Usage: `npm run bench:terraform` or `npm run bench:terraform -- --roles 200 --concurrency 4 --no-apply`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadOrganization } from '../../src/config';
import { loadActionCatalog } from '../../src/io/catalog/load-action-catalog';
import { DEFAULT_TERRAFORM_CONCURRENCY, readStacks, runTerraformValidate } from '../../src/io/scanners';
import { createTerraformWorkspace, locateTerraform, validateStack, type TerraformInstallation } from '../../src/io/terraform';
import { synthesizeOrganization } from '../../stacks';
import { startE2eMoto } from '../../test/e2e/support/e2e-moto';
import { generateOrganization } from './synth';

const ROOT = path.resolve(__dirname, '..', '..');
/** Accounts of the generated organization. */
const GENERATED_ACCOUNTS = 50;
/** Roles per generated account, by default (--roles changes it). */
const DEFAULT_GENERATED_ROLES = 20;
/** The account applied against moto. */
const APPLY_STACK = 'iam-app-prod';

function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}
const round = (n: number) => Math.round(n * 100) / 100;

function option(args: readonly string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

async function measureValidate(installation: TerraformInstallation, orgRoot: string, work: string, concurrency: number) {
  const outdir = path.join(work, 'out');
  const started = process.hrtime.bigint();
  const synth = synthesizeOrganization(loadOrganization(orgRoot), { outdir, catalog: loadActionCatalog() });
  const synthSeconds = seconds(started);
  const stacks = readStacks({ cwd: orgRoot, stacksDir: path.join(outdir, 'stacks') });
  // Baseline: one stack after another.
  let t = process.hrtime.bigint();
  let invalid = 0;
  for (const stack of stacks) if (!(await validateStack(installation, { stackDir: path.dirname(stack.absPath) })).valid) invalid += 1;
  const serialSeconds = seconds(t);
  t = process.hrtime.bigint();
  await runTerraformValidate({ installation, stacks, concurrency });
  const parallelSeconds = seconds(t);
  return {
    stacks: stacks.length,
    resources: synth.stacks.reduce((n, s) => n + s.resources, 0),
    invalidStacks: invalid,
    synthSeconds: round(synthSeconds),
    serialSeconds: round(serialSeconds),
    parallelSeconds: round(parallelSeconds),
    concurrency,
    ratio: round(parallelSeconds / serialSeconds),
  };
}

async function measureApply(installation: TerraformInstallation, work: string) {
  const outdir = path.join(work, 'out');
  const synth = synthesizeOrganization(loadOrganization(ROOT), { outdir, catalog: loadActionCatalog(), accounts: [APPLY_STACK.replace(/^iam-/, '')] });
  const stack = synth.stacks[0];
  const moto = await startE2eMoto();
  try {
    const region = (JSON.parse(fs.readFileSync(stack.file, 'utf8')) as { provider: { aws: Array<{ region: string }> } }).provider.aws[0].region;
    const workspace = createTerraformWorkspace(installation, { stackDir: path.dirname(stack.file), workDir: path.join(work, 'apply'), env: moto.terraformEnv(region) });
    let t = process.hrtime.bigint();
    const plan = await workspace.plan();
    const planSeconds = seconds(t);
    t = process.hrtime.bigint();
    await workspace.apply(plan.planFile);
    return { stack: stack.stack, resources: stack.resources, planSeconds: round(planSeconds), applySeconds: round(seconds(t)) };
  } finally {
    await moto.stop();
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const roles = Number(option(args, '--roles') ?? DEFAULT_GENERATED_ROLES);
  const concurrency = Number(option(args, '--concurrency') ?? DEFAULT_TERRAFORM_CONCURRENCY);
  const installation = locateTerraform({ root: ROOT });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'iamctl-bench-tf-'));
  try {
    process.stderr.write('example organization: synth, validate serially, validate in parallel...\n');
    const example = await measureValidate(installation, ROOT, path.join(work, 'example'), concurrency);
    process.stderr.write(`generated organization (${GENERATED_ACCOUNTS} accounts x ${roles} roles)...\n`);
    const generatedRoot = path.join(work, 'generated-org');
    generateOrganization(generatedRoot, GENERATED_ACCOUNTS, roles);
    const generated = { accounts: GENERATED_ACCOUNTS, rolesPerAccount: roles, ...(await measureValidate(installation, generatedRoot, path.join(work, 'generated'), concurrency)) };
    let apply: Awaited<ReturnType<typeof measureApply>> | null = null;
    if (!args.includes('--no-apply')) {
      process.stderr.write(`${APPLY_STACK}: plan and apply against moto...\n`);
      apply = await measureApply(installation, path.join(work, 'apply'));
    }
    const report = {
      benchmark: 'terraform',
      machine: { cpus: os.availableParallelism(), loadAverage1m: round(os.loadavg()[0]) },
      baseline: 'serialSeconds (terraform validate one stack after another); ratio = parallelSeconds / serialSeconds',
      example,
      generated,
      apply,
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 2;
});
