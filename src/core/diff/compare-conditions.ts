/**
 * Whether one condition block is provably at least as strict as another. IAM ANDs every operator and
 * key of a block and ORs the values of one key, so a block that keeps every restriction of another
 * (with the same or fewer allowed values) and adds more is narrower. Anything else that differs cannot
 * be decided here and is reported as such (counted as new access by the verdict).
 */
import { matchesWildcard } from '../catalog';

/** Canonical conditions: operator → lower-case key → sorted values. */
export type CanonicalConditions = { readonly [operator: string]: { readonly [key: string]: readonly string[] } };

/** `yes`: provably at least as strict; `no`: provably looser (it drops every restriction); `unknown`: cannot tell. */
export type StrictnessAnswer = 'yes' | 'no' | 'unknown';

/** Condition blocks in canonical form: keys lower-cased, values as sorted unique strings. */
export function canonicalizeConditions(conditions: { readonly [operator: string]: { readonly [key: string]: readonly string[] } } | undefined): CanonicalConditions | undefined {
  if (!conditions || Object.keys(conditions).length === 0) return undefined;
  const out: Record<string, Record<string, string[]>> = {};
  for (const operator of Object.keys(conditions).sort()) {
    const block: Record<string, string[]> = {};
    for (const key of Object.keys(conditions[operator])) block[key.toLowerCase()] = [...new Set(conditions[operator][key].map(String))].sort();
    out[operator] = Object.fromEntries(Object.keys(block).sort().map((k) => [k, block[k]]));
  }
  return out;
}

/** Stable text of canonical conditions (`''` for none), for keys of maps. */
export function conditionsKey(conditions: CanonicalConditions | undefined): string {
  return conditions ? JSON.stringify(conditions) : '';
}

const EQUALS_OPERATORS = /^(ForAnyValue:)?(StringEquals|StringEqualsIgnoreCase|ArnEquals|NumericEquals|DateEquals|Bool|BinaryEquals|IpAddress)(IfExists)?$/;
const LIKE_OPERATORS = /^(ForAnyValue:)?(StringLike|ArnLike)(IfExists)?$/;
const NOT_OPERATORS = /^(StringNotEquals|StringNotEqualsIgnoreCase|ArnNotEquals|ArnNotLike|StringNotLike|NotIpAddress)(IfExists)?$/;
const LESS_OPERATORS = /^(NumericLessThan|NumericLessThanEquals|DateLessThan|DateLessThanEquals)(IfExists)?$/;
const GREATER_OPERATORS = /^(NumericGreaterThan|NumericGreaterThanEquals|DateGreaterThan|DateGreaterThanEquals)(IfExists)?$/;

function asNumber(value: string): number {
  const n = Number(value);
  return Number.isNaN(n) ? Date.parse(value) : n;
}

/** True when the `strict` values of one operator and key allow no more than the `loose` values. */
function valuesAtLeastAsStrict(operator: string, loose: readonly string[], strict: readonly string[]): boolean {
  if (EQUALS_OPERATORS.test(operator)) return strict.every((v) => loose.includes(v));
  if (LIKE_OPERATORS.test(operator)) return strict.every((v) => loose.some((pattern) => matchesWildcard(pattern, v, false)));
  if (NOT_OPERATORS.test(operator)) return loose.every((v) => strict.includes(v));
  if (LESS_OPERATORS.test(operator) && loose.length === 1 && strict.length === 1) return asNumber(strict[0]) <= asNumber(loose[0]);
  if (GREATER_OPERATORS.test(operator) && loose.length === 1 && strict.length === 1) return asNumber(strict[0]) >= asNumber(loose[0]);
  return loose.length === strict.length && loose.every((v, i) => v === strict[i]);
}

/**
 * Whether `strict` restricts at least as much as `loose`: every operator and key of `loose` is in `strict`
 * with values that allow no more. `loose` without conditions is the loosest possible (`yes`); `strict`
 * without conditions while `loose` has some is provably looser (`no`).
 */
export function isAtLeastAsStrict(loose: CanonicalConditions | undefined, strict: CanonicalConditions | undefined): StrictnessAnswer {
  if (!loose) return 'yes';
  if (!strict) return 'no';
  for (const operator of Object.keys(loose)) {
    for (const key of Object.keys(loose[operator])) {
      const values = strict[operator]?.[key];
      if (values === undefined) return 'unknown';
      if (!valuesAtLeastAsStrict(operator, loose[operator][key], values)) return 'unknown';
    }
  }
  return 'yes';
}
