import { type AnalyzerReport, type PolicyRecommendation, type PrincipalReport, type ReviewEntry, UNOBSERVABLE_NOTES, orderPrincipalsForReview } from '../../../core/analyzer';
import { describeWindow } from './render-text';

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const BAR_WIDTH = 420;
const BAR_HEIGHT = 18;
const ROW_HEIGHT = 30;
const LABEL_WIDTH = 360;

/**
 * Granted actions that were used, observable-unused and unobservable, as one horizontal bar per role
 * with grants (a role with 0 of 0 gets no bar: nothing is unused), in the order given.
 */
export function renderGrantedUsedChart(principals: readonly PrincipalReport[]): string {
  const roles = principals.filter((p) => p.managed && p.granted > 0);
  const height = Math.max(1, roles.length) * ROW_HEIGHT + 30;
  const width = LABEL_WIDTH + BAR_WIDTH + 170;
  const rows = roles.map((p, i) => {
    const y = i * ROW_HEIGHT + 24;
    const grantedUsed = p.used.filter((u) => !p.usedNotGranted.includes(u.action)).length;
    const total = Math.max(p.granted, 1);
    const usedW = Math.round((grantedUsed / total) * BAR_WIDTH);
    const unobsW = Math.round((p.unobservable.length / total) * BAR_WIDTH);
    const pct = p.granted === 0 ? 0 : Math.round((grantedUsed / p.granted) * 1000) / 10;
    const label = `${p.account ?? ''}/${p.arn.split('/').pop() ?? p.arn}`;
    return [
      `<text x="0" y="${y + 13}" font-size="12">${escapeHtml(label)}</text>`,
      `<rect x="${LABEL_WIDTH}" y="${y}" width="${BAR_WIDTH}" height="${BAR_HEIGHT}" fill="#f3c1c1"><title>${p.granted} granted</title></rect>`,
      `<rect x="${LABEL_WIDTH}" y="${y}" width="${usedW}" height="${BAR_HEIGHT}" fill="#3a8f4b"><title>${grantedUsed} used</title></rect>`,
      `<rect x="${LABEL_WIDTH + usedW}" y="${y}" width="${unobsW}" height="${BAR_HEIGHT}" fill="#b9b9b9"><title>${p.unobservable.length} unobservable</title></rect>`,
      `<text x="${LABEL_WIDTH + BAR_WIDTH + 8}" y="${y + 13}" font-size="12">${grantedUsed} / ${p.granted}${p.grantedComplete ? '' : '+'} used (${pct}%)</text>`,
    ].join('');
  });
  const legend =
    `<rect x="${LABEL_WIDTH}" y="2" width="12" height="12" fill="#3a8f4b"/><text x="${LABEL_WIDTH + 16}" y="12" font-size="11">used</text>` +
    `<rect x="${LABEL_WIDTH + 60}" y="2" width="12" height="12" fill="#b9b9b9"/><text x="${LABEL_WIDTH + 76}" y="12" font-size="11">unobservable</text>` +
    `<rect x="${LABEL_WIDTH + 170}" y="2" width="12" height="12" fill="#f3c1c1"/><text x="${LABEL_WIDTH + 186}" y="12" font-size="11">granted, unused</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" aria-label="Granted against used actions per role">${legend}${rows.join('')}</svg>`;
}

function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  if (rows.length === 0) return '<p class="none">none</p>';
  const head = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

const CATEGORY_LABELS: Readonly<Record<string, string>> = { logging: 'tampers with logging or detection', organizations: 'changes the organization', iam: 'changes IAM (persistence, escalation)' };

/** A policy before and after tightening, line by line: removed lines marked `-`, the rest kept. */
function renderPolicyChange(policy: PolicyRecommendation): string {
  const before = JSON.stringify(policy.original, null, 2).split('\n');
  const after = policy.tightened === null ? [] : JSON.stringify(policy.tightened, null, 2).split('\n');
  // A line is kept when the tightened document has it (a trailing comma may come or go).
  const bare = (line: string) => line.replace(/,$/, '');
  const kept = new Set(after.map(bare));
  const beforeHtml = before.map((l) => (kept.has(bare(l)) ? escapeHtml(l) : `<del>${escapeHtml(l)}</del>`)).join('\n');
  const afterHtml = policy.tightened === null ? 'Nothing is left: detach the policy.' : after.map(escapeHtml).join('\n');
  return [
    `<h4>Tightened ${escapeHtml(policy.kind)} policy ${escapeHtml(policy.name)}${policy.file ? ` (${escapeHtml(policy.file)})` : ''}</h4>`,
    `<p>Removed: ${policy.removed.map((a) => `<code>${escapeHtml(a)}</code>`).join(', ')}</p>`,
    `<div class="change"><div><h5>Before</h5><pre class="before">${beforeHtml}</pre></div><div><h5>After</h5><pre class="after">${afterHtml}</pre></div></div>`,
  ].join('\n');
}

