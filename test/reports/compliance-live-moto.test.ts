import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { reportCommand } from '../../src/cli/commands/report';
import { runCli } from '../../src/cli/program';
import type { AccountCompliance, ComplianceReport } from '../../src/core/reports';
import { captureOutput } from '../support/capture-output';
import { MOTO_ACCOUNT_ID, MOTO_CREDENTIALS, MOTO_REGION, type MotoServer, startMotoServer, useMotoEnvironment } from '../support/moto-server';
import { copyExampleOrg } from './example-copy';

// Eight accounts, one of them read live (a synthesized desired inventory and a full IAM read): well under a minute.
jest.setTimeout(180_000);

/** Weights written in docs/reports.md ("Compliance score"). */
const KEYS = 10;
const DRIFT = 10;

describe('iamctl report compliance --live (moto)', () => {
  let moto: MotoServer;
  let iam: IAMClient;
  let dir: string;
  const env = { ...process.env };
  beforeAll(async () => {
    moto = await startMotoServer();
    useMotoEnvironment();
    iam = new IAMClient({ endpoint: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS });
  });
  beforeEach(() => {
    dir = copyExampleOrg();
  });
  afterEach(async () => {
    rmSync(dir, { recursive: true, force: true });
    await moto.reset();
  });
  afterAll(async () => {
    process.env = env;
    await moto.stop();
  });

  /** Puts one example account on moto's account id. */
  function onMoto(accountPath: string, id: string): void {
    const file = join(dir, 'accounts', accountPath, 'account.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(`id: "${id}"`, `id: "${MOTO_ACCOUNT_ID}"`));
  }

  async function compliance(): Promise<{ code: number; report: ComplianceReport; stderr: string }> {
    const output = captureOutput();
    const code = await runCli(['report', 'compliance', '--format', 'json', '--no-history', '--live', '--endpoint-url', moto.endpoint, '--now', '2026-12-01T09:00:00Z'], [reportCommand], { output, cwd: dir });
    return { code, report: JSON.parse(output.stdout() || '{}') as ComplianceReport, stderr: output.stderr() };
  }

  const check = (a: AccountCompliance | undefined, id: string) => a!.checks.find((c) => c.id === id)!;

  it('fails keys and drift of the account it reads, and leaves accounts it cannot reach not evaluated', async () => {
    // Given app-dev on moto's account with one IAM user and an access key, and nothing of its stack deployed
    onMoto('workloads/app-dev', '510987654321');
    await iam.send(new CreateUserCommand({ UserName: 'legacy-ci' }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'legacy-ci' }))).AccessKey!;
    // When the compliance report reads live through the credential chain (moto's account only)
    const { code, report, stderr } = await compliance();
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const appDev = report.accounts.find((a) => a.account === 'app-dev');
    // Then app-dev fails both live checks, from live IAM
    const keys = check(appDev, 'no-long-lived-keys');
    expect(keys.status).toBe('fail');
    expect(keys.items).toEqual([`user legacy-ci has active access key ${key.AccessKeyId} (created ${new Date(key.CreateDate!).toISOString().slice(0, 10)})`]);
    expect(keys.evidence?.source).toBe('live IAM ListUsers/ListAccessKeys via the credential chain');
    const drift = check(appDev, 'no-drift');
    expect(drift.status).toBe('fail');
    expect(drift.items).toEqual(expect.arrayContaining(['missing role platform-admin']));
    expect(drift.evidence?.source).toBe("live drift check (IAM against the account's synthesized stack) via the credential chain");
    expect(appDev!.score).toBe(100 - KEYS - DRIFT);
    // And the other accounts are not evaluated on those checks (never a pass), saying why
    const appProd = report.accounts.find((a) => a.account === 'app-prod');
    expect(check(appProd, 'no-long-lived-keys').status).toBe('not-evaluated');
    expect(check(appProd, 'no-long-lived-keys').reason).toBe(
      `live read not possible: the credentials are for account ${MOTO_ACCOUNT_ID}, not app-prod (530987654321). Fix: pass --live-role with a role every account has, or run with that account's credentials`,
    );
    expect(appProd!.score).toBe(100);
    // And Config rules are not evaluated: moto serves no Config compliance (app-dev's read fails, the others are not reached)
    expect(report.accounts.map((a) => check(a, 'config-rules').status)).toEqual(new Array(8).fill('not-evaluated'));
    expect(check(appDev!, 'config-rules').reason).toMatch(/^live read failed: AWS Config DescribeComplianceByConfigRule failed: /);
  });

  it("lists the key of a declared service credential as an exception, not a failure", async () => {
    // Given shared-services on moto's account and the user its account.yaml declares under serviceCredentials, with a key
    onMoto('infrastructure/shared-services', '410987654321');
    await iam.send(new CreateUserCommand({ UserName: 'legacy-ftp-sync' }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'legacy-ftp-sync' }))).AccessKey!;
    // When
    const { report, stderr } = await compliance();
    expect(stderr).toBe('');
    // Then the keys check passes with the rotated key as an exception
    const keys = check(report.accounts.find((a) => a.account === 'shared-services'), 'no-long-lived-keys');
    expect(keys.status).toBe('pass');
    expect(keys.exceptions).toEqual([expect.stringMatching(new RegExp(`^user legacy-ftp-sync has active access key ${key.AccessKeyId} \\(created [0-9-]{10}\\): declared in serviceCredentials, rotated every 30 days \\(The on-premises FTP sync`))]);
  });
});
