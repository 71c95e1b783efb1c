/** Renderers of drift reports and remediation plans: text for people, markdown for merge requests, JSON for tools. */
import type { DriftItem, DriftReport } from './diff';
import { describeAction, type RemediationPlan } from './plan';

/** Output formats of `iamctl drift`. */
export type DriftFormat = 'text' | 'json' | 'markdown';
/** Every accepted value of {@link DriftFormat}. */
export const DRIFT_FORMATS: readonly DriftFormat[] = ['text', 'json', 'markdown'];

function show(value: unknown): string {
  if (value === null || value === undefined) return '(none)';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function headline(item: DriftItem): string {
  const what = item.attribute ? ` ${item.attribute}` : '';
  const prot = item.protected ? ' [protected]' : '';
  return `${item.kind.padEnd(9)} ${item.resourceType} ${item.name}${what}${prot}`;
}

function summaryLine(report: DriftReport): string {
  const s = report.summary;
  const quarantined = s.quarantined > 0 ? `, ${s.quarantined} quarantined role(s) not counted` : '';
  return `${s.total} drift item(s): ${s.changed} changed, ${s.missing} missing, ${s.unmanaged} unmanaged${quarantined}`;
}

/** The stable JSON form: `{account, accountId, checkedAt, scope, drift[], quarantined[], summary}`. */
export function renderDriftJson(report: DriftReport): string {
  return JSON.stringify(report, null, 2);
}

/** Plain text, one block per item with expected and actual values. */
export function renderDriftText(report: DriftReport): string {
  const lines = [`Drift in account ${report.account} (${report.accountId}), scope ${report.scope}, checked ${report.checkedAt}`];
  if (report.drift.length === 0) lines.push('No drift.');
  for (const item of report.drift) {
    lines.push(headline(item));
    if (item.kind === 'changed') {
      lines.push(`  expected: ${show(item.expected)}`);
      lines.push(`  actual:   ${show(item.actual)}`);
    } else {
      lines.push(`  arn: ${item.arn}`);
    }
    if (item.changedBy) lines.push(`  changed by ${item.changedBy.actor} (${item.changedBy.eventName} at ${item.changedBy.eventTime})`);
  }
  for (const name of report.quarantined) lines.push(`quarantined role ${name} (unmanaged, contained)`);
  lines.push(summaryLine(report));
  return lines.join('\n');
}

function cell(value: unknown): string {
  return `\`${show(value).replace(/\|/g, '\\|').replace(/`/g, "'")}\``;
}

/** A markdown table, for merge-request comments and issues. */
export function renderDriftMarkdown(report: DriftReport): string {
  const lines = [`### Drift in \`${report.account}\` (${report.accountId})`, '', `Scope \`${report.scope}\`, checked ${report.checkedAt}. ${summaryLine(report)}.`, ''];
  if (report.drift.length > 0) {
    lines.push('| Kind | Type | Name | Attribute | Expected | Actual |', '|---|---|---|---|---|---|');
    for (const d of report.drift) {
      lines.push(`| ${d.kind}${d.protected ? ' (protected)' : ''} | ${d.resourceType} | ${d.name} | ${d.attribute ?? ''} | ${cell(d.expected)} | ${cell(d.actual)} |`);
    }
  }
  return lines.join('\n');
}

/** Renders a drift report in the given format. */
export function renderDriftReport(report: DriftReport, format: DriftFormat): string {
  switch (format) {
    case 'json':
      return renderDriftJson(report);
    case 'markdown':
      return renderDriftMarkdown(report);
    case 'text':
      return renderDriftText(report);
  }
}

/** A remediation plan as text: numbered actions, then skipped drift with reasons. */
export function renderPlanText(plan: RemediationPlan): string {
  const lines = [`Remediation plan for account ${plan.account} (${plan.accountId}): ${plan.actions.length} action(s)`];
  plan.actions.forEach((action, i) => lines.push(`  ${i + 1}. ${describeAction(action)}`));
  if (plan.skipped.length > 0) {
    lines.push(`Skipped ${plan.skipped.length} drift item(s):`);
    for (const s of plan.skipped) lines.push(`  - ${s.drift.kind} ${s.drift.resourceType} ${s.drift.name}${s.drift.attribute ? ` ${s.drift.attribute}` : ''}: ${s.reason}`);
  }
  return lines.join('\n');
}
