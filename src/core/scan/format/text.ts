import { isBlocking } from '../evaluate-scan';
import { SEVERITIES, type ScanFinding, type ScanReport } from '../types';

function location(finding: ScanFinding): string {
  return finding.line === undefined ? finding.file : `${finding.file}:${finding.line}`;
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
    lines.push(`    suppressed by ${finding.suppression.file}${finding.suppression.line ? `:${finding.suppression.line}` : ''} (owner ${finding.suppression.owner}, expires ${finding.suppression.expires}): ${finding.suppression.reason}`);
  }
  return lines;
}

/** Human-readable report: failures and suppressions grouped by account, each naming its accounts/ file. */
export function renderScanText(report: ScanReport): string {
  const { summary } = report;
  const versions = Object.entries(report.scanners)
    .map(([name, info]) => `${name} ${info?.version ?? 'unknown'}`)
    .join(', ');
  const lines: string[] = [
    `scan ${summary.clean ? 'passed' : 'FAILED'}: ${describeFailedCounts(report)}, ${summary.suppressed} suppressed, ${summary.passed} passed checks over ${summary.accounts.length} account${summary.accounts.length === 1 ? '' : 's'} (fail on ${summary.failOn} and above; ${summary.blocking} blocking)`,
    `scanners: ${versions || 'none'}`,
  ];
  const shown = report.findings.filter((f) => f.status !== 'passed');
  const groups = new Map<string, ScanFinding[]>();
  for (const finding of shown) {
    const key = finding.scanner === 'iamctl' ? `suppression file ${finding.file}` : `account ${finding.account}`;
    groups.set(key, [...(groups.get(key) ?? []), finding]);
  }
  for (const [group, findings] of groups) {
    lines.push('', group);
    for (const finding of findings) lines.push(...renderFinding(finding, summary.failOn));
  }
  return `${lines.join('\n')}\n`;
}
