/**
 * Entry point of the rotation Lambda (modules/service-credential), bundled by esbuild:
 *   index.handler  Secrets Manager rotation steps, and the scheduled sweep ({ "action": "sweep" })
 * Clients use the Lambda's role; AWS_ENDPOINT_URL is honoured (tests, emulators).
 */
import { CreateAccessKeyCommand, DeleteAccessKeyCommand, IAMClient, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ERROR_CODES, IamPlatformError } from '../../core/errors';
import { type AccessKeyStore, type RotationDeps, type RotationEvent, type RotationOutcome, type VerifyAccessKey, rotateAccessKey, sweepSupersededKeys } from './rotate-access-key';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createSecretsManagerStore } from './secrets-manager-store';

export * from './rotate-access-key';
export { createSecretsManagerStore } from './secrets-manager-store';

/** Environment variables the module sets. */
export const ROTATION_ENV = { userName: 'SERVICE_USER_NAME', secretId: 'SECRET_ARN', graceSeconds: 'GRACE_PERIOD_SECONDS' } as const;

/** The scheduled sweep's event (an EventBridge rule's constant input). */
export interface SweepEvent {
  readonly action: 'sweep';
}

/** {@link AccessKeyStore} over an IAM client. */
export function createIamKeyStore(iam: IAMClient): AccessKeyStore {
  return {
    listKeys: async (userName) => {
      const out = await iam.send(new ListAccessKeysCommand({ UserName: userName }));
      return (out.AccessKeyMetadata ?? []).filter((k) => k.AccessKeyId).map((k) => ({ accessKeyId: k.AccessKeyId! }));
    },
    createKey: async (userName) => {
      const out = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
      if (!out.AccessKey?.AccessKeyId || !out.AccessKey.SecretAccessKey) throw new IamPlatformError(ERROR_CODES.AWS_API, `IAM CreateAccessKey for ${userName} returned no key`, { source: 'internal' });
      return { accessKeyId: out.AccessKey.AccessKeyId, secretAccessKey: out.AccessKey.SecretAccessKey };
    },
    deleteKey: async (userName, accessKeyId) => {
      await iam.send(new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId }));
    },
  };
}

/** {@link VerifyAccessKey} with sts:GetCallerIdentity, signed by the key under test. */
export function createStsVerifier(region: string, endpoint?: string): VerifyAccessKey {
  return async (credentials) => {
    const sts = new STSClient({ region, credentials, ...(endpoint ? { endpoint } : {}) });
    const out = await sts.send(new GetCallerIdentityCommand({}));
    return out.Arn ?? '';
  };
}

function required(env: Readonly<Record<string, string | undefined>>, name: string): string {
  const value = env[name];
  if (!value) throw new IamPlatformError(ERROR_CODES.INTERNAL, `the rotation Lambda needs ${name} in its environment (set by modules/service-credential)`, { source: 'internal' });
  return value;
}

/** Builds the dependencies from the Lambda's environment. */
export function createRotationDeps(env: Readonly<Record<string, string | undefined>> = process.env): RotationDeps & { readonly secretId: string } {
  const region = env.AWS_REGION ?? 'us-east-1';
  const endpoint = env.AWS_ENDPOINT_URL;
  return {
    secretId: required(env, ROTATION_ENV.secretId),
    userName: required(env, ROTATION_ENV.userName),
    graceMs: Number(env[ROTATION_ENV.graceSeconds] ?? '0') * 1000,
    secrets: createSecretsManagerStore(new SecretsManagerClient({ region, ...(endpoint ? { endpoint } : {}) })),
    keys: createIamKeyStore(new IAMClient({ region, ...(endpoint ? { endpoint } : {}) })),
    verify: createStsVerifier(region, endpoint),
  };
}

/** The Lambda handler: a rotation step from Secrets Manager, or the scheduled sweep. */
export async function handler(event: RotationEvent | SweepEvent): Promise<RotationOutcome> {
  const deps = createRotationDeps();
  let outcome: RotationOutcome;
  if ('action' in event) {
    outcome = await sweepSupersededKeys(deps.secretId, deps);
  } else {
    if (event.SecretId !== deps.secretId) {
      throw new IamPlatformError(ERROR_CODES.INTERNAL, `rotation of ${event.SecretId} refused: this function rotates ${deps.secretId} only`, { source: 'internal' });
    }
    outcome = await rotateAccessKey(event, deps);
  }
  console.log(JSON.stringify({ message: 'service-credential rotation', ...outcome }));
  return outcome;
}
