import { selectAccounts } from '../../config';
import { ACCESS_VERDICTS, ORGANIZATION_STACKS } from '../../core/diff';
import { advanceRecord, buildAccountRecords, RECORD_STATUSES, type RecordStatus } from '../../core/registry';
import { loadOrganizationAtRef, resolveCommit } from '../../io/git';
import { openRegistry } from '../../io/registry';
import { EXIT_CODES } from '../exit-codes';
import { type CommandModule, invalidArgument } from '../program';
import { collectAccounts } from './synth';
import { readRecordedRuns } from './tfc';

interface RecordFlags {
  readonly status: string;
  readonly account: string[];
  readonly commit: string;
  readonly mergeRequest?: string;
  readonly by?: string;
  readonly tfcRun?: string;
  readonly verdict?: string;
  readonly registry?: string;
  readonly runs?: string;
  readonly environment?: string;
}

/**
 * `iamctl record --status planned|approved|applied|failed|rolled-back --account A`: writes the record of every
 * role and policy of the accounts at a commit (planned), or moves the commit's records to the next status.
 */
export const recordCommand: CommandModule = {
  register(program, context) {
    program
      .command('record')
      .description('Record the version of each IAM resource of an account at a commit (policy registry: DynamoDB, or a local file offline)')
      .requiredOption('--status <status>', `status (${RECORD_STATUSES.join(', ')}); planned writes the versions, the others update them`)
      .option('--account <name>', 'account (repeatable, or comma-separated; `organization` and an empty list are skipped, as the dotenv lists give them)', collectAccounts, [])
      .option('--runs <file>', 'take the accounts and each one\'s Terraform Cloud run id from this run manifest (plans/tfc-runs.json of tfc plan)')
      .option('--environment <env>', 'with --runs: only the runs of this environment (the deploy job\'s)')
      .option('--commit <ref>', 'commit the version comes from', 'HEAD')
      .option('--merge-request <iid>', 'merge request that produced the version (CI_MERGE_REQUEST_IID)')
      .option('--by <login>', 'who approved or applied (GITLAB_USER_LOGIN)')
      .option('--tfc-run <id>', 'Terraform Cloud run id')
      .option('--verdict <verdict>', `access-diff verdict (${ACCESS_VERDICTS.join(', ')})`)
      .option('--registry <store>', 'dynamodb:<table> or file:<path> (default: IAMCTL_REGISTRY_TABLE, else file .iamctl/registry.json)')
      .action(async (flags: RecordFlags) => {
        if (!(RECORD_STATUSES as readonly string[]).includes(flags.status)) invalidArgument(`--status must be one of ${RECORD_STATUSES.join(', ')}, got "${flags.status}"`);
        if (flags.verdict !== undefined && !(ACCESS_VERDICTS as readonly string[]).includes(flags.verdict)) invalidArgument(`--verdict must be one of ${ACCESS_VERDICTS.join(', ')}, got "${flags.verdict}"`);
        if (flags.runs === undefined && flags.account.length === 0) invalidArgument('give --account <name> or --runs <run manifest>: which accounts to record');
        if (flags.runs !== undefined && (flags.account.length > 0 || flags.tfcRun !== undefined)) invalidArgument('--runs gives the accounts and run ids: do not combine it with --account or --tfc-run');
        const runs = flags.runs !== undefined ? readRecordedRuns(context.cwd, flags.runs, flags.environment) : undefined;
        const status = flags.status as RecordStatus;
        const commit = resolveCommit(context.cwd, flags.commit);
        const store = openRegistry({ registry: flags.registry, cwd: context.cwd, env: process.env });
        const at = new Date().toISOString();
        let count = 0;
        const org = status === 'planned' ? loadOrganizationAtRef(context.cwd, commit) : undefined;
        // SCPs (the organization stacks) are not IAM resources of an account: not recorded.
        const names = runs ? [...runs.keys()] : flags.account;
        const accounts = names.filter((a) => a !== ORGANIZATION_STACKS);
        if (accounts.length < names.length) context.output.message('organization stacks (SCPs) are not recorded');
        for (const name of accounts) {
          if (org) {
            const [account] = selectAccounts(org, [name]);
            const records = buildAccountRecords(account, { commit, status, at, mergeRequest: flags.mergeRequest, verdict: flags.verdict, by: flags.by, tfcRunId: runs?.get(name) ?? flags.tfcRun });
            await store.put(records);
            count += records.length;
            continue;
          }
          const existing = (await store.list(name)).filter((r) => r.commit === commit);
          if (existing.length === 0) invalidArgument(`no planned records of ${name} at ${commit.slice(0, 12)} in ${store.location}: record --status planned first (at plan)`);
          await store.put(existing.map((r) => advanceRecord(r, status, at, { by: flags.by, tfcRunId: runs?.get(name) ?? flags.tfcRun, verdict: flags.verdict })));
          count += existing.length;
        }
        context.output.result(`Recorded ${count} resource version${count === 1 ? '' : 's'} of ${accounts.join(', ') || 'no account'} at ${commit.slice(0, 12)} as ${status} in ${store.location}`);
        context.setExitCode(EXIT_CODES.CLEAN);
      });
  },
};
