/**
 * The decision table of an access review: one row per flagged item, which the owner fills in (keep / reduce /
 * remove) and the next review reads back, so open items carry over and decided ones show whether they were acted on.
 */

/** What an owner decides about a flagged item. `pending` until someone decides. */
export const DECISIONS = ['pending', 'keep', 'reduce', 'remove'] as const;
export type Decision = (typeof DECISIONS)[number];

/** Days an owner has to decide a new item. */
export const DEFAULT_DECISION_DUE_DAYS = 14;

/** What kind of finding a row is about. */
export type FlagKind = 'admin-path' | 'third-party-trust' | 'human-without-mfa' | 'no-boundary' | 'unused-role';

/** A flagged item of this review (before decisions are merged in). */
export interface FlaggedItem {
  /** Stable across reviews: kind, account and subject, lower-case (`admin-path:app-prod:account:210987654321>…`). */
  readonly id: string;
  readonly kind: FlagKind;
  readonly account: string;
  /** Role the item is about (its ARN). */
  readonly subject: string;
  /** One line a reviewer reads. */
  readonly finding: string;
  /** Accountable team (the role's owner). */
  readonly owner: string;
}

/**
 * One row of the decision table.
 * - `open`: pending, or reduce/remove decided and the item is still there.
 * - `closed`: kept (accepted), with who decided.
 * - `resolved`: the item of a previous review is gone (acted on, or the access was removed otherwise).
 */
export interface DecisionRow extends FlaggedItem {
  readonly decision: Decision;
  readonly status: 'open' | 'closed' | 'resolved';
  /** ISO date (YYYY-MM-DD) the decision (or, once decided, the change) is due. */
  readonly due: string;
  /** True when the due date has passed and the row is still open. */
  readonly overdue: boolean;
  /** ISO date of the first review that flagged the item. */
  readonly firstSeen: string;
  /** True when the row comes from a previous review. */
  readonly carriedOver: boolean;
  /** Free text the owner writes (why keep, ticket of the change). @default '' */
  readonly note: string;
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Options of {@link mergeDecisions}. */
export interface MergeDecisionsOptions {
  /** Date of this review, YYYY-MM-DD. */
  readonly today: string;
  /** @default DEFAULT_DECISION_DUE_DAYS */
  readonly dueDays?: number;
}

/**
 * The decision table of this review from its flagged items and the previous review's rows: a new item is pending,
 * due in `dueDays`; an item flagged before keeps its decision, owner, due date, first-seen date and note; a kept
 * item stays closed; a previous row whose item is gone is `resolved` (rows resolved in the previous review are
 * dropped). Rows are sorted open first, then by due date and id.
 */
export function mergeDecisions(items: readonly FlaggedItem[], previous: readonly DecisionRow[], options: MergeDecisionsOptions): DecisionRow[] {
  const dueDays = options.dueDays ?? DEFAULT_DECISION_DUE_DAYS;
  const before = new Map(previous.filter((r) => r.status !== 'resolved').map((r) => [r.id, r]));
  const current = new Set(items.map((i) => i.id));
  const rows: DecisionRow[] = items.map((item) => {
    const old = before.get(item.id);
    if (!old) {
      return { ...item, decision: 'pending', status: 'open', due: addDays(options.today, dueDays), overdue: false, firstSeen: options.today, carriedOver: false, note: '' };
    }
    const status = old.decision === 'keep' ? 'closed' : 'open';
    return {
      ...item,
      owner: old.owner || item.owner,
      decision: old.decision,
      status,
      due: old.due,
      overdue: status === 'open' && old.due < options.today,
      firstSeen: old.firstSeen,
      carriedOver: true,
      note: old.note,
    };
  });
  for (const old of before.values()) {
    if (!current.has(old.id)) rows.push({ ...old, status: 'resolved', overdue: false, carriedOver: true });
  }
  const rank = { open: 0, closed: 1, resolved: 2 } as const;
  return rows.sort((a, b) => rank[a.status] - rank[b.status] || a.due.localeCompare(b.due) || a.id.localeCompare(b.id));
}

/**
 * Reads the decision rows of a previous review's JSON (`decisions`), checking each field: a bad row is an error
 * naming its index and field, never skipped. Returns the problems instead of throwing (the caller names the file).
 */
export function parseDecisionRows(value: unknown): { rows: DecisionRow[]; problems: string[] } {
  const problems: string[] = [];
  const rows: DecisionRow[] = [];
  if (!Array.isArray(value)) return { rows, problems: ['$.decisions must be an array of decision rows'] };
  value.forEach((raw: unknown, i) => {
    const at = `$.decisions[${i}]`;
    if (typeof raw !== 'object' || raw === null) {
      problems.push(`${at} must be an object`);
      return;
    }
    const r = raw as Record<string, unknown>;
    for (const field of ['id', 'kind', 'account', 'subject', 'finding', 'owner', 'due', 'firstSeen']) {
      if (typeof r[field] !== 'string') problems.push(`${at}.${field} must be a string`);
    }
    if (!(DECISIONS as readonly unknown[]).includes(r.decision)) problems.push(`${at}.decision must be one of ${DECISIONS.join(', ')}, got ${JSON.stringify(r.decision)}`);
    if (typeof r.due === 'string' && !/^\d{4}-\d{2}-\d{2}$/.test(r.due)) problems.push(`${at}.due must be a date YYYY-MM-DD, got "${r.due}"`);
    if (!['open', 'closed', 'resolved'].includes(r.status as string)) problems.push(`${at}.status must be open, closed or resolved`);
    if (problems.length === 0) rows.push({ ...(r as unknown as DecisionRow), note: typeof r.note === 'string' ? r.note : '', overdue: false, carriedOver: Boolean(r.carriedOver) });
  });
  return { rows, problems };
}
