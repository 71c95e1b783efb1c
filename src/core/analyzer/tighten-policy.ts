import { type PolicyDocumentJson, PolicyDocument, Statement } from '../policy';
import type { ActionExpander } from './granted-permissions';

/** Result of {@link tightenPolicyDocument}. */
export interface TightenedPolicy {
  /** The tightened document; null when no statement is left. */
  readonly document: PolicyDocumentJson | null;
  /** Canonical actions the original allowed and the tightened one does not, sorted. */
  readonly removed: readonly string[];
  /**
   * For each statement of the tightened document, the indices of the original statements it came
   * from (several when merged), so an editor can update the first in place and delete the others.
   */
  readonly origins: readonly (readonly number[])[];
}

function serviceOf(action: string): string {
  const i = action.indexOf(':');
  return i < 0 ? action : action.slice(0, i);
}

/** Sorts actions by service, then name: "grouped per service". */
function sortActions(actions: Iterable<string>): string[] {
  return [...actions].sort((a, b) => {
    const sa = serviceOf(a);
    const sb = serviceOf(b);
    if (sa !== sb) return sa < sb ? -1 : 1;
    return a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0;
  });
}

/** Everything of a statement except its actions: statements with the same scope can share one Action list. */
function scopeKey(statement: Statement): string {
  const c = statement.toCanonical(true);
  delete c.Action;
  delete c.NotAction;
  return JSON.stringify(c);
}

/**
 * Narrows a policy to the actions in `keep` (lower-case canonical names): each Allow statement keeps
 * only the kept actions it grants (NotAction becomes an explicit Action list), with its Resource,
 * NotResource and Condition unchanged, so nothing is widened. Deny statements stay as they are.
 * Statements left untouched keep their wildcards; statements with the same scope are merged into
 * one, actions grouped per service. A statement that keeps no action is dropped.
 */
export function tightenPolicyDocument(json: PolicyDocumentJson, keep: ReadonlySet<string>, expander: ActionExpander): TightenedPolicy {
  const doc = PolicyDocument.fromJson(json);
  const removed = new Set<string>();
  const narrowed: { statement: Statement; changed: boolean; index: number }[] = [];
  doc.statements.forEach((statement, index) => {
    if (statement.effect === 'Deny') {
      narrowed.push({ statement, changed: false, index });
      return;
    }
    const granted = expander.statementActions(statement);
    const kept = [...granted].filter((a) => keep.has(a.toLowerCase()));
    for (const a of granted) if (!keep.has(a.toLowerCase())) removed.add(a);
    if (kept.length === granted.size && statement.actions !== undefined) {
      narrowed.push({ statement, changed: false, index });
      return;
    }
    if (kept.length === 0) return;
    narrowed.push({
      statement: new Statement({
        sid: statement.sid,
        effect: 'Allow',
        actions: sortActions(kept),
        resources: statement.resources,
        notResources: statement.notResources,
        principal: statement.principal,
        notPrincipal: statement.notPrincipal,
        conditions: statement.conditions,
      }),
      changed: true,
      index,
    });
  });
  // Merge changed Allow statements that share Resource/NotResource/Condition.
  const merged: Statement[] = [];
  const origins: number[][] = [];
  const byScope = new Map<string, number>();
  for (const { statement, changed, index } of narrowed) {
    if (!changed) {
      merged.push(statement);
      origins.push([index]);
      continue;
    }
    const key = scopeKey(statement);
    const at = byScope.get(key);
    if (at === undefined) {
      byScope.set(key, merged.length);
      merged.push(statement);
      origins.push([index]);
      continue;
    }
    origins[at].push(index);
    const previous = merged[at];
    const actions = sortActions(new Set([...(previous.actions ?? []), ...(statement.actions ?? [])]));
    merged[at] = new Statement({
      sid: previous.sid === statement.sid ? previous.sid : undefined,
      effect: 'Allow',
      actions,
      resources: previous.resources,
      notResources: previous.notResources,
      principal: previous.principal,
      notPrincipal: previous.notPrincipal,
      conditions: previous.conditions,
    });
  }
  const hasAllow = merged.some((s) => s.effect === 'Allow');
  const document = hasAllow ? new PolicyDocument({ version: doc.version, id: doc.id, statements: merged }).toJSON() : null;
  return { document, removed: sortActions(removed), origins: hasAllow ? origins : [] };
}
