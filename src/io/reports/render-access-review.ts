import type { AccessReview } from '../../core/reports';
import { renderAccessGraphSvg } from './access-graph-svg';
import { escapeHtml, renderCsv, renderFigures, renderMarkdownTable, renderPage, renderTable } from './html-page';

function figures(r: AccessReview) {
  const s = r.summary;

  return [
    { name: 'adminPaths', label: 'paths to admin', value: s.adminPaths },
    { name: 'thirdPartyTrust', label: 'third-party trusts', value: s.thirdPartyTrust },
    { name: 'externalTrust', label: 'cross-account and federated trusts', value: s.externalTrust },
    { name: 'humanWithoutMfa', label: 'human trust without MFA', value: s.humanWithoutMfa },
    { name: 'rolesWithoutBoundary', label: 'roles without boundary', value: s.rolesWithoutBoundary },
    { name: 'unusedRoles', label: 'unused roles', value: s.unusedRoles },
    { name: 'unusedPermissions', label: 'unused permissions', value: s.unusedPermissions },
    { name: 'changes', label: 'changes since last review', value: s.changes },
    { name: 'openDecisions', label: 'open decisions', value: s.openDecisions },
  ];
}

function describeConditions(c: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> | undefined): string {
  if (!c) return 'none';
  return Object.entries(c)
    .flatMap(([op, keys]) => Object.entries(keys).map(([k, v]) => `${op} ${k} = ${v.join(', ')}`))
    .join('; ');
}

const DECISION_HEADERS = ['status', 'decision', 'owner', 'due', 'account', 'finding', 'first seen', 'note', 'id'];
function decisionRows(r: AccessReview): string[][] {
  return r.decisions.map((d) => [`${d.status}${d.overdue ? ' (overdue)' : ''}`, d.decision, d.owner, d.due, d.account, d.finding, d.firstSeen, d.note, d.id]);
}

/** The access review as one self-contained HTML page. */
export function renderAccessReviewHtml(r: AccessReview): string {
  const body: string[] = [
    `<h1>Access review: ${escapeHtml(r.organization)}</h1>`,
    `<p class="note">Generated ${escapeHtml(r.generatedAt)}${r.commit ? ` from commit ${escapeHtml(r.commit)}` : ''}. ${r.summary.accounts} accounts, ${r.summary.roles} roles.</p>`,
    renderFigures(figures(r)),
    '<h2>Access graph</h2>',
    renderAccessGraphSvg(r),
    '<h2>Third-party trust</h2>',
    renderTable(
      ['account', 'role', 'third party', 'external id', 'conditions'],
      r.thirdPartyTrust.map((t) => [t.account, t.role, t.from, t.externalId ?? 'NONE', describeConditions(t.conditions)]),
    ),
    '<h2>Decisions</h2>',
    '<p class="note">Owners set <code>decision</code> (keep, reduce, remove) and <code>note</code> in the JSON of this review; the next review reads it back with --previous.</p>',
    renderTable(DECISION_HEADERS, decisionRows(r)),
    '<h2>Changes since the previous review</h2>',
    `<p class="note">Source: ${escapeHtml(r.changes.source)}${r.changes.since ? `, since ${escapeHtml(r.changes.since)}` : ''}</p>`,
    renderTable(['account', 'subject', 'change', 'date'], r.changes.items.map((c) => [c.account, c.subject, c.reason, c.date ?? ''])),
  ];
  for (const a of r.accounts) {
    body.push(`<h2>${escapeHtml(a.account)} (${escapeHtml(a.accountId)}), owner ${escapeHtml(a.owner)}</h2>`);
    body.push('<h3>Paths to admin-equivalent access</h3>');
    body.push(renderTable(['principal', 'role', 'how', 'path'], a.adminPaths.map((p) => [p.principal, p.role, p.via === 'can-become' ? `escalation ${p.escalations.join(', ')}` : 'admin policy', p.steps.join(' → ')])));
    body.push('<h3>Cross-account, third-party and federated trust</h3>');
    body.push(renderTable(['role', 'from', 'kind', 'MFA', 'external id', 'conditions'], a.trust.map((t) => [t.role, t.from, t.kind, t.requireMfa ? 'yes' : 'no', t.externalId ?? '', describeConditions(t.conditions)])));
    if (a.humanWithoutMfa.length > 0) body.push('<h3 class="fail">Human trust without MFA</h3>', renderTable(['role', 'from'], a.humanWithoutMfa.map((t) => [t.role, t.from])));
    body.push('<h3>Roles</h3>');
    body.push(
      renderTable(
        ['role', 'owner', 'boundary', 'last used', 'unused', 'unused permissions'],
        a.roles.map((x) => [x.name, x.owner, x.boundary ?? 'NONE', x.lastUsed === undefined ? 'not read' : (x.lastUsed.lastUsedDate ?? 'never'), x.unused === null ? 'not read' : x.unused ? 'yes' : 'no', x.unusedPermissions === null ? 'not read' : String(x.unusedPermissions)]),
      ),
    );
  }
  body.push('<h2>Not covered</h2>', `<ul>${r.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>`);
  return renderPage(`Access review: ${r.organization}`, body.join('\n'));
}

/** The access review as Markdown, for an issue or a merge request. */
export function renderAccessReviewMarkdown(r: AccessReview): string {

  const out: string[] = [
    `# Access review: ${r.organization}`,
    '',
    `Generated ${r.generatedAt}${r.commit ? ` from commit ${r.commit}` : ''}.`,
    '',
    ...figures(r).map((f) => `- ${f.label}: **${f.value === null ? 'not read' : f.value}**`),
    '',
    '## Third-party trust',
    '',
    renderMarkdownTable(['account', 'role', 'third party', 'external id'], r.thirdPartyTrust.map((t) => [t.account, t.role, t.from, t.externalId ?? 'NONE'])),
    '## Decisions',
    '',
    renderMarkdownTable(DECISION_HEADERS, decisionRows(r)),
    '## Changes since the previous review',
    '',
    renderMarkdownTable(['account', 'subject', 'change'], r.changes.items.map((c) => [c.account, c.subject, c.reason])),
  ];
  for (const a of r.accounts) {
    out.push(`## ${a.account} (${a.accountId})`, '', '### Paths to admin', '', renderMarkdownTable(['principal', 'path'], a.adminPaths.map((p) => [p.principal, p.steps.join(' → ')])));
    out.push('### Outside trust', '', renderMarkdownTable(['role', 'from', 'kind', 'MFA', 'external id'], a.trust.map((t) => [t.role, t.from, t.kind, t.requireMfa ? 'yes' : 'no', t.externalId ?? ''])));
  }
  out.push('## Not covered', '', ...r.notes.map((n) => `- ${n}`), '');

  return out.join('\n');
}

/** The decision table as CSV (one row per flagged item): what owners fill in. */
export function renderAccessReviewCsv(r: AccessReview): string {
  return renderCsv(
    ['id', 'kind', 'account', 'subject', 'finding', 'owner', 'decision', 'status', 'due', 'overdue', 'firstSeen', 'note'],
    r.decisions.map((d) => [d.id, d.kind, d.account, d.subject, d.finding, d.owner, d.decision, d.status, d.due, d.overdue, d.firstSeen, d.note]),
  );
}
