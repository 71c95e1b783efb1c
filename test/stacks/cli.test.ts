import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthCommand } from '../../src/cli/commands/synth';
import { validateCommand } from '../../src/cli/commands/validate';
import { runCli } from '../../src/cli/program';
import { captureOutput } from '../support/capture-output';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'stacks', 'cli-org');
const COMMANDS = [synthCommand, validateCommand];

describe('iamctl synth and validate', () => {
  let work: string;
  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'h3-cli-'));
    fs.cpSync(path.join(FIXTURE, 'accounts'), path.join(work, 'accounts'), { recursive: true });
  });
  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

  it('synth writes one stack per account and prints one line per stack and a summary', async () => {
    const output = captureOutput();
    const code = await runCli(['synth'], COMMANDS, { output, cwd: work });
    expect(code).toBe(0);
    const lines = output.stdout().trimEnd().split('\n');
    expect(lines.slice(0, 2)).toEqual([
      'iam-app-dev   cdktf.out/stacks/iam-app-dev/cdk.tf.json  (3 resources)',
      'iam-app-prod  cdktf.out/stacks/iam-app-prod/cdk.tf.json  (5 resources)',
    ]);
    expect(lines[2]).toMatch(/^Synthesized 2 stacks \(8 resources\) into cdktf\.out in \d+\.\d s$/);
    expect(fs.existsSync(path.join(work, 'cdktf.out', 'stacks', 'iam-app-prod', 'cdk.tf.json'))).toBe(true);
    expect(fs.existsSync(path.join(work, 'cdktf.out', 'manifest.json'))).toBe(true);
  });

  it('synth --account writes only that account, as JSON when asked', async () => {
    const output = captureOutput();
    const code = await runCli(['synth', '--account', 'app-prod', '--outdir', 'out', '--format', 'json'], COMMANDS, { output, cwd: work });
    expect(code).toBe(0);
    const json = JSON.parse(output.stdout()) as { outdir: string; stacks: unknown[]; warnings: unknown[] };
    expect(json.outdir).toBe('out');
    expect(json.stacks).toEqual([{ account: 'app-prod', stack: 'iam-app-prod', file: 'out/stacks/iam-app-prod/cdk.tf.json', sources: 'out/stacks/iam-app-prod/sources.json', resources: 5 }]);
    expect(fs.readdirSync(path.join(work, 'out', 'stacks'))).toEqual(['iam-app-prod']);
  });

  it('synth --account replaces only the named stack and keeps the other stacks of an earlier synth', async () => {
    // Given a full synth, and then a change to app-prod only
    expect(await runCli(['synth'], COMMANDS, { output: captureOutput(), cwd: work })).toBe(0);
    const stacksDir = path.join(work, 'cdktf.out', 'stacks');
    const devBefore = fs.readFileSync(path.join(stacksDir, 'iam-app-dev', 'cdk.tf.json'), 'utf8');
    const prodBefore = fs.readFileSync(path.join(stacksDir, 'iam-app-prod', 'cdk.tf.json'), 'utf8');
    const role = path.join(work, 'accounts', 'workloads', 'app-prod', 'roles', 'support.yaml');
    fs.writeFileSync(role, fs.readFileSync(role, 'utf8').replace(/^(\s*)description: .*$/m, '$1description: changed for the partial synth'));
    // When only app-prod is synthesized again
    const output = captureOutput();
    expect(await runCli(['synth', '--account', 'app-prod'], COMMANDS, { output, cwd: work })).toBe(0);
    // Then app-dev's stack is still there, unchanged, and app-prod's is the new one; the manifest lists both
    expect(fs.readdirSync(stacksDir).sort()).toEqual(['iam-app-dev', 'iam-app-prod']);
    expect(fs.readFileSync(path.join(stacksDir, 'iam-app-dev', 'cdk.tf.json'), 'utf8')).toBe(devBefore);
    const prodAfter = fs.readFileSync(path.join(stacksDir, 'iam-app-prod', 'cdk.tf.json'), 'utf8');
    expect(prodAfter).not.toBe(prodBefore);
    expect(prodAfter).toContain('changed for the partial synth');
    const manifest = JSON.parse(fs.readFileSync(path.join(work, 'cdktf.out', 'manifest.json'), 'utf8')) as { stacks: Record<string, { synthesizedStackPath: string }> };
    expect(Object.keys(manifest.stacks)).toEqual(['iam-app-dev', 'iam-app-prod']);
    expect(manifest.stacks['iam-app-dev'].synthesizedStackPath).toBe('stacks/iam-app-dev/cdk.tf.json');
    expect(output.stdout().trimEnd().split('\n').slice(-1)).toEqual(['Kept 1 other stack of the earlier synth as they were: iam-app-dev']);
  });

  it('validate exits 0 on a clean organization and writes nothing', async () => {
    const output = captureOutput();
    expect(await runCli(['validate'], COMMANDS, { output, cwd: work })).toBe(0);
    expect(output.stdout()).toBe('Valid: 2 stacks, 8 resources, no guardrail errors\n');
    expect(fs.readdirSync(work)).toEqual(['accounts']);
  });

  it('exits 1 with the list of guardrail errors and no stack trace', async () => {
    // Given a human cross-account trust with MFA turned off
    const role = path.join(work, 'accounts', 'workloads', 'app-prod', 'roles', 'support.yaml');
    fs.writeFileSync(role, fs.readFileSync(role, 'utf8').replace('kind: human', 'kind: human\n      requireMfa: false'));
    const output = captureOutput();
    // When validate and synth run, Then both exit 1 with the same one-screen list and synth writes nothing
    expect(await runCli(['validate'], COMMANDS, { output, cwd: work })).toBe(1);
    expect(await runCli(['synth'], COMMANDS, { output, cwd: work })).toBe(1);
    // (the guardrail reports the trust config; the policy lint, wired in through the catalog, the document)
    const expected = [
      'error: Guardrails failed: 2 errors in iam-app-prod; nothing was written',
      '  accounts/workloads/app-prod/roles/support.yaml:5 $.trust.accounts[0]: role "support" lets humans from 111111111111 assume it without MFA: human cross-account trust must require MFA (or mark machine access kind: workload)',
      '  accounts/workloads/app-prod/roles/support.yaml $.trust.Statement[0].Principal.AWS: trust policy of role "support": [trust-cross-account-without-mfa] Every principal of account 111111111111, people included, may assume the role without MFA: add "Bool": {"aws:MultiFactorAuthPresent": "true"}, trust only named workload roles, or suppress with a written reason',
    ].join('\n');
    expect(output.stderr()).toBe(`${expected}\n${expected}\n`);
    expect(output.stdout()).toBe('');
    expect(fs.existsSync(path.join(work, 'cdktf.out'))).toBe(false);
  });

  it('exits 2 for an unknown account', async () => {
    const output = captureOutput();
    expect(await runCli(['synth', '--account', 'app-prd'], COMMANDS, { output, cwd: work })).toBe(2);
    expect(output.stderr()).toBe('error: unknown account "app-prd" (did you mean "app-prod"?): known accounts are app-dev, app-prod\n');
  });
});
