import type { ScanReport } from '../types';

/**
 * The stable JSON shape of `iamctl scan --format json`:
 * `{ findings: ScanFinding[], summary: ScanSummary, scanners: { checkov?: { version }, tfsec?: { version } } }`.
 * Findings include passed checks (status `passed`), suppressed ones with their suppression, and the
 * gate's own `suppression-expired` / `suppression-unused` failures (scanner `iamctl`).
 */
export function renderScanJson(report: ScanReport): string {
  return `${JSON.stringify({ findings: report.findings, summary: report.summary, scanners: report.scanners }, null, 2)}\n`;
}
