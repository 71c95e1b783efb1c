import { type PolicyDocumentJson, PolicyDocument, type Statement } from '../policy';
import type { AnalyzerCatalog } from './catalog-port';

/** A policy document that grants (or limits) a principal's permissions. */
export interface GrantingPolicy {
  /** Policy name (`s3-read`, or the inline policy name). */
  readonly name: string;
  /** `inline`, `customer` (customer managed) or `boundary`. */
  readonly kind: 'inline' | 'customer' | 'boundary';
  readonly document: PolicyDocumentJson;
}

/** Input of {@link computeGrantedActions}. */
export interface GrantedInput {
  /** Identity policies: inline and customer managed. */
  readonly identityPolicies: readonly GrantingPolicy[];
  /** The permission boundary; the effective permission is identity ∩ boundary. @default - no boundary */
  readonly boundary?: GrantingPolicy;
  /** Policies whose content is not available offline (AWS managed policies, by name). @default - none */
  readonly notEvaluated?: readonly string[];
}

/** The actions a principal may call, as far as the evaluated policies say. */
export interface GrantedActions {
  /** Canonical action names (`s3:GetObject`), sorted. */
  readonly actions: readonly string[];
  /** False when some attached policy could not be evaluated (see notEvaluated). */
  readonly complete: boolean;
  /** Policies not evaluated, with why (`AWS managed policy ReadOnlyAccess: content not available offline`). */
  readonly notEvaluated: readonly string[];
}

/** Expands action patterns against the catalog, caching per pattern (a role set repeats the same patterns). */
export class ActionExpander {
  private readonly cache = new Map<string, readonly string[]>();
  private all?: readonly string[];

  constructor(private readonly catalog: AnalyzerCatalog) {}

  /** Canonical names matched by one pattern (`s3:Get*`, `*`). */
  public expand(pattern: string): readonly string[] {
    const key = pattern.toLowerCase();
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const result = this.catalog.expandPattern(pattern);
    this.cache.set(key, result);
    return result;
  }

  /** Every catalog action. */
  public everything(): readonly string[] {
    if (this.all === undefined) this.all = this.expand('*');
    return this.all;
  }

  /**
   * Actions a statement's Action or NotAction element covers. Memoized by the element: the same managed
   * policies and boundary recur across an organization's principals (a NotAction element is every catalog
   * action but a few, and expanding it for each principal measured 0.6 s of a 0.8 s analysis of the example org).
   */
  public statementActions(statement: Statement): ReadonlySet<string> {
    const key = statement.actions !== undefined ? `A\u0000${statement.actions.join('\u0000')}` : `N\u0000${(statement.notActions ?? []).join('\u0000')}`;
    const cached = this.statements.get(key);
    if (cached !== undefined) return cached;
    let out: Set<string>;
    if (statement.actions !== undefined) {
      out = new Set<string>();
      for (const pattern of statement.actions) for (const a of this.expand(pattern)) out.add(a);
    } else {
      const excluded = new Set<string>();
      for (const pattern of statement.notActions ?? []) for (const a of this.expand(pattern)) excluded.add(a);
      out = new Set(this.everything().filter((a) => !excluded.has(a)));
    }
    this.statements.set(key, out);
    return out;
  }

  private readonly statements = new Map<string, ReadonlySet<string>>();

  /**
   * {@link collectAllowed} of a list of policies, memoized by their names, kinds and documents: the same boundary
   * and attached policies recur across an organization's principals, and a boundary written with NotAction
   * allows nearly every catalog action (about 18,000 entries rebuilt for each principal: most of the time of an
   * analysis in the example organization). The maps handed out are shared: callers only read them.
   */
  public allowedBy(documents: readonly GrantingPolicy[]): ReadonlyMap<string, readonly string[]> {
    const key = JSON.stringify(documents.map((d) => [d.name, d.kind, d.document]));
    const cached = this.allowed.get(key);
    if (cached !== undefined) return cached;
    const result = collectAllowed(documents, this);
    this.allowed.set(key, result);
    return result;
  }

  private readonly allowed = new Map<string, ReadonlyMap<string, readonly string[]>>();
}

/** Converts an IAM wildcard (`*`, `?`) to a regular expression matching the whole string. */
function wildcardToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

interface DenyRule {
  readonly resources: readonly RegExp[];
}

function collectAllowed(documents: readonly GrantingPolicy[], expander: ActionExpander): Map<string, string[]> {
  // action → resources of the Allow statements that grant it ('*' stands for NotResource too)
  const allowed = new Map<string, string[]>();
  const denies = new Map<string, DenyRule[]>();
  for (const policy of documents) {
    const doc = PolicyDocument.fromJson(policy.document, { source: `policy ${policy.name}` });
    for (const statement of doc.statements) {
      const actions = expander.statementActions(statement);
      if (statement.effect === 'Allow') {
        const resources = statement.resources ?? ['*'];
        for (const a of actions) {
          const list = allowed.get(a);
          if (list === undefined) allowed.set(a, [...resources]);
          else list.push(...resources);
        }
      } else if (statement.conditions === undefined && statement.resources !== undefined) {
        // Only unconditional Deny statements with a Resource element can be proven to cover an allow.
        const rule = { resources: statement.resources.map(wildcardToRegExp) };
        for (const a of actions) {
          const list = denies.get(a);
          if (list === undefined) denies.set(a, [rule]);
          else list.push(rule);
        }
      }
    }
  }
  for (const [action, rules] of denies) {
    const resources = allowed.get(action);
    if (resources === undefined) continue;
    const remaining = resources.filter((res) => !rules.some((rule) => rule.resources.some((re) => re.test(res))));
    if (remaining.length === 0) allowed.delete(action);
    else allowed.set(action, remaining);
  }
  return allowed;
}

/**
 * The actions a principal is granted: Allow statements of its identity policies expanded with the
 * catalog (Action patterns and NotAction complements), minus actions an unconditional explicit Deny
 * covers on every allowed resource, intersected with the permission boundary. Conditions on Allow
 * statements do not remove actions (the action is granted in some context).
 */
export function computeGrantedActions(input: GrantedInput, expander: ActionExpander): GrantedActions {
  const identity = expander.allowedBy(input.identityPolicies);
  let actions = [...identity.keys()];
  if (input.boundary !== undefined) {
    const boundary = expander.allowedBy([input.boundary]);
    actions = actions.filter((a) => boundary.has(a));
  }
  actions.sort();
  const notEvaluated = [...(input.notEvaluated ?? [])];
  return { actions, complete: notEvaluated.length === 0, notEvaluated };
}
