import type { AnalyzerReport } from '../../../core/analyzer';

/** Columns of the CSV: one row per principal × action (or unmapped event). */
export const ANALYZER_CSV_COLUMNS = ['principal', 'type', 'managed', 'account', 'status', 'action', 'access_level', 'count', 'first_seen', 'last_seen'] as const;

function cell(value: string | number | boolean | undefined): string {
  const text = value === undefined ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV with a header row; status is used, unused, denied, unobservable or unmapped. */
export function renderAnalyzerCsv(report: AnalyzerReport): string {
  const rows: (string | number | boolean | undefined)[][] = [[...ANALYZER_CSV_COLUMNS]];
  for (const p of report.principals) {
    const base = [p.arn, p.type, p.managed, p.account];
    for (const u of p.used) rows.push([...base, 'used', u.action, undefined, u.count, u.firstSeen, u.lastSeen]);
    p.unused.forEach((a, i) => rows.push([...base, 'unused', a, p.unusedAccessLevels[i], 0, undefined, undefined]));
    for (const d of p.denied) rows.push([...base, 'denied', d.action, undefined, d.count, undefined, undefined]);
    for (const a of p.unobservable) rows.push([...base, 'unobservable', a, undefined, undefined, undefined, undefined]);
    for (const u of p.unmapped) rows.push([...base, 'unmapped', `${u.eventSource} ${u.eventName}`, undefined, u.count, undefined, undefined]);
  }
  return `${rows.map((r) => r.map(cell).join(',')).join('\n')}\n`;
}
