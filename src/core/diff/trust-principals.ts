/**
 * The principals of a trust policy, one entry per principal and statement, each classified
 * (human, workload, third party, service, federation, public) with the conditions a reviewer cares about.
 */
import { PolicyDocument, type PolicyDocumentJson } from '../policy';
import { canonicalizeConditions, type CanonicalConditions } from './compare-conditions';
import type { TrustConditions, TrustKind, TrustPrincipal } from './types';

/** A trust principal with its canonical conditions, for comparison. */
export interface TrustEntry {
  readonly principal: TrustPrincipal;
  /** `type:value` (lower-cased value for AWS principals: IAM compares ARNs' account and names case-insensitively here). */
  readonly key: string;
  readonly conditions?: CanonicalConditions;
}

/** Options of {@link listTrustPrincipals}. */
export interface ListTrustPrincipalsOptions {
  /** Ids of the organization's accounts. */
  readonly organizationAccountIds: readonly string[];
  /** Kinds the config gave, by statement id. @default - none */
  readonly trustKinds?: { readonly [sid: string]: TrustKind };
}

function accountIdOf(value: string): string | undefined {
  if (/^\d{12}$/.test(value)) return value;
  return /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(value)?.[1];
}

function valuesOf(conditions: CanonicalConditions | undefined, predicate: (key: string) => boolean): string[] {
  const out: string[] = [];
  for (const block of Object.values(conditions ?? {})) for (const [key, values] of Object.entries(block)) if (predicate(key)) out.push(...values);
  return [...new Set(out)].sort();
}

/** The reviewer's view of a trust statement's conditions. */
export function summarizeTrustConditions(conditions: CanonicalConditions | undefined): TrustConditions {
  const known = (key: string): boolean =>
    key === 'aws:multifactorauthpresent' || key === 'aws:multifactorauthage' || key === 'sts:externalid' || key.endsWith(':sub') || key === 'aws:principalorgid';
  const age = valuesOf(conditions, (k) => k === 'aws:multifactorauthage');
  const other: string[] = [];
  for (const [operator, block] of Object.entries(conditions ?? {})) for (const key of Object.keys(block)) if (!known(key)) other.push(`${operator} ${key}`);
  return {
    mfa: valuesOf(conditions, (k) => k === 'aws:multifactorauthpresent').includes('true'),
    ...(age.length === 1 ? { mfaMaxAgeSeconds: Number(age[0]) } : {}),
    externalId: valuesOf(conditions, (k) => k === 'sts:externalid').length > 0,
    subjects: valuesOf(conditions, (k) => k.endsWith(':sub')),
    organizationIds: valuesOf(conditions, (k) => k === 'aws:principalorgid'),
    other: other.sort(),
  };
}

function classify(type: string, value: string, sid: string | undefined, conditions: TrustConditions, options: ListTrustPrincipalsOptions): TrustKind {
  if (type === '*' || value === '*') return conditions.organizationIds.length > 0 ? 'organization' : 'public';
  if (type === 'Service') return 'service';
  if (type === 'Federated') return 'federation';
  const account = accountIdOf(value);
  if (account === undefined || !options.organizationAccountIds.includes(account)) return 'third-party';
  const hinted = sid !== undefined ? options.trustKinds?.[sid] : undefined;
  if (hinted) return hinted;
  return conditions.mfa ? 'human' : 'workload';
}

/** Every principal the Allow statements of a trust policy let in. */
export function listTrustPrincipals(document: PolicyDocumentJson, options: ListTrustPrincipalsOptions): TrustEntry[] {
  const out: TrustEntry[] = [];
  for (const statement of PolicyDocument.fromJson(document).statements) {
    if (statement.effect !== 'Allow' || statement.principal === undefined) continue;
    const conditions = canonicalizeConditions(statement.conditions);
    const summary = summarizeTrustConditions(conditions);
    const actions = [...(statement.actions ?? ['(NotAction)'])].sort();
    const pairs: [string, string][] =
      statement.principal === '*' ? [['*', '*']] : Object.entries(statement.principal).flatMap(([type, values]) => values.map((v): [string, string] => [type, v]));
    for (const [type, value] of pairs) {
      const kind = classify(type, value, statement.sid, summary, options);
      const normalized = value === '*' ? '*' : value;
      out.push({
        key: `${value === '*' ? '*' : type}:${type === 'AWS' ? normalized.toLowerCase() : normalized}`,
        principal: { type: value === '*' ? '*' : type, value: normalized, kind, actions, conditions: summary },
        conditions,
      });
    }
  }
  return out;
}

/** Words for a principal: `human trust of arn:aws:iam::111122223333:root (MFA, max age 3600 s)`. */
export function describePrincipal(principal: TrustPrincipal): string {
  const c = principal.conditions;
  const parts: string[] = [];
  if (c.mfa) parts.push(c.mfaMaxAgeSeconds !== undefined ? `MFA within ${c.mfaMaxAgeSeconds} s` : 'MFA');
  if (c.externalId) parts.push('external id');
  if (c.subjects.length > 0) parts.push(`sub ${c.subjects.join(', ')}`);
  if (c.organizationIds.length > 0) parts.push(`org ${c.organizationIds.join(', ')}`);
  if (c.other.length > 0) parts.push(c.other.join(', '));
  const who = principal.value === '*' ? 'any principal (*)' : principal.value;
  return `${principal.kind} ${who}${parts.length > 0 ? ` (${parts.join('; ')})` : ' (no conditions)'}`;
}
