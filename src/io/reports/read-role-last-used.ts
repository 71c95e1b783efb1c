import { readFileSync } from 'node:fs';
import { GetRoleCommand, paginateListRoles, type IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { ERROR_CODES, IamPlatformError } from '../../core/errors';
import type { RoleLastUsed } from '../../core/reports';
import { IAM_REGION, callAws, resolveEndpoint, type AwsCredentials } from '../iam';

/** Options of {@link readRoleLastUsed}. */
export interface ReadRoleLastUsedOptions {
  /** Only roles whose ARN is in this set (lower-case) are read with GetRole. @default - every role of the account */
  readonly only?: ReadonlySet<string>;
}

/**
 * When each role of the account was last used: ListRoles, then GetRole per role, because ListRoles does not return
 * `RoleLastUsed` (IAM API Reference, ListRoles: "RoleLastUsed ... not returned"). Keys are lower-case ARNs; a role
 * IAM has no record of gets `lastUsedDate: null`. IAM tracks last use for 400 days.
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRole.html
 */
export async function readRoleLastUsed(iam: IAMClient, options: ReadRoleLastUsedOptions = {}): Promise<Map<string, RoleLastUsed>> {
  const out = new Map<string, RoleLastUsed>();
  const names: { name: string; arn: string }[] = [];
  for await (const page of paginateListRoles({ client: iam }, {})) {
    for (const r of page.Roles ?? []) if (r.RoleName && r.Arn && (!options.only || options.only.has(r.Arn.toLowerCase()))) names.push({ name: r.RoleName, arn: r.Arn });
  }
  for (const { name, arn } of names) {
    const got = await callAws('IAM', 'GetRole', () => iam.send(new GetRoleCommand({ RoleName: name })));
    const used = got.Role?.RoleLastUsed;
    out.set(arn.toLowerCase(), { lastUsedDate: used?.LastUsedDate ? used.LastUsedDate.toISOString() : null, ...(used?.Region ? { region: used.Region } : {}) });
  }
  return out;
}

/** Options of {@link assumeRoleWithWebIdentity}. */
export interface WebIdentityOptions {
  /** File holding the OIDC token (the GitLab job's ID token). */
  readonly tokenFile: string;
  /** STS endpoint (moto). @default - AWS_ENDPOINT_URL, else AWS */
  readonly endpoint?: string;
  /** @default IAM_REGION */
  readonly region?: string;
  /** @default 'iamctl-report' */
  readonly sessionName?: string;
}

/**
 * Credentials of a role from an OIDC token (STS AssumeRoleWithWebIdentity, an unsigned call): the scheduled report
 * job reads each account through that account's own reader role, which trusts the pipeline's token, as the drift
 * job does (scripts/ci/drift-all.sh), with no hub role in between.
 */
export async function assumeRoleWithWebIdentity(roleArn: string, options: WebIdentityOptions): Promise<AwsCredentials> {
  let token: string;
  try {
    token = readFileSync(options.tokenFile, 'utf8').trim();
  } catch (e) {
    throw new IamPlatformError(ERROR_CODES.UNREADABLE_INPUT, `cannot read the web identity token ${options.tokenFile}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const endpoint = resolveEndpoint(options.endpoint);
  const sts = new STSClient({ region: options.region ?? IAM_REGION, ...(endpoint ? { endpoint } : {}) });
  const out = await callAws('STS', 'AssumeRoleWithWebIdentity', () => sts.send(new AssumeRoleWithWebIdentityCommand({ RoleArn: roleArn, RoleSessionName: options.sessionName ?? 'iamctl-report', WebIdentityToken: token })));
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey) throw new IamPlatformError(ERROR_CODES.AWS_API, `STS AssumeRoleWithWebIdentity returned no credentials for ${roleArn}. Fix: check the role trusts the token's issuer, audience and subject`);
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}), ...(c.Expiration ? { expiration: c.Expiration } : {}) };
}
