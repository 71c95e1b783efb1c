/**
 * Maps a live trust policy back to the `trust:` of a role file (the inverse of buildTrustPolicy).
 * Only what the role model can express is mapped: sts:AssumeRole from services or AWS principals (with
 * MFA or an external id), sts:AssumeRoleWithWebIdentity from an OIDC provider of the account with
 * `aud` and `sub` conditions, sts:AssumeRoleWithSAML from a SAML provider. Anything else is returned
 * as a reason, and the role is not imported rather than imported with a different trust.
 */
import type { ConditionJson, PolicyDocumentJson, PrincipalJson, StatementJson } from '../policy';

/** An OIDC issuer the role model names by kind; others are `custom` with their URL. */
const KNOWN_OIDC_ISSUERS: Readonly<Record<string, { readonly provider: 'gitlab' | 'terraform-cloud'; readonly defaultAudience: string }>> = {
  'gitlab.com': { provider: 'gitlab', defaultAudience: 'https://gitlab.com' },
  'app.terraform.io': { provider: 'terraform-cloud', defaultAudience: 'aws.workload.identity' },
};

/** `trust.accounts[]` of a role file. */
export interface ImportedAccountTrust {
  readonly principals: readonly string[];
  readonly kind: 'human' | 'workload' | 'third-party';
  /** @default - the kind's default (true for human) */
  readonly requireMfa?: boolean;
  /** @default - no age limit written */
  readonly mfaMaxAgeSeconds?: number;
  /** @default - none */
  readonly externalId?: string;
  /** The live statement's Sid when it is not the one the role model writes (`''`: none). @default - the model's */
  readonly sid?: string;
}

/** `trust.oidc[]` of a role file. */
export interface ImportedOidcTrust {
  readonly provider: 'gitlab' | 'terraform-cloud' | 'custom';
  /** @default - the provider's default issuer */
  readonly url?: string;
  /** @default - the provider's default audience */
  readonly audiences?: readonly string[];
  readonly subjects: readonly string[];
  /** The live statement's Sid when it is not the one the role model writes (`''`: none). @default - the model's */
  readonly sid?: string;
}

/** `trust:` of a role file, as plain data ready to be written. */
export interface ImportedTrust {
  readonly accounts?: readonly ImportedAccountTrust[];
  readonly services?: readonly string[];
  /** The live Sid of the services statement when it is not the model's (`''`: none). @default - the model's */
  readonly serviceSid?: string;
  readonly oidc?: readonly ImportedOidcTrust[];
  readonly saml?: readonly { readonly provider: string; readonly sid?: string }[];
}

/** The mapped trust, or why it cannot be expressed. */
export type TrustMapping = { readonly ok: true; readonly trust: ImportedTrust } | { readonly ok: false; readonly reason: string };

function asList(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : [...value];
}

function principalValues(principal: PrincipalJson | undefined, type: string): string[] {
  if (principal === undefined || principal === '*') return [];
  return asList((principal as Record<string, string | readonly string[]>)[type]);
}

/** Condition operator → key → values, every value a list of strings. */
function conditionsOf(condition: ConditionJson | undefined): Map<string, Map<string, string[]>> {
  const out = new Map<string, Map<string, string[]>>();
  for (const [operator, keys] of Object.entries(condition ?? {})) {
    const inner = new Map<string, string[]>();
    for (const [key, value] of Object.entries(keys as Record<string, unknown>)) {
      inner.set(key, (Array.isArray(value) ? value : [value]).map(String));
    }
    out.set(operator, inner);
  }
  return out;
}

/** Removes one key of one operator and returns its values (undefined when absent). */
function take(conditions: Map<string, Map<string, string[]>>, operator: string, key: string): string[] | undefined {
  const keys = conditions.get(operator);
  const found = [...(keys?.keys() ?? [])].find((k) => k.toLowerCase() === key.toLowerCase());
  if (!keys || found === undefined) return undefined;
  const values = keys.get(found);
  keys.delete(found);
  if (keys.size === 0) conditions.delete(operator);
  return values;
}

function leftover(conditions: Map<string, Map<string, string[]>>): string | undefined {
  const rest = [...conditions.entries()].flatMap(([op, keys]) => [...keys.keys()].map((k) => `${op} ${k}`));
  return rest.length > 0 ? rest.join(', ') : undefined;
}

