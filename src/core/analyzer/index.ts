export { canonicalActionName } from './catalog-port';
export type { AccessLevel, AnalyzerCatalog, CatalogActionInfo } from './catalog-port';
export * from './mapping-tables';
export { classifyPrincipal, isDeniedErrorCode } from './classify-event';
export type { ClassifyPrincipalOptions, EventPrincipal, PrincipalClassification, PrincipalType } from './classify-event';
export { EventMapper, mapEventSourceToPrefix, mapEventToActions } from './map-event';
export type { EventMapping } from './map-event';
export {
  BAD_INPUT_REASON_PREFIXES,
  CLOUDTRAIL_EPOCH,
  MAX_FUTURE_SKEW_MS,
  MAX_SKIPPED_DETAILS,
  TAG_REQUEST_KEYS,
  UsageAggregator,
  accountOfArn,
  isBadInputReason,
  normalizeEventTime,
  requestCarriesTags,
} from './usage-aggregate';
export type { AggregatedEvents, SkippedFile, SkippedSummary, UsageAggregatorOptions, UsageRow, UsageSnapshot } from './usage-aggregate';
export { ActionExpander, computeGrantedActions } from './granted-permissions';
export type { GrantedActions, GrantedInput, GrantingPolicy } from './granted-permissions';
export { tightenPolicyDocument } from './tighten-policy';
export type { TightenedPolicy } from './tighten-policy';
export { DEFAULT_MIN_DAYS, analyzeUsage, principalsFromOrganization, rankActionsByRisk, roleArn } from './analyze-usage';
export type { AnalyzeUsageOptions, ManagedPrincipal, PrincipalsFromOrganizationOptions } from './analyze-usage';
export type * from './report';
export { principalsFromLiveInventory } from './live-principals';
export type { LivePrincipalsOptions } from './live-principals';
export { SUSPICIOUS_ACTIONS, findSuspiciousCalls, orderPrincipalsForReview } from './review-order';
export type { ReviewEntry, SuspiciousCall, SuspiciousCategory } from './review-order';
