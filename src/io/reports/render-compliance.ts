import type { CheckResult, ComplianceReport } from '../../core/reports';
import { escapeHtml, renderCsv, renderFigures, renderMarkdownTable, renderPage, renderTable } from './html-page';

const BAR = 300;

/** One bar per account (score of 100), in the report's order. */
function renderScoreChart(r: ComplianceReport): string {
  const rows = r.accounts.map((a, i) => {
    const y = i * 22 + 4;
    const w = Math.round((a.score / 100) * BAR);
    const color = a.score >= 90 ? '#3a8f4b' : a.score >= 70 ? '#d9a400' : '#c0392b';
    return `<text x="0" y="${y + 13}" font-size="12">${escapeHtml(a.account)}</text><rect x="180" y="${y}" width="${BAR}" height="16" fill="#eee"/><rect x="180" y="${y}" width="${w}" height="16" fill="${color}"><title>${a.score}</title></rect><text x="${190 + BAR}" y="${y + 13}" font-size="12">${a.score}</text>`;
  });
  const h = r.accounts.length * 22 + 8;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${230 + BAR}" height="${h}" role="img" aria-label="Compliance score per account">${rows.join('')}</svg>`;
}

/** The organization's score over time, as a line. */
function renderTrendChart(r: ComplianceReport): string {
  const points = r.trend;
  const w = 520;
  const h = 140;
  const x = (i: number) => (points.length === 1 ? w / 2 : 30 + (i * (w - 60)) / (points.length - 1));
  const y = (score: number) => h - 20 - (score / 100) * (h - 40);
  const line = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p.organization).toFixed(1)}`).join(' ');
  const dots = points.map((p, i) => `<circle cx="${x(i).toFixed(1)}" cy="${y(p.organization).toFixed(1)}" r="3" fill="#1f5fa8"><title>${escapeHtml(p.date.slice(0, 10))}: ${p.organization}</title></circle>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" role="img" aria-label="Organization score over time"><line x1="30" y1="${y(100)}" x2="${w - 30}" y2="${y(100)}" stroke="#ddd"/><line x1="30" y1="${y(0)}" x2="${w - 30}" y2="${y(0)}" stroke="#ddd"/><text x="0" y="${y(100) + 4}" font-size="10">100</text><text x="8" y="${y(0) + 4}" font-size="10">0</text><path d="${line}" fill="none" stroke="#1f5fa8" stroke-width="2"/>${dots}</svg>`;
}

/** Where a result came from and when, or why it was not evaluated. */
function describeEvidence(c: CheckResult): string {
  if (c.evidence) return `${c.evidence.source}, ${c.evidence.at}`;
  return c.reason ? `not evaluated: ${c.reason}` : '';
}

export function renderComplianceHtml(r: ComplianceReport): string {
  const body: string[] = [
    `<h1>Compliance score: ${escapeHtml(r.organization)}</h1>`,
    `<p class="note">Generated ${escapeHtml(r.generatedAt)}. Score of an account = 100 − the weights of its failing checks; organization = mean of the accounts (docs/reports.md).</p>`,
    renderFigures([{ name: 'score', label: 'organization score', value: r.score }, ...r.accounts.map((a) => ({ name: `account:${a.account}`, label: a.account, value: a.score }))]),
    '<h2>Scores</h2>',
    renderScoreChart(r),
    '<h2>Trend</h2>',
    renderTrendChart(r),
    '<h2>Checks</h2>',
    renderTable(['check', 'weight', 'from', 'how to fix'], r.checks.map((c) => [c.title, String(c.weight), c.from, c.fix])),
  ];
  for (const a of r.accounts) {
    body.push(`<h2>${escapeHtml(a.account)}: ${a.score}${a.evaluated < 100 ? ` (checks worth ${100 - a.evaluated} not evaluated)` : ''}</h2>`);
    body.push(renderTable(['check', 'weight', 'status', 'failing items', 'exceptions', 'evidence'], a.checks.map((c) => [c.title, String(c.weight), c.status, c.items.join('\n'), c.exceptions.join('\n'), describeEvidence(c)])));
  }
  return renderPage(`Compliance score: ${r.organization}`, body.join('\n'));
}

export function renderComplianceMarkdown(r: ComplianceReport): string {
  const out = [
    `# Compliance score: ${r.organization}`,
    '',
    `Organization score: **${r.score}** (mean of the accounts; an account's score is 100 − the weights of its failing checks).`,
    '',
    renderMarkdownTable(['account', 'score', 'failing checks', 'not evaluated'], r.accounts.map((a) => [a.account, String(a.score), a.checks.filter((c) => c.status === 'fail').map((c) => `${c.id} (−${c.weight})`).join(', ') || 'none', a.checks.filter((c) => c.status === 'not-evaluated').map((c) => c.id).join(', ') || 'none'])),
    '## Failing items',
    '',
  ];
  for (const a of r.accounts) {
    for (const c of a.checks.filter((x) => x.status === 'fail')) out.push(`### ${a.account}: ${c.title} (−${c.weight})`, '', ...c.items.map((i) => `- ${i}`), '', `Evidence: ${describeEvidence(c)}`, '', `Fix: ${c.fix}`, '');
  }
  const missing = r.accounts.flatMap((a) => a.checks.filter((c) => c.status === 'not-evaluated').map((c) => [a.account, c.id, c.reason ?? '']));
  if (missing.length > 0) out.push('## Not evaluated (not counted as passing)', '', renderMarkdownTable(['account', 'check', 'why'], missing));
  return out.join('\n');
}

/** One row per account and check. */
export function renderComplianceCsv(r: ComplianceReport): string {
  return renderCsv(
    ['account', 'score', 'check', 'weight', 'status', 'failingItems', 'evidenceSource', 'evidenceAt', 'notEvaluatedReason'],
    r.accounts.flatMap((a) => a.checks.map((c) => [a.account, a.score, c.id, c.weight, c.status, c.items.join(' | '), c.evidence?.source ?? '', c.evidence?.at ?? '', c.reason ?? ''])),
  );
}
