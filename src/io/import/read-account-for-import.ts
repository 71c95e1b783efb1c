/** Reads what `iamctl import` needs of an account: the drift reader's inventory plus policy tags. */
import type { IAMClient } from '@aws-sdk/client-iam';
import type { LiveInventory } from '../../core/drift';
import { readLiveInventory, readPolicyTags } from '../iam';

/** Options of {@link readAccountForImport}. */
export interface ReadAccountForImportOptions {
  readonly accountId: string;
}

/**
 * Every role, customer managed policy (with its tags: one ListPolicyTags call per policy, which
 * GetAccountAuthorizationDetails does not report) and OIDC provider of the account.
 */
export async function readAccountForImport(iam: IAMClient, options: ReadAccountForImportOptions): Promise<LiveInventory> {
  const live = await readLiveInventory(iam, { accountId: options.accountId });
  const policies = [];
  for (const policy of live.policies) policies.push({ ...policy, tags: await readPolicyTags(iam, policy.arn) });
  return { ...live, policies };
}
