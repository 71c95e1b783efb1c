/**
 * The rotation handler end to end on moto: IAM keys, Secrets Manager versions and the key check are
 * the real API calls (moto over loopback); only the clock is the test's, to step over the grace period.
 * The test plays Secrets Manager's part: it runs the four steps with a fresh token, as RotateSecret does.
 */
import { randomUUID } from 'node:crypto';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  ROTATION_STEPS,
  createSecretsManagerStore,
  createIamKeyStore,
  createStsVerifier,
  rotateAccessKey,
  sweepSupersededKeys,
  type RotationDeps,
  type SecretStore,
} from '../../src/lambda/rotation';
import { MOTO_ACCOUNT_ID, MOTO_CREDENTIALS, MOTO_REGION, startMotoServer, type MotoServer } from '../support/moto-server';

const USER = 'legacy-ftp-sync';
const HOUR_MS = 3_600_000;

let moto: MotoServer;
let iam: IAMClient;
let secretsClient: SecretsManagerClient;
let secrets: SecretStore;
let clockOffsetMs = 0;

beforeAll(async () => {
  moto = await startMotoServer();
  iam = new IAMClient({ region: MOTO_REGION, endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS });
  secretsClient = new SecretsManagerClient({ region: MOTO_REGION, endpoint: moto.endpoint, credentials: MOTO_CREDENTIALS });
  secrets = createSecretsManagerStore(secretsClient);
}, 60_000);
afterEach(async () => {
  clockOffsetMs = 0;
  await moto.reset();
});
afterAll(async () => moto.stop());

async function createSecret(name: string, value: string): Promise<string> {
  const out = await secretsClient.send(new CreateSecretCommand({ Name: name, SecretString: value }));
  return out.ARN!;
}

function deps(graceMs: number): RotationDeps {
  return {
    secrets,
    keys: createIamKeyStore(iam),
    verify: createStsVerifier(MOTO_REGION, moto.endpoint),
    userName: USER,
    graceMs,
    now: () => new Date(Date.now() + clockOffsetMs),
    sleep: async () => undefined,
  };
}

/** What Secrets Manager does on RotateSecret: the four steps with one new token. */
async function rotate(secretId: string, d: RotationDeps): Promise<void> {
  const token = randomUUID();
  for (const step of ROTATION_STEPS) await rotateAccessKey({ SecretId: secretId, ClientRequestToken: token, Step: step }, d);
}

async function liveKeyIds(): Promise<string[]> {
  const out = await iam.send(new ListAccessKeysCommand({ UserName: USER }));
  return (out.AccessKeyMetadata ?? []).map((k) => k.AccessKeyId!).sort();
}

async function currentValue(secretId: string): Promise<{ accessKeyId: string; secretAccessKey: string }> {
  const version = await secrets.getVersion(secretId, { stage: 'AWSCURRENT' });
  return JSON.parse(version!.value) as { accessKeyId: string; secretAccessKey: string };
}

/** The key signs as the user: moto maps a known access key to its user (unknown keys get the account root). */
async function signsAsUser(key: { accessKeyId: string; secretAccessKey: string }): Promise<boolean> {
  const arn = await createStsVerifier(MOTO_REGION, moto.endpoint)(key);
  return arn === `arn:aws:iam::${MOTO_ACCOUNT_ID}:user/${USER}`;
}

async function setUp(): Promise<{ secretId: string; firstKeyId: string; firstKey: { accessKeyId: string; secretAccessKey: string } }> {
  await iam.send(new CreateUserCommand({ UserName: USER }));
  const key = await iam.send(new CreateAccessKeyCommand({ UserName: USER }));
  const first = { userName: USER, accessKeyId: key.AccessKey!.AccessKeyId!, secretAccessKey: key.AccessKey!.SecretAccessKey! };
  const secretId = await createSecret(`iam-platform/${USER}`, JSON.stringify(first));
  return { secretId, firstKeyId: first.accessKeyId, firstKey: first };
}

describe('service-credential rotation on moto', () => {
  it('rotates twice: the secret always holds a working key and each superseded key is gone after its grace period', async () => {
    // Given a user whose only key is in the secret, and a one-hour grace period
    const { secretId, firstKeyId, firstKey } = await setUp();
    const d = deps(HOUR_MS);
    expect(await signsAsUser(await currentValue(secretId))).toBe(true);

    // When it rotates once
    await rotate(secretId, d);
    const second = await currentValue(secretId);
    // Then the secret holds a new, working key, and the first key still works during the grace period
    expect(second.accessKeyId).not.toBe(firstKeyId);
    expect(await signsAsUser(second)).toBe(true);
    expect(await liveKeyIds()).toEqual([firstKeyId, second.accessKeyId].sort());
    const early = await sweepSupersededKeys(secretId, d);
    expect(early.deletedKeyIds).toEqual([]);

    // When the grace period has passed and the sweep runs
    clockOffsetMs = HOUR_MS + 1_000;
    const swept = await sweepSupersededKeys(secretId, d);
    // Then the first key no longer exists
    expect(swept.deletedKeyIds).toEqual([firstKeyId]);
    expect(await liveKeyIds()).toEqual([second.accessKeyId]);
    expect(await signsAsUser(firstKey)).toBe(false);

    // When it rotates a second time, and the grace period passes again
    clockOffsetMs = 0;
    await rotate(secretId, d);
    const third = await currentValue(secretId);
    expect(await signsAsUser(third)).toBe(true);
    expect(await liveKeyIds()).toEqual([second.accessKeyId, third.accessKeyId].sort());
    clockOffsetMs = HOUR_MS + 1_000;
    await sweepSupersededKeys(secretId, d);
    // Then only the third key exists, and it is the one the secret holds
    expect(await liveKeyIds()).toEqual([third.accessKeyId]);
    expect(third.accessKeyId).not.toBe(second.accessKeyId);
  }, 60_000);

  it('with no grace period deletes the previous key when the new one becomes current', async () => {
    const { secretId, firstKeyId } = await setUp();
    await rotate(secretId, deps(0));
    const current = await currentValue(secretId);
    expect(await liveKeyIds()).toEqual([current.accessKeyId]);
    expect(current.accessKeyId).not.toBe(firstKeyId);
    expect(await signsAsUser(current)).toBe(true);
  }, 60_000);

  it('a rotation before the sweep ends the previous grace period early: IAM allows two keys per user', async () => {
    const { secretId, firstKeyId } = await setUp();
    const d = deps(HOUR_MS);
    await rotate(secretId, d);
    const second = await currentValue(secretId);
    await rotate(secretId, d);
    const third = await currentValue(secretId);
    expect(await liveKeyIds()).toEqual([second.accessKeyId, third.accessKeyId].sort());
    expect(await liveKeyIds()).not.toContain(firstKeyId);
    expect(await signsAsUser(third)).toBe(true);
  }, 60_000);

  it('refuses a secret that names another user', async () => {
    await iam.send(new CreateUserCommand({ UserName: USER }));
    const secretId = await createSecret('other', JSON.stringify({ userName: 'someone-else', accessKeyId: 'AKIA', secretAccessKey: 'x' }));
    await expect(rotateAccessKey({ SecretId: secretId, ClientRequestToken: randomUUID(), Step: 'createSecret' }, deps(0))).rejects.toThrow(
      `the AWSCURRENT version of ${secretId} is for user "someone-else", but this function rotates "${USER}": refusing to touch another user's keys`,
    );
    expect(await liveKeyIds()).toEqual([]);
  }, 60_000);
});
