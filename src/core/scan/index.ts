export { SEVERITIES, SCANNER_NAMES, GATE_CHECKS } from './types';
export type {
  Severity,
  ScannerName,
  FindingSource,
  FindingStatus,
  ScannerResult,
  ScanSuppression,
  ScanFinding,
  ScanSummary,
  ScannerVersions,
  ScanReport,
} from './types';
export { CHECK_SEVERITIES, DEFAULT_CHECK_SEVERITY, resolveCheckSeverity } from './check-severities';
export { parseSuppressions } from './suppressions';
export { evaluateScan, isBlocking, matchesSuppression, rankSeverity, scannerOfCheck, summarizeFindings } from './evaluate-scan';
export type { EvaluateScanOptions, ScanScope } from './evaluate-scan';
export * from './format';
