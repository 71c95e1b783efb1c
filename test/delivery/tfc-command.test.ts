import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTfcCommand } from '../../src/cli/commands/tfc';
import { runCli } from '../../src/cli/program';
import { captureOutput, type CapturedOutput } from '../support/capture-output';
import { startFakeTfc, type FakeTfc, type FakeWorkspace } from './support/fake-tfc-server';
import { FAST_POLL, makeTempDir, writeStacks } from './support/stacks';

const FIXTURES = join(__dirname, '..', 'fixtures', 'delivery');
const TOKEN = 'cli-token';

describe('iamctl tfc (against a fake Terraform Cloud on loopback)', () => {
  let fake: FakeTfc;
  let cwd: string;

  async function setUp(fixture: 'cloud-org' | 'local-org', workspaces: readonly FakeWorkspace[] = [
    { name: 'iam-app', id: 'ws-app' },
    { name: 'iam-security', id: 'ws-sec' },
  ]): Promise<void> {
    fake = await startFakeTfc({ token: TOKEN, organization: 'acme', workspaces });
    cwd = makeTempDir('tfc-cli-');
    cpSync(join(FIXTURES, fixture), cwd, { recursive: true });
    writeStacks(cwd, ['iam-app', 'iam-security']);
  }

  async function iamctl(args: readonly string[], env: Record<string, string> = { TF_TOKEN_app_terraform_io: TOKEN }): Promise<{ code: number; output: CapturedOutput }> {
    const output = captureOutput();
    const command = createTfcCommand({ env: { TFE_ADDRESS: fake.address, ...env }, poll: FAST_POLL, now: () => new Date('2026-11-28T08:00:00Z') });
    const code = await runCli(['tfc', ...args], [command], { output, cwd });
    return { code, output };
  }

  afterEach(async () => {
    await fake?.close();
  });

  it('plan writes the run manifest and the GitLab report, prints one line per account and exits 0', async () => {
    await setUp('cloud-org');
    const { code, output } = await iamctl(['plan', '--concurrency', '1', '--message', 'mr 7']);
    expect(output.stderr()).toBe('');
    expect(code).toBe(0);
    expect(output.stdout()).toBe(
      [
        'app       iam-app       planned  +1 ~0 -0  https://app.terraform.io/app/acme/workspaces/iam-app/runs/run-2',
        'security  iam-security  planned  +1 ~0 -0  https://app.terraform.io/app/acme/workspaces/iam-security/runs/run-4',
        '2 runs, 0 failed; changes +2 ~0 -0',
        '',
      ].join('\n'),
    );
    const manifest = JSON.parse(readFileSync(join(cwd, 'plans', 'tfc-runs.json'), 'utf8'));
    expect(manifest).toMatchObject({ kind: 'iamctl-tfc-runs', version: 1, hostname: 'app.terraform.io', createdAt: '2026-11-28T08:00:00.000Z' });
    expect(manifest.runs.map((r: { account: string; runId: string; status: string }) => [r.account, r.runId, r.status])).toEqual([
      ['app', 'run-2', 'planned'],
      ['security', 'run-4', 'planned'],
    ]);
    expect(JSON.parse(readFileSync(join(cwd, 'plans', 'gitlab-terraform-report.json'), 'utf8'))).toEqual({ create: 2, update: 0, delete: 0 });
  });

  it('plan --environment plans only that environment\'s accounts', async () => {
    await setUp('cloud-org');
    const { code } = await iamctl(['plan', '--environment', 'prod']);
    expect(code).toBe(0);
    expect(fake.apiCalls()[0]).toBe('GET /organizations/acme/workspaces/iam-security');
    expect(fake.apiCalls().filter((c) => c.includes('/workspaces/iam-app'))).toEqual([]);
  });

  it('plan --stacks plans only the changed stacks the access diff listed (IAM_CHANGED_STACKS)', async () => {
    await setUp('cloud-org');
    const { code, output } = await iamctl(['plan', '--stacks', 'iam-security,iam-security-baseline']);
    expect(code).toBe(0);
    expect(fake.apiCalls().filter((c) => c.includes('/workspaces/iam-app'))).toEqual([]);
    expect(JSON.parse(readFileSync(join(cwd, 'plans', 'tfc-runs.json'), 'utf8')).runs.map((r: { account: string }) => r.account)).toEqual(['security']);
    expect(output.stderr()).toBe('not planned in Terraform Cloud (no workspace of the selection): iam-security-baseline\n');
  });

  it('plan --stacks with an empty list plans nothing and writes an empty manifest (nothing to apply)', async () => {
    await setUp('cloud-org');
    const { code, output } = await iamctl(['plan', '--stacks', '']);
    expect(code).toBe(0);
    expect(fake.apiCalls()).toEqual([]);
    expect(JSON.parse(readFileSync(join(cwd, 'plans', 'tfc-runs.json'), 'utf8')).runs).toEqual([]);
    expect(JSON.parse(readFileSync(join(cwd, 'plans', 'gitlab-terraform-report.json'), 'utf8'))).toEqual({ create: 0, update: 0, delete: 0 });
    expect(output.stderr()).toBe('no synthesized stack changed: nothing to plan\n');
  });

  it('plan exits 1 when a run errors, and still writes the manifest', async () => {
    await setUp('cloud-org', [
      { name: 'iam-app', id: 'ws-app', planStatuses: ['planning', 'errored'] },
      { name: 'iam-security', id: 'ws-sec' },
    ]);
    const { code, output } = await iamctl(['plan', '--format', 'json']);
    expect(code).toBe(1);
    const result = JSON.parse(output.stdout());
    expect(result.runs.map((r: { status: string }) => r.status)).toEqual(['errored', 'planned']);
    expect(result.report).toEqual({ create: 1, update: 0, delete: 0 });
    expect(JSON.parse(readFileSync(join(cwd, 'plans', 'tfc-runs.json'), 'utf8')).runs).toHaveLength(2);
  });

  it('plan exits 2 telling how to set backend.terraformCloud when the accounts use another backend', async () => {
    await setUp('local-org');
    const { code, output } = await iamctl(['plan']);
    expect(code).toBe(2);
    expect(output.stderr()).toBe(
      'error: Terraform Cloud delivery needs the cloud backend, but accounts app (local), security (local) use another backend. ' +
        'Set it in accounts/org.yaml (or the OU/account file): `backend: { terraformCloud: { organization: <your org>, workspacePrefix: iam- } }`\n',
    );
    expect(fake.requests).toEqual([]);
  });

  it('exits 2 naming the token variable when it is not set', async () => {
    await setUp('cloud-org');
    const { code, output } = await iamctl(['plan'], {});
    expect(code).toBe(2);
    expect(output.stderr()).toBe(
      'error: no Terraform Cloud token: set TF_TOKEN_app_terraform_io to a team API token with plan and apply access to the workspaces (in GitLab: a masked, protected CI/CD variable)\n',
    );
  });

  it('exits 2 with the API error when the token is rejected', async () => {
    await setUp('cloud-org');
    const { code, output } = await iamctl(['plan'], { TF_TOKEN_app_terraform_io: 'revoked' });
    expect(code).toBe(2);
    expect(output.stderr()).toMatch(/^error: Terraform Cloud show workspace iam-(app|security) of organization acme \(GET \/api\/v2\/organizations\/acme\/workspaces\/iam-(app|security)\) failed with HTTP 401 Unauthorized: unauthorized\. Check TF_TOKEN_app_terraform_io/);
  });

  it('apply --environment applies only the reviewed runs of that environment and exits 0', async () => {
    // Given a reviewed plan of both accounts
    await setUp('cloud-org');
    expect((await iamctl(['plan', '--concurrency', '1'])).code).toBe(0);
    // When the nonprod deploy job applies
    const { code, output } = await iamctl(['apply', '--runs', 'plans/tfc-runs.json', '--environment', 'nonprod'], {
      TF_TOKEN_app_terraform_io: TOKEN,
      GITLAB_USER_LOGIN: 'alice',
      CI_PIPELINE_URL: 'https://gitlab.example/p/1',
    });
    // Then only the nonprod run was applied, with a comment naming the approver and pipeline
    expect(code).toBe(0);
    expect(fake.apiCalls().filter((c) => c.includes('/actions/'))).toEqual(['POST /runs/run-2/actions/apply']);
    expect(fake.requests.find((r) => r.path.endsWith('/actions/apply'))?.json).toEqual({ comment: 'Applied by iamctl tfc apply after approval by alice in https://gitlab.example/p/1' });
    expect(output.stdout()).toBe('app  iam-app  applied  +1 ~0 -0  https://app.terraform.io/app/acme/workspaces/iam-app/runs/run-2\n1 run, 0 failed; changes +1 ~0 -0\n');
  });

  it('apply refuses a superseded run, applies nothing and exits 2', async () => {
    await setUp('cloud-org');
    await iamctl(['plan', '--concurrency', '1']);
    fake.setRunStatus('run-2', 'discarded');
    const { code, output } = await iamctl(['apply', '--runs', 'plans/tfc-runs.json']);
    expect(code).toBe(2);
    expect(fake.apiCalls().filter((c) => c.includes('/actions/'))).toEqual([]);
    expect(output.stderr()).toBe(
      'error: refusing to apply: run run-2 (iam-app) is discarded, not planned: it was discarded, canceled or superseded by a newer run, so the reviewed plan can no longer be applied. Run `iamctl tfc plan` again and have the new plan reviewed\n' +
        'nothing was applied: 1 of 2 runs in plans/tfc-runs.json is not waiting for approval\n',
    );
  });

  it('apply refuses a speculative plan', async () => {
    await setUp('cloud-org', [{ name: 'iam-app', id: 'ws-app', planStatuses: ['planning', 'planned_and_finished'] }, { name: 'iam-security', id: 'ws-sec' }]);
    await iamctl(['plan', '--speculative', '--account', 'app']);
    const { code, output } = await iamctl(['apply', '--runs', 'plans/tfc-runs.json']);
    expect(code).toBe(2);
    expect(output.stderr()).toContain('error: refusing to apply: run run-2 (iam-app) is a speculative plan and can never be applied: plan again without --speculative\n');
  });

  it('apply exits 1 when an apply errors', async () => {
    await setUp('cloud-org', [{ name: 'iam-app', id: 'ws-app', applyStatuses: ['applying', 'errored'] }, { name: 'iam-security', id: 'ws-sec' }]);
    await iamctl(['plan', '--account', 'app']);
    const { code, output } = await iamctl(['apply', '--runs', 'plans/tfc-runs.json']);
    expect(code).toBe(1);
    expect(output.stdout()).toContain('iam-app  errored');
  });

  it('apply exits 2 naming a manifest that is missing or not a run manifest', async () => {
    await setUp('cloud-org');
    const missing = await iamctl(['apply', '--runs', 'plans/nope.json']);
    expect(missing.code).toBe(2);
    expect(missing.output.stderr()).toMatch(/^error: cannot read run manifest plans\/nope\.json: ENOENT.*It is written by `iamctl tfc plan` \(keep plans\/ as an artifact of the plan job\)\.\n$/);
    writeFileSync(join(cwd, 'other.json'), JSON.stringify({ create: 1, update: 0, delete: 0 }));
    const other = await iamctl(['apply', '--runs', 'other.json']);
    expect(other.code).toBe(2);
    expect(other.output.stderr()).toBe(
      'error: other.json is not a run manifest written by `iamctl tfc plan`: $.kind: expected "iamctl-tfc-runs", got undefined; $.version: expected 1, got undefined; $.hostname: expected a non-empty string; $.createdAt: expected a non-empty string; $.runs: expected a list of runs\n',
    );
  });

  it('status prints the current status of each run and exits 1 when one errored', async () => {
    await setUp('cloud-org');
    await iamctl(['plan', '--concurrency', '1']);
    fake.setRunStatus('run-4', 'errored');
    const { code, output } = await iamctl(['status', '--runs', 'plans/tfc-runs.json', '--account', 'security']);
    expect(code).toBe(1);
    expect(output.stdout()).toBe('security  iam-security  errored  +1 ~0 -0  https://app.terraform.io/app/acme/workspaces/iam-security/runs/run-4\n1 run, 1 failed; changes +1 ~0 -0\n');
  });

  it('rejects a bad --environment with exit 2', async () => {
    await setUp('cloud-org');
    const { code, output } = await iamctl(['plan', '--environment', 'dev']);
    expect(code).toBe(2);
    expect(output.stderr()).toBe('error: --environment must be one of nonprod, staging, prod, got "dev"\n');
  });
});

