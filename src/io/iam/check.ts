/** Reads IAM and compares it with the desired inventory: the step `iamctl drift`, `iamctl remediate` and the Lambda share. */
import type { IAMClient } from '@aws-sdk/client-iam';
import { type DesiredInventory, detectDrift, type DriftReport, type DriftScope, type LiveInventory, planRemediation, type RemediationPlan } from '../../core/drift';
import { readLiveInventory } from './read-live';

/** Options of {@link checkDrift}. */
export interface CheckDriftOptions {
  /** @default 'managed' */
  readonly scope?: DriftScope;
  /** IAM page size. @default IAM_MAX_PAGE_SIZE */
  readonly pageSize?: number;
}

/** A drift check's report with the live inventory it was computed from (remediation plans need both). */
export interface DriftCheck {
  readonly report: DriftReport;
  readonly live: LiveInventory;
}

/** Reads the account's live IAM state and diffs it with the desired inventory. */
export async function checkDrift(iam: IAMClient, desired: DesiredInventory, options: CheckDriftOptions = {}): Promise<DriftCheck> {
  const live = await readLiveInventory(iam, { accountId: desired.accountId, ...(options.pageSize ? { pageSize: options.pageSize } : {}) });
  const report = detectDrift(desired, live, { scope: options.scope ?? 'managed' });
  return { report, live };
}

/** Reads, diffs and plans: what `iamctl remediate` shows before `--apply`. */
export async function planAccountRemediation(iam: IAMClient, desired: DesiredInventory, options: CheckDriftOptions = {}): Promise<DriftCheck & { readonly plan: RemediationPlan }> {
  const check = await checkDrift(iam, desired, options);
  return { ...check, plan: planRemediation(check.report, desired, check.live) };
}
