export { ACCESS_REVIEW_SCHEMA_VERSION, DEFAULT_UNUSED_ROLE_DAYS, buildAccessReview, summarizeRecordedChanges } from './access-review';
export type {
  AccessReview,
  AccountAccessReview,
  BuildAccessReviewOptions,
  ReviewAdminPath,
  ReviewChange,
  ReviewChanges,
  ReviewRole,
  RecordForReview,
  ReviewTrust,
  RoleLastUsed,
} from './access-review';
export { DECISIONS, DEFAULT_DECISION_DUE_DAYS, mergeDecisions, parseDecisionRows } from './decisions';
export type { Decision, DecisionRow, FlagKind, FlaggedItem, MergeDecisionsOptions } from './decisions';
export { BOUNDARY_EXEMPT_KINDS, COMPLIANCE_CHECKS, COMPLIANCE_SCHEMA_VERSION, MAX_COMPLIANCE_SCORE, mergeComplianceEvidence, parseComplianceEvidence, scoreCompliance } from './compliance';
export type { AccountCompliance, CheckResult, ComplianceCheck, ComplianceEvidence, EvidenceProvenance, ComplianceReport, ComplianceScorePoint, ScoreComplianceOptions } from './compliance';
export { RISK_POINTS_BY_ACCESS_LEVEL, UNUSED_REPORT_SCHEMA_VERSION, buildUnusedReport, diffLines } from './unused-report';
export type { BuildUnusedReportOptions, DiffLine, PolicyChange, UnusedReport, UnusedRole } from './unused-report';
export { DRIFT_METRIC_DIMENSIONS, DRIFT_METRIC_KINDS, DRIFT_METRIC_NAMES, DRIFT_METRICS_NAMESPACE } from './drift-metrics';
