import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadOrganization, selectAccounts } from '../../config';
import { type DesiredInventory, DRIFT_FORMATS, DRIFT_SCOPES, type DriftFormat, type DriftScope, renderDriftReport } from '../../core/drift';
import type { ResolvedAccount, ResolvedOrganization } from '../../core/model';
import { assertAccount, checkDrift, createAwsClients, DEFAULT_MAX_ATTEMPTS } from '../../io/iam';
import { readDesiredInventoryFromStackFile, synthesizeDesiredInventory } from '../../../stacks/app';
import { EXIT_CODES } from '../exit-codes';
import { type CommandContext, type CommandModule, invalidArgument } from '../program';

/** The account a command works on and the organization it belongs to. */
export interface DriftTarget {
  readonly account: ResolvedAccount;
  /**
   * The organization: its organization-level stacks that deploy into the account are part of the desired state.
   * @default - none: an account outside an organization (tests' hand-made accounts)
   */
  readonly organization?: ResolvedOrganization;
}

/** Loads one resolved account by name, with its organization (the accounts/ loader; tests pass hand-made accounts). */
export type AccountLoader = (cwd: string, name: string) => DriftTarget;

/** The default {@link AccountLoader}: `accounts/` under the working directory. */
export const loadAccountFromRepo: AccountLoader = (cwd, name) => {
  const organization = loadOrganization(cwd);
  return { account: selectAccounts(organization, [name])[0], organization };
};

/**
 * The desired inventory of an account: every IAM resource of the stacks that deploy into it (the account's stack
 * and the organization-level stacks pinned to it), read from a synthesized `cdk.tf.json` and its sibling stacks
 * when `stackFile` is given, else from the stacks synthesized on the fly. Never rebuilt from the model apart from the stacks.
 */
export type DesiredLoader = (target: DriftTarget, stackFile: string | undefined) => DesiredInventory;

/** The default {@link DesiredLoader}. */
export const loadDesiredFromStack: DesiredLoader = (target, stackFile) =>
  stackFile
    ? readDesiredInventoryFromStackFile(stackFile, target.account).desired
    : synthesizeDesiredInventory(target.account, target.organization ? { organization: target.organization } : {});

/** Flags shared by `drift` and `remediate`. */
export interface AwsFlags {
  readonly account: string;
  /** Synthesized stack to read the desired state from. @default - synthesize the account's stack */
  readonly stack?: string;
  readonly endpointUrl?: string;
  readonly roleArn?: string;
  readonly scope: string;
  readonly maxAttempts: string;
}

/** Adds the account, endpoint, role, scope and retry flags. */
export function addAwsFlags(command: Command): Command {
  return command
    .requiredOption('--account <name>', 'account to check (name from accounts/)')
    .option('--stack <file>', "the account's synthesized cdk.tf.json (iamctl synth) to compare against, with the other stacks of that synth output pinned to the account; default: synthesize the stacks now")
    .option('--endpoint-url <url>', 'IAM/STS endpoint (moto, LocalStack); default AWS_ENDPOINT_URL, else AWS')
    .option('--role-arn <arn>', 'role to assume in the account; default the standard credential chain')
    .option('--scope <scope>', `managed: the platform's resources (desired, managed-by tag, /iam-platform/ path); account: every role and policy (${DRIFT_SCOPES.join(', ')})`, 'managed')
    .option('--max-attempts <n>', 'attempts per AWS call with adaptive retry', String(DEFAULT_MAX_ATTEMPTS));
}

/** Parses the shared flags. */
export function parseAwsFlags(flags: AwsFlags): { scope: DriftScope; maxAttempts: number } {
  if (!(DRIFT_SCOPES as readonly string[]).includes(flags.scope)) invalidArgument(`--scope must be one of ${DRIFT_SCOPES.join(', ')}, got "${flags.scope}"`);
  const maxAttempts = Number(flags.maxAttempts);
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) invalidArgument(`--max-attempts must be a whole number of at least 1, got "${flags.maxAttempts}"`);
  return { scope: flags.scope as DriftScope, maxAttempts };
}

