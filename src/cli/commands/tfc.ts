import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadOrganization, selectAccounts } from '../../config';
import {
  buildGitLabReport,
  classifyRunState,
  hasFailedRun,
  hasUnsuccessfulPlan,
  sortByDeploymentOrder,
  parseRunManifest,
  renderRunSummary,
  resolveOrganizationTfcTargets,
  resolveTfcTargets,
  tokenVariableName,
  ORGANIZATION_STATE_NAMES,
  RUN_MANIFEST_KIND,
  RUN_MANIFEST_VERSION,
  type TfcRunManifest,
  type TfcRunRecord,
} from '../../core/delivery';
import { ERROR_CODES, IamPlatformError } from '../../core/errors';
import type { Environment } from '../../core/model';
import { TfcApi, TfcHttpClient, applyRuns, planStacks, readRunStatuses, reapplyRuns, type FetchFunction, type PollOptions, type ReapplyTarget, type SleepFunction } from '../../io/terraform-cloud';
import { advanceRecord, listAccountVersions } from '../../core/registry';
import { resolveCommit } from '../../io/git';
import { openRegistry } from '../../io/registry';
import { EXIT_CODES } from '../exit-codes';
import { invalidArgument, type CommandContext, type CommandModule } from '../program';

const ENVIRONMENTS: readonly Environment[] = ['nonprod', 'staging', 'prod'];
const FORMATS = ['text', 'json'] as const;

/** Where `tfc plan` writes the run manifest. */
export const DEFAULT_RUN_MANIFEST = 'plans/tfc-runs.json';
/** Where `tfc plan` writes the GitLab Terraform widget report. */
export const DEFAULT_GITLAB_REPORT = 'plans/gitlab-terraform-report.json';
/** Minutes a plan or apply may take before iamctl gives up waiting. */
const DEFAULT_TIMEOUT_MINUTES = 60;

/** What the tfc command needs from outside, injectable for tests. */
export interface TfcCommandOptions {
  /** Environment variables (token, TFE_ADDRESS, CI variables). @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** HTTP implementation. @default globalThis.fetch */
  readonly fetch?: FetchFunction;
  /** Sleep for 429 retries. @default setTimeout */
  readonly sleep?: SleepFunction;
  /** Polling intervals; `--timeout` still sets the timeout unless this sets one. @default 1s → 10s */
  readonly poll?: PollOptions;
  /** Clock for the manifest's createdAt. @default () => new Date() */
  readonly now?: () => Date;
}

interface SelectionFlags {
  readonly environment?: string;
  readonly account: string[];
  readonly format: string;
  readonly timeout: string;
}

interface PlanFlags extends SelectionFlags {
  readonly speculative?: boolean;
  readonly output: string;
  readonly report: string;
  readonly stacksDir: string;
  readonly message?: string;
  readonly concurrency: string;
  readonly discardPending?: boolean;
  readonly stacks?: string;
}

interface RunsFlags extends SelectionFlags {
  readonly runs: string;
  readonly comment?: string;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function checkCommonFlags(flags: SelectionFlags): { format: (typeof FORMATS)[number]; timeoutMs: number } {
  if (flags.environment !== undefined && !(ENVIRONMENTS as readonly string[]).includes(flags.environment)) {
    invalidArgument(`--environment must be one of ${ENVIRONMENTS.join(', ')}, got "${flags.environment}"`);
  }
  if (!(FORMATS as readonly string[]).includes(flags.format)) invalidArgument(`--format must be one of ${FORMATS.join(', ')}, got "${flags.format}"`);
  const minutes = Number(flags.timeout);
  if (!Number.isFinite(minutes) || minutes <= 0) invalidArgument(`--timeout must be a positive number of minutes, got "${flags.timeout}"`);
  return { format: flags.format as (typeof FORMATS)[number], timeoutMs: minutes * 60_000 };
}

/** Adds the selection flags every tfc subcommand shares. */
function withSelection(command: Command): Command {
  return command
    .option('--environment <env>', `only accounts of this environment (${ENVIRONMENTS.join(', ')})`)
    .option('--account <name>', 'only this account (repeatable)', collect, [])
    .option('--format <format>', 'text (one line per account) or json (the run records)', 'text')
    .option('--timeout <minutes>', 'give up waiting for a run after this many minutes', String(DEFAULT_TIMEOUT_MINUTES));
}

/** Writes a file, creating its folder. */
function writeOutput(cwd: string, file: string, text: string): void {
  const path = resolve(cwd, file);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text.endsWith('\n') ? text : `${text}\n`);
}

