import { resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { buildDesiredInventory, renderPlanText } from '../../core/drift';
import {
  applyRemediationPlan,
  describeRemediationResult,
  DynamoDbPolicyVersionStore,
  FileJournal,
  JOURNAL_DIR,
  planAccountRemediation,
  resolveEndpoint,
} from '../../io/iam';
import { EXIT_CODES } from '../exit-codes';
import { type CommandModule, invalidArgument } from '../program';
import { addAwsFlags, type AwsFlags, connect, type DriftCommandOptions, loadAccountFromRepo, parseAwsFlags } from './drift';

/** Output formats of `iamctl remediate`. */
export const REMEDIATE_FORMATS = ['text', 'json'] as const;

interface RemediateFlags extends AwsFlags {
  readonly apply?: boolean;
  readonly format: string;
  readonly journalDir: string;
  readonly versionTable?: string;
}

/**
 * `iamctl remediate --account NAME [--apply]`: shows the plan that restores the desired state; changes
 * IAM only with `--apply`, journaling every replaced document first. Exit 0 nothing (left) to do,
 * 1 drift remains (plan shown, or items remediation skips), 2 could not run or a change failed.
 */
export function createRemediateCommand(options: DriftCommandOptions = {}): CommandModule {
  const loadAccount = options.loadAccount ?? loadAccountFromRepo;
  return {
    register(program, context) {
      addAwsFlags(program.command('remediate').description('Plan (and with --apply, make) the IAM changes that remove drift'))
        .option('--apply', 'make the changes (default: show the plan only)')
        .option('--format <format>', `output format (${REMEDIATE_FORMATS.join(', ')})`, 'text')
        .option('--journal-dir <dir>', 'where the journal of replaced documents goes', JOURNAL_DIR)
        .option('--version-table <name>', 'DynamoDB table that also keeps every replaced document (policy-version store)')
        .action(async (flags: RemediateFlags) => {
          if (!(REMEDIATE_FORMATS as readonly string[]).includes(flags.format)) invalidArgument(`--format must be one of ${REMEDIATE_FORMATS.join(', ')}, got "${flags.format}"`);
          const { scope, maxAttempts } = parseAwsFlags(flags);
          const account = loadAccount(context.cwd, flags.account);
          const desired = buildDesiredInventory(account);
          const { iam } = await connect(flags, account, maxAttempts);
          const { report, live, plan } = await planAccountRemediation(iam, desired, { scope });

          if (!flags.apply) {
            context.output.result(flags.format === 'json' ? JSON.stringify({ report, plan }, null, 2) : `${renderPlanText(plan)}${plan.actions.length > 0 ? '\nRun again with --apply to make these changes.' : ''}`);
            context.setExitCode(report.drift.length > 0 ? EXIT_CODES.FOUND : EXIT_CODES.CLEAN);
            return;
          }
          const runId = new Date().toISOString();
          const journal = new FileJournal(resolve(context.cwd, flags.journalDir), account.name, runId);
          const versionStore = flags.versionTable
            ? new DynamoDbPolicyVersionStore(new DynamoDBClient({ maxAttempts, retryMode: 'adaptive', ...(resolveEndpoint(flags.endpointUrl) ? { endpoint: resolveEndpoint(flags.endpointUrl) } : {}) }), flags.versionTable)
            : undefined;
          const result = plan.actions.length > 0 ? await applyRemediationPlan(iam, plan, desired, { journal, live, runId, ...(versionStore ? { versionStore } : {}) }) : undefined;
          if (flags.format === 'json') {
            context.output.result(JSON.stringify({ report, plan, result: result ?? null }, null, 2));
          } else {
            context.output.result([renderPlanText(plan), result ? describeRemediationResult(result) : 'Nothing to change.'].join('\n'));
          }
          if (result?.failed) context.setExitCode(EXIT_CODES.ERROR);
          else context.setExitCode(plan.skipped.length > 0 ? EXIT_CODES.FOUND : EXIT_CODES.CLEAN);
        });
    },
  };
}

/** `iamctl remediate` with the accounts/ loader. */
export const remediateCommand: CommandModule = createRemediateCommand();
