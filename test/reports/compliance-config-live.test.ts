import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { reportCommand } from '../../src/cli/commands/report';
import { runCli } from '../../src/cli/program';
import type { AccountCompliance, ComplianceReport } from '../../src/core/reports';
import { captureOutput } from '../support/capture-output';
import { MOTO_ACCOUNT_ID, type MotoServer, startMotoServer, useMotoEnvironment } from '../support/moto-server';
import { copyExampleOrg } from './example-copy';
import { type FakeConfigRule, type FakeConfigService, startFakeConfigService, PLATFORM_CONFIG_RULES } from './fake-config-service';

// Each run reads one account live (a synthesized desired inventory, a full IAM read on moto, AWS Config on the fake).
jest.setTimeout(240_000);

/** Weight of config-rules, written in docs/reports.md ("Compliance score"). */
const CONFIG_RULES = 10;

const RULES = PLATFORM_CONFIG_RULES;
const allCompliant = (): Record<string, FakeConfigRule> => Object.fromEntries(RULES.map((r) => [r, { compliance: 'COMPLIANT' } as FakeConfigRule]));

describe('iamctl report compliance --live reads AWS Config (moto for IAM/STS, a local fake for Config)', () => {
  let moto: MotoServer;
  let fake: FakeConfigService;
  let dir: string;
  const env = { ...process.env };
  beforeAll(async () => {
    moto = await startMotoServer();
    useMotoEnvironment();
    fake = await startFakeConfigService();
    // Given app-dev on moto's account (the credential chain reaches it; the other seven accounts are not reachable)
    dir = copyExampleOrg();
    const file = join(dir, 'accounts', 'workloads', 'app-dev', 'account.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('id: "510987654321"', `id: "${MOTO_ACCOUNT_ID}"`));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    process.env = env;
    await fake.stop();
    await moto.stop();
  });

  async function compliance(...extra: string[]): Promise<ComplianceReport> {
    const output = captureOutput();
    const args = ['report', 'compliance', '--format', 'json', '--no-history', '--live', '--endpoint-url', moto.endpoint, '--config-endpoint-url', fake.endpoint, '--now', '2026-12-01T09:00:00Z', ...extra];
    const code = await runCli(args, [reportCommand], { output, cwd: dir });
    expect(output.stderr()).toBe('');
    expect(code).toBe(1);
    return JSON.parse(output.stdout()) as ComplianceReport;
  }
  const account = (r: ComplianceReport, name: string) => r.accounts.find((a) => a.account === name)!;
  const check = (a: AccountCompliance, id: string) => a.checks.find((c) => c.id === id)!;
  const scores = (r: ComplianceReport) => Object.fromEntries(r.accounts.map((a) => [a.account, a.score]));

  it('a broken Config rule lowers exactly its account score by the config-rules weight', async () => {
    // When every platform rule is COMPLIANT
    fake.setRules(allCompliant());
    const clean = await compliance();
    const passed = check(account(clean, 'app-dev'), 'config-rules');
    expect(passed.status).toBe('pass');
    expect(passed.evidence?.source).toBe('live AWS Config DescribeComplianceByConfigRule/GetComplianceDetailsByConfigRule in us-east-1 via the credential chain');
    expect(passed.evidence?.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // And when one rule finds an inline policy on a role
    fake.setRules({
      ...allCompliant(),
      'iam-platform-drift-iam-no-inline-policy-check': { compliance: 'NON_COMPLIANT', nonCompliant: [{ resourceType: 'AWS::IAM::Role', resourceId: 'AROAEXAMPLEINLINE01', annotation: 'The role has an inline policy.' }] },
    });
    const broken = await compliance();
    // Then app-dev loses exactly the config-rules weight, listing the rule and the resource
    const failed = check(account(broken, 'app-dev'), 'config-rules');
    expect(failed.status).toBe('fail');
    expect(failed.items).toEqual(['rule iam-platform-drift-iam-no-inline-policy-check NON_COMPLIANT: AWS::IAM::Role AROAEXAMPLEINLINE01 (The role has an inline policy.)']);
    expect(account(broken, 'app-dev').score).toBe(account(clean, 'app-dev').score - CONFIG_RULES);
    // And no other account changes
    expect({ ...scores(broken), 'app-dev': 0 }).toEqual({ ...scores(clean), 'app-dev': 0 });
    // And the accounts the credentials do not reach are not evaluated, saying why (never a pass)
    const appProd = check(account(broken, 'app-prod'), 'config-rules');
    expect(appProd.status).toBe('not-evaluated');
    expect(appProd.reason).toBe(
      `live read not possible: the credentials are for account ${MOTO_ACCOUNT_ID}, not app-prod (530987654321). Fix: pass --live-role with a role every account has, or run with that account's credentials`,
    );
  });

  it('a rule missing in the account is not evaluated with the reason, and costs nothing', async () => {
    // Given the custom rule deleted from the account
    const rules = allCompliant();
    delete rules['iam-platform-drift-desired-state'];
    fake.setRules(rules);
    // When
    const report = await compliance();
    // Then config-rules is not evaluated in app-dev, with the rule named
    const appDev = account(report, 'app-dev');
    const c = check(appDev, 'config-rules');
    expect(c.status).toBe('not-evaluated');
    expect(c.reason).toBe("rule iam-platform-drift-desired-state is not in the account's AWS Config (us-east-1): deploy the account's stack with drift detection");
    expect(c.evidence).toBeUndefined();
    // And its points are not among the evaluated ones (neither are scan-clean, 10, and terraform-validate, 5: no scan result given)
    expect(appDev.evaluated).toBe(100 - 10 - 5 - CONFIG_RULES);
  });

  it("reads every account through --live-role, with that role's credentials", async () => {
    // Given every rule COMPLIANT, and each account reached by assuming gitlab-drift-reader in it (moto's STS)
    fake.setRules(allCompliant());
    // When
    const report = await compliance('--live-role', 'gitlab-drift-reader');
    // Then config-rules passes in all eight accounts, each read through its own role
    expect(report.accounts.map((a) => [a.account, check(a, 'config-rules').status, check(a, 'config-rules').evidence?.source])).toEqual(
      report.accounts.map((a) => [a.account, 'pass', `live AWS Config DescribeComplianceByConfigRule/GetComplianceDetailsByConfigRule in us-east-1 via role arn:aws:iam::${a.accountId}:role/gitlab-drift-reader`]),
    );
    expect(report.accounts).toHaveLength(8);
    // And AWS Config was called with the assumed sessions' keys, never the chain's own (moto's 'testing'), one session per account
    const keys = new Set(fake.requests.map((r) => r.accessKeyId));
    expect(keys.has('testing')).toBe(false);
    expect(keys.size).toBe(8);
  });

  it('an account without drift detection is not evaluated: the platform deploys no rules there', async () => {
    // Given app-dev with drift detection off
    appendFileSync(join(dir, 'accounts', 'workloads', 'app-dev', 'account.yaml'), 'drift:\n  enabled: false\n');
    fake.setRules(allCompliant());
    // When
    const report = await compliance();
    // Then AWS Config is not asked, and the check says why it was not evaluated
    const c = check(account(report, 'app-dev'), 'config-rules');
    expect(c.status).toBe('not-evaluated');
    expect(c.reason).toBe('drift detection is off for the account (drift.enabled: false in accounts/), so the platform deploys no AWS Config rules there');
    expect(fake.requests).toEqual([]);
  });
});
