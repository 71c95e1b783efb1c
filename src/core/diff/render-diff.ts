/** Renders an {@link AccessDiff} as text (terminal), JSON (stable shape, docs/access-diff.md) or Markdown (merge-request note). */
import type { AccessChange, AccessDiff, AccessVerdict, AccountDiff, PermissionDelta } from './types';

/** Formats of `iamctl diff`. */
export const DIFF_FORMATS = ['text', 'json', 'markdown'] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];

/** Hidden line that marks the merge-request note iamctl owns, so later pipelines update it instead of adding another. */
export const ACCESS_DIFF_NOTE_MARKER = '<!-- iamctl:access-diff -->';

/**
 * Largest merge-request note GitLab accepts (characters of the body).
 * @see https://docs.gitlab.com/api/notes/ ("body: The content of a note. Limited to 1,000,000 characters.")
 */
export const MAX_GITLAB_NOTE_CHARS = 1_000_000;

/** Permission deltas shown in full per change in Markdown before the rest is folded. */
const MARKDOWN_ACTIONS_SHOWN = 20;

const EFFECT_MARK: Record<AccessChange['effect'], string> = { grows: '+', narrows: '-', neutral: '~', undecidable: '?' };

const VERDICT_TITLE: Record<AccessVerdict, string> = {
  'no-new-access': 'no new access',
  'new-access': 'new access',
  risky: 'risky',
};

function changeLine(c: AccessChange): string {
  return `${EFFECT_MARK[c.effect]} ${c.risky ? '[risky] ' : ''}${c.reason}`;
}

/** Plain text for a terminal. */
export function renderDiffText(diff: AccessDiff): string {
  const lines = [`Access diff ${diff.base} → ${diff.head}: ${diff.verdict}`];
  if (diff.accounts.length === 0) {
    lines.push('  no IAM change');
    return lines.join('\n');
  }
  for (const account of diff.accounts) {
    lines.push('', `${account.account}${account.accountId ? ` (${account.accountId})` : ''}: ${account.verdict}`);
    for (const c of account.changes) lines.push(`  ${changeLine(c)}`);
  }
  const s = diff.summary;
  lines.push('', `${s.changes} change${s.changes === 1 ? '' : 's'} in ${s.accountsChanged} account${s.accountsChanged === 1 ? '' : 's'}: ${s.grows} grow, ${s.narrows} narrow, ${s.undecidable} cannot be decided, ${s.risky} risky`);
  return lines.join('\n');
}

