import { GetRoleCommand, paginateListRoles, type IAMClient } from '@aws-sdk/client-iam';
import type { RoleLastUsed } from '../../core/reports';
import { callAws } from '../iam';

/** Options of {@link readRoleLastUsed}. */
export interface ReadRoleLastUsedOptions {
  /** Only roles whose ARN is in this set (lower-case) are read with GetRole. @default - every role of the account */
  readonly only?: ReadonlySet<string>;
}

/**
 * When each role of the account was last used: ListRoles, then GetRole per role, because ListRoles does not return
 * `RoleLastUsed` (IAM API Reference, ListRoles: "RoleLastUsed ... not returned"). Keys are lower-case ARNs; a role
 * IAM has no record of gets `lastUsedDate: null`. IAM tracks last use for 400 days.
 * @see https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRole.html
 */
export async function readRoleLastUsed(iam: IAMClient, options: ReadRoleLastUsedOptions = {}): Promise<Map<string, RoleLastUsed>> {
  const out = new Map<string, RoleLastUsed>();
  const names: { name: string; arn: string }[] = [];
  for await (const page of paginateListRoles({ client: iam }, {})) {
    for (const r of page.Roles ?? []) if (r.RoleName && r.Arn && (!options.only || options.only.has(r.Arn.toLowerCase()))) names.push({ name: r.RoleName, arn: r.Arn });
  }
  for (const { name, arn } of names) {
    const got = await callAws('IAM', 'GetRole', () => iam.send(new GetRoleCommand({ RoleName: name })));
    const used = got.Role?.RoleLastUsed;
    out.set(arn.toLowerCase(), { lastUsedDate: used?.LastUsedDate ? used.LastUsedDate.toISOString() : null, ...(used?.Region ? { region: used.Region } : {}) });
  }
  return out;
}
