import { loadOrganization, selectAccounts } from '../../config';
import { ERROR_CODES, IamPlatformError } from '../../core/errors';
import { renderDiff, type DiffFormat } from '../../core/diff';
import { selectRollbackTarget } from '../../core/registry';
import { runGit } from '../../io/git';
import { GitLabClient, GITLAB_TOKEN_VARIABLE } from '../../io/gitlab';
import { openRegistry, writeRollbackFiles } from '../../io/registry';
import { EXIT_CODES } from '../exit-codes';
import { type CommandModule, invalidArgument } from '../program';
import { computeAccessDiff } from './diff';

interface RollbackFlags {
  readonly account: string;
  readonly to: string;
  readonly branch?: string;
  readonly registry?: string;
  readonly format: string;
  readonly mergeRequest?: boolean;
  readonly remote: string;
  readonly target?: string;
}

function git(cwd: string, ...args: string[]): string {
  return runGit(cwd, args).toString('utf8').trim();
}

/**
 * `iamctl rollback --account A --to COMMIT|VERSION`: writes the recorded documents of that version back into
 * accounts/ on a new branch and commits them, shows the access diff of the rollback, and with
 * `--merge-request` pushes the branch and opens a merge request, so the pipeline reviews and applies it.
 */
export const rollbackCommand: CommandModule = {
  register(program, context) {
    program
      .command('rollback')
      .description('Write a recorded version of an account back into accounts/ as a commit on a new branch (optionally a merge request)')
      .requiredOption('--account <name>', 'account to roll back')
      .requiredOption('--to <version>', 'version number (iamctl history) or commit id of an applied version')
      .option('--branch <name>', 'branch to create (default rollback/<account>-v<version>)')
      .option('--format <format>', 'format of the rollback access diff (text, json, markdown)', 'text')
      .option('--registry <store>', 'dynamodb:<table> or file:<path> (default: IAMCTL_REGISTRY_TABLE, else file .iamctl/registry.json)')
      .option('--merge-request', `push the branch and open a merge request (CI_API_V4_URL, CI_PROJECT_ID, ${GITLAB_TOKEN_VARIABLE})`)
      .option('--remote <name>', 'git remote to push to with --merge-request', 'origin')
      .option('--target <branch>', 'target branch of the merge request (default: the current branch)')
      .action(async (flags: RollbackFlags) => {
        if (!['text', 'json', 'markdown'].includes(flags.format)) invalidArgument(`--format must be one of text, json, markdown, got "${flags.format}"`);
        const cwd = context.cwd;
        if (git(cwd, 'status', '--porcelain', '--', 'accounts') !== '') {
          throw new IamPlatformError(ERROR_CODES.INVALID_ARGUMENT, 'accounts/ has uncommitted changes: commit or stash them first (the rollback is a commit of its own)');
        }
        const store = openRegistry({ registry: flags.registry, cwd, env: process.env });
        const { version, records } = selectRollbackTarget(await store.list(flags.account), flags.account, flags.to);
        const [account] = selectAccounts(loadOrganization(cwd), [flags.account]);
        const startBranch = git(cwd, 'rev-parse', '--abbrev-ref', 'HEAD');
        const before = git(cwd, 'rev-parse', 'HEAD');
        const branch = flags.branch ?? `rollback/${account.name}-v${version.version}`;
        git(cwd, 'switch', '-q', '-c', branch);
        let changes: ReturnType<typeof writeRollbackFiles>;
        try {
          changes = writeRollbackFiles(cwd, account, records);
        } catch (error) {
          // Leave the work tree as it was: back to the starting branch, the half-written branch removed.
          git(cwd, 'checkout', '-q', '-f', startBranch);
          git(cwd, 'clean', '-q', '-f', '--', 'accounts');
          git(cwd, 'branch', '-q', '-D', branch);
          throw error;
        }
        for (const w of changes.warnings) context.output.message(`warning: ${w}`);
        if (changes.written.length === 0 && changes.removed.length === 0) {
          git(cwd, 'switch', '-q', startBranch);
          git(cwd, 'branch', '-q', '-D', branch);
          context.output.result(`${account.name} already matches version ${version.version} (${version.commit.slice(0, 12)}): nothing to roll back`);
          context.setExitCode(EXIT_CODES.CLEAN);
          return;
        }
        git(cwd, 'add', '-A', '--', 'accounts');
        const message = `Roll back ${account.name} to version ${version.version} (${version.commit.slice(0, 12)})`;
        git(cwd, '-c', 'user.name=iamctl', '-c', 'user.email=iamctl@localhost', 'commit', '-q', '-m', message, '-m', `Files: ${[...changes.written, ...changes.removed].join(', ')}`);
        const { diff } = computeAccessDiff(cwd, before, 'HEAD');
        context.output.message(`${message} on branch ${branch}: ${changes.written.length} file(s) written, ${changes.removed.length} removed`);
        context.output.result(renderDiff(diff, flags.format as DiffFormat));
        if (flags.mergeRequest) {
          const env = process.env;
          const missing = ['CI_API_V4_URL', 'CI_PROJECT_ID', GITLAB_TOKEN_VARIABLE].filter((n) => !env[n]);
          if (missing.length > 0) invalidArgument(`--merge-request needs ${missing.join(', ')} (the branch ${branch} is committed locally)`);
          git(cwd, 'push', '-q', flags.remote, branch);
          const client = new GitLabClient({ apiUrl: env.CI_API_V4_URL!, projectId: env.CI_PROJECT_ID!, token: env[GITLAB_TOKEN_VARIABLE]! });
          const mr = await client.createMergeRequest(branch, flags.target ?? startBranch, message, `Rollback of ${account.name} to the recorded version ${version.version} (commit ${version.commit}), written by iamctl rollback.\n\n${renderDiff(diff, 'markdown')}`);
          context.output.message(`merge request !${mr.iid}: ${mr.web_url}`);
        }
        context.setExitCode(EXIT_CODES.CLEAN);
      });
  },
};
