import { loadOrganization } from '../../config';
import { loadActionCatalog } from '../../io/catalog';
import { GitLabClient, GITLAB_TOKEN_VARIABLE } from '../../io/gitlab';
import { openExpiryMergeRequests, planExpiry, type ExpiryOutcome, type ExpiryPlan } from '../../portal';
import { EXIT_CODES } from '../exit-codes';
import { invalidArgument, type CommandContext, type CommandModule } from '../program';

interface ExpireFlags {
  readonly dryRun?: boolean;
  readonly now?: string;
  readonly targetBranch: string;
  readonly format: string;
}

/** Text of the plan and the outcomes. */
export function renderExpiryText(plan: ExpiryPlan, outcomes: readonly ExpiryOutcome[] | undefined): string {
  const lines: string[] = [];
  if (plan.accounts.length === 0) lines.push('No expired grants to remove.');
  for (const account of plan.accounts) {
    const outcome = outcomes?.find((o) => o.account === account.account);
    const status = outcome === undefined ? 'dry run' : outcome.mergeRequest ? `merge request !${outcome.mergeRequest.iid} ${outcome.mergeRequest.web_url}` : `not opened: ${outcome.error}`;
    lines.push(`${account.account}: ${account.removed.length} expired grant(s), verdict ${account.verdict}, branch ${account.branch} (${status})`);
    for (const g of account.removed) lines.push(`  - ${g.description} (expired ${g.expires}, ${g.file} ${g.path})`);
  }
  for (const s of plan.skipped) lines.push(`skipped: ${s.grant.description} (expired ${s.grant.expires}): ${s.reason}`);
  return lines.join('\n');
}

async function runExpire(context: CommandContext, flags: ExpireFlags): Promise<void> {
  if (flags.format !== 'text' && flags.format !== 'json') invalidArgument(`--format must be text or json, got "${flags.format}"`);
  const now = flags.now !== undefined ? new Date(flags.now) : new Date();
  if (Number.isNaN(now.getTime())) invalidArgument(`--now must be an ISO date or time (2026-12-01 or 2026-12-01T06:00:00Z), got "${flags.now}"`);
  const org = loadOrganization(context.cwd);
  const catalog = loadActionCatalog();
  const plan = planExpiry(context.cwd, org, catalog, now);
  let outcomes: ExpiryOutcome[] | undefined;
  if (!flags.dryRun && plan.accounts.length > 0) {
    const env = process.env;
    const missing = ['CI_API_V4_URL', 'CI_PROJECT_ID', GITLAB_TOKEN_VARIABLE].filter((n) => !env[n]);
    if (missing.length > 0) invalidArgument(`opening merge requests needs ${missing.join(', ')} (a scheduled pipeline has the first two; set ${GITLAB_TOKEN_VARIABLE} as a masked variable, api scope), or use --dry-run`);
    const gitlab = new GitLabClient({ apiUrl: env.CI_API_V4_URL!, projectId: env.CI_PROJECT_ID!, token: env[GITLAB_TOKEN_VARIABLE]! });
    outcomes = await openExpiryMergeRequests(gitlab, plan, flags.targetBranch);
  }
  if (flags.format === 'json') {
    context.output.result(JSON.stringify({ accounts: plan.accounts.map(({ files, ...rest }) => ({ ...rest, files: files.map((f) => ({ file: f.file, deleted: f.after === null, diff: f.diff })) })), skipped: plan.skipped, outcomes: outcomes ?? [] }, null, 2));
  } else {
    context.output.result(renderExpiryText(plan, outcomes));
  }
  const failed = (outcomes ?? []).some((o) => o.error !== undefined);
  context.setExitCode(failed ? EXIT_CODES.ERROR : plan.accounts.length > 0 || plan.skipped.length > 0 ? EXIT_CODES.FOUND : EXIT_CODES.CLEAN);
}

/** `iamctl expire`: one merge request per account removing the grants whose `expires` date has passed. */
export const expireCommand: CommandModule = {
  register(program, context) {
    program
      .command('expire')
      .description('Open one merge request per account that removes the expired grants (expires: on roles, trust entries, statements), and nothing else')
      .option('--dry-run', 'print what would be removed; open nothing')
      .option('--now <time>', 'compare expiry dates with this time instead of the clock (ISO date or time)')
      .option('--target-branch <branch>', 'branch the merge requests target', 'main')
      .option('--format <format>', 'output format (text, json)', 'text')
      .action((flags: ExpireFlags) => runExpire(context, flags));
  },
};
