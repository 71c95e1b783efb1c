import type { TrustConfig } from '../model';
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

/**
 * Builds a role's trust policy (assume-role policy document) from its trust config.
 * One statement per account trust (its MFA and external-id conditions differ), one for all services,
 * one per OIDC issuer and one per SAML provider. Statement ids are stable, so plans do not churn.
 */
export function buildTrustPolicy(trust: TrustConfig, options: BuildTrustPolicyOptions): PolicyDocument {
  const partition = options.partition ?? 'aws';
  const statements: Statement[] = [];

  trust.accounts.forEach((entry, i) => {
    const principals = entry.principals.map((p) => (isAccountId(p) ? accountRootArn(p, partition) : p));
    const mfa: Conditions | undefined = entry.requireMfa
      ? {
          Bool: { 'aws:MultiFactorAuthPresent': ['true'] },
          ...(entry.mfaMaxAgeSeconds !== undefined ? { NumericLessThan: { 'aws:MultiFactorAuthAge': [String(entry.mfaMaxAgeSeconds)] } } : {}),
        }
      : undefined;
    const external: Conditions | undefined = entry.externalId ? { StringEquals: { 'sts:ExternalId': [entry.externalId] } } : undefined;
    statements.push(
      new Statement({
        sid: `AccountTrust${i}`,
        effect: 'Allow',
        principal: { AWS: principals },
        actions: ['sts:AssumeRole'],
        conditions: mergeConditions(mfa, external),
      }),
    );
  });

  if (trust.services.length > 0) {
    statements.push(new Statement({ sid: 'ServiceTrust', effect: 'Allow', principal: { Service: [...trust.services] }, actions: ['sts:AssumeRole'] }));
  }

  trust.oidc.forEach((entry, i) => {
    const host = oidcHost(entry.url);
    const conditions: Record<string, Record<string, readonly string[]>> = {};
    if (entry.audiences.length > 0) conditions.StringEquals = { [`${host}:aud`]: [...entry.audiences] };
    if (entry.subjects.length > 0) conditions.StringLike = { [`${host}:sub`]: [...entry.subjects] };
    statements.push(
      new Statement({
        sid: `OidcTrust${i}`,
        effect: 'Allow',
        principal: { Federated: [oidcProviderArn(options.accountId, entry.url, partition)] },
        actions: ['sts:AssumeRoleWithWebIdentity'],
        conditions: Object.keys(conditions).length > 0 ? conditions : undefined,
      }),
    );
  });

  trust.saml.forEach((entry, i) => {
    statements.push(
      new Statement({
        sid: `SamlTrust${i}`,
        effect: 'Allow',
        principal: { Federated: [samlProviderArn(options.accountId, entry.provider, partition)] },
        actions: ['sts:AssumeRoleWithSAML'],
        conditions: { StringEquals: { 'SAML:aud': [SAML_SIGNIN_AUDIENCE] } },
      }),
    );
  });

  return new PolicyDocument({ statements });
}