/** `arn:aws:iam::<id>:root` → the id; other principals as they are. */
function principalOf(value: string): string {
  const root = /^arn:aws[\w-]*:iam::(\d{12}):root$/.exec(value);
  return root?.[1] ?? value;
}

function mapAwsStatement(statement: StatementJson, index: number): ImportedAccountTrust | string {
  const principals = principalValues(statement.Principal, 'AWS').map(principalOf);
  if (principals.includes('*')) return `statement ${index} trusts every AWS principal ("*")`;
  const conditions = conditionsOf(statement.Condition);
  const mfa = take(conditions, 'Bool', 'aws:MultiFactorAuthPresent');
  const age = take(conditions, 'NumericLessThan', 'aws:MultiFactorAuthAge');
  const external = take(conditions, 'StringEquals', 'sts:ExternalId');
  const rest = leftover(conditions);
  if (rest) return `statement ${index} has conditions the role model does not express (${rest})`;
  if (mfa && (mfa.length !== 1 || mfa[0] !== 'true')) return `statement ${index} tests aws:MultiFactorAuthPresent for other than "true"`;
  if (age && (age.length !== 1 || !/^\d+$/.test(age[0] ?? ''))) return `statement ${index} has an aws:MultiFactorAuthAge that is not one number`;
  if (age && !mfa) return `statement ${index} limits aws:MultiFactorAuthAge without requiring MFA`;
  if (external && external.length !== 1) return `statement ${index} allows several external ids`;
  if (mfa && !age) return `statement ${index} requires MFA without an age limit (the role model always writes aws:MultiFactorAuthAge)`;
  const kind = external ? 'third-party' : mfa ? 'human' : 'workload';
  const wholeAccounts = principals.filter((p) => /^\d{12}$/.test(p));
  if (kind === 'workload' && wholeAccounts.length > 0) {
    return `statement ${index} trusts the whole account ${wholeAccounts.join(', ')} (people included) without MFA or an external id, which the platform's guardrails refuse: name the roles (arn:aws:iam::<account>:role/<name>) or require MFA in IAM, then import again`;
  }
  return {
    principals,
    kind,
    // The role model requires MFA by default for human trust only.
    ...(mfa && kind !== 'human' ? { requireMfa: true } : {}),
    ...(age ? { mfaMaxAgeSeconds: Number(age[0]) } : {}),
    ...(external ? { externalId: external[0] } : {}),
  };
}

function mapOidcStatement(statement: StatementJson, index: number, accountId: string): ImportedOidcTrust | string {
  const federated = principalValues(statement.Principal, 'Federated');
  const provider = federated.length === 1 ? /^arn:aws[\w-]*:iam::(\d{12}):oidc-provider\/(.+)$/.exec(federated[0] ?? '') : null;
  if (!provider) return `statement ${index} trusts web identities of ${federated.join(', ') || 'no provider'}, not one OIDC provider ARN`;
  if (provider[1] !== accountId) return `statement ${index} trusts an OIDC provider of another account (${provider[1]})`;
  const host = provider[2] ?? '';
  const conditions = conditionsOf(statement.Condition);
  const audiences = take(conditions, 'StringEquals', `${host}:aud`);
  const subjects = take(conditions, 'StringLike', `${host}:sub`);
  const rest = leftover(conditions);
  if (rest) return `statement ${index} has conditions the role model does not express (${rest}; subjects are written as StringLike ${host}:sub)`;
  if (!subjects || subjects.length === 0) return `statement ${index} trusts every token of ${host} (no StringLike ${host}:sub): never trusted by the platform`;
  if (!audiences || audiences.length === 0) return `statement ${index} does not pin ${host}:aud`;
  const known = KNOWN_OIDC_ISSUERS[host];
  if (known) {
    const defaultAudience = audiences.length === 1 && audiences[0] === known.defaultAudience;
    return { provider: known.provider, ...(defaultAudience ? {} : { audiences: [...audiences].sort() }), subjects: [...subjects].sort() };
  }
  return { provider: 'custom', url: `https://${host}`, audiences: [...audiences].sort(), subjects: [...subjects].sort() };
}

