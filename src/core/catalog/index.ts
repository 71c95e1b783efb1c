export { createActionCatalog } from './action-catalog';
export { MAX_CATALOG_AGE_DAYS, describeCatalogAge } from './catalog-age';
export { buildInMemoryCatalog } from './in-memory-catalog';
export type { InMemoryActionSpec, InMemoryCatalogSpec } from './in-memory-catalog';
export { arnMatchesTemplate, compileArnTemplateSet } from './arn-pattern';
export { compileWildcard, hasWildcard, matchesWildcard } from './wildcard-pattern';
export { memoizeByCatalog } from './catalog-memo';
export type { CatalogMemoOptions } from './catalog-memo';
export { measureEditDistance, suggestClosest } from './suggest-name';
export { ACCESS_LEVELS } from './types';
export type {
  AccessLevel,
  ActionCatalog,
  ActionInfo,
  ActionResourceType,
  CatalogActionData,
  CatalogConditionKeyData,
  CatalogData,
  CatalogResourceTypeData,
  CatalogServiceData,
  LazyCatalogServiceData,
  ConditionKeyType,
  ResourceTypeMatch,
} from './types';
export { createAwsNames } from './aws-names';
export type { AwsNames, AwsNamesData, ManagedPolicyLookup, RemovedAction, RemovedActionEvidence, ServicePrincipalLookup } from './aws-names';
