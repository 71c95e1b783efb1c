/**
 * AWS size and count limits for IAM and Organizations policies.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html
 */

/** Customer managed policy document, in characters, whitespace not counted (IAM quotas). */
export const MAX_MANAGED_POLICY_CHARS = 6144;
/** Aggregate of all inline policies of one role, whitespace not counted (IAM quotas). */
export const MAX_ROLE_INLINE_POLICIES_CHARS = 10240;
/** Aggregate of all inline policies of one user (IAM quotas). */
export const MAX_USER_INLINE_POLICIES_CHARS = 2048;
/** Aggregate of all inline policies of one group (IAM quotas). */
export const MAX_GROUP_INLINE_POLICIES_CHARS = 5120;
/** Role trust policy, default quota, adjustable up to 4096 (IAM quotas). */
export const MAX_TRUST_POLICY_CHARS = 2048;
/** Service control policy; the API strips whitespace outside quotes (Organizations quotas). */
export const MAX_SCP_CHARS = 5120;
/** SCPs attached to one root, OU or account (Organizations quotas). */
export const MAX_SCPS_PER_TARGET = 5;
/** Managed policies attached to one role, default quota (IAM quotas). */
export const MAX_MANAGED_POLICIES_PER_ROLE = 10;
/** Stored versions of one managed policy (IAM quotas). */
export const MAX_POLICY_VERSIONS = 5;
/** Role name length (IAM quotas). */
export const MAX_ROLE_NAME_CHARS = 64;
/** Managed policy name length (IAM quotas). */
export const MAX_POLICY_NAME_CHARS = 128;
/** Path length (IAM quotas). */
export const MAX_PATH_CHARS = 512;
/** Shortest role session, in seconds (IAM CreateRole MaxSessionDuration). */
export const MIN_SESSION_DURATION_SECONDS = 3600;
/** Longest role session, in seconds (IAM CreateRole MaxSessionDuration). */
export const MAX_SESSION_DURATION_SECONDS = 43200;

/** The kinds of policy document the platform handles. */
export type PolicyType = 'identity' | 'resource' | 'trust' | 'boundary' | 'scp';

/** The size limit that applies to one document of the given type, in characters. */
export function sizeLimitFor(type: PolicyType): number {
  switch (type) {
    case 'identity':
    case 'boundary':
      return MAX_MANAGED_POLICY_CHARS;
    case 'trust':
      return MAX_TRUST_POLICY_CHARS;
    case 'scp':
      return MAX_SCP_CHARS;
    case 'resource':
      // Resource policies differ by service (S3 bucket policy 20 KB, KMS key policy 32 KB, SNS 30 KB);
      // the smallest common one is the S3 bucket policy.
      return MAX_S3_BUCKET_POLICY_CHARS;
  }
}

/** S3 bucket policy size (S3 user guide, "Bucket policy size"). */
export const MAX_S3_BUCKET_POLICY_CHARS = 20480;
