export { loadOrganizationAtRef, resolveCommit, runGit, MAX_ARCHIVE_BYTES } from './load-organization-at-ref';
export type { LoadOrganizationAtRefOptions } from './load-organization-at-ref';
export { DEFAULT_APPROVAL_POLICY, parseApprovalPolicy, readApprovalPolicyAtRef } from './read-approval-policy';
