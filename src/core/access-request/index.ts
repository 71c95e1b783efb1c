export { ACCESS_REQUEST_LABEL, ACCESS_REQUEST_POLICY_NAME, planAccessRequest } from './plan-access-request';
export type { PlanAccessRequestOptions } from './plan-access-request';
export { getExpiryInstant, isExpired, listExpiredGrants, listExpiringGrants, listGrantsWithExpiry } from './grant-expiry';
export type * from './types';
