import { buildSarifLog, type SarifLevel, type SarifRuleInput } from '../../report';
import type { ScanReport, Severity } from '../types';

const LEVELS: Readonly<Record<Severity, SarifLevel>> = { critical: 'error', high: 'error', medium: 'warning', low: 'note' };

/** SARIF 2.1.0 log of failed and suppressed findings (suppressed ones carry their reason). */
export function renderScanSarif(report: ScanReport, toolVersion: string): string {
  const shown = report.findings.filter((f) => f.status !== 'passed');
  const rules = new Map<string, SarifRuleInput>();
  for (const finding of shown) {
    if (rules.has(finding.checkId)) continue;
    rules.set(finding.checkId, {
      id: finding.checkId,
      shortDescription: finding.title,
      ...(finding.guideline ? { helpUri: finding.guideline } : {}),
      defaultLevel: LEVELS[finding.severity],
    });
  }
  const log = buildSarifLog({
    toolName: 'iamctl scan',
    toolVersion,
    rules: [...rules.values()],
    results: shown.map((finding) => ({
      ruleId: finding.checkId,
      level: LEVELS[finding.severity],
      message: `${finding.message} (${finding.account ? `${finding.account}/` : ''}${finding.resource})`,
      file: finding.file,
      ...(finding.line === undefined ? {} : { line: finding.line }),
      logicalLocation: finding.account ? `${finding.account}/${finding.resource}` : finding.resource,
      ...(finding.suppression ? { suppression: { reason: finding.suppression.reason } } : {}),
      properties: {
        scanner: finding.scanner,
        severity: finding.severity,
        ...(finding.account ? { account: finding.account } : {}),
        ...(finding.constructPath ? { constructPath: finding.constructPath } : {}),
        ...(finding.stackFile ? { stackFile: finding.stackFile } : {}),
      },
    })),
  });
  return `${JSON.stringify(log, null, 2)}\n`;
}
