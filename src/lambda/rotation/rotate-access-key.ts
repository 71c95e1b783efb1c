/**
 * Rotation of an IAM user's access key held in a Secrets Manager secret, as the four steps Secrets
 * Manager invokes (createSecret, setSecret, testSecret, finishSecret), plus a sweep that deletes the
 * superseded key once its grace period has passed. IAM, Secrets Manager and the key check are ports, so
 * the logic runs against moto in tests and the real services in the Lambda.
 */
import { ERROR_CODES, IamPlatformError } from '../../core/errors';

/** Stage labels of Secrets Manager. */
export const STAGE = { current: 'AWSCURRENT', pending: 'AWSPENDING', previous: 'AWSPREVIOUS' } as const;
/** IAM allows two access keys per user. @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html */
export const MAX_ACCESS_KEYS_PER_USER = 2;

/** One version of a secret. */
export interface SecretVersion {
  readonly versionId: string;
  /** The secret string. */
  readonly value: string;
  /** When the version was created (for the current version: when the key took over). */
  readonly createdAt: Date;
}

/** The Secrets Manager calls rotation needs. */
export interface SecretStore {
  /** Version id → stage labels. */
  describeVersions(secretId: string): Promise<Readonly<Record<string, readonly string[]>>>;
  /** The version with this stage (and id); undefined when there is none. */
  getVersion(secretId: string, selector: { readonly stage: string; readonly versionId?: string }): Promise<SecretVersion | undefined>;
  /** Stores `value` as version `versionId` labelled AWSPENDING. */
  putPending(secretId: string, versionId: string, value: string): Promise<void>;
  /** Moves AWSCURRENT to `versionId` (Secrets Manager then labels the old one AWSPREVIOUS). */
  promote(secretId: string, versionId: string, fromVersionId: string | undefined): Promise<void>;
}

/** An access key as IAM lists it. */
export interface AccessKeyInfo {
  readonly accessKeyId: string;
}

/** The IAM calls rotation needs, for one user. */
export interface AccessKeyStore {
  listKeys(userName: string): Promise<readonly AccessKeyInfo[]>;
  createKey(userName: string): Promise<{ readonly accessKeyId: string; readonly secretAccessKey: string }>;
  deleteKey(userName: string, accessKeyId: string): Promise<void>;
}

