/**
 * `iamctl tfc rollback` (the manual rollback job) against the loopback Terraform Cloud fake, with the record in a
 * local file: after version 1 was applied and version 2 failed in prod, each account's last applied configuration
 * (the configuration version of its recorded run) is planned and applied again, the still-pending run of version 2
 * is discarded, and the record says rolled-back for version 2 and applied (with the new run) for version 1.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTfcCommand } from '../../src/cli/commands/tfc';
import { recordCommand } from '../../src/cli/commands/record';
import { historyCommand } from '../../src/cli/commands/history';
import { runCli } from '../../src/cli/program';
import type { AccountVersion } from '../../src/core/registry';
import { captureOutput } from '../support/capture-output';
import { startFakeTfc, type FakeTfc } from './support/fake-tfc-server';
import { FAST_POLL, makeTempDir, writeStacks } from './support/stacks';

const FIXTURES = join(__dirname, '..', 'fixtures', 'delivery');
const TOKEN = 'cli-token';

describe('iamctl tfc rollback (fake Terraform Cloud, file record)', () => {
  let fake: FakeTfc;
  afterEach(async () => {
    await fake?.close();
  });

  it("re-applies each account's last applied version through Terraform Cloud and records the failed version as rolled-back", async () => {
    fake = await startFakeTfc({ token: TOKEN, organization: 'acme', workspaces: [{ name: 'iam-app', id: 'ws-app' }, { name: 'iam-security', id: 'ws-sec' }] });
    const cwd = makeTempDir('tfc-rollback-');
    cpSync(join(FIXTURES, 'cloud-org'), cwd, { recursive: true });
    const git = (...args: string[]): string => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], { cwd, encoding: 'utf8' }).trim();
    git('init', '-q', '-b', 'main');
    git('add', 'accounts');
    git('commit', '-q', '-m', 'v1');
    const v1 = git('rev-parse', 'HEAD');
    writeStacks(cwd, ['iam-app', 'iam-security']);
    const registry = `file:${join(cwd, 'registry.json')}`;
    const env = { TFE_ADDRESS: fake.address, TF_TOKEN_app_terraform_io: TOKEN, GITLAB_USER_LOGIN: 'carol' };
    const commands = [createTfcCommand({ env, poll: FAST_POLL, now: () => new Date('2026-12-01T14:00:00Z') }), recordCommand, historyCommand];
    const iamctl = async (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
      const output = captureOutput();
      const code = await runCli(args, commands, { output, cwd });
      return { code, stdout: output.stdout(), stderr: output.stderr() };
    };

    // Given version 1 planned (runs run-2 app, run-4 security), applied everywhere and recorded
    expect((await iamctl('tfc', 'plan', '--concurrency', '1')).code).toBe(0);
    expect((await iamctl('record', '--status', 'planned', '--runs', 'plans/tfc-runs.json', '--commit', v1, '--registry', registry)).code).toBe(0);
    expect((await iamctl('tfc', 'apply', '--runs', 'plans/tfc-runs.json')).code).toBe(0);
    expect((await iamctl('record', '--status', 'applied', '--runs', 'plans/tfc-runs.json', '--commit', v1, '--registry', registry)).code).toBe(0);
    // And version 2 (runs run-6 app, run-8 security): applied in nonprod, failed before prod applied
    writeFileSync(join(cwd, 'accounts', 'core', 'note.txt'), 'v2\n');
    git('add', 'accounts');
    git('commit', '-q', '-m', 'v2');
    const v2 = git('rev-parse', 'HEAD');
    expect((await iamctl('tfc', 'plan', '--concurrency', '1')).code).toBe(0);
    copyFileSync(join(cwd, 'plans', 'tfc-runs.json'), join(cwd, 'plans', 'v2.json'));
    expect((await iamctl('record', '--status', 'planned', '--runs', 'plans/v2.json', '--commit', v2, '--registry', registry)).code).toBe(0);
    expect((await iamctl('tfc', 'apply', '--runs', 'plans/v2.json', '--environment', 'nonprod')).code).toBe(0);
    expect((await iamctl('record', '--status', 'applied', '--runs', 'plans/v2.json', '--environment', 'nonprod', '--commit', v2, '--registry', registry)).code).toBe(0);
    expect((await iamctl('record', '--status', 'failed', '--runs', 'plans/v2.json', '--environment', 'prod', '--commit', v2, '--registry', registry)).code).toBe(0);
    const before = fake.apiCalls().length;

    // When the manual rollback job runs for version 2
    const rollback = await iamctl('tfc', 'rollback', '--runs', 'plans/v2.json', '--commit', v2, '--registry', registry);

    // Then prod first: security's pending v2 run is discarded and run-4's configuration version (cv-3) planned and applied
    // again; then app gets run-2's configuration version (cv-1); nothing else is created
    expect(rollback.code).toBe(0);
    const calls = fake.apiCalls().slice(before).filter((c) => c.startsWith('POST'));
    expect(calls).toEqual(['POST /runs/run-8/actions/discard', 'POST /runs', 'POST /runs/run-9/actions/apply', 'POST /runs', 'POST /runs/run-10/actions/apply']);
    const created = fake.requests.filter((r) => r.method === 'POST' && r.path === '/api/v2/runs').slice(-2);
    expect(created.map((r) => (r.json as { data: { relationships: Record<string, { data: { id: string } }> } }).data.relationships)).toEqual([
      { workspace: { data: { type: 'workspaces', id: 'ws-sec' } }, 'configuration-version': { data: { type: 'configuration-versions', id: 'cv-3' } } },
      { workspace: { data: { type: 'workspaces', id: 'ws-app' } }, 'configuration-version': { data: { type: 'configuration-versions', id: 'cv-1' } } },
    ]);
    expect(rollback.stdout).toContain('security  iam-security  applied');
    expect(rollback.stdout).toContain('app       iam-app       applied');
    // And the record: version 2 rolled-back, version 1 applied again with the new run
    for (const [account, run] of [['app', 'run-10'], ['security', 'run-9']]) {
      const history = await iamctl('history', account, '--format', 'json', '--registry', registry);
      const versions = (JSON.parse(history.stdout) as { versions: AccountVersion[] }).versions;
      expect(versions.map((v) => [v.commit, v.status, v.tfcRunId])).toEqual([
        [v1, 'applied', run],
        [v2, 'rolled-back', run],
      ]);
    }
  });

  it('refuses, changing nothing, when an account has no earlier applied version in the record', async () => {
    fake = await startFakeTfc({ token: TOKEN, organization: 'acme', workspaces: [{ name: 'iam-app', id: 'ws-app' }, { name: 'iam-security', id: 'ws-sec' }] });
    const cwd = makeTempDir('tfc-rollback-');
    cpSync(join(FIXTURES, 'cloud-org'), cwd, { recursive: true });
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd });
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-q', '--allow-empty', '-m', 'x'], { cwd });
    writeStacks(cwd, ['iam-app', 'iam-security']);
    const commands = [createTfcCommand({ env: { TFE_ADDRESS: fake.address, TF_TOKEN_app_terraform_io: TOKEN }, poll: FAST_POLL })];
    expect(await runCli(['tfc', 'plan'], commands, { output: captureOutput(), cwd })).toBe(0);
    const before = fake.apiCalls().length;
    const output = captureOutput();
    const code = await runCli(['tfc', 'rollback', '--runs', 'plans/tfc-runs.json', '--registry', `file:${join(cwd, 'registry.json')}`], commands, { output, cwd });
    expect(code).toBe(2);
    expect(output.stderr()).toContain(`cannot roll back security (no earlier applied version with a Terraform Cloud run in file ${join(cwd, 'registry.json')}), app (no earlier applied version`);
    expect(fake.apiCalls().length).toBe(before);
  });
});