/** JSON, the documented stable shape (schemaVersion 1). */
export function renderDiffJson(diff: AccessDiff): string {
  return JSON.stringify(diff, null, 2);
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Risky actions named in a cell before the rest are counted. */
const RISKY_ACTIONS_SHOWN = 8;

function actionsCell(delta: PermissionDelta): string {
  const names = delta.actions.map((a) => a.action);
  const written = `written \`${delta.patterns.join(', ')}\``;
  if (delta.actions.length <= MARKDOWN_ACTIONS_SHOWN) {
    const listed = delta.actions.map((a) => {
      const tags = [a.accessLevel, ...a.risks].filter(Boolean).join(', ');
      return `\`${a.action}\`${tags ? ` (${tags})` : ''}`;
    });
    return `${written}: ${listed.join(', ')}`;
  }
  const levels = new Map<string, number>();
  for (const a of delta.actions) levels.set(a.accessLevel ?? 'unknown', (levels.get(a.accessLevel ?? 'unknown') ?? 0) + 1);
  const byRisk = (['privilege-escalation', 'data-exfiltration', 'resource-exposure'] as const)
    .map((risk) => {
      const hits = delta.actions.filter((a) => a.risks.includes(risk)).map((a) => `\`${a.action}\``);
      if (hits.length === 0) return '';
      return `${risk}: ${hits.slice(0, RISKY_ACTIONS_SHOWN).join(', ')}${hits.length > RISKY_ACTIONS_SHOWN ? ` and ${hits.length - RISKY_ACTIONS_SHOWN} more` : ''}`;
    })
    .filter(Boolean);
  const counts = [...levels.entries()].map(([level, n]) => `${n} ${level}`).join(', ');
  return `${written} → ${names.length} actions (${counts})${byRisk.length > 0 ? `; ${byRisk.join('; ')}` : ''}`;
}

function accountSection(account: AccountDiff, folded: boolean): string[] {
  const lines = [`### ${account.account}${account.accountId ? ` (${account.accountId})` : ''}: \`${account.verdict}\``, ''];
  lines.push('| | Subject | Change | Details |', '|---|---|---|---|');
  for (const c of account.changes) {
    const mark = c.risky ? '⚠️' : EFFECT_MARK[c.effect];
    const details = c.permissions ? `${actionsCell(c.permissions)} on \`${c.permissions.resource}\`` : c.reason;
    lines.push(`| ${mark} | ${c.subject.type} \`${escapeCell(c.subject.name)}\` | ${c.kind} | ${escapeCell(details)} |`);
  }
  lines.push('');
  // Long expansions in full, folded.
  for (const c of folded ? account.changes : []) {
    if (!c.permissions || c.permissions.actions.length <= MARKDOWN_ACTIONS_SHOWN) continue;
    lines.push(
      `<details><summary>${c.subject.name}: ${c.kind} ${c.permissions.actions.length} actions on ${c.permissions.resource}</summary>`,
      '',
      c.permissions.actions.map((a) => `\`${a.action}\` (${[a.accessLevel ?? 'unknown', ...a.risks].join(', ')})`).join(', '),
      '',
      '</details>',
      '',
    );
  }
  return lines;
}

/**
 * Markdown for the merge-request note; starts with {@link ACCESS_DIFF_NOTE_MARKER}. Above `maxChars` the folded
 * action lists are left out, then the account tables, and the note says so (the JSON report has everything).
 */
export function renderDiffMarkdown(diff: AccessDiff, maxChars = MAX_GITLAB_NOTE_CHARS): string {
  const full = renderMarkdownParts(diff, true, true);
  if (full.length <= maxChars) return full;
  const tables = renderMarkdownParts(diff, true, false);
  if (tables.length <= maxChars) return `${tables}\n\n_The full action lists are left out (note size limit); see the job's JSON report._`;
  return `${renderMarkdownParts(diff, false, false).slice(0, Math.max(0, maxChars - 200))}\n\n_Truncated at the note size limit; see the job's JSON report._`;
}

function renderMarkdownParts(diff: AccessDiff, tables: boolean, folded: boolean): string {
  const lines = [ACCESS_DIFF_NOTE_MARKER, `## IAM access diff: \`${diff.verdict}\` (${VERDICT_TITLE[diff.verdict]})`, '', `Compared \`${diff.base}\` → \`${diff.head}\`.`, ''];
  if (diff.accounts.length === 0) {
    lines.push('No IAM change.');
    return lines.join('\n');
  }
  lines.push('| Account | Verdict | Changes |', '|---|---|---|');
  for (const a of diff.accounts) lines.push(`| ${a.account} | \`${a.verdict}\` | ${a.changes.length} |`);
  lines.push('');
  if (diff.verdict !== 'no-new-access') {
    lines.push('**Why:**', '');
    for (const reason of diff.reasons) lines.push(`- ${escapeCell(reason)}`);
    lines.push('');
  }
  if (tables) for (const account of diff.accounts) lines.push(...accountSection(account, folded));
  lines.push('Legend: `+` grows access, `-` narrows it, `?` cannot be decided (counted as new access), `~` no effect, ⚠️ risky.');
  return lines.join('\n');
}

/** Renders in the given format. */
export function renderDiff(diff: AccessDiff, format: DiffFormat): string {
  switch (format) {
    case 'json':
      return renderDiffJson(diff);
    case 'markdown':
      return renderDiffMarkdown(diff);
    case 'text':
      return renderDiffText(diff);
  }
}