/** Builds clients for the flags and checks the credentials are for the account. */
export async function connect(flags: AwsFlags, account: ResolvedAccount, maxAttempts: number) {
  const clients = createAwsClients({ endpoint: flags.endpointUrl, roleArn: flags.roleArn, maxAttempts });
  await assertAccount(clients.sts, account.name, account.id);
  return clients;
}

/** Options of {@link createDriftCommand}. */
export interface DriftCommandOptions {
  /** @default loadAccountFromRepo */
  readonly loadAccount?: AccountLoader;
  /** @default loadDesiredFromStack */
  readonly loadDesired?: DesiredLoader;
}

/** The desired inventory for the flags (`--stack`, relative to the working directory). */
export function desiredFor(context: CommandContext, options: DriftCommandOptions, target: DriftTarget, stack: string | undefined): DesiredInventory {
  return (options.loadDesired ?? loadDesiredFromStack)(target, stack ? resolve(context.cwd, stack) : undefined);
}

async function runDrift(context: CommandContext, options: DriftCommandOptions, loadAccount: AccountLoader, flags: AwsFlags & { format: string }): Promise<void> {
  if (!(DRIFT_FORMATS as readonly string[]).includes(flags.format)) invalidArgument(`--format must be one of ${DRIFT_FORMATS.join(', ')}, got "${flags.format}"`);
  const { scope, maxAttempts } = parseAwsFlags(flags);
  const target = loadAccount(context.cwd, flags.account);
  const { account } = target;
  const desired = desiredFor(context, options, target, flags.stack);
  const { iam } = await connect(flags, account, maxAttempts);
  const { report } = await checkDrift(iam, desired, { scope });
  context.output.result(renderDriftReport(report, flags.format as DriftFormat));
  context.setExitCode(report.drift.length > 0 ? EXIT_CODES.FOUND : EXIT_CODES.CLEAN);
}

/**
 * `iamctl drift --account NAME [--format text|json|markdown] [--endpoint-url URL] [--role-arn ARN] [--scope managed|account]`:
 * compares live IAM with what the account's stack tells Terraform to create. Exit 0 no drift, 1 drift, 2 could not run.
 */
export function createDriftCommand(options: DriftCommandOptions = {}): CommandModule {
  const loadAccount = options.loadAccount ?? loadAccountFromRepo;
  return {
    register(program, context) {
      addAwsFlags(program.command('drift').description('Compare live IAM in an account with accounts/ (exit 1 on drift)'))
        .option('--format <format>', `output format (${DRIFT_FORMATS.join(', ')})`, 'text')
        .action((flags: AwsFlags & { format: string }) => runDrift(context, options, loadAccount, flags));
    },
  };
}

/**
 * `iamctl desired-inventory --account NAME [--out FILE]`: writes the desired inventory JSON the drift
 * Lambda reads from S3 (the pipeline uploads it as `<account>.json`).
 */
export function createDesiredInventoryCommand(options: DriftCommandOptions = {}): CommandModule {
  const loadAccount = options.loadAccount ?? loadAccountFromRepo;
  return {
    register(program, context) {
      program
        .command('desired-inventory')
        .description('Write the desired IAM inventory of an account as JSON (the drift Lambda artifact)')
        .requiredOption('--account <name>', 'account (name from accounts/)')
        .option('--out <file>', 'write to this file instead of stdout')
        .option('--stack <file>', "the account's synthesized cdk.tf.json, with the other stacks of that synth output pinned to the account; default: synthesize the stacks now")
        .action(async (flags: { account: string; out?: string; stack?: string }) => {
          const desired = desiredFor(context, options, loadAccount(context.cwd, flags.account), flags.stack);
          const text = JSON.stringify(desired, null, 2);
          if (flags.out) {
            const path = resolve(context.cwd, flags.out);
            await mkdir(dirname(path), { recursive: true });
            await writeFile(path, `${text}\n`, 'utf8');
            context.output.message(`Wrote ${path}`);
          } else {
            context.output.result(text);
          }
          context.setExitCode(EXIT_CODES.CLEAN);
        });
    },
  };
}

/** `iamctl drift` with the accounts/ loader. */
export const driftCommand: CommandModule = createDriftCommand();
/** `iamctl desired-inventory` with the accounts/ loader. */
export const desiredInventoryCommand: CommandModule = createDesiredInventoryCommand();
