/**
 * The bootstrap stack on the real consumer: `terraform validate` (with the account stack that imports its
 * resources), the scan gate, and an apply against moto followed by the account stack's plan, which adopts every
 * bootstrap resource by import with no change to it. Fails (never skips) when terraform, the provider or moto is missing.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { COMMANDS } from '../../src/cli/commands';
import { runCli } from '../../src/cli/program';
import { loadOrganization } from '../../src/config';
import { createTerraformWorkspace, locateTerraform, validateStack, type TerraformInstallation } from '../../src/io/terraform';
import { synthesizeBootstrap, synthesizeOrganization } from '../../stacks';
import { captureOutput } from '../support/capture-output';
import { MOTO_CREDENTIALS, startMotoServer, type MotoServer } from '../support/moto-server';
import { copyCloudOrganization } from './support/cloud-org';

const ROOT = join(__dirname, '..', '..');
const ACCOUNT = 'app-prod';
const ACCOUNT_ID = '530987654321';

interface PlannedChange {
  readonly address: string;
  readonly change: { readonly actions: readonly string[]; readonly importing?: { readonly id: string } };
}

describe('bootstrap stack with terraform', () => {
  let installation: TerraformInstallation;
  let root: string;
  let bootstrapDir: string;
  let accountDir: string;

  beforeAll(() => {
    installation = locateTerraform({ root: ROOT });
    root = copyCloudOrganization('bootstrap-tf-');
    const org = loadOrganization(root);
    const result = synthesizeBootstrap(org, { outdir: join(root, 'cdktf.out.bootstrap'), accounts: [ACCOUNT] });
    bootstrapDir = dirname(result.stacks.find((s) => s.stack === `iam-bootstrap-${ACCOUNT}`)!.file);
    accountDir = dirname(synthesizeOrganization(org, { outdir: join(root, 'cdktf.out'), accounts: [ACCOUNT] }).stacks[0]!.file);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('terraform validate: the bootstrap stack, and the account stack with its import blocks', async () => {
    for (const dir of [bootstrapDir, accountDir]) {
      const result = await validateStack(installation, { stackDir: dir });
      expect([dir, result.diagnostics]).toEqual([dir, []]);
    }
  });

  it('passes the scan gate (checkov + tfsec) with the reviewed suppressions only', async () => {
    // Given the bootstrap stacks alone in a stacks folder, scanned with the repository's reviewed suppressions
    const output = captureOutput();
    const code = await runCli(['scan', '--stacks-dir', dirname(bootstrapDir), '--format', 'json'], COMMANDS, { output, cwd: ROOT });
    const report = JSON.parse(output.stdout()) as { findings: Array<{ checkId: string; status: string; resource: string }>; summary: { suppressed: number } };
    // Then every finding on a bootstrap or Terraform Cloud resource is suppressed by a reviewed entry (the entries of
    // the account stacks' resources: same resources, same addresses), and the entries written for the account
    // stacks' other resources are not judged here (the folder holds no account stack): the gate passes.
    expect(report.findings.filter((f) => f.status === 'failed')).toEqual([]);
    expect(report.summary.suppressed).toBeGreaterThan(0);
    expect(code).toBe(0);
  });

  describe('against moto', () => {
    let moto: MotoServer;
    let work: string;
    const previousAccount = process.env.MOTO_ACCOUNT_ID;

    beforeAll(async () => {
      // moto answers as the account the stacks are pinned to (allowed_account_ids).
      process.env.MOTO_ACCOUNT_ID = ACCOUNT_ID;
      moto = await startMotoServer();
      work = mkdtempSync(join(tmpdir(), 'bootstrap-moto-'));
    });
    afterAll(async () => {
      await moto?.stop();
      if (previousAccount === undefined) delete process.env.MOTO_ACCOUNT_ID;
      else process.env.MOTO_ACCOUNT_ID = previousAccount;
      rmSync(work, { recursive: true, force: true });
    });

    it('apply creates the bootstrap set; the account stack\'s plan then imports each resource and changes none of them', async () => {
      const env = { AWS_ENDPOINT_URL: moto.endpoint, AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey, AWS_REGION: 'eu-west-1' };
      // Given the administrator applied the bootstrap stack
      const bootstrap = createTerraformWorkspace(installation, { stackDir: bootstrapDir, workDir: join(work, 'bootstrap'), env });
      await bootstrap.apply();
      const again = await bootstrap.plan();
      expect(again.changes).toBe(false);
      const state = (await bootstrap.showState()) as { values: { root_module: { resources: Array<{ address: string }> } } };
      const bootstrapAddresses = state.values.root_module.resources.map((r) => r.address).sort();
      // 19 resources the account stack adopts (7 policies, 3 roles, 2 OIDC providers, 7 attachments: plan 2, apply 3,
      // drift reader 2), plus the deploy role and its 3 attachments, which only the bootstrap creates
      expect(bootstrapAddresses).toHaveLength(23);
      const adopted = bootstrapAddresses.filter((a) => !a.includes('role-iam-platform-deploy_'));
      expect(adopted).toHaveLength(19);

      // When the account stack is planned (its first Terraform Cloud run)
      // (a copy without its `cloud` block: the harness runs with local state, as for the backend it strips)
      const copy = join(work, 'account-stack');
      mkdirSync(copy);
      const json = JSON.parse(readFileSync(join(accountDir, 'cdk.tf.json'), 'utf8')) as { terraform: Record<string, unknown> };
      delete json.terraform.cloud;
      writeFileSync(join(copy, 'cdk.tf.json'), JSON.stringify(json));
      symlinkSync(join(accountDir, 'assets'), join(copy, 'assets'), 'dir');
      const account = createTerraformWorkspace(installation, { stackDir: copy, workDir: join(work, 'account'), env });
      const plan = await account.plan({ targets: adopted });
      const changes = ((await account.showPlan(plan.planFile)) as { resource_changes: PlannedChange[] }).resource_changes;
      // Then each bootstrap resource is imported, with no create, update or replace
      expect(changes.map((c) => [c.address, c.change.actions, c.change.importing !== undefined]).sort()).toEqual(adopted.map((a) => [a, ['no-op'], true]));
    }, 240_000);
  });
});