/** The secret's value: JSON with the user and its key. */
export interface ServiceCredentialValue {
  readonly userName: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** Calls AWS with the given key and returns the caller's ARN (sts:GetCallerIdentity). */
export type VerifyAccessKey = (credentials: { readonly accessKeyId: string; readonly secretAccessKey: string }) => Promise<string>;

/** The four rotation steps. */
export const ROTATION_STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;
export type RotationStep = (typeof ROTATION_STEPS)[number];

/** What Secrets Manager sends the rotation function. */
export interface RotationEvent {
  readonly SecretId: string;
  readonly ClientRequestToken: string;
  readonly Step: RotationStep;
}

/** What rotation needs besides the event. */
export interface RotationDeps {
  readonly secrets: SecretStore;
  readonly keys: AccessKeyStore;
  readonly verify: VerifyAccessKey;
  /** The IAM user this function rotates (set by the module; the secret must name the same user). */
  readonly userName: string;
  /** How long a superseded key keeps working, in milliseconds. */
  readonly graceMs: number;
  /** @default () => new Date() */
  readonly now?: () => Date;
  /** testSecret retries while a new key propagates through IAM. @default 5 */
  readonly verifyAttempts?: number;
  /** @default setTimeout-based sleep */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** What one invocation did, as data (the handler logs it). */
export interface RotationOutcome {
  readonly secretId: string;
  readonly step: RotationStep | 'sweep';
  /** Key created by this invocation. @default - none */
  readonly createdKeyId?: string;
  /** Keys deleted by this invocation. */
  readonly deletedKeyIds: readonly string[];
  /** The key the secret's AWSCURRENT holds after the invocation. @default - unknown */
  readonly currentKeyId?: string;
  /** Why nothing was done. @default - something was done */
  readonly skipped?: string;
}

function fail(message: string): never {
  throw new IamPlatformError(ERROR_CODES.INTERNAL, message, { source: 'internal' });
}

/** Parses and checks the secret's value; the user must be the function's (case-insensitive, as IAM names are). */
export function parseCredentialValue(value: string, userName: string, where: string): ServiceCredentialValue {
  let parsed: Partial<ServiceCredentialValue>;
  try {
    parsed = JSON.parse(value) as Partial<ServiceCredentialValue>;
  } catch {
    return fail(`${where} is not JSON: the secret holds {"userName", "accessKeyId", "secretAccessKey"}`);
  }
  if (typeof parsed.userName !== 'string' || typeof parsed.accessKeyId !== 'string' || typeof parsed.secretAccessKey !== 'string') {
    return fail(`${where} lacks userName, accessKeyId or secretAccessKey`);
  }
  if (parsed.userName.toLowerCase() !== userName.toLowerCase()) {
    return fail(`${where} is for user "${parsed.userName}", but this function rotates "${userName}": refusing to touch another user's keys`);
  }
  return { userName: parsed.userName, accessKeyId: parsed.accessKeyId, secretAccessKey: parsed.secretAccessKey };
}

async function readCurrent(secretId: string, deps: RotationDeps): Promise<{ version: SecretVersion; value: ServiceCredentialValue } | undefined> {
  const version = await deps.secrets.getVersion(secretId, { stage: STAGE.current });
  if (!version || version.value.trim() === '') return undefined;
  return { version, value: parseCredentialValue(version.value, deps.userName, `the AWSCURRENT version of ${secretId}`) };
}

/** createSecret: a new key for the user, stored as AWSPENDING; makes room first (IAM allows two keys). */
async function createSecret(event: RotationEvent, deps: RotationDeps): Promise<RotationOutcome> {
  const base = { secretId: event.SecretId, step: event.Step };
  const stages = await deps.secrets.describeVersions(event.SecretId);
  if ((stages[event.ClientRequestToken] ?? []).includes(STAGE.current)) return { ...base, deletedKeyIds: [], skipped: 'the version is already AWSCURRENT' };
  const pending = await deps.secrets.getVersion(event.SecretId, { stage: STAGE.pending, versionId: event.ClientRequestToken });
  if (pending) return { ...base, deletedKeyIds: [], skipped: 'the AWSPENDING version already holds a key' };

  const current = await readCurrent(event.SecretId, deps);
  const keys = await deps.keys.listKeys(deps.userName);
  // Every key but the current one is superseded (its grace ends now: the next key needs the slot) or
  // left over from a failed rotation.
  const deleted: string[] = [];
  if (!current) {
    // First rotation: an existing key keeps working until the sweep; two leave no room and none is ours.
    if (keys.length >= MAX_ACCESS_KEYS_PER_USER) {
      return fail(`user ${deps.userName} has ${keys.length} access keys and ${event.SecretId} holds neither: delete one, or store one as the secret's value, then rotate`);
    }
  } else {
    for (const key of keys) {
      if (key.accessKeyId === current.value.accessKeyId) continue;
      await deps.keys.deleteKey(deps.userName, key.accessKeyId);
      deleted.push(key.accessKeyId);
    }
  }
  const created = await deps.keys.createKey(deps.userName);
  const value: ServiceCredentialValue = { userName: deps.userName, accessKeyId: created.accessKeyId, secretAccessKey: created.secretAccessKey };
  await deps.secrets.putPending(event.SecretId, event.ClientRequestToken, JSON.stringify(value));
  return { ...base, createdKeyId: created.accessKeyId, deletedKeyIds: deleted, ...(current ? { currentKeyId: current.value.accessKeyId } : {}) };
}

/** testSecret: the pending key signs a call as the user (retried while IAM propagates the new key). */
async function testSecret(event: RotationEvent, deps: RotationDeps): Promise<RotationOutcome> {
  const pending = await deps.secrets.getVersion(event.SecretId, { stage: STAGE.pending, versionId: event.ClientRequestToken });
  if (!pending) return fail(`${event.SecretId} has no AWSPENDING version ${event.ClientRequestToken} to test: createSecret did not run`);
  const value = parseCredentialValue(pending.value, deps.userName, `the AWSPENDING version of ${event.SecretId}`);
  const attempts = deps.verifyAttempts ?? 5;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let last = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const arn = await deps.verify(value);
      const user = arn.split(':user/').pop()?.split('/').pop() ?? '';
      if (arn.includes(':user/') && user.toLowerCase() === deps.userName.toLowerCase()) return { secretId: event.SecretId, step: event.Step, deletedKeyIds: [] };
      last = `the key signs as ${arn}, not as user ${deps.userName}`;
    } catch (error) {
      last = (error as Error).message;
    }
    if (attempt < attempts) await sleep(2 ** attempt * 500);
  }
  return fail(`the new key ${value.accessKeyId} of ${deps.userName} does not work after ${attempts} attempts: ${last}`);
}

