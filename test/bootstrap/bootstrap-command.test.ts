/**
 * `iamctl bootstrap --account A` prints the steps from an empty fork to the account's first applied stack, and each
 * printed command runs: the iamctl steps through the CLI (Terraform Cloud against the loopback fake of its documented
 * API), the file step as a process. The terraform steps of the bootstrap stack are run by bootstrap-terraform.test.ts;
 * those of the Terraform Cloud stack cannot run here (no tfe provider binary: see bootstrap-stacks.test.ts).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS } from '../../src/cli/commands';
import { createTfcCommand } from '../../src/cli/commands/tfc';
import { runCli } from '../../src/cli/program';
import type { BootstrapStep } from '../../src/core/bootstrap';
import { captureOutput } from '../support/capture-output';
import { startFakeTfc, type FakeTfc } from '../delivery/support/fake-tfc-server';
import { FAST_POLL } from '../delivery/support/stacks';
import { copyCloudOrganization } from './support/cloud-org';
import { EXAMPLE_ORG_ROOT } from '../support/example-org';

const TOKEN = 'pipeline-team-token';

describe('iamctl bootstrap', () => {
  let root: string;
  let fake: FakeTfc;

  beforeAll(async () => {
    root = copyCloudOrganization('bootstrap-cli-');
    fake = await startFakeTfc({ token: TOKEN, organization: 'acme', workspaces: [{ name: 'iam-app-prod', id: 'ws-app-prod' }] });
  });
  afterAll(async () => {
    await fake?.close();
    rmSync(root, { recursive: true, force: true });
  });

  async function iamctl(argv: readonly string[], cwd = root): Promise<{ code: number; stdout: string; stderr: string }> {
    const output = captureOutput();
    const commands = argv[0] === 'tfc' ? [createTfcCommand({ env: { TFE_ADDRESS: fake.address, TF_TOKEN_app_terraform_io: TOKEN }, poll: FAST_POLL })] : COMMANDS;
    const code = await runCli(argv, commands, { output, cwd });
    return { code, stdout: output.stdout(), stderr: output.stderr() };
  }

  async function steps(): Promise<BootstrapStep[]> {
    const { code, stdout } = await iamctl(['bootstrap', '--account', 'app-prod', '--format', 'json']);
    expect(code).toBe(0);
    return (JSON.parse(stdout) as { steps: BootstrapStep[] }).steps;
  }

  it('prints the steps in order, as data with --format json', async () => {
    const list = await steps();
    expect(list.map((s) => [s.id, s.actor])).toEqual([
      ['validate', 'developer'],
      ['synth-bootstrap', 'developer'],
      ['init-bootstrap-stack', 'aws-administrator'],
      ['apply-bootstrap-stack', 'aws-administrator'],
      ['init-terraform-cloud-stack', 'tfc-owner'],
      ['apply-terraform-cloud-stack', 'tfc-owner'],
      ['synth-account', 'pipeline'],
      ['plan-account', 'pipeline'],
      ['apply-account', 'pipeline'],
      ['forget-bootstrap-state', 'aws-administrator'],
    ]);
    expect(list.find((s) => s.id === 'apply-bootstrap-stack')?.command).toEqual(['terraform', '-chdir=cdktf.out.bootstrap/stacks/iam-bootstrap-app-prod', 'apply']);
    expect(list.find((s) => s.id === 'plan-account')?.env).toEqual(['TF_TOKEN_app_terraform_io']);
  });

  it('prints them as numbered text by default', async () => {
    const { code, stdout } = await iamctl(['bootstrap', '--account', 'app-prod']);
    expect(code).toBe(0);
    expect(stdout.split('\n').slice(0, 4)).toEqual([
      '1. Check the organization (schema, guardrails, lint) — developer',
      '   iamctl validate',
      '2. Write the bootstrap stack of app-prod and the Terraform Cloud stack — developer',
      '   iamctl bootstrap --account app-prod --synth --outdir cdktf.out.bootstrap',
    ]);
  });

  it('each iamctl and file step runs as printed, from the fork to the first applied run', async () => {
    const byId = new Map((await steps()).map((s) => [s.id, s]));
    const run = async (id: string): Promise<{ code: number; stdout: string; stderr: string }> => {
      const command = byId.get(id)!.command;
      expect(command[0]).toBe('iamctl');
      return iamctl(command.slice(1));
    };
    // Given a fork whose org.yaml names the Terraform Cloud backend
    // When each step runs, Then each succeeds and leaves what the next one needs
    expect((await run('validate')).code).toBe(0);
    expect((await run('synth-bootstrap')).code).toBe(0);
    expect(existsSync(join(root, 'cdktf.out.bootstrap/stacks/iam-bootstrap-app-prod/cdk.tf.json'))).toBe(true);
    expect(existsSync(join(root, 'cdktf.out.bootstrap/stacks/iam-terraform-cloud/cdk.tf.json'))).toBe(true);
    expect((await run('synth-account')).code).toBe(0);
    const plan = await run('plan-account');
    expect([plan.code, plan.stderr]).toEqual([0, expect.any(String)]);
    expect(JSON.parse(readFileSync(join(root, 'plans/tfc-runs.json'), 'utf8'))).toMatchObject({ runs: [expect.objectContaining({ workspace: 'iam-app-prod' })] });
    // The configuration uploaded to the workspace carries the import blocks that adopt the bootstrap resources.
    const uploaded = [...fake.uploads.values()].map((tar) => tar.toString('utf8'));
    expect(uploaded).toHaveLength(1);
    expect(uploaded[0]).toContain('"import": [');
    expect(uploaded[0]).toContain('"id": "tfc-iam-apply"');
    const apply = await run('apply-account');
    expect(apply.code).toBe(0);
    expect(fake.apiCalls().filter((c) => c.startsWith('POST /runs/') && c.endsWith('/actions/apply'))).toHaveLength(1);

    // The bootstrap state (written by the administrator's apply) is dropped at the end.
    const dir = join(root, 'cdktf.out.bootstrap/stacks/iam-bootstrap-app-prod');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'terraform.iam-bootstrap-app-prod.tfstate'), '{}');
    const [program, ...args] = byId.get('forget-bootstrap-state')!.command;
    execFileSync(program!, args, { cwd: root });
    expect(existsSync(join(dir, 'terraform.iam-bootstrap-app-prod.tfstate'))).toBe(false);
    expect(existsSync(join(dir, 'cdk.tf.json'))).toBe(true);
  });

  it('a second --synth keeps the state files of the stack folders', async () => {
    const dir = join(root, 'cdktf.out.bootstrap/stacks/iam-bootstrap-app-prod');
    writeFileSync(join(dir, 'terraform.iam-bootstrap-app-prod.tfstate'), '{"serial": 3}');
    expect((await iamctl(['bootstrap', '--account', 'app-prod', '--synth'])).code).toBe(0);
    expect(readFileSync(join(dir, 'terraform.iam-bootstrap-app-prod.tfstate'), 'utf8')).toBe('{"serial": 3}');
  });

  it('--synth without --account writes every account\'s bootstrap stack; the steps need --account (exit 2)', async () => {
    const { code, stdout } = await iamctl(['bootstrap', '--synth', '--outdir', 'all', '--format', 'json']);
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { stacks: Array<{ stack: string }> }).stacks.map((s) => s.stack)).toHaveLength(9);
    const steps = await iamctl(['bootstrap']);
    expect([steps.code, steps.stderr.trim()]).toEqual([2, "error: --account is required (the steps are per account); only --synth writes every account's bootstrap stack without it"]);
  });

  it('exits 1 (invalid config) naming a missing drift role, before anything is written', async () => {
    const { code, stderr } = await iamctl(['bootstrap', '--account', 'app-prod', '--drift-role', 'drift-job', '--synth', '--outdir', 'elsewhere']);
    expect(code).toBe(1);
    expect(stderr).toContain('Account app-prod has no role "drift-job"');
    expect(existsSync(join(root, 'elsewhere'))).toBe(false);
  });

  it('without Terraform Cloud, --synth writes the bootstrap stack and warns that no Terraform Cloud stack was written', async () => {
    const out = join(root, 'local-out');
    const output = captureOutput();
    const code = await runCli(['bootstrap', '--account', 'security', '--synth', '--outdir', out], COMMANDS, { output, cwd: EXAMPLE_ORG_ROOT });
    expect(code).toBe(0);
    expect(output.stdout().trim()).toBe(`iam-bootstrap-security: ${out}/stacks/iam-bootstrap-security/cdk.tf.json`);
    expect(output.stderr()).toContain('warning: no Terraform Cloud stack: the accounts do not deploy through Terraform Cloud');
  });
});
