import type { KmsKeyConfig } from '@cdktf/provider-aws/lib/kms-key';
import type { TerraformProvider } from 'cdktf';
import { keyAdministrationStatement } from '../../src/core/iam';
import type { StatementJson } from '../../src/core/policy';

/**
 * Days KMS waits before deleting a scheduled key: the longest window, so a mistaken destroy can be
 * cancelled (KMS ScheduleKeyDeletion, PendingWindowInDays 7–30).
 */
export const KEY_DELETION_WINDOW_DAYS = 30;

/** Options of {@link customerManagedKeyConfig}. */
export interface CustomerManagedKeyOptions {
  /** What the key encrypts. */
  readonly description: string;
  /** Account whose IAM administers the key (the key policy's administration statement). */
  readonly accountId: string;
  /** Statements that let services use the key, after the administration statement. */
  readonly grants: readonly StatementJson[];
  /** @default 'aws' */
  readonly partition?: string;
  /** Provider for a key in another account or region. @default - the stack's default provider */
  readonly provider?: TerraformProvider;
}

/**
 * The configuration every customer managed key of the platform shares (checkov CKV_AWS_7, CKV_AWS_227,
 * CKV2_AWS_64): rotation on, enabled, the longest deletion window, and a literal key policy that keeps
 * the key administrable by its account's IAM before the service grants.
 */
export function customerManagedKeyConfig(options: CustomerManagedKeyOptions): KmsKeyConfig {
  return {
    ...(options.provider ? { provider: options.provider } : {}),
    description: options.description,
    enableKeyRotation: true,
    isEnabled: true,
    deletionWindowInDays: KEY_DELETION_WINDOW_DAYS,
    policy: JSON.stringify({ Version: '2012-10-17', Statement: [keyAdministrationStatement(options.accountId, options.partition), ...options.grants] }),
  };
}