/** finishSecret: the pending version becomes AWSCURRENT; with no grace period, the old key goes at once. */
async function finishSecret(event: RotationEvent, deps: RotationDeps): Promise<RotationOutcome> {
  const base = { secretId: event.SecretId, step: event.Step };
  const stages = await deps.secrets.describeVersions(event.SecretId);
  const currentVersion = Object.entries(stages).find(([, labels]) => labels.includes(STAGE.current))?.[0];
  if (currentVersion === event.ClientRequestToken) return { ...base, deletedKeyIds: [], skipped: 'the version is already AWSCURRENT' };
  await deps.secrets.promote(event.SecretId, event.ClientRequestToken, currentVersion);
  if (deps.graceMs > 0) return { ...base, deletedKeyIds: [] };
  const swept = await sweepSupersededKeys(event.SecretId, deps);
  return { ...base, deletedKeyIds: swept.deletedKeyIds, ...(swept.currentKeyId ? { currentKeyId: swept.currentKeyId } : {}) };
}

/**
 * Deletes every key of the user except the secret's current one, once the current version is older
 * than the grace period (the old key kept working that long). Run on a schedule and after finishSecret.
 */
export async function sweepSupersededKeys(secretId: string, deps: RotationDeps): Promise<RotationOutcome> {
  const base = { secretId, step: 'sweep' as const };
  const current = await readCurrent(secretId, deps);
  if (!current) return { ...base, deletedKeyIds: [], skipped: 'the secret has no current key yet' };
  const now = (deps.now ?? (() => new Date()))();
  const age = now.getTime() - current.version.createdAt.getTime();
  const keys = await deps.keys.listKeys(deps.userName);
  const superseded = keys.filter((k) => k.accessKeyId !== current.value.accessKeyId);
  if (superseded.length === 0) return { ...base, deletedKeyIds: [], currentKeyId: current.value.accessKeyId, skipped: 'no superseded key' };
  if (age < deps.graceMs) {
    return { ...base, deletedKeyIds: [], currentKeyId: current.value.accessKeyId, skipped: `grace period: the current key took over ${Math.floor(age / 1000)} s ago` };
  }
  for (const key of superseded) await deps.keys.deleteKey(deps.userName, key.accessKeyId);
  return { ...base, deletedKeyIds: superseded.map((k) => k.accessKeyId), currentKeyId: current.value.accessKeyId };
}

/** Runs one rotation step. */
export async function rotateAccessKey(event: RotationEvent, deps: RotationDeps): Promise<RotationOutcome> {
  switch (event.Step) {
    case 'createSecret':
      return createSecret(event, deps);
    case 'setSecret':
      // IAM is the credential's "database": the key already exists once createSecret made it.
      return { secretId: event.SecretId, step: event.Step, deletedKeyIds: [] };
    case 'testSecret':
      return testSecret(event, deps);
    case 'finishSecret':
      return finishSecret(event, deps);
    default:
      return fail(`unknown rotation step ${JSON.stringify((event as { Step?: unknown }).Step)}: expected one of ${ROTATION_STEPS.join(', ')}`);
  }
}
