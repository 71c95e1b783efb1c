/** Restore: the plan that brings a journaled remediation run back, from its journal entries. */
import type { JournalEntryLike } from './restore-types';
import { invertAction, type RemediationAction, type RemediationPlan } from './plan';

/**
 * The actions that bring back every change of a journaled run, newest first: each change with a `before`
 * line (applied, failed, or cut off by a kill before its `applied` line) gets its inverse. Whether a change
 * was really made is decided when the restore applies: each inverse is re-checked against IAM right
 * before its call and skipped when IAM does not hold the value the change wrote.
 */
export function planRestore(entries: readonly JournalEntryLike[]): RemediationPlan {
  if (entries.length === 0) return { account: '', accountId: '', actions: [], skipped: [] };
  const { account, accountId } = entries[0];
  const before = new Map<number, RemediationAction>();
  const created = new Map<number, string>();
  for (const e of entries) {
    if (e.phase === 'before') before.set(e.sequence, e.action);
    if (e.phase === 'applied' && e.createdVersionId) created.set(e.sequence, e.createdVersionId);
  }
  const actions = [...before.entries()].sort(([a], [b]) => b - a).flatMap(([sequence, action]) => invertAction(action, created.get(sequence)));
  return { account, accountId, actions, skipped: [] };
}
