import { isBlocking } from '../evaluate-scan';
import { SEVERITIES, type ScanFinding, type ScanReport } from '../types';

function location(finding: ScanFinding): string {
  return finding.line === undefined ? finding.file : `${finding.file}:${finding.line}`;
}

/** Where a suppression is and who answers for it: a reviewed entry (file:line, owner, expiry) or a built-in rationale. */
function describeSuppression(s: NonNullable<ScanFinding['suppression']>): string {
  if (s.builtIn) return `built-in rationale ${s.builtIn} (${s.file}, no expiry)`;
  return `${s.file}${s.line ? `:${s.line}` : ''} (owner ${s.owner}, expires ${s.expires})`;
}

function describeFailedCounts(report: ScanReport): string {
  const { summary } = report;
  const parts = [...SEVERITIES]
    .reverse()
    .filter((s) => summary.failed[s] > 0)
    .map((s) => `${summary.failed[s]} ${s}`);
  return parts.length > 0 ? `${summary.failedTotal} failed (${parts.join(', ')})` : '0 failed';
}

function renderFinding(finding: ScanFinding, failOn: ScanReport['summary']['failOn']): string[] {
  const tag = finding.status === 'suppressed' ? 'SUPPRESSED' : isBlocking(finding, failOn) ? finding.severity.toUpperCase() : `${finding.severity.toUpperCase()} (below --fail-on)`;
  const lines = [`  ${tag} ${finding.checkId} ${finding.resource} [${finding.scanner}]`, `    ${location(finding)}${finding.constructPath ? `  (${finding.constructPath})` : ''}`, `    ${finding.message}`];
  if (finding.guideline) lines.push(`    ${finding.guideline}`);
  if (finding.suppression) {
    lines.push(`    suppressed by ${describeSuppression(finding.suppression)}: ${finding.suppression.reason}`);
  }
  return lines;
}

/** Options of {@link renderScanText}. */
export interface ScanTextOptions {
  /** List every suppressed finding in full, not one line per suppression entry. @default false */
  readonly showSuppressed?: boolean;
}

/** One line per suppression entry: where it is, what it silenced and why. */
function renderSuppressionSummary(suppressed: readonly ScanFinding[]): string[] {
  const byEntry = new Map<string, { finding: ScanFinding; checks: Map<string, number> }>();
  for (const finding of suppressed) {
    const s = finding.suppression;
    if (!s) continue;
    const key = s.builtIn ? `built-in ${s.builtIn}` : `${s.file}${s.line ? `:${s.line}` : ''}`;
    const entry = byEntry.get(key) ?? { finding, checks: new Map<string, number>() };
    entry.checks.set(finding.checkId, (entry.checks.get(finding.checkId) ?? 0) + 1);
    byEntry.set(key, entry);
  }
  const builtIn = [...byEntry.values()].filter((e) => e.finding.suppression?.builtIn).length;
  const reviewed = byEntry.size - builtIn;
  const by = [`${reviewed} reviewed entr${reviewed === 1 ? 'y' : 'ies'}`, ...(builtIn > 0 ? [`${builtIn} built-in rationale${builtIn === 1 ? '' : 's'}`] : [])].join(' and ');
  const lines = ['', `suppressed: ${suppressed.length} finding${suppressed.length === 1 ? '' : 's'} by ${by} (--show-suppressed lists each finding)`];
  const ordered = [...byEntry].sort(([, a], [, b]) => (a.finding.suppression!.file.localeCompare(b.finding.suppression!.file)) || (a.finding.suppression!.line ?? 0) - (b.finding.suppression!.line ?? 0));
  for (const [where, { finding, checks }] of ordered) {
    const counts = [...checks].map(([check, n]) => `${check} ×${n}`).join(', ');
    const s = finding.suppression!;
    lines.push(s.builtIn ? `  ${s.file}  ${counts} (built-in rationale ${s.builtIn}, no expiry): ${s.reason}` : `  ${where}  ${counts} (owner ${s.owner}, expires ${s.expires}): ${s.reason}`);
  }
  return lines;
}

/**
 * Human-readable report: failures grouped by account, each naming its accounts/ file, then the
 * suppressions with what they silenced (each suppressed finding in full with `showSuppressed`).
 */
export function renderScanText(report: ScanReport, options: ScanTextOptions = {}): string {
  const { summary } = report;
  const versions = Object.entries(report.scanners)
    .map(([name, info]) => `${name} ${info?.version ?? 'unknown'}`)
    .join(', ');
  const lines: string[] = [
    `scan ${summary.clean ? 'passed' : 'FAILED'}: ${describeFailedCounts(report)}, ${summary.suppressed} suppressed, ${summary.passed} passed checks over ${summary.accounts.length} account${summary.accounts.length === 1 ? '' : 's'} (fail on ${summary.failOn} and above; ${summary.blocking} blocking)`,
    `scanners: ${versions || 'none'}`,
  ];
  const shown = report.findings.filter((f) => f.status === 'failed' || (options.showSuppressed && f.status === 'suppressed'));
  const groups = new Map<string, ScanFinding[]>();
  for (const finding of shown) {
    const key = finding.scanner === 'iamctl' ? `suppression file ${finding.file}` : `account ${finding.account}`;
    groups.set(key, [...(groups.get(key) ?? []), finding]);
  }
  for (const [group, findings] of groups) {
    lines.push('', group);
    for (const finding of findings) lines.push(...renderFinding(finding, summary.failOn));
  }
  const suppressed = report.findings.filter((f) => f.status === 'suppressed');
  if (!options.showSuppressed && suppressed.length > 0) lines.push(...renderSuppressionSummary(suppressed));
  return `${lines.join('\n')}\n`;
}