/** Reads and checks a run manifest. */
export function readManifest(cwd: string, file: string): TfcRunManifest {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(resolve(cwd, file), 'utf8'));
  } catch (error) {
    throw new IamPlatformError(
      ERROR_CODES.UNREADABLE_INPUT,
      `cannot read run manifest ${file}: ${(error as Error).message}. It is written by \`iamctl tfc plan\` (keep plans/ as an artifact of the plan job).`,
    );
  }
  return parseRunManifest(json, file);
}

/** The accounts of a run manifest and each account stack's run id (organization-level stacks are not IAM resources of an account: left out). */
export function readRecordedRuns(cwd: string, file: string, environment: string | undefined): Map<string, string> {
  return new Map(selectAccountRuns(readManifest(cwd, file).runs, environment).map((r) => [r.account, r.runId]));
}

/** The runs of account stacks (not organization-level stacks) of a manifest, of one environment when given. */
export function selectAccountRuns(all: readonly TfcRunRecord[], environment: string | undefined): TfcRunRecord[] {
  const organizationStates = Object.values(ORGANIZATION_STATE_NAMES) as string[];
  const runs: TfcRunRecord[] = [];
  for (const run of all) {
    if (environment !== undefined && run.environment !== environment) continue;
    // An organization-level workspace is `<prefix><state>`; the account's own is `<prefix><account>`.
    const isOrganizationRun = organizationStates.some((state) => run.workspace.endsWith(state) && `${run.workspace.slice(0, -state.length)}${run.account}` !== run.workspace);
    if (isOrganizationRun) continue;
    runs.push(run);
  }
  return runs;
}

/** The records of a manifest selected by --environment and --account, in deployment order; an unknown account name is an error. */
function selectRecords(manifest: TfcRunManifest, flags: SelectionFlags, file: string): readonly TfcRunRecord[] {
  const unknown = flags.account.filter((name) => !manifest.runs.some((r) => r.account === name));
  if (unknown.length > 0) {
    invalidArgument(`${file} has no run for account${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}: it holds ${manifest.runs.map((r) => r.account).join(', ') || 'no runs'}`);
  }
  return sortByDeploymentOrder(
    manifest.runs.filter((r) => (flags.environment === undefined || r.environment === flags.environment) && (flags.account.length === 0 || flags.account.includes(r.account))),
  );
}

/** Renders records as the command's result. */
function renderRecords(records: readonly TfcRunRecord[], format: 'text' | 'json'): string {
  return format === 'json' ? JSON.stringify({ runs: records, report: buildGitLabReport(records) }, null, 2) : renderRunSummary(records);
}

/**
 * `iamctl tfc plan|apply|status`: the gated Terraform Cloud delivery over the API, without a terraform binary.
 * `plan` uploads each account's stack and creates a run with auto-apply=false, waits for the plan, and
 * writes the run manifest and the GitLab Terraform report; after the security approval, `apply` applies
 * exactly the runs in the manifest, refusing any that is no longer waiting for approval.
 */
