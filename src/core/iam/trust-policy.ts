import type { AccountTrust, TrustConfig } from '../model';
import { PolicyDocument, Statement } from '../policy';
import type { Conditions } from '../policy';
import { accountRootArn, isAccountId, oidcHost, oidcProviderArn, samlProviderArn } from './arns';

/** Audience AWS sign-in uses for SAML federation. */
export const SAML_SIGNIN_AUDIENCE = 'https://signin.aws.amazon.com/saml';

/** Options of {@link buildTrustPolicy}. */
export interface BuildTrustPolicyOptions {
  /** Account the role lives in: OIDC and SAML providers are looked up there. */
  readonly accountId: string;
  /** @default 'aws' */
  readonly partition?: string;
}

function mergeConditions(...blocks: (Conditions | undefined)[]): Conditions | undefined {
  const out: Record<string, Record<string, readonly string[]>> = {};
  for (const block of blocks) {
    if (!block) continue;
    for (const [operator, keys] of Object.entries(block)) out[operator] = { ...(out[operator] ?? {}), ...keys };
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Default statement ids of the trust statements, by entry kind and index (`AccountTrust0`, `ServiceTrust`). */
const DEFAULT_TRUST_SIDS = {
  account: (i: number): string => `AccountTrust${i}`,
  service: (): string => 'ServiceTrust',
  oidc: (i: number): string => `OidcTrust${i}`,
  saml: (i: number): string => `SamlTrust${i}`,
} as const;

/** An explicit statement id, `''` for none, or the default. */
function chooseSid(explicit: string | undefined, fallback: string): string | undefined {
  if (explicit === undefined) return fallback;
  return explicit === '' ? undefined : explicit;
}

/** Statement id the trust statement of `trust.accounts[index]` carries (undefined when it carries none). */
export function accountTrustSid(entry: Pick<AccountTrust, 'sid'>, index: number): string | undefined {
  return chooseSid(entry.sid, DEFAULT_TRUST_SIDS.account(index));
}

/** The trust statements, grouped by the config entry each comes from (same order as the entries). */
export interface TrustStatements {
  /** One per `trust.accounts` entry. */
  readonly accounts: readonly Statement[];
  /** The one statement for every service. @default - none: the trust names no service */
  readonly services?: Statement;
  /** One per `trust.oidc` entry. */
  readonly oidc: readonly Statement[];
  /** One per `trust.saml` entry. */
  readonly saml: readonly Statement[];
}

/**
 * Builds a role's trust statements from its trust config, grouped by entry (what {@link buildTrustPolicy} joins).
 * One statement per account trust (its MFA and external-id conditions differ), one for all services,
 * one per OIDC issuer and one per SAML provider. Statement ids are stable, so plans do not churn; an entry's
 * `sid` replaces the default (`''`: none), so a trust imported from IAM is written exactly as IAM holds it.
 */
export function buildTrustStatements(trust: TrustConfig, options: BuildTrustPolicyOptions): TrustStatements {
  const partition = options.partition ?? 'aws';

  const accounts = trust.accounts.map((entry, i) => {
    const principals = entry.principals.map((p) => (isAccountId(p) ? accountRootArn(p, partition) : p));
    const mfa: Conditions | undefined = entry.requireMfa
      ? {
          Bool: { 'aws:MultiFactorAuthPresent': ['true'] },
          ...(entry.mfaMaxAgeSeconds !== undefined ? { NumericLessThan: { 'aws:MultiFactorAuthAge': [String(entry.mfaMaxAgeSeconds)] } } : {}),
        }
      : undefined;
    const external: Conditions | undefined = entry.externalId ? { StringEquals: { 'sts:ExternalId': [entry.externalId] } } : undefined;
    return new Statement({
      sid: accountTrustSid(entry, i),
      effect: 'Allow',
      principal: { AWS: principals },
      actions: ['sts:AssumeRole'],
      conditions: mergeConditions(mfa, external),
    });
  });

  const services =
    trust.services.length > 0
      ? new Statement({ sid: chooseSid(trust.serviceSid, DEFAULT_TRUST_SIDS.service()), effect: 'Allow', principal: { Service: [...trust.services] }, actions: ['sts:AssumeRole'] })
      : undefined;

  const oidc = trust.oidc.map((entry, i) => {
    const host = oidcHost(entry.url);
    const conditions: Record<string, Record<string, readonly string[]>> = {};
    if (entry.audiences.length > 0) conditions.StringEquals = { [`${host}:aud`]: [...entry.audiences] };
    if (entry.subjects.length > 0) conditions.StringLike = { [`${host}:sub`]: [...entry.subjects] };
    return new Statement({
      sid: chooseSid(entry.sid, DEFAULT_TRUST_SIDS.oidc(i)),
      effect: 'Allow',
      principal: { Federated: [oidcProviderArn(options.accountId, entry.url, partition)] },
      actions: ['sts:AssumeRoleWithWebIdentity'],
      conditions: Object.keys(conditions).length > 0 ? conditions : undefined,
    });
  });

  const saml = trust.saml.map(
    (entry, i) =>
      new Statement({
        sid: chooseSid(entry.sid, DEFAULT_TRUST_SIDS.saml(i)),
        effect: 'Allow',
        principal: { Federated: [samlProviderArn(options.accountId, entry.provider, partition)] },
        actions: ['sts:AssumeRoleWithSAML'],
        conditions: { StringEquals: { 'SAML:aud': [SAML_SIGNIN_AUDIENCE] } },
      }),
  );

  return { accounts, ...(services ? { services } : {}), oidc, saml };
}

/** Builds a role's trust policy (assume-role policy document) from its trust config: {@link buildTrustStatements}, in order. */
export function buildTrustPolicy(trust: TrustConfig, options: BuildTrustPolicyOptions): PolicyDocument {
  const s = buildTrustStatements(trust, options);
  return new PolicyDocument({ statements: [...s.accounts, ...(s.services ? [s.services] : []), ...s.oidc, ...s.saml] });
}
