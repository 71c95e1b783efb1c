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
export { BUILT_IN_RATIONALES, BUILT_IN_RATIONALES_DOC, BUILT_IN_RATIONALE_OWNER, findBuiltInRationale, requiresExternalIdForAccounts } from './built-in-rationales';
export type { BuiltInRationale } from './built-in-rationales';
