/**
 * The gate's own severity for each scanner check.
 *
 * checkov reports `severity: null` unless it is connected to the Prisma Cloud platform, so every
 * checkov check gets its severity here. tfsec reports its own severity; an entry here overrides it.
 * Checks not listed are `medium` (DEFAULT_CHECK_SEVERITY).
 *
 * How the levels were chosen (IAM platform view):
 * - critical: static credentials in code, root access keys.
 * - high: admin or unbounded permissions, trusts open to anyone, policies on users, privilege escalation.
 * - medium (default): everything else that a reviewer should read.
 * - low: hygiene on supporting resources (logging buckets, Lambda tuning) that never grants access.
 * @see https://www.checkov.io/5.Policy%20Index/terraform.html
 */
import type { Severity } from './types';

/** Severity of a check that is neither in the table nor rated by its scanner. */
export const DEFAULT_CHECK_SEVERITY: Severity = 'medium';

/** Check id → severity. */
export const CHECK_SEVERITIES: Readonly<Record<string, Severity>> = {
  // Credentials
  CKV_AWS_41: 'critical', // provider block with hard-coded access keys
  CKV_AWS_348: 'critical', // access key for the root user
  // Admin and unbounded permissions (aws_iam_policy / role_policy / user_policy / group_policy)
  CKV_AWS_62: 'high', // "*:*" administrator statement
  CKV_AWS_63: 'high', // "*" as an action
  CKV_AWS_286: 'high', // privilege escalation
  CKV_AWS_287: 'high', // credential exposure
  CKV_AWS_288: 'high', // data exfiltration
  CKV_AWS_289: 'high', // unconstrained permissions management
  CKV_AWS_290: 'high', // unconstrained write access
  CKV_AWS_355: 'medium', // "*" resource for restrictable actions
  CKV2_AWS_40: 'high', // full IAM privileges
  // Same checks on data aws_iam_policy_document
  CKV_AWS_1: 'high',
  CKV_AWS_49: 'high',
  CKV_AWS_107: 'high',
  CKV_AWS_108: 'high',
  CKV_AWS_109: 'high',
  CKV_AWS_110: 'high',
  CKV_AWS_111: 'high',
  CKV_AWS_283: 'high', // "*" principal
  // Trust and attachments
  CKV_AWS_60: 'high', // role trust open to everyone
  CKV_AWS_61: 'high', // role trust to a whole account (root)
  CKV_AWS_40: 'high', // policy attached to a user
  CKV_AWS_274: 'high', // AdministratorAccess attached
  CKV_AWS_275: 'high', // policy named/using AdministratorAccess
  CKV2_AWS_56: 'high', // IAMFullAccess attached
  CKV_AWS_273: 'medium', // IAM users instead of SSO
  // Supporting resources: hygiene, no access granted
  CKV_AWS_18: 'low', // S3 access logging
  CKV_AWS_144: 'low', // S3 cross-region replication
  CKV2_AWS_61: 'low', // S3 lifecycle configuration
  CKV2_AWS_62: 'low', // S3 event notifications
  CKV_AWS_50: 'low', // Lambda X-Ray tracing
  CKV_AWS_115: 'low', // Lambda reserved concurrency
  CKV_AWS_116: 'low', // Lambda dead-letter queue
  CKV_AWS_117: 'low', // Lambda inside a VPC
  CKV_AWS_272: 'low', // Lambda code signing
  CKV2_AWS_16: 'low', // DynamoDB auto scaling (noisy with on-demand billing)
};

/** The gate's severity for a check: the table, else the scanner's own, else the default. */
export function resolveCheckSeverity(checkId: string, scannerSeverity: Severity | undefined): Severity {
  return CHECK_SEVERITIES[checkId] ?? scannerSeverity ?? DEFAULT_CHECK_SEVERITY;
}
