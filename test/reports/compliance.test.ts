import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { reportCommand } from '../../src/cli/commands/report';
import { runCli } from '../../src/cli/program';
import type { ComplianceReport } from '../../src/core/reports';
import { captureOutput } from '../support/capture-output';
import { BROKEN_ROLE, copyExampleOrg, writeRole } from './example-copy';

jest.setTimeout(60_000);

async function compliance(cwd: string, args: readonly string[] = []): Promise<{ code: number; json: ComplianceReport; stderr: string }> {
  const output = captureOutput();
  const code = await runCli(['report', 'compliance', '--format', 'json', ...args], [reportCommand], { output, cwd });
  return { code, json: JSON.parse(output.stdout() || '{}') as ComplianceReport, stderr: output.stderr() };
}

const scores = (r: ComplianceReport) => Object.fromEntries(r.accounts.map((a) => [a.account, a.score]));

/** Weights written in docs/reports.md ("Compliance score"): boundary-coverage 20, human-mfa 20, lint-clean 15. */
const BOUNDARY = 20;
const MFA = 20;
const LINT = 15;

describe('iamctl report compliance', () => {
  let dir: string;
  beforeEach(() => {
    dir = copyExampleOrg();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a role without boundary and MFA lowers exactly its account by the documented weights', async () => {
    // Given the example org, every account at 100 from the model's checks (the evidence checks are not evaluated)
    const before = await compliance(dir, ['--no-history']);
    const base = scores(before.json);
    expect(Object.values(base)).toEqual(new Array(8).fill(100));
    expect(before.json.accounts[0].evaluated).toBe(55);
    // When a role with a written boundary opt-out and human trust without MFA, its lint findings suppressed, joins app-dev
    const suppressed = BROKEN_ROLE.replace('owner: app-team\n', 'owner: app-team\nlint:\n  ignore:\n    - rule: trust-cross-account-without-mfa\n      reason: test\n');
    writeRole(dir, 'workloads/app-dev', 'broken', suppressed);
    const after = await compliance(dir, ['--no-history']);
    // Then only app-dev drops, by boundary-coverage and human-mfa
    expect(scores(after.json)).toEqual({ ...base, 'app-dev': 100 - BOUNDARY - MFA });
    expect(after.json.score).toBe(Math.round(((7 * 100 + 60) / 8) * 10) / 10);
    const dev = after.json.accounts.find((a) => a.account === 'app-dev')!;
    expect(dev.checks.filter((c) => c.status === 'fail').map((c) => c.id)).toEqual(['boundary-coverage', 'human-mfa']);
    expect(dev.checks.find((c) => c.id === 'boundary-coverage')!.items).toEqual(['role broken (accounts/workloads/app-dev/roles/broken.yaml $) has no permission boundary']);
    expect(after.code).toBe(1);
  });

  it('without the suppression the lint error costs its weight too', async () => {
    writeRole(dir, 'workloads/app-dev', 'broken', BROKEN_ROLE);
    const { json } = await compliance(dir, ['--no-history']);
    expect(scores(json)['app-dev']).toBe(100 - BOUNDARY - MFA - LINT);
    expect(scores(json)['app-prod']).toBe(100);
  });

  it('counts evidence checks, keeps the trend in the history file, and names a bad evidence file', async () => {
    writeFileSync(join(dir, 'evidence.json'), JSON.stringify({ checks: { 'no-drift': { 'app-prod': ['role app-worker: inline policy changed'], 'app-dev': [] } } }));
    const first = await compliance(dir, ['--evidence', 'evidence.json', '--now', '2026-11-24T06:00:00Z']);
    expect(scores(first.json)['app-prod']).toBe(90);
    expect(first.json.accounts.find((a) => a.account === 'app-dev')!.evaluated).toBe(65);
    const second = await compliance(dir, ['--now', '2026-12-01T06:00:00Z']);
    expect(second.json.trend.map((p) => [p.date, p.organization])).toEqual([
      ['2026-11-24T06:00:00.000Z', 98.8],
      ['2026-12-01T06:00:00.000Z', 100],
    ]);
    expect(existsSync(join(dir, 'reports/compliance-history.json'))).toBe(true);
    // The same run rendered again (another format, same --now) is stored once
    const again = await compliance(dir, ['--now', '2026-12-01T06:00:00Z']);
    expect(again.json.trend.map((p) => p.date)).toEqual(['2026-11-24T06:00:00.000Z', '2026-12-01T06:00:00.000Z']);
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ checks: { 'lint-clean': {}, 'no-drift': { 'app-dev': 'yes' } } }));
    const bad = await compliance(dir, ['--evidence', 'bad.json']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('evidence file bad.json: $.checks.lint-clean is not an evidence check');
    expect(bad.stderr).toContain('$.checks.no-drift.app-dev must be an array of strings');
    writeFileSync(join(dir, 'reports/compliance-history.json'), '{"points": 3}');
    const broken = await compliance(dir);
    expect(broken.code).toBe(2);
    expect(readFileSync(join(dir, 'reports/compliance-history.json'), 'utf8')).toBe('{"points": 3}');
  });

  it('reads scan-clean and terraform-validate from the pipeline scan result, which replaces the evidence file, and says where each came from', async () => {
    // Given an evidence file that says app-dev's scan passed, and a later scan result of app-dev and app-prod
    // (checkov and terraform ran): app-dev has a failed checkov finding, app-prod a suppressed one and a validate error
    writeFileSync(join(dir, 'evidence.json'), JSON.stringify({ checks: { 'scan-clean': { 'app-dev': [] } } }));
    const finding = (account: string, scanner: string, status: string, checkId: string) => ({
      checkId, scanner, status, account, severity: 'high', resource: `aws_iam_role.r_${account}`, file: `accounts/workloads/${account}/roles/r.yaml`, line: 3, title: 't', message: `${checkId} on ${account}`,
    });
    writeFileSync(
      join(dir, 'scan.json'),
      JSON.stringify({
        findings: [finding('app-dev', 'checkov', 'failed', 'CKV_AWS_60'), finding('app-prod', 'checkov', 'suppressed', 'CKV_AWS_61'), finding('app-prod', 'terraform', 'failed', 'TF_VALIDATE_ERROR')],
        summary: { accounts: ['app-dev', 'app-prod'] },
        scanners: { checkov: { version: '3.3.13' }, terraform: { version: '1.11.4' } },
      }),
    );
    // When
    const { json } = await compliance(dir, ['--no-history', '--evidence', 'evidence.json', '--scan-result', 'scan.json']);
    const check = (account: string, id: string) => json.accounts.find((a) => a.account === account)!.checks.find((c) => c.id === id)!;
    // Then app-dev fails the scan (the scan result wins over the file), passes validate; app-prod the reverse
    expect(check('app-dev', 'scan-clean').items).toEqual(['accounts/workloads/app-dev/roles/r.yaml:3 [CKV_AWS_60] aws_iam_role.r_app-dev: CKV_AWS_60 on app-dev']);
    expect(check('app-dev', 'scan-clean').evidence?.source).toBe('scan result scan.json (checkov)');
    expect(check('app-dev', 'terraform-validate').status).toBe('pass');
    expect(check('app-prod', 'scan-clean').status).toBe('pass');
    expect(check('app-prod', 'terraform-validate').evidence?.source).toBe('scan result scan.json (terraform validate)');
    expect(scores(json)).toMatchObject({ 'app-dev': 90, 'app-prod': 95, 'data-prod': 100 });
    // And an account the scan did not cover is not evaluated, saying how to evaluate it
    expect(check('data-prod', 'scan-clean').status).toBe('not-evaluated');
    expect(check('data-prod', 'scan-clean').reason).toBe('no evidence for this account: pass --evidence, or --live where the check can be read live');
    // And the model's checks say they come from accounts/
    expect(check('data-prod', 'boundary-coverage').evidence?.source).toBe('accounts/ model');
  });

  it('names a scan result that is not iamctl scan JSON', async () => {
    writeFileSync(join(dir, 'scan.json'), JSON.stringify({ results: [] }));
    const { code, stderr } = await compliance(dir, ['--no-history', '--scan-result', 'scan.json']);
    expect(code).toBe(2);
    expect(stderr).toContain('scan result scan.json: $.findings, $.summary.accounts and $.scanners are required: pass the output of `iamctl scan --format json`');
  });
});
