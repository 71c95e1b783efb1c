import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { reportCommand } from '../../src/cli/commands/report';
import { runCli } from '../../src/cli/program';
import type { AccessReview } from '../../src/core/reports';
import { readRoleLastUsed } from '../../src/io/reports';
import { captureOutput } from '../support/capture-output';
import { MOTO_ACCOUNT_ID, MOTO_CREDENTIALS, MOTO_REGION, type MotoServer, startMotoServer, useMotoEnvironment } from '../support/moto-server';
import { copyExampleOrg } from './example-copy';

// The web-identity case reads eight accounts (one STS call and a ListRoles each) on moto: about a minute on this machine.
jest.setTimeout(180_000);

const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${MOTO_ACCOUNT_ID}:root` }, Action: 'sts:AssumeRole' }] });

describe('last use of roles from IAM (moto)', () => {
  let moto: MotoServer;
  let iam: IAMClient;
  let sts: STSClient;
  const env = { ...process.env };
  beforeAll(async () => {
    moto = await startMotoServer();
    useMotoEnvironment();
    iam = new IAMClient({ endpoint: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS });
    sts = new STSClient({ endpoint: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS });
  });
  afterEach(() => moto.reset());
  afterAll(async () => {
    process.env = env;
    await moto.stop();
  });

  it('reads RoleLastUsed per role with GetRole', async () => {
    // Given two roles, one of them assumed
    await iam.send(new CreateRoleCommand({ RoleName: 'used', AssumeRolePolicyDocument: TRUST }));
    await iam.send(new CreateRoleCommand({ RoleName: 'idle', AssumeRolePolicyDocument: TRUST, Path: '/team/' }));
    const before = Date.now() - 1000;
    await useRole(`arn:aws:iam::${MOTO_ACCOUNT_ID}:role/used`);
    // When last use is read
    const lastUsed = await readRoleLastUsed(iam);
    // Then the assumed role has a date of this test, the other none
    expect(lastUsed.get(`arn:aws:iam::${MOTO_ACCOUNT_ID}:role/team/idle`)).toEqual({ lastUsedDate: null });
    const used = lastUsed.get(`arn:aws:iam::${MOTO_ACCOUNT_ID}:role/used`)!.lastUsedDate!;
    expect(Date.parse(used)).toBeGreaterThanOrEqual(before);
    expect([...lastUsed.keys()].sort()).toEqual([`arn:aws:iam::${MOTO_ACCOUNT_ID}:role/team/idle`, `arn:aws:iam::${MOTO_ACCOUNT_ID}:role/used`]);
  });

  it('iamctl report access-review --live flags the role nobody used, and leaves roles it could not read as not read', async () => {
    // Given the example org with app-dev on moto's account, and two of app-dev's roles live, one of them used
    const dir = copyExampleOrg();
    const accountFile = join(dir, 'accounts/workloads/app-dev/account.yaml');
    writeFileSync(accountFile, readFileSync(accountFile, 'utf8').replace('id: "510987654321"', `id: "${MOTO_ACCOUNT_ID}"`));
    await iam.send(new CreateRoleCommand({ RoleName: 'developer-readonly', AssumeRolePolicyDocument: TRUST }));
    await iam.send(new CreateRoleCommand({ RoleName: 'app-debug', AssumeRolePolicyDocument: TRUST }));
    await useRole(`arn:aws:iam::${MOTO_ACCOUNT_ID}:role/developer-readonly`);
    // When the review reads last use from moto
    const output = captureOutput();
    const code = await runCli(['report', 'access-review', '--format', 'json', '--live', '--endpoint-url', moto.endpoint], [reportCommand], { output, cwd: dir });
    rmSync(dir, { recursive: true, force: true });
    expect(output.stderr()).toBe('');
    expect(code).toBe(0);
    const review = JSON.parse(output.stdout()) as AccessReview;
    // Then
    const roles = review.accounts.find((a) => a.account === 'app-dev')!.roles;
    const role = (name: string) => roles.find((r) => r.name === name)!;
    expect(role('app-debug').unused).toBe(true);
    expect(role('app-debug').lastUsed).toEqual({ lastUsedDate: null });
    expect(role('developer-readonly').unused).toBe(false);
    expect(role('platform-admin').unused).toBeNull();
    expect(review.summary.unusedRoles).toBe(1);
    expect(review.decisions.filter((d) => d.kind === 'unused-role').map((d) => [d.subject, d.owner])).toEqual([[`arn:aws:iam::${MOTO_ACCOUNT_ID}:role/app-debug`, 'app-team']]);
  });

  it('with --live-role and a web identity token, reads every account through its own role (the scheduled job)', async () => {
    // Given app-dev on moto's account, its reader role, an unused role, and a token file as the pipeline writes it
    const dir = copyExampleOrg();
    const accountFile = join(dir, 'accounts/workloads/app-dev/account.yaml');
    writeFileSync(accountFile, readFileSync(accountFile, 'utf8').replace('id: "510987654321"', `id: "${MOTO_ACCOUNT_ID}"`));
    await iam.send(new CreateRoleCommand({ RoleName: 'gitlab-drift-reader', AssumeRolePolicyDocument: TRUST }));
    await iam.send(new CreateRoleCommand({ RoleName: 'app-debug', AssumeRolePolicyDocument: TRUST }));
    const tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, 'eyJ.job-token.sig');
    process.env.AWS_WEB_IDENTITY_TOKEN_FILE = tokenFile;
    try {
      // When the review reads last use with the job's flags
      const output = captureOutput();
      const code = await runCli(['report', 'access-review', '--format', 'json', '--live', '--live-role', 'gitlab-drift-reader', '--endpoint-url', moto.endpoint], [reportCommand], { output, cwd: dir });
      expect(output.stderr()).toBe('');
      expect(code).toBe(0);
      // Then app-dev's roles were read through the token (the reader role itself now has a last use)
      const roles = (JSON.parse(output.stdout()) as AccessReview).accounts.find((a) => a.account === 'app-dev')!.roles;
      expect(roles.find((r) => r.name === 'app-debug')!.unused).toBe(true);
      expect(roles.find((r) => r.name === 'gitlab-drift-reader')!.unused).toBe(false);
    } finally {
      delete process.env.AWS_WEB_IDENTITY_TOKEN_FILE;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  /** Assumes the role and makes one call with its credentials (moto records last use on a call, as IAM does). */
  async function useRole(arn: string): Promise<void> {
    const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 't' }));
    const c = assumed.Credentials!;
    const asRole = new STSClient({ endpoint: moto.endpoint, region: MOTO_REGION, credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! } });
    await asRole.send(new GetCallerIdentityCommand({}));
  }
});