/**
 * The `sid` to write so the built statement carries the live one: nothing when the live Sid is the default
 * the role model writes at that place, `''` when IAM holds none, else the live Sid.
 */
function sidToWrite(live: string | undefined, modelDefault: string): { sid?: string } {
  if (live === modelDefault) return {};
  return { sid: live ?? '' };
}

/**
 * Maps a trust policy to the role model's `trust:`. The order of entries follows the statements (the
 * built policy numbers its default Sids by that order); each entry keeps the live statement's Sid (or
 * its absence) so the built policy is the live one, not a rewrite the first plan would apply.
 */
export function mapTrustPolicy(document: PolicyDocumentJson, accountId: string): TrustMapping {
  const statements = Array.isArray(document.Statement) ? (document.Statement as readonly StatementJson[]) : [document.Statement as StatementJson];
  const accounts: ImportedAccountTrust[] = [];
  const services: string[] = [];
  const oidc: ImportedOidcTrust[] = [];
  const saml: { provider: string; sid?: string }[] = [];
  let serviceSid: { sid?: string } | undefined;
  for (const [index, statement] of statements.entries()) {
    if (statement.Effect !== 'Allow') return { ok: false, reason: `statement ${index} is a ${statement.Effect}: the role model writes Allow statements only` };
    if (statement.NotPrincipal || statement.NotAction || statement.Resource || statement.NotResource) return { ok: false, reason: `statement ${index} uses NotPrincipal, NotAction or Resource` };
    const actions = asList(statement.Action);
    if (actions.length !== 1) return { ok: false, reason: `statement ${index} allows ${actions.length} actions (${actions.join(', ')}): the role model writes one per statement` };
    const action = (actions[0] ?? '').toLowerCase();
    const principalTypes = statement.Principal === undefined || statement.Principal === '*' ? ['*'] : Object.keys(statement.Principal);
    if (principalTypes.length !== 1) return { ok: false, reason: `statement ${index} mixes principal types (${principalTypes.join(', ')})` };
    const type = principalTypes[0];
    if (action === 'sts:assumerole' && type === 'Service') {
      if (statement.Condition && Object.keys(statement.Condition).length > 0) return { ok: false, reason: `statement ${index} puts conditions on a service principal` };
      if (serviceSid !== undefined) return { ok: false, reason: `statement ${index} is a second statement for service principals: the role model writes one for all services; merge them in IAM, then import again` };
      serviceSid = sidToWrite(statement.Sid, 'ServiceTrust');
      services.push(...principalValues(statement.Principal, 'Service'));
    } else if (action === 'sts:assumerole' && type === 'AWS') {
      const mapped = mapAwsStatement(statement, index);
      if (typeof mapped === 'string') return { ok: false, reason: mapped };
      accounts.push({ ...mapped, ...sidToWrite(statement.Sid, `AccountTrust${accounts.length}`) });
    } else if (action === 'sts:assumerolewithwebidentity' && type === 'Federated') {
      const mapped = mapOidcStatement(statement, index, accountId);
      if (typeof mapped === 'string') return { ok: false, reason: mapped };
      oidc.push({ ...mapped, ...sidToWrite(statement.Sid, `OidcTrust${oidc.length}`) });
    } else if (action === 'sts:assumerolewithsaml' && type === 'Federated') {
      const providers = principalValues(statement.Principal, 'Federated');
      if (providers.length !== 1) return { ok: false, reason: `statement ${index} trusts ${providers.length} SAML providers` };
      saml.push({ provider: providers[0] ?? '', ...sidToWrite(statement.Sid, `SamlTrust${saml.length}`) });
    } else {
      return { ok: false, reason: `statement ${index} allows ${actions[0]} to a ${type} principal, which the role model does not express` };
    }
  }
  if (accounts.length + services.length + oidc.length + saml.length === 0) return { ok: false, reason: 'the trust policy trusts nobody' };
  return {
    ok: true,
    trust: {
      ...(accounts.length > 0 ? { accounts } : {}),
      ...(services.length > 0 ? { services: [...new Set(services)].sort(), ...(serviceSid?.sid !== undefined ? { serviceSid: serviceSid.sid } : {}) } : {}),
      ...(oidc.length > 0 ? { oidc } : {}),
      ...(saml.length > 0 ? { saml } : {}),
    },
  };
}
