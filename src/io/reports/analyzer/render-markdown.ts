import type { AnalyzerReport, PrincipalReport } from '../../../core/analyzer';
import { MAX_LISTED_ACTIONS, describeWindow } from './render-text';

function code(values: readonly string[]): string {
  const shown = values.slice(0, MAX_LISTED_ACTIONS).map((v) => `\`${v}\``);
  return values.length > MAX_LISTED_ACTIONS ? `${shown.join(', ')} … and ${values.length - MAX_LISTED_ACTIONS} more` : shown.join(', ');
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

function row(p: PrincipalReport): string {
  const granted = p.managed ? `${p.granted}${p.grantedComplete ? '' : '+'}` : '?';
  const name = p.managed ? `\`${p.account}\` ${escapeCell(p.arn.split(':').pop() ?? p.arn)}` : escapeCell(p.arn);
  return `| ${name}${p.root ? ' ⚠ root' : ''} | ${granted} | ${p.used.length} | ${p.unused.length} | ${p.denied.length} | ${p.unobservable.length} | ${p.unmapped.length} |`;
}

/** Markdown sized for a merge-request comment: a summary table, then collapsed details per role. */
export function renderAnalyzerMarkdown(report: AnalyzerReport): string {
  const out: string[] = ['## Least-privilege analysis', '', `Window: ${describeWindow(report)}. Records: ${report.totals.records} in ${report.totals.files} files.`, ''];
  for (const w of report.warnings) out.push(`> ⚠ ${w}`);
  if (report.warnings.length > 0) out.push('');
  out.push('| Principal | Granted | Used | Unused | Denied | Unobservable | Unmapped |', '|---|---:|---:|---:|---:|---:|---:|');
  for (const p of report.principals) out.push(row(p));
  out.push('', '`+`: some attached policies (AWS managed) were not evaluated. `?`: not defined in accounts/.', '');
  for (const p of report.principals) {
    if (p.unused.length + p.denied.length + p.unobservable.length + p.unmapped.length === 0 && p.managed) continue;
    out.push(`<details><summary>${p.arn}</summary>`, '');
    if (p.unused.length > 0) out.push(`- **Unused** (riskiest first): ${code(p.unused.map((a, i) => `${a} [${p.unusedAccessLevels[i]}]`))}`);
    if (!p.managed && p.used.length > 0) out.push(`- **Used**: ${code(p.used.map((u) => `${u.action} ×${u.count}`))}`);
    if (p.denied.length > 0) out.push(`- **Denied**: ${code(p.denied.map((d) => `${d.action} ×${d.count}`))}`);
    if (p.unobservable.length > 0) out.push(`- **Unobservable** (kept): ${code(p.unobservable)}`);
    if (p.unmapped.length > 0) out.push(`- **Unmapped events**: ${code(p.unmapped.map((u) => `${u.eventSource} ${u.eventName} ×${u.count}`))}`);
    const rec = report.recommendations.find((r) => r.arn === p.arn);
    for (const policy of rec?.policies ?? []) {
      if (policy.removed.length === 0) continue;
      out.push('', `Tightened ${policy.kind} policy \`${policy.name}\`${policy.tightened === null ? ' (nothing left: detach it)' : ''}:`, '');
      if (policy.tightened !== null) out.push('```json', JSON.stringify(policy.tightened, null, 2), '```');
    }
    out.push('', '</details>', '');
  }
  const reasons = Object.entries(report.skipped.reasons).map(([r, n]) => `${r}: ${n}`);
  out.push(`Skipped: ${report.skipped.files} files, ${report.skipped.records} records${reasons.length ? ` (${reasons.join(', ')})` : ''}.`);
  return `${out.join('\n')}\n`;
}