describe('iamctl tfc plan with a run still waiting for approval', () => {
  let fake: FakeTfc;
  let cwd: string;

  beforeEach(async () => {
    fake = await startFakeTfc({ token: TOKEN, organization: 'acme', workspaces: [{ name: 'iam-app', id: 'ws-app' }, { name: 'iam-security', id: 'ws-sec' }] });
    cwd = makeTempDir('tfc-cli-');
    cpSync(join(FIXTURES, 'cloud-org'), cwd, { recursive: true });
    writeStacks(cwd, ['iam-app', 'iam-security']);
  });

  afterEach(async () => {
    await fake.close();
  });

  async function iamctl(args: readonly string[]): Promise<{ code: number; output: CapturedOutput }> {
    const output = captureOutput();
    const command = createTfcCommand({ env: { TFE_ADDRESS: fake.address, TF_TOKEN_app_terraform_io: TOKEN }, poll: FAST_POLL });
    return { code: await runCli(['tfc', ...args], [command], { output, cwd }), output };
  }

  it('stops before creating anything, naming the run a new plan would queue behind', async () => {
    // Given an earlier pipeline's plan of app that was never applied
    expect((await iamctl(['plan', '--account', 'app'])).code).toBe(0);
    const before = fake.requests.length;
    // When a newer pipeline plans again without --discard-pending
    const { code, output } = await iamctl(['plan', '--account', 'app']);
    // Then it exits 2 and says what to do, having created nothing
    expect(code).toBe(2);
    expect(output.stderr()).toBe(
      'error: a new run would queue behind run run-2 of iam-app (planned), which waits for approval: apply it with `iamctl tfc apply`, discard it in Terraform Cloud, or plan with --discard-pending to supersede it\n',
    );
    expect(fake.requests.slice(before).filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('--discard-pending discards the superseded run, so the old pipeline\'s apply refuses it', async () => {
    // Given an earlier plan whose manifest the old pipeline kept
    await iamctl(['plan', '--account', 'app', '--output', 'plans/old-runs.json']);
    // When a newer pipeline plans with --discard-pending
    const { code } = await iamctl(['plan', '--account', 'app', '--discard-pending', '--message', 'pipeline 2']);
    expect(code).toBe(0);
    const discard = fake.requests.find((r) => r.path === '/api/v2/runs/run-2/actions/discard');
    expect(discard?.json).toEqual({ comment: 'Superseded by a newer plan: pipeline 2' });
    // Then the old pipeline's apply refuses its superseded run
    const old = await iamctl(['apply', '--runs', 'plans/old-runs.json']);
    expect(old.code).toBe(2);
    expect(old.output.stderr()).toContain('run run-2 (iam-app) is discarded, not planned');
  });
});

describe('iamctl tfc plan selection', () => {
  it('exits 2 when --account and --environment select nothing', async () => {
    const cwd = makeTempDir('tfc-cli-');
    cpSync(join(FIXTURES, 'cloud-org'), cwd, { recursive: true });
    const output = captureOutput();
    const code = await runCli(['tfc', 'plan', '--account', 'app', '--environment', 'prod'], [createTfcCommand({ env: {} })], { output, cwd });
    expect(code).toBe(2);
    expect(output.stderr()).toBe('error: no account matches --environment prod and --account app: nothing to plan\n');
  });

  it('exits 2 naming a synthesized stack that is missing', async () => {
    const cwd = makeTempDir('tfc-cli-');
    cpSync(join(FIXTURES, 'cloud-org'), cwd, { recursive: true });
    const output = captureOutput();
    const code = await runCli(['tfc', 'plan', '--account', 'app'], [createTfcCommand({ env: { TF_TOKEN_app_terraform_io: 't', TFE_ADDRESS: 'http://127.0.0.1:9' } })], { output, cwd });
    expect(code).toBe(2);
    expect(output.stderr()).toBe(`error: no synthesized stack for account app at ${join(cwd, 'cdktf.out', 'stacks', 'iam-app', 'cdk.tf.json')}: run \`iamctl synth\` first\n`);
  });
});

describe('iamctl tfc plan with a failed policy', () => {
  it('exits 1 and says which policies failed, from the policy checks and task stages', async () => {
    const fake = await startFakeTfc({
      token: TOKEN,
      organization: 'acme',
      workspaces: [
        {
          name: 'iam-app',
          id: 'ws-app',
          planStatuses: ['planning', 'policy_checking', 'policy_soft_failed'],
          policyChecks: [{ id: 'polchk-1', type: 'policy-checks', attributes: { status: 'soft_failed', scope: 'organization', result: { passed: 3, 'total-failed': 1, 'hard-failed': 0, 'soft-failed': 1, 'advisory-failed': 0 } } }],
          taskStages: [{ id: 'ts-1', type: 'task-stages', attributes: { stage: 'post_plan', status: 'passed' } }],
        },
      ],
    });
    try {
      const cwd = makeTempDir('tfc-cli-');
      cpSync(join(FIXTURES, 'cloud-org'), cwd, { recursive: true });
      writeStacks(cwd, ['iam-app']);
      const output = captureOutput();
      const command = createTfcCommand({ env: { TFE_ADDRESS: fake.address, TF_TOKEN_app_terraform_io: TOKEN }, poll: FAST_POLL });
      const code = await runCli(['tfc', 'plan', '--account', 'app'], [command], { output, cwd });
      expect(code).toBe(1);
      expect(output.stdout()).toBe(
        'app  iam-app  policy_soft_failed  +1 ~0 -0  https://app.terraform.io/app/acme/workspaces/iam-app/runs/run-2\n  policy checks: 1 soft-failed\n1 run, 1 failed; changes +1 ~0 -0\n',
      );
      expect(fake.apiCalls()).toEqual(expect.arrayContaining(['GET /runs/run-2/policy-checks', 'GET /runs/run-2/task-stages']));
    } finally {
      await fake.close();
    }
  });
});
