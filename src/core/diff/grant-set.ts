/**
 * A policy set as grants: one (effect, action, resource, conditions) per expanded action and resource,
 * so two sets compare action by action whatever wildcards and statement layout each side uses.
 * NotAction and NotResource statements are kept whole (`opaque`): what they allow cannot be listed exactly.
 */
import { matchesWildcard, type ActionCatalog } from '../catalog';
import { PolicyDocument, type PolicyDocumentJson } from '../policy';
import { canonicalizeConditions, conditionsKey, isAtLeastAsStrict, type CanonicalConditions, type StrictnessAnswer } from './compare-conditions';

/** One expanded grant. */
export interface Grant {
  readonly effect: 'Allow' | 'Deny';
  /** Canonical `service:Name`, `*` (every action), or the pattern as written when the catalog does not know it. */
  readonly action: string;
  readonly resource: string;
  readonly conditions?: CanonicalConditions;
  /** The Action patterns as written that produced this grant. */
  readonly patterns: ReadonlySet<string>;
  /** Policies it comes from (`inline:x`). */
  readonly policies: ReadonlySet<string>;
}

/** A NotAction or NotResource statement, compared whole. */
export interface OpaqueStatement {
  readonly effect: 'Allow' | 'Deny';
  /** Canonical JSON of the statement without Sid. */
  readonly key: string;
  readonly policies: ReadonlySet<string>;
}

/** Every grant of a set of policies, indexed by action (lower-case). */
export interface GrantSet {
  readonly grants: ReadonlyMap<string, Grant>;
  readonly byAction: ReadonlyMap<string, readonly Grant[]>;
  readonly opaque: ReadonlyMap<string, OpaqueStatement>;
}

/** A named document to expand. */
export interface LabelledDocument {
  /** `inline:<name>`, `customer:<name>`, `boundary:<name>`, `scp:<name>`. */
  readonly label: string;
  readonly document: PolicyDocumentJson;
}

function grantKey(effect: string, action: string, resource: string, conditions: CanonicalConditions | undefined): string {
  return `${effect}|${action.toLowerCase()}|${resource}|${conditionsKey(conditions)}`;
}

/** Expands one action pattern: the catalog's actions, `*` for every action, or the pattern itself when it matches nothing known. */
function expandAction(catalog: ActionCatalog, pattern: string): string[] {
  const value = pattern.trim();
  if (value === '*' || value === '*:*') return ['*'];
  const expanded = catalog.expandPattern(value);
  return expanded.length > 0 ? [...expanded] : [value];
}

/** Builds the grant set of some documents. */
export function buildGrantSet(catalog: ActionCatalog, documents: readonly LabelledDocument[]): GrantSet {
  const grants = new Map<string, { effect: 'Allow' | 'Deny'; action: string; resource: string; conditions?: CanonicalConditions; patterns: Set<string>; policies: Set<string> }>();
  const opaque = new Map<string, { effect: 'Allow' | 'Deny'; key: string; policies: Set<string> }>();
  for (const { label, document } of documents) {
    for (const statement of PolicyDocument.fromJson(document).statements) {
      const conditions = canonicalizeConditions(statement.conditions);
      if (statement.notActions !== undefined || statement.notResources !== undefined || statement.actions === undefined || statement.resources === undefined) {
        const key = `${statement.effect}|${JSON.stringify(statement.toCanonical(true))}`;
        const entry = opaque.get(key) ?? { effect: statement.effect, key, policies: new Set<string>() };
        entry.policies.add(label);
        opaque.set(key, entry);
        continue;
      }
      for (const pattern of statement.actions) {
        for (const action of expandAction(catalog, pattern)) {
          for (const resource of statement.resources) {
            const key = grantKey(statement.effect, action, resource, conditions);
            const entry = grants.get(key) ?? { effect: statement.effect, action, resource, conditions, patterns: new Set<string>(), policies: new Set<string>() };
            entry.patterns.add(pattern);
            entry.policies.add(label);
            grants.set(key, entry);
          }
        }
      }
    }
  }
  const byAction = new Map<string, Grant[]>();
  for (const grant of grants.values()) {
    const lower = grant.action.toLowerCase();
    const list = byAction.get(lower) ?? [];
    list.push(grant);
    byAction.set(lower, list);
  }
  return { grants, byAction, opaque };
}

/**
 * Whether `set` already grants (or denies) what `grant` does: a grant of the same effect whose action is the
 * same or `*`, whose resource pattern covers the grant's, and whose conditions are no stricter.
 * `yes` covered, `no` not covered, `unknown` covered except that the conditions differ in a way that cannot be decided.
 */
export function isCovered(set: GrantSet, grant: Grant): StrictnessAnswer {
  const candidates = [...(set.byAction.get(grant.action.toLowerCase()) ?? []), ...(grant.action === '*' ? [] : (set.byAction.get('*') ?? []))];
  let answer: StrictnessAnswer = 'no';
  for (const other of candidates) {
    if (other.effect !== grant.effect) continue;
    if (!matchesWildcard(other.resource, grant.resource, false)) continue;
    const strict = isAtLeastAsStrict(other.conditions, grant.conditions);
    if (strict === 'yes') return 'yes';
    if (strict === 'unknown') answer = 'unknown';
  }
  return answer;
}

/** The grants of `from` that `against` does not cover, and those covered only up to undecidable conditions. */
export function subtractGrants(from: GrantSet, against: GrantSet): { readonly missing: Grant[]; readonly undecidable: Grant[] } {
  const missing: Grant[] = [];
  const undecidable: Grant[] = [];
  for (const [key, grant] of from.grants) {
    if (against.grants.has(key)) continue;
    const covered = isCovered(against, grant);
    if (covered === 'no') missing.push(grant);
    else if (covered === 'unknown') undecidable.push(grant);
  }
  return { missing, undecidable };
}

/** True when `set` allows the action, unconditionally, on a broad resource (`*` or a pattern ending in `*`), and no unconditional Deny on `*` takes it away. */
export function grantsBroadly(set: GrantSet, action: string): boolean {
  const lower = action.toLowerCase();
  const candidates = [...(set.byAction.get(lower) ?? []), ...(set.byAction.get('*') ?? [])];
  const denied = candidates.some((g) => g.effect === 'Deny' && g.resource === '*' && !g.conditions);
  if (denied) return false;
  return candidates.some((g) => g.effect === 'Allow' && !g.conditions && (g.resource === '*' || g.resource.endsWith('*')));
}
