import { resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { describeAction, type DesiredInventory, type LiveInventory, planRestore, type RemediationPlan, renderPlanText } from '../../core/drift';
import { ERROR_CODES, IamPlatformError } from '../../core/errors';
import {
  applyRemediationPlan,
  callAws,
  describeRemediationResult,
  DynamoDbRemediationLock,
  FileJournal,
  FileRemediationLock,
  JOURNAL_DIR,
  planAccountRemediation,
  readJournal,
  type RemediationLock,
  type RemediationResult,
  resolveEndpoint,
} from '../../io/iam';
import { DynamoDbRegistryStore } from '../../io/registry';
import { boundAlertMessage } from '../../io/iam/alert-message';
import { EXIT_CODES, type ExitCode } from '../exit-codes';
import { type CommandContext, type CommandModule, invalidArgument } from '../program';
import { addAwsFlags, type AwsFlags, connect, desiredFor, type DriftCommandOptions, loadAccountFromRepo, parseAwsFlags } from './drift';

/** Output formats of `iamctl remediate`. */
export const REMEDIATE_FORMATS = ['text', 'json'] as const;

/** Where the local remediation lock files go, relative to the working directory. */
export const LOCK_DIR = '.iamctl/locks';

interface RemediateFlags extends AwsFlags {
  readonly apply?: boolean;
  readonly format: string;
  readonly journalDir: string;
  readonly versionTable?: string;
  readonly restore?: string;
  readonly lockDir: string;
  readonly alertTopic?: string;
}

/**
 * Publishes what a run that did not finish left open to the alert topic (bounded message). The topic is
 * reached with the standard credential chain and --endpoint-url.
 */
async function alertOpenItems(flags: RemediateFlags, maxAttempts: number, plan: RemediationPlan, result: RemediationResult): Promise<void> {
  if (!flags.alertTopic || (!result.failed && result.stale.length === 0)) return;
  const endpoint = resolveEndpoint(flags.endpointUrl);
  const sns = new SNSClient({ maxAttempts, retryMode: 'adaptive', ...(endpoint ? { endpoint } : {}) });
  const record = {
    account: plan.account,
    accountId: plan.accountId,
    who: 'iamctl remediate',
    what: result.failed ? 'remediation-failed' : 'remediation-incomplete',
    when: new Date().toISOString(),
    action: result.failed ? 'remediation-failed' : 'remediated',
    remediation: {
      applied: result.applied.map((a) => describeAction(a.action)),
      ...(result.failed ? { failed: { action: describeAction(result.failed.action), error: result.failed.error } } : {}),
      stillOpen: [
        ...result.stale.map((a) => `${describeAction(a.action)} (skipped: ${a.reason})`),
        ...(result.failed ? [`${describeAction(result.failed.action)} (failed)`] : []),
        ...result.notApplied.map((a) => `${describeAction(a)} (not attempted)`),
      ],
    },
    journal: result.journal,
  };
  const subject = `IAM remediation of ${plan.account} ${result.failed ? 'failed' : 'left changes open'}`;
  await callAws('SNS', 'Publish', () => sns.send(new PublishCommand({ TopicArn: flags.alertTopic, Subject: subject, Message: boundAlertMessage(record, undefined) })));
}

/** Exit code of an applied run: 0 everything planned was done, 1 items are still open (stale), 2 a change failed. */
export function exitCodeOfRun(result: RemediationResult | undefined): ExitCode {
  if (result?.failed) return EXIT_CODES.ERROR;
  if (result && result.stale.length > 0) return EXIT_CODES.FOUND;
  return EXIT_CODES.CLEAN;
}

async function applyLocked(
  context: CommandContext,
  flags: RemediateFlags,
  maxAttempts: number,
  iam: Parameters<typeof applyRemediationPlan>[0],
  plan: RemediationPlan,
  desired: DesiredInventory,
  live: LiveInventory | undefined,
): Promise<RemediationResult | undefined> {
  if (plan.actions.length === 0) return undefined;
  const endpoint = resolveEndpoint(flags.endpointUrl);
  const dynamodb = flags.versionTable ? new DynamoDBClient({ maxAttempts, retryMode: 'adaptive', ...(endpoint ? { endpoint } : {}) }) : undefined;
  const lock: RemediationLock =
    dynamodb && flags.versionTable ? new DynamoDbRemediationLock(dynamodb, flags.versionTable) : new FileRemediationLock(resolve(context.cwd, flags.lockDir));
  const runId = new Date().toISOString();
  const held = await lock.acquire(plan.account, runId);
  try {
    const journal = new FileJournal(resolve(context.cwd, flags.journalDir), plan.account, runId);
    const record = dynamodb && flags.versionTable ? new DynamoDbRegistryStore(dynamodb, flags.versionTable) : undefined;
    const result = await applyRemediationPlan(iam, plan, desired, { journal, runId, ...(live ? { live } : {}), ...(record ? { record } : {}) });
    await alertOpenItems(flags, maxAttempts, plan, result);
    return result;
  } finally {
    await held.release();
  }
}

function render(context: CommandContext, flags: RemediateFlags, payload: Record<string, unknown>, text: string): void {
  context.output.result(flags.format === 'json' ? JSON.stringify(payload, null, 2) : text);
}

/**
 * `iamctl remediate --account NAME [--apply]`: shows the plan that restores the desired state; changes
 * IAM only with `--apply`, one run per account at a time (lock), journaling every replaced document
 * first. Forward only: a failed change stops the run and keeps every fix made. Exit 0 nothing (left) to
 * do or everything done, 1 drift remains (plan shown) or changes are still open, 2 could not run or a
 * change failed. `--restore JOURNAL` plans (and with `--apply` makes) the changes that bring a journaled
 * run back.
 */
export function createRemediateCommand(options: DriftCommandOptions = {}): CommandModule {
  const loadAccount = options.loadAccount ?? loadAccountFromRepo;
  return {
    register(program, context) {
      addAwsFlags(program.command('remediate').description('Plan (and with --apply, make) the IAM changes that remove drift'))
        .option('--apply', 'make the changes (default: show the plan only)')
        .option('--format <format>', `output format (${REMEDIATE_FORMATS.join(', ')})`, 'text')
        .option('--journal-dir <dir>', 'where the journal of replaced documents goes', JOURNAL_DIR)
        .option('--version-table <name>', 'the policy record table (policy-registry, IAMCTL_REGISTRY_TABLE): each replaced console value is recorded there (iamctl history shows it) and it holds the account lock')
        .option('--lock-dir <dir>', 'where the account lock file goes when no --version-table is given', LOCK_DIR)
        .option('--alert-topic <arn>', 'SNS topic told what is still open when a run fails or skips changes')
        .option('--restore <journal>', 'bring back the run recorded in this journal file (plan first; --apply to do it)')
        .action(async (flags: RemediateFlags) => {
          if (!(REMEDIATE_FORMATS as readonly string[]).includes(flags.format)) invalidArgument(`--format must be one of ${REMEDIATE_FORMATS.join(', ')}, got "${flags.format}"`);
          const { scope, maxAttempts } = parseAwsFlags(flags);
          const target = loadAccount(context.cwd, flags.account);
          const { account } = target;
          const desired = desiredFor(context, options, target, flags.stack);
          const { iam } = await connect(flags, account, maxAttempts);

          if (flags.restore) {
            const file = resolve(context.cwd, flags.restore);
            const journal = await readJournal(file).catch((error: Error) => {
              throw new IamPlatformError(ERROR_CODES.UNREADABLE_INPUT, `Cannot read the journal ${file}: ${error.message}. Fix: pass a file from ${JOURNAL_DIR}/<account>/`);
            });
            const plan = planRestore(journal.entries);
            if (plan.account !== '' && plan.account !== account.name) {
              invalidArgument(`--restore ${flags.restore} is a journal of account ${plan.account}, not ${account.name}`);
            }
            const restorePlan = { ...plan, account: account.name, accountId: account.id };
            const warning = journal.unreadableLines.length > 0 ? `\nWarning: journal line(s) ${journal.unreadableLines.join(', ')} could not be read and are left out.` : '';
            if (!flags.apply) {
              render(context, flags, { plan: restorePlan, unreadableLines: journal.unreadableLines }, `${renderPlanText(restorePlan)}${warning}${restorePlan.actions.length > 0 ? '\nRun again with --apply to make these changes.' : ''}`);
              context.setExitCode(restorePlan.actions.length > 0 ? EXIT_CODES.FOUND : EXIT_CODES.CLEAN);
              return;
            }
            const result = await applyLocked(context, flags, maxAttempts, iam, restorePlan, desired, undefined);
            render(context, flags, { plan: restorePlan, result: result ?? null }, [renderPlanText(restorePlan), result ? describeRemediationResult(result) : 'Nothing to change.'].join('\n') + warning);
            context.setExitCode(exitCodeOfRun(result));
            return;
          }

          const { report, live, plan } = await planAccountRemediation(iam, desired, { scope });
          if (!flags.apply) {
            render(context, flags, { report, plan }, `${renderPlanText(plan)}${plan.actions.length > 0 ? '\nRun again with --apply to make these changes.' : ''}`);
            context.setExitCode(report.drift.length > 0 ? EXIT_CODES.FOUND : EXIT_CODES.CLEAN);
            return;
          }
          const result = await applyLocked(context, flags, maxAttempts, iam, plan, desired, live);
          render(context, flags, { report, plan, result: result ?? null }, [renderPlanText(plan), result ? describeRemediationResult(result) : 'Nothing to change.'].join('\n'));
          // Items remediation skips by design (protected roles, missing resources) are in the plan output;
          // a run that did every change it planned succeeded.
          context.setExitCode(exitCodeOfRun(result));
        });
    },
  };
}

/** `iamctl remediate` with the accounts/ loader. */
export const remediateCommand: CommandModule = createRemediateCommand();
