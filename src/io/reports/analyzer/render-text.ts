import type { AnalyzerReport, PrincipalReport } from '../../../core/analyzer';

/** Unused actions listed per principal in text and Markdown before "and N more". */
export const MAX_LISTED_ACTIONS = 25;

function list(values: readonly string[], max = MAX_LISTED_ACTIONS): string {
  if (values.length <= max) return values.join(', ');
  return `${values.slice(0, max).join(', ')} … and ${values.length - max} more`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** One line per count: the summary of a principal. */
export function summarizePrincipal(p: PrincipalReport): string {
  const granted = p.managed ? `granted ${p.granted}${p.grantedComplete ? '' : '+ (not all policies evaluated)'}` : 'granted unknown (unmanaged)';
  return `${granted}, used ${p.used.length}, unused ${p.unused.length}, denied ${p.denied.length}, unobservable ${p.unobservable.length}, unmapped ${p.unmapped.length}`;
}

/** The window line: `2026-05-01T08:00:00Z → 2026-07-30T13:00:00Z (90.2 days)`. */
export function describeWindow(report: AnalyzerReport): string {
  if (report.window.from === null) return 'no events counted';
  return `${report.window.from} → ${report.window.to} (${report.window.days} days)`;
}

function renderPrincipal(p: PrincipalReport): string[] {
  const where = [p.type, p.account, p.file].filter((x) => x !== undefined).join(', ');
  const lines = [`${p.arn} (${where})${p.root ? '  ROOT USER' : ''}`, `  ${summarizePrincipal(p)}`];
  if (!p.accountObserved) lines.push('  no events of this account were read: unused is meaningless here, nothing is recommended');
  if (p.unused.length > 0) {
    const ranked = p.unused.map((a, i) => `${a} [${p.unusedAccessLevels[i]}]`);
    lines.push(`  unused, riskiest first: ${list(ranked)}`);
  }
  if (p.used.length > 0 && !p.managed) lines.push(`  used: ${list(p.used.map((u) => `${u.action} ×${u.count}`))}`);
  if (p.denied.length > 0) lines.push(`  denied: ${list(p.denied.map((d) => `${d.action} ×${d.count}`))}`);
  if (p.unobservable.length > 0) lines.push(`  unobservable (kept, CloudTrail cannot show them): ${list(p.unobservable)}`);
  if (p.unmapped.length > 0) lines.push(`  unmapped: ${list(p.unmapped.map((u) => `${u.eventSource} ${u.eventName} ×${u.count}`))}`);
  if (p.usedNotGranted.length > 0) lines.push(`  used but not granted by the evaluated policies: ${list(p.usedNotGranted)}`);
  return lines;
}

/** The per-role summary `iamctl analyze` prints by default. */
export function renderAnalyzerText(report: AnalyzerReport): string {
  const lines: string[] = [`CloudTrail window: ${describeWindow(report)}; ${plural(report.totals.records, 'record')} in ${plural(report.totals.files, 'file')}`];
  for (const w of report.warnings) lines.push(`warning: ${w}`);
  const managed = report.principals.filter((p) => p.managed);
  const unmanaged = report.principals.filter((p) => !p.managed);
  lines.push('', `Roles in accounts/ (${managed.length}):`);
  if (managed.length === 0) lines.push('  none selected');
  for (const p of managed) lines.push(...renderPrincipal(p).map((l) => `  ${l}`));
  lines.push('', `Principals in the logs but not in accounts/ (${unmanaged.length}):`);
  if (unmanaged.length === 0) lines.push('  none');
  for (const p of unmanaged) lines.push(...renderPrincipal(p).map((l) => `  ${l}`));
  const changes = report.recommendations.flatMap((r) =>
    r.policies
      .filter((p) => p.removed.length > 0)
      .map((p) => {
        const advisory = r.template !== undefined ? ` (role template ${r.template}: advisory, not written)` : p.kind === 'customer' ? ' (may be shared: advisory, not written)' : '';
        return `${r.account}/${r.role}: ${p.kind} policy ${p.name} drops ${plural(p.removed.length, 'action')}${advisory}`;
      }),
  );
  if (changes.length > 0) lines.push('', 'Recommendations (apply with --write; review the diff):', ...changes.map((c) => `  ${c}`));
  const reasons = Object.entries(report.skipped.reasons).map(([r, n]) => `${r} ${n}`);
  lines.push('', `Skipped: ${plural(report.skipped.files, 'file')}, ${plural(report.skipped.records, 'record')}${reasons.length > 0 ? ` (${reasons.join(', ')})` : ''}`);
  return `${lines.join('\n')}\n`;
}
