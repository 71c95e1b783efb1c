/** Renders an {@link AccessDiff} as text (terminal), JSON (stable shape, docs/access-diff.md) or Markdown (merge-request note). */
import type { AccessChange, AccessDiff, AccessVerdict, AccountDiff, PermissionDelta } from './types';

/** Formats of `iamctl diff`. */
export const DIFF_FORMATS = ['text', 'json', 'markdown'] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];

/** Hidden line that marks the merge-request note iamctl owns, so later pipelines update it instead of adding another. */
export const ACCESS_DIFF_NOTE_MARKER = '<!-- iamctl:access-diff -->';

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

function actionsCell(delta: PermissionDelta): string {
  const shown = delta.actions.slice(0, MARKDOWN_ACTIONS_SHOWN).map((a) => {
    const tags = [a.accessLevel, ...a.risks].filter(Boolean).join(', ');
    return `\`${a.action}\`${tags ? ` (${tags})` : ''}`;
  });
  const more = delta.actions.length > MARKDOWN_ACTIONS_SHOWN ? `, … ${delta.actions.length - MARKDOWN_ACTIONS_SHOWN} more` : '';
  const written = delta.patterns.join(', ');
  return `written \`${written}\`: ${shown.join(', ')}${more}`;
}

function accountSection(account: AccountDiff): string[] {
  const lines = [`### ${account.account}${account.accountId ? ` (${account.accountId})` : ''}: \`${account.verdict}\``, ''];
  lines.push('| | Subject | Change | Details |', '|---|---|---|---|');
  for (const c of account.changes) {
    const mark = c.risky ? '⚠️' : EFFECT_MARK[c.effect];
    const details = c.permissions ? `${actionsCell(c.permissions)} on \`${c.permissions.resource}\`` : c.reason;
    lines.push(`| ${mark} | ${c.subject.type} \`${escapeCell(c.subject.name)}\` | ${c.kind} | ${escapeCell(details)} |`);
  }
  lines.push('');
  return lines;
}

/** Markdown for the merge-request note; starts with {@link ACCESS_DIFF_NOTE_MARKER}. */
export function renderDiffMarkdown(diff: AccessDiff): string {
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
  for (const account of diff.accounts) lines.push(...accountSection(account));
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
