import { buildJUnitXml, type JUnitCaseInput, type JUnitSuiteInput } from '../../report';
import { isBlocking } from '../evaluate-scan';
import type { ScanFinding, ScanReport } from '../types';

function toCase(finding: ScanFinding, report: ScanReport): JUnitCaseInput {
  const name = `${finding.checkId} ${finding.resource} [${finding.scanner}]`;
  const className = finding.file;
  const where = `${finding.file}${finding.line === undefined ? '' : `:${finding.line}`}`;
  const details = [
    `${finding.severity.toUpperCase()} ${finding.checkId}: ${finding.title}`,
    finding.message === finding.title ? undefined : finding.message,
    `resource: ${finding.resource}${finding.account ? ` (account ${finding.account})` : ''}`,
    `file: ${where}`,
    finding.constructPath ? `construct: ${finding.constructPath}` : undefined,
    finding.stackFile ? `stack: ${finding.stackFile}` : undefined,
    finding.guideline ? `guideline: ${finding.guideline}` : undefined,
  ]
    .filter((line): line is string => line !== undefined)
    .join('\n');
  if (finding.status === 'suppressed' && finding.suppression) {
    const by = finding.suppression.builtIn
      ? `built-in rationale ${finding.suppression.builtIn}, ${finding.suppression.file}`
      : `owner ${finding.suppression.owner}, expires ${finding.suppression.expires}`;
    return { name, className, skipped: `suppressed (${by}): ${finding.suppression.reason}` };
  }
  if (finding.status === 'failed' && !isBlocking(finding, report.summary.failOn)) {
    return { name, className, skipped: `${finding.severity} finding below --fail-on ${report.summary.failOn}: ${finding.message}` };
  }
  if (finding.status === 'failed') {
    return { name, className, failure: { message: `${finding.message} (${where})`, type: finding.severity, details } };
  }
  return { name, className };
}

/**
 * JUnit XML for GitLab's `artifacts:reports:junit`: one suite per account (and one for the
 * suppression file), one test case per check on a resource. Blocking findings fail; suppressed
 * findings and findings below --fail-on are skipped with the reason; passed checks pass.
 */
export function renderScanJUnit(report: ScanReport): string {
  const suites = new Map<string, JUnitCaseInput[]>();
  for (const finding of report.findings) {
    const suite = finding.scanner === 'iamctl' ? finding.file : `iamctl scan ${finding.account}`;
    suites.set(suite, [...(suites.get(suite) ?? []), toCase(finding, report)]);
  }
  const input: JUnitSuiteInput[] = [...suites.entries()].map(([name, cases]) => ({ name, cases }));
  if (input.length === 0) input.push({ name: 'iamctl scan', cases: [] });
  return buildJUnitXml(input);
}
