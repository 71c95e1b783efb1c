/**
 * `iamctl expire`: one merge request per account that removes the grants whose `expires` date has
 * passed, and nothing else. The edit is comment-preserving; a removal that cannot be made safely (a
 * grant from a role template, a role's last trust) is skipped and reported, never guessed.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { listExpiredGrants, type ExpiringGrant } from '../core/access-request';
import type { ActionCatalog } from '../core/catalog';
import { buildAccessModel, diffAccessModels, type AccessVerdict } from '../core/diff';
import { ERROR_CODES, IamPlatformError } from '../core/errors';
import type { ResolvedOrganization } from '../core/model';
import type { GitLabClient, GitLabMergeRequest } from '../io/gitlab';
import { removeExpiredParts, type ExpiredPart } from '../io/yaml-edit';
import { loadEditedOrganization } from './load-edited-organization';
import { renderTextDiff } from './render-text-diff';

/** Label of the merge requests `iamctl expire` opens. */
export const EXPIRY_LABEL = 'access-expiry';

/** A grant that stays, and why. */
export interface SkippedGrant {
  readonly grant: ExpiringGrant;
  readonly reason: string;
}

/** The change of one file. */
export interface ExpiryFileChange {
  readonly file: string;
  /** The new text, or null when the file is deleted (an expired role). */
  readonly after: string | null;
  readonly before: string;
  readonly diff: string;
}

/** What expiry changes in one account. */
export interface AccountExpiryPlan {
  readonly account: string;
  readonly branch: string;
  readonly title: string;
  readonly removed: readonly ExpiringGrant[];
  readonly files: readonly ExpiryFileChange[];
  /** Access-diff verdict of the change (removals only: `no-new-access`). */
  readonly verdict: AccessVerdict;
  readonly description: string;
}

/** Result of {@link planExpiry}. */
export interface ExpiryPlan {
  readonly accounts: readonly AccountExpiryPlan[];
  readonly skipped: readonly SkippedGrant[];
}

function partOf(grant: ExpiringGrant): ExpiredPart | undefined {
  if (grant.kind === 'trust') return { kind: 'trust', index: grant.index! };
  if (grant.kind === 'statement') return { kind: 'statement', policyName: grant.policyName!, index: grant.index! };
  return undefined;
}

/** Plans the removals of every grant expired at `now`, grouped by account. */
export function planExpiry(rootDir: string, org: ResolvedOrganization, catalog: ActionCatalog, now: Date): ExpiryPlan {
  const skipped: SkippedGrant[] = [];
  const byAccount = new Map<string, ExpiringGrant[]>();
  for (const grant of listExpiredGrants(org, now)) {
    if (grant.template !== undefined) {
      skipped.push({ grant, reason: `it comes from the role template "${grant.template}" (${grant.file}), shared by every matching account: remove it there by hand` });
      continue;
    }
    byAccount.set(grant.account, [...(byAccount.get(grant.account) ?? []), grant]);
  }
  const date = now.toISOString().slice(0, 10);
  const accounts: AccountExpiryPlan[] = [];
  for (const [account, grants] of byAccount) {
    const files: ExpiryFileChange[] = [];
    const removed: ExpiringGrant[] = [];
    const byFile = new Map<string, ExpiringGrant[]>();
    for (const g of grants) byFile.set(g.file, [...(byFile.get(g.file) ?? []), g]);
    for (const [file, fileGrants] of byFile) {
      const before = readFileSync(resolve(rootDir, file), 'utf8');
      const roleGrant = fileGrants.find((g) => g.kind === 'role');
      if (roleGrant) {
        files.push({ file, before, after: null, diff: renderTextDiff(file, before, '') });
        removed.push(...fileGrants);
        continue;
      }
      const parts = fileGrants.map((g) => ({ g, part: partOf(g)! }));
      const result = removeExpiredParts(before, file, parts.map((p) => p.part));
      for (const { g, part } of parts) {
        const skip = result.skipped.find((s) => s.part === part);
        if (skip) skipped.push({ grant: g, reason: skip.reason });
        else removed.push(g);
      }
      if (result.text !== before) files.push({ file, before, after: result.text, diff: renderTextDiff(file, before, result.text) });
    }
    if (files.length === 0) continue;
    const head = loadEditedOrganization(rootDir, new Map(files.map((f) => [f.file, f.after])));
    const diff = diffAccessModels(buildAccessModel(org), buildAccessModel(head), { catalog, baseLabel: 'main', headLabel: `expire/${account}` });
    const verdict = diff.accounts.find((a) => a.account === account)?.verdict ?? diff.verdict;
    const title = `Expire ${removed.length} grant${removed.length === 1 ? '' : 's'} in ${account} (${date})`;
    const description = [
      `Scheduled \`iamctl expire\` on ${date}: removes the grants of ${account} whose \`expires\` date has passed, and nothing else.`,
      '',
      ...removed.map((g) => `- ${g.description}: expired ${g.expires} (\`${g.file}\` ${g.path})`),
      '',
      `**Access diff verdict:** \`${verdict}\``,
      '',
      '```diff',
      ...files.map((f) => f.diff.trimEnd()),
      '```',
    ].join('\n');
    accounts.push({ account, branch: `expire/${account}-${date}`, title, removed, files, verdict, description });
  }
  return { accounts, skipped };
}

/** One account's outcome. */
export interface ExpiryOutcome {
  readonly account: string;
  /** @default - not opened (see error) */
  readonly mergeRequest?: GitLabMergeRequest;
  /** @default - none */
  readonly error?: string;
}

/** Opens the merge requests, one per account; a failure in one account is reported and the others go on. */
export async function openExpiryMergeRequests(gitlab: GitLabClient, plan: ExpiryPlan, targetBranch: string): Promise<ExpiryOutcome[]> {
  const out: ExpiryOutcome[] = [];
  for (const account of plan.accounts) {
    try {
      await gitlab.createCommit(
        account.branch,
        targetBranch,
        `${account.title}\n\nRemoved by iamctl expire: ${account.removed.map((g) => g.description).join('; ')}.`,
        account.files.map((f) => (f.after === null ? { action: 'delete' as const, file_path: f.file } : { action: 'update' as const, file_path: f.file, content: f.after })),
      );
      const mergeRequest = await gitlab.createMergeRequest(account.branch, targetBranch, account.title, account.description, { labels: [EXPIRY_LABEL, `verdict::${account.verdict}`] });
      out.push({ account: account.account, mergeRequest });
    } catch (error) {
      if (!(error instanceof IamPlatformError) || error.code !== ERROR_CODES.REMOTE_API) throw error;
      out.push({ account: account.account, error: /already exists/.test(error.message) ? `branch ${account.branch} already exists: today's expiry merge request is open; merge or close it` : error.message });
    }
  }
  return out;
}