function renderPrincipal(entry: ReviewEntry, report: AnalyzerReport): string {
  const p = entry.principal;
  const parts = [`<section class="principal" data-arn="${escapeHtml(p.arn)}" data-score="${entry.score}"><h3>${escapeHtml(p.arn)}${p.root ? ' <span class="warn">root user</span>' : ''}</h3>`];
  const summary = [`${entry.suspicious.length} flagged call(s)`, `${entry.deniedCalls} denied attempt(s)`, `${entry.unusedHighRisk} unused high-risk grant(s)`];
  parts.push(`<p class="summary">${escapeHtml(summary.join(' · '))}</p>`);
  if (entry.suspicious.length > 0) {
    parts.push(
      '<h4 class="warn">Flagged calls</h4>',
      table(
        ['Action', 'Why', 'Calls', 'Denied'],
        entry.suspicious.map((c) => [c.action, CATEGORY_LABELS[c.category] ?? c.category, String(c.used), String(c.denied)]),
      ).replace('<table>', '<table class="flagged">'),
    );
  }
  parts.push(`<p>${escapeHtml([p.type, p.managed ? `account ${p.account}` : 'not in accounts/', p.file ?? ''].filter(Boolean).join(' · '))}</p>`);
  if (p.notEvaluated.length > 0) parts.push(`<p class="warn">${p.notEvaluated.map(escapeHtml).join('<br>')}</p>`);
  parts.push('<h4>Used</h4>', table(['Action', 'Calls', 'First seen', 'Last seen'], p.used.map((u) => [u.action, String(u.count), u.firstSeen, u.lastSeen])));
  if (p.managed) parts.push('<h4>Unused (riskiest first)</h4>', table(['Action', 'Access level'], p.unused.map((a, i) => [a, p.unusedAccessLevels[i]])));
  parts.push('<h4>Denied</h4>', table(['Action', 'Attempts'], p.denied.map((d) => [d.action, String(d.count)])));
  if (p.unobservable.length > 0) {
    parts.push(
      '<h4>Unobservable (kept: CloudTrail cannot show them)</h4>',
      table(['Action', 'Why'], p.unobservable.map((a) => [a, UNOBSERVABLE_NOTES[a] ?? 'a data event, not in a management-events trail'])),
    );
  }
  if (p.unmapped.length > 0) parts.push('<h4>Unmapped events</h4>', table(['Event source', 'Event name', 'Calls', 'Denied'], p.unmapped.map((u) => [u.eventSource, u.eventName, String(u.count), String(u.denied)])));
  const rec = report.recommendations.find((r) => r.arn === p.arn);
  for (const policy of rec?.policies ?? []) {
    if (policy.removed.length > 0) parts.push(renderPolicyChange(policy));
  }
  parts.push('</section>');
  return parts.join('\n');
}

const STYLE = `body{font-family:system-ui,sans-serif;margin:2rem;color:#222}table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:2px 8px;text-align:left;font-size:13px}th{background:#f4f4f4}.warn{color:#a40000;font-weight:600}.none{color:#777}pre{background:#f7f7f7;padding:8px;font-size:12px;overflow:auto}section{border-top:1px solid #ddd;margin-top:1.5rem}.change{display:flex;gap:1rem}.change>div{flex:1;min-width:0}del{background:#fbe4e4;color:#8a1f1f}.summary{color:#555}`;

/** One self-contained HTML file: no scripts, no external assets. */
export function renderAnalyzerHtml(report: AnalyzerReport): string {
  const ordered = orderPrincipalsForReview(report);
  const shown = ordered.filter((e) => !e.empty);
  const folded = ordered.filter((e) => e.empty);
  const managed = shown.filter((e) => e.principal.managed);
  const unmanaged = shown.filter((e) => !e.principal.managed);
  const noGrants = ordered.filter((e) => e.principal.managed && e.principal.granted === 0).length;
  const reasons = Object.entries(report.skipped.reasons).map(([r, n]) => [r, String(n)]);
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8"><title>Least-privilege analysis</title>',
    `<style>${STYLE}</style></head><body>`,
    '<h1>Least-privilege analysis</h1>',
    `<p>Window: ${escapeHtml(describeWindow(report))}. ${report.totals.records} records in ${report.totals.files} files.</p>`,
    ...report.warnings.map((w) => `<p class="warn">${escapeHtml(w)}</p>`),
    '<h2>Granted against used, per role</h2>',
    renderGrantedUsedChart(ordered.map((e) => e.principal)),
    noGrants > 0 ? `<p class="none">${noGrants} role(s) with no evaluated grants have no bar.</p>` : '',
    '<p>Principals are listed most interesting first: flagged calls (logging, organizations, IAM), then denied attempts, then unused high-risk grants.</p>',
    `<h2>Roles in accounts/ (${managed.length})</h2>`,
    ...managed.map((e) => renderPrincipal(e, report)),
    `<h2>Principals in the logs but not in accounts/ (${unmanaged.length})</h2>`,
    ...unmanaged.map((e) => renderPrincipal(e, report)),
    folded.length > 0
      ? `<details class="empty"><summary>${folded.length} principal(s) with nothing to show (no calls, no denials, no unused grants)</summary><ul>${folded.map((e) => `<li>${escapeHtml(e.principal.arn)}</li>`).join('')}</ul></details>`
      : '',
    '<h2>Skipped</h2>',
    `<p>${report.skipped.files} files, ${report.skipped.records} records.</p>`,
    table(['Reason', 'Count'], reasons),
    table(['File', 'Reason', 'Records'], report.skipped.details.map((d) => [d.file, d.reason, String(d.records)])),
    '</body></html>',
    '',
  ].join('\n');
}
