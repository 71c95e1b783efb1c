/** IAM and STS clients: standard credential chain or an assumed role, custom endpoint, adaptive retry. */
import { IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ERROR_CODES, IamPlatformError } from '../../core/errors';
import { resolveEndpoint } from './endpoint';
import { callAws } from './errors';

/** IAM is global; its API lives in us-east-1 (aws partition). */
export const IAM_REGION = 'us-east-1';
/** Attempts per call, including the first, with the SDK's adaptive retry (client-side rate limiting on throttling). */
export const DEFAULT_MAX_ATTEMPTS = 8;
/** Session name iamctl uses when it assumes a role (visible in CloudTrail). */
export const ROLE_SESSION_NAME = 'iamctl-drift';

/** Static or temporary credentials. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** @default - long-term credentials */
  readonly sessionToken?: string;
  /** @default - never expires */
  readonly expiration?: Date;
}

/** Options of {@link createAwsClients}. */
export interface AwsClientOptions {
  /** Endpoint of IAM and STS (moto, LocalStack). @default - AWS_ENDPOINT_URL, else AWS's endpoints */
  readonly endpoint?: string;
  /** Role to assume for every call (cross-account drift checks). @default - the standard credential chain */
  readonly roleArn?: string;
  /** @default IAM_REGION */
  readonly region?: string;
  /** @default DEFAULT_MAX_ATTEMPTS */
  readonly maxAttempts?: number;
  /** Credentials for the first hop. @default - the standard credential chain */
  readonly credentials?: AwsCredentials;
}

/** The clients drift detection and remediation use. */
export interface AwsClients {
  readonly iam: IAMClient;
  readonly sts: STSClient;
}

export { resolveEndpoint } from './endpoint';

/**
 * Builds IAM and STS clients. With `roleArn`, credentials come from STS AssumeRole (refreshed when they
 * expire); otherwise from the standard chain (env, profile, SSO, instance/container role).
 */
export function createAwsClients(options: AwsClientOptions = {}): AwsClients {
  const endpoint = resolveEndpoint(options.endpoint);
  const region = options.region ?? IAM_REGION;
  const base = {
    region,
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    retryMode: 'adaptive' as const,
    ...(endpoint ? { endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  };
  const baseSts = new STSClient(base);
  if (!options.roleArn) return { iam: new IAMClient(base), sts: baseSts };

  const roleArn = options.roleArn;
  let cached: AwsCredentials | undefined;
  const assume = async (): Promise<AwsCredentials> => {
    if (cached?.expiration && cached.expiration.getTime() - Date.now() > 60_000) return cached;
    const response = await callAws('STS', 'AssumeRole', () => baseSts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: ROLE_SESSION_NAME })));
    const c = response.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey) {
      throw new IamPlatformError(ERROR_CODES.AWS_API, `STS AssumeRole returned no credentials for ${roleArn}. Fix: check the role's trust policy allows the caller`);
    }
    cached = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
    return cached;
  };
  const assumed = { ...base, credentials: assume };
  return { iam: new IAMClient(assumed), sts: new STSClient(assumed) };
}

/** The account the clients' credentials belong to (STS GetCallerIdentity). */
export async function readCallerAccountId(sts: STSClient): Promise<string> {
  const identity = await callAws('STS', 'GetCallerIdentity', () => sts.send(new GetCallerIdentityCommand({})));
  if (!identity.Account) throw new IamPlatformError(ERROR_CODES.AWS_API, 'STS GetCallerIdentity returned no account. Fix: check the credentials');
  return identity.Account;
}

/** Throws when the credentials are for another account than the one being checked. */
export async function assertAccount(sts: STSClient, accountName: string, accountId: string): Promise<void> {
  const actual = await readCallerAccountId(sts);
  if (actual !== accountId) {
    throw new IamPlatformError(
      ERROR_CODES.INVALID_ARGUMENT,
      `The credentials are for account ${actual}, but ${accountName} is ${accountId}. Fix: pass --role-arn with a role in ${accountId}, or use that account's credentials`,
    );
  }
}
