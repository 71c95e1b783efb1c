import type { UnusedReport } from '../../core/reports';
import { escapeHtml, renderCsv, renderFigures, renderMarkdownTable, renderPage, renderTable } from './html-page';

function figures(r: UnusedReport) {
  return [
    { name: 'removable', label: 'removable permissions', value: r.summary.removable },
    { name: 'roles', label: 'roles', value: r.summary.roles },
    { name: 'granted', label: 'granted', value: r.summary.granted },
    { name: 'used', label: 'used', value: r.summary.used },
    { name: 'unobservable', label: 'unobservable', value: r.summary.unobservable },
  ];
}

const BAR = 360;
function renderBars(r: UnusedReport): string {
  const rows = r.roles.map((x, i) => {
    const y = i * 24 + 22;
    const total = Math.max(x.granted, 1);
    const used = Math.round((x.used / total) * BAR);
    const unobs = Math.round((x.unobservable / total) * BAR);
    return `<text x="0" y="${y + 13}" font-size="12">${escapeHtml(`${x.account}/${x.arn.slice(x.arn.lastIndexOf('/') + 1)}`)}</text><rect x="300" y="${y}" width="${BAR}" height="16" fill="#f3c1c1"/><rect x="300" y="${y}" width="${used}" height="16" fill="#3a8f4b"/><rect x="${300 + used}" y="${y}" width="${unobs}" height="16" fill="#b9b9b9"/><text x="${310 + BAR}" y="${y + 13}" font-size="12">${x.unused} unused · risk ${x.risk}</text>`;
  });
  const legend = '<rect x="300" y="2" width="12" height="12" fill="#3a8f4b"/><text x="316" y="12" font-size="11">used</text><rect x="360" y="2" width="12" height="12" fill="#b9b9b9"/><text x="376" y="12" font-size="11">unobservable</text><rect x="470" y="2" width="12" height="12" fill="#f3c1c1"/><text x="486" y="12" font-size="11">unused</text>';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${460 + BAR}" height="${r.roles.length * 24 + 26}" role="img" aria-label="Granted against used per role">${legend}${rows.join('')}</svg>`;
}

function renderDiff(lines: UnusedReport['roles'][number]['changes'][number]['diff']): string {
  return `<pre>${lines.map((l) => (l.op === '-' ? `<del>- ${escapeHtml(l.text)}</del>` : l.op === '+' ? `<ins>+ ${escapeHtml(l.text)}</ins>` : `  ${escapeHtml(l.text)}`)).join('\n')}</pre>`;
}

export function renderUnusedHtml(r: UnusedReport): string {
  const body: string[] = [
    `<h1>Unused permissions: ${escapeHtml(r.organization)}</h1>`,
    `<p class="note">Window ${escapeHtml(r.window.from ?? '?')} to ${escapeHtml(r.window.to ?? '?')} (${r.window.days} days). Generated ${escapeHtml(r.generatedAt)}.</p>`,
    renderFigures(figures(r)),
    renderBars(r),
    '<h2>Roles by risk</h2>',
    renderTable(['role', 'account', 'granted', 'used', 'unused', 'unobservable', 'risk', 'complete'], r.roles.map((x) => [x.arn, x.account, String(x.granted), String(x.used), String(x.unused), String(x.unobservable), String(x.risk), x.complete ? 'yes' : 'no (lower bound)'])),
  ];
  for (const x of r.roles.filter((y) => y.changes.length > 0)) {
    body.push(`<h3>${escapeHtml(x.arn)}</h3>`);
    for (const c of x.changes) {
      body.push(`<details open><summary>${escapeHtml(`${c.kind} policy ${c.name}${c.file ? ` (${c.file})` : ''}: ${c.removed.length} actions removed${c.stale ? ' · today\'s file differs from the analyzed one' : ''}`)}</summary>${renderDiff(c.diff)}</details>`);
    }
  }
  body.push('<h2>Notes</h2>', `<ul>${r.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>`);
  return renderPage(`Unused permissions: ${r.organization}`, body.join('\n'));
}

export function renderUnusedMarkdown(r: UnusedReport): string {
  const out = [
    `# Unused permissions: ${r.organization}`,
    '',
    ...figures(r).map((f) => `- ${f.label}: **${f.value}**`),
    '',
    renderMarkdownTable(['role', 'granted', 'used', 'unused', 'unobservable', 'risk'], r.roles.map((x) => [x.arn, String(x.granted), String(x.used), String(x.unused), String(x.unobservable), String(x.risk)])),
  ];
  for (const x of r.roles) for (const c of x.changes) out.push(`### ${x.arn}: ${c.name}`, '', '```diff', ...c.diff.map((l) => `${l.op}${l.text}`), '```', '');
  return out.join('\n');
}

export function renderUnusedCsv(r: UnusedReport): string {
  return renderCsv(['arn', 'account', 'granted', 'used', 'unused', 'unobservable', 'risk', 'complete', 'unusedActions'], r.roles.map((x) => [x.arn, x.account, x.granted, x.used, x.unused, x.unobservable, x.risk, x.complete, x.unusedActions.join(' ')]));
}
