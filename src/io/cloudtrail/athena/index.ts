export { USAGE_QUERY_COLUMNS, buildCloudTrailTableDdl, buildDeniedPredicate, buildUsageQuery } from './athena-sql';
export type { CloudTrailTableOptions, UsageQueryOptions } from './athena-sql';
export { ATHENA_MAX_RESULTS, collectUsageFromAthena, runAthenaQuery } from './athena-runner';
export type { AthenaSender, AthenaUsageOptions, RunAthenaQueryOptions } from './athena-runner';
