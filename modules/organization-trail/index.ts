export { OrganizationTrail } from './organization-trail';
export type { OrganizationTrailProps } from './organization-trail';
export { TrailStorage, TRAIL_LOG_TRANSITION_DAYS } from './trail-storage';
export type { TrailStorageProps } from './trail-storage';
export { LogBucket, ABORT_INCOMPLETE_UPLOAD_DAYS } from './log-bucket';
export type { LogBucketProps } from './log-bucket';
export { buildTrailArn, buildTrailKeyAliasArn, trailKeyAliasName } from './trail-names';
export type { TrailArnOptions, TrailKeyAliasArnOptions } from './trail-names';
