/**
 * The credential report: data-driven cases (credential-cases/*.json: { name, input, expected }, ages
 * worked out by hand), and the IAM adapter against moto.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateAccessKeyCommand, CreateLoginProfileCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { buildCredentialReport, type CredentialReport, type LiveUserCredentials } from '../../src/core/credentials';
import { readUserCredentials } from '../../src/io/iam/read-user-credentials';
import { MOTO_CREDENTIALS, MOTO_REGION, startMotoServer, type MotoServer } from '../support/moto-server';

interface CredentialCase {
  readonly name: string;
  readonly input: { readonly account: string; readonly now: string; readonly maxKeyAgeDays?: number; readonly users: readonly LiveUserCredentials[] };
  readonly expected: CredentialReport;
}

const CASES = join(__dirname, 'credential-cases');
const cases = readdirSync(CASES)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(join(CASES, f), 'utf8')) as CredentialCase);

describe('buildCredentialReport', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const report = buildCredentialReport(c.input.users, { account: c.input.account, now: new Date(c.input.now), ...(c.input.maxKeyAgeDays ? { maxKeyAgeDays: c.input.maxKeyAgeDays } : {}) });
    expect(report).toEqual(c.expected);
  });
});

describe('readUserCredentials on moto', () => {
  let moto: MotoServer;
  beforeAll(async () => {
    moto = await startMotoServer();
  }, 60_000);
  afterAll(async () => moto.stop());

  it('reads each user with its keys and whether it has a console password', async () => {
    const iam = new IAMClient({ region: MOTO_REGION, endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS });
    await iam.send(new CreateUserCommand({ UserName: 'ftp-sync' }));
    await iam.send(new CreateUserCommand({ UserName: 'console-only' }));
    const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'ftp-sync' }));
    await iam.send(new CreateLoginProfileCommand({ UserName: 'console-only', Password: 'Correct-Horse-Battery-9' }));
    const users = await readUserCredentials(iam);
    const byName = new Map(users.map((u) => [u.userName, u]));
    expect(byName.get('ftp-sync')).toMatchObject({ hasPassword: false, accessKeys: [{ accessKeyId: key.AccessKey!.AccessKeyId, status: 'Active' }] });
    expect(byName.get('console-only')).toMatchObject({ hasPassword: true, accessKeys: [] });
    const report = buildCredentialReport(users, { account: 'moto', now: new Date() });
    expect(report.summary).toMatchObject({ usersWithAccessKeys: 1, usersWithPasswords: 1, activeKeys: 1, keysOlderThanMax: 0 });
  }, 60_000);
});