export function createTfcCommand(options: TfcCommandOptions = {}): CommandModule {
  const env = (): Readonly<Record<string, string | undefined>> => options.env ?? process.env;

  const buildApi = (hostname: string, timeoutMs: number): { api: TfcApi; poll: PollOptions } => {
    const variable = tokenVariableName(hostname);
    const token = env()[variable];
    if (!token) {
      throw new IamPlatformError(
        ERROR_CODES.INVALID_ARGUMENT,
        `no Terraform Cloud token: set ${variable} to a team API token with plan and apply access to the workspaces (in GitLab: a masked, protected CI/CD variable)`,
      );
    }
    const client = new TfcHttpClient({ token, hostname, address: env().TFE_ADDRESS || undefined, tokenSource: variable, fetch: options.fetch, sleep: options.sleep });
    return { api: new TfcApi(client), poll: { timeoutMs, ...options.poll } };
  };

  const progress = (context: CommandContext) => (text: string) => {
    if (context.output.interactive) context.output.message(text);
  };

  return {
    register(program, context) {
      const tfc = program.command('tfc').description('Plan and apply the account stacks through the Terraform Cloud API (no terraform binary needed)');

      withSelection(tfc.command('plan').description('Upload each account stack, create a run with auto-apply off and wait for its plan'))
        .option('--speculative', 'plan-only runs (merge requests): they can never be applied')
        .option('--output <file>', 'run manifest for `tfc apply`', DEFAULT_RUN_MANIFEST)
        .option('--report <file>', 'GitLab Terraform widget report (artifacts:reports:terraform)', DEFAULT_GITLAB_REPORT)
        .option('--stacks-dir <dir>', 'synthesized stacks', 'cdktf.out/stacks')
        .option('--message <text>', 'run message shown in Terraform Cloud (default: commit and pipeline from GitLab CI variables)')
        .option('--concurrency <n>', 'stacks planned at the same time', '4')
        .option('--discard-pending', 'discard a workspace\'s run that still waits for approval (superseded by this plan) instead of stopping')
        .option('--stacks <list>', 'only these stacks (comma-separated stack ids, IAM_CHANGED_STACKS of the access-diff dotenv); an empty list plans nothing')
        .action(async (flags: PlanFlags) => {
          const { format, timeoutMs } = checkCommonFlags(flags);
          const concurrency = Number(flags.concurrency);
          if (!Number.isInteger(concurrency) || concurrency < 1) invalidArgument(`--concurrency must be a whole number of at least 1, got "${flags.concurrency}"`);
          const org = loadOrganization(context.cwd);
          const accounts = selectAccounts(org, flags.account).filter((a) => flags.environment === undefined || a.environment === flags.environment);
          if (accounts.length === 0) {
            const selection = [flags.environment && `--environment ${flags.environment}`, flags.account.length > 0 && `--account ${flags.account.join(', ')}`].filter(Boolean).join(' and ');
            invalidArgument(selection ? `no account matches ${selection}: nothing to plan` : 'the organization has no accounts: nothing to plan');
          }
          // A whole-organization plan (no --account) also plans the organization stacks, with prod.
          const withOrganization = flags.account.length === 0 && (flags.environment === undefined || flags.environment === 'prod');
          const selected = [...resolveTfcTargets(accounts), ...(withOrganization ? resolveOrganizationTfcTargets(org) : [])];
          // Only the stacks whose synthesized Terraform JSON changed (iamctl diff --dotenv) are planned.
          const wanted = flags.stacks === undefined ? undefined : new Set(flags.stacks.split(',').map((v) => v.trim()).filter(Boolean));
          const targets = wanted === undefined ? selected : selected.filter((t) => wanted.has(t.stackName));
          if (wanted !== undefined) {
            const outside = [...wanted].filter((name) => !selected.some((t) => t.stackName === name));
            if (outside.length > 0) context.output.message(`not planned in Terraform Cloud (no workspace of the selection): ${outside.join(', ')}`);
            if (targets.length === 0) {
              const manifest: TfcRunManifest = { kind: RUN_MANIFEST_KIND, version: RUN_MANIFEST_VERSION, hostname: selected[0]?.hostname ?? 'app.terraform.io', createdAt: (options.now ?? (() => new Date()))().toISOString(), runs: [] };
              writeOutput(context.cwd, flags.output, JSON.stringify(manifest, null, 2));
              writeOutput(context.cwd, flags.report, JSON.stringify(buildGitLabReport([])));
              context.output.message('no synthesized stack changed: nothing to plan');
              context.output.result(renderRecords([], format));
              context.setExitCode(EXIT_CODES.CLEAN);
              return;
            }
          }
          const hostnames = [...new Set(targets.map((t) => t.hostname))];
          if (hostnames.length > 1) invalidArgument(`the selected accounts use several Terraform Cloud hosts (${hostnames.join(', ')}): plan them separately with --account or --environment`);
          const { api, poll } = buildApi(hostnames[0], timeoutMs);
          const vars = env();
          const message =
            flags.message ?? ['iamctl tfc plan', vars.CI_COMMIT_SHORT_SHA && `commit ${vars.CI_COMMIT_SHORT_SHA}`, vars.CI_PIPELINE_URL && `pipeline ${vars.CI_PIPELINE_URL}`].filter(Boolean).join(', ');
          const runs = await planStacks(api, hostnames[0], targets, {
            stacksDir: resolve(context.cwd, flags.stacksDir),
            speculative: flags.speculative ?? false,
            message,
            concurrency,
            discardPending: flags.discardPending ?? false,
            poll,
            onProgress: progress(context),
          });
          const manifest: TfcRunManifest = {
            kind: RUN_MANIFEST_KIND,
            version: RUN_MANIFEST_VERSION,
            hostname: hostnames[0],
            createdAt: (options.now ?? (() => new Date()))().toISOString(),
            runs,
          };
          writeOutput(context.cwd, flags.output, JSON.stringify(manifest, null, 2));
          writeOutput(context.cwd, flags.report, JSON.stringify(buildGitLabReport(runs)));
          context.output.result(renderRecords(runs, format));
          context.setExitCode(hasUnsuccessfulPlan(runs) ? EXIT_CODES.FOUND : EXIT_CODES.CLEAN);
        });

      withSelection(tfc.command('apply').description('Apply exactly the planned runs of a run manifest, refusing any run that is no longer waiting for approval'))
        .requiredOption('--runs <file>', `run manifest written by \`tfc plan\` (${DEFAULT_RUN_MANIFEST})`)
        .option('--comment <text>', 'comment recorded on each apply (default: GitLab user and pipeline)')
        .action(async (flags: RunsFlags) => {
          const { format, timeoutMs } = checkCommonFlags(flags);
          const manifest = readManifest(context.cwd, flags.runs);
          const records = selectRecords(manifest, flags, flags.runs);
          if (records.length === 0) {
            context.output.message(`no run in ${flags.runs} matches the selection: nothing to apply`);
            context.setExitCode(EXIT_CODES.CLEAN);
            return;
          }
          const { api, poll } = buildApi(manifest.hostname, timeoutMs);
          const vars = env();
          const comment =
            flags.comment ?? ['Applied by iamctl tfc apply', vars.GITLAB_USER_LOGIN && `after approval by ${vars.GITLAB_USER_LOGIN}`, vars.CI_PIPELINE_URL && `in ${vars.CI_PIPELINE_URL}`].filter(Boolean).join(' ');
          const outcomes = await applyRuns(api, records, { comment, poll, onProgress: progress(context) });
          const refused = outcomes.filter((o) => o.decision.action === 'refuse');
          if (refused.length > 0) {
            for (const o of refused) context.output.message(`error: refusing to apply: ${o.decision.action === 'refuse' ? o.decision.reason : ''}`);
            context.output.message(`nothing was applied: ${refused.length} of ${outcomes.length} runs in ${flags.runs} ${refused.length === 1 ? 'is' : 'are'} not waiting for approval`);
            context.output.result(renderRecords(outcomes.map((o) => o.record), format));
            context.setExitCode(EXIT_CODES.ERROR);
            return;
          }
          for (const o of outcomes) if (o.decision.action === 'skip') context.output.message(`skipped: ${o.decision.reason}`);
          const applied = outcomes.map((o) => o.record);
          context.output.result(renderRecords(applied, format));
          const failed = outcomes.some((o) => o.decision.action === 'apply' && classifyRunState(o.record.status) !== 'applied');
          context.setExitCode(failed ? EXIT_CODES.FOUND : EXIT_CODES.CLEAN);
        });

      withSelection(tfc.command('rollback').description("After a failed deploy: re-apply each account's last applied version (the configuration of its recorded run) and record this version as rolled-back"))
        .requiredOption('--runs <file>', `run manifest of the pipeline being rolled back (${DEFAULT_RUN_MANIFEST})`)
        .option('--commit <ref>', 'commit of the version being rolled back', 'HEAD')
        .option('--registry <store>', 'dynamodb:<table> or file:<path> (default: IAMCTL_REGISTRY_TABLE, else file .iamctl/registry.json)')
        .action(async (flags: RunsFlags & { readonly commit: string; readonly registry?: string }) => {
          const { format, timeoutMs } = checkCommonFlags(flags);
          const manifest = readManifest(context.cwd, flags.runs);
          const selected = selectRecords(manifest, flags, flags.runs);
          const accountRuns = selectAccountRuns(selected, undefined);
          const skippedStacks = selected.filter((r) => !accountRuns.includes(r)).map((r) => r.workspace);
          if (skippedStacks.length > 0) context.output.message(`not rolled back (organization-level stacks are not in the record): ${skippedStacks.join(', ')}`);
          const commit = resolveCommit(context.cwd, flags.commit);
          const store = openRegistry({ registry: flags.registry, cwd: context.cwd, env: { ...process.env, ...env() } });
          // Newest first: prod is rolled back before staging and nonprod.
          const ordered = [...accountRuns].reverse();
          const targets: ReapplyTarget[] = [];
          const previousCommits = new Map<string, string>();
          const missing: string[] = [];
          for (const record of ordered) {
            const versions = listAccountVersions(await store.list(record.account), record.account);
            // The last version that reached AWS and is still standing (not itself rolled back or failed).
            const previous = [...versions].reverse().find((v) => v.commit !== commit && v.appliedAt !== undefined && v.status === 'applied' && v.tfcRunId !== undefined);
            if (previous === undefined) missing.push(`${record.account} (no earlier applied version with a Terraform Cloud run in ${store.location})`);
            else {
              targets.push({ record, previousRunId: previous.tfcRunId! });
              previousCommits.set(record.account, previous.commit);
            }
          }
          if (missing.length > 0) {
            throw new IamPlatformError(ERROR_CODES.INVALID_ARGUMENT, `cannot roll back ${missing.join(', ')}: nothing was changed; roll back through a merge request instead (iamctl rollback --account A --to VERSION)`);
          }
          if (targets.length === 0) {
            context.output.message(`no account run in ${flags.runs} matches the selection: nothing to roll back`);
            context.setExitCode(EXIT_CODES.CLEAN);
            return;
          }
          const { api, poll } = buildApi(manifest.hostname, timeoutMs);
          const vars = env();
          const comment = ['Rollback by iamctl tfc rollback', `of ${commit.slice(0, 12)}`, vars.GITLAB_USER_LOGIN && `by ${vars.GITLAB_USER_LOGIN}`, vars.CI_PIPELINE_URL && `in ${vars.CI_PIPELINE_URL}`].filter(Boolean).join(' ');
          const outcomes = await reapplyRuns(api, targets, { message: comment, comment, hostname: manifest.hostname, poll, onProgress: progress(context) });
          // The record: the rolled-back version's resources get `rolled-back`; the re-applied version gets an `applied` event with its new run.
          const at = (options.now ?? (() => new Date()))().toISOString();
          for (const outcome of outcomes.filter((o) => o.result === 'reapplied')) {
            const previousCommit = previousCommits.get(outcome.record.account);
            const records = await store.list(outcome.record.account);
            const rolledBack = records.filter((r) => r.commit === commit).map((r) => advanceRecord(r, 'rolled-back', at, { by: vars.GITLAB_USER_LOGIN, tfcRunId: outcome.record.runId }));
            const reapplied = records.filter((r) => r.commit === previousCommit).map((r) => advanceRecord(r, 'applied', at, { by: vars.GITLAB_USER_LOGIN, tfcRunId: outcome.record.runId }));
            await store.put([...rolledBack, ...reapplied]);
          }
          for (const o of outcomes) if (o.result !== 'reapplied') context.output.message(`${o.result === 'failed' ? 'error' : 'not rolled back'}: ${o.record.account} (${o.record.workspace}): ${o.reason}`);
          context.output.result(renderRecords(outcomes.filter((o) => o.result !== 'refused').map((o) => o.record), format));
          const refused = outcomes.some((o) => o.result === 'refused');
          context.setExitCode(refused ? EXIT_CODES.ERROR : outcomes.some((o) => o.result === 'failed') ? EXIT_CODES.FOUND : EXIT_CODES.CLEAN);
        });

      withSelection(tfc.command('status').description('Show the current status of the runs of a run manifest'))
        .requiredOption('--runs <file>', `run manifest written by \`tfc plan\` (${DEFAULT_RUN_MANIFEST})`)
        .action(async (flags: RunsFlags) => {
          const { format, timeoutMs } = checkCommonFlags(flags);
          const manifest = readManifest(context.cwd, flags.runs);
          const records = selectRecords(manifest, flags, flags.runs);
          const { api } = buildApi(manifest.hostname, timeoutMs);
          const current = await readRunStatuses(api, records);
          context.output.result(renderRecords(current, format));
          context.setExitCode(hasFailedRun(current) ? EXIT_CODES.FOUND : EXIT_CODES.CLEAN);
        });
    },
  };
}

/** The tfc command wired to process.env and the global fetch. */
export const tfcCommand: CommandModule = createTfcCommand();
