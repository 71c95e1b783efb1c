export {
  ACCESS_ANALYZER_SERVICE_PRINCIPAL,
  AccessAnalyzerDelegation,
  MAX_ARCHIVE_CRITERION_VALUES,
  MAX_ARCHIVE_RULES_PER_ANALYZER,
  OrganizationAccessAnalyzers,
  describePlatformTrust,
} from './access-analyzer';
export type { AccessAnalyzerDelegationProps, OrganizationAccessAnalyzersProps, PlatformTrustedAccess, TrustPrincipalKind } from './access-analyzer';
