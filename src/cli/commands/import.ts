/**
 * `iamctl import --account NAME [--dry-run | --finish] [--format text|json] [--endpoint-url URL] [--role-arn ARN]`:
 * reads the account's live IAM, writes role and policy files and imports.yaml into its accounts/ folder,
 * then synthesizes the account's stack from the written files and compares it with what was read (the
 * drift engine), so the report says what the first apply would still change. Exit 0 when the import ran,
 * 2 when it could not.
 */
import { dirname, resolve } from 'node:path';
import { loadOrganization, selectAccounts } from '../../config';
import { compareImported, IMPORT_FORMATS, planAccountImport, renderImportResult, type ImportFormat, type ImportResult } from '../../core/import';
import type { ResolvedAccount } from '../../core/model';
import { assertAccount, createAwsClients, DEFAULT_MAX_ATTEMPTS } from '../../io/iam';
import { finishAdoption, isWrittenByImport, readAccountForImport, writeAccountImport } from '../../io/import';
import { synthesizeDesiredInventory } from '../../../stacks/app';
import { EXIT_CODES } from '../exit-codes';
import { type CommandContext, type CommandModule, invalidArgument } from '../program';

interface ImportFlags {
  readonly account: string;
  readonly dryRun?: boolean;
  readonly finish?: boolean;
  readonly format: string;
  readonly endpointUrl?: string;
  readonly roleArn?: string;
  readonly maxAttempts: string;
}

function loadAccount(cwd: string, name: string): ResolvedAccount {
  const account = selectAccounts(loadOrganization(cwd), [name])[0];
  if (!account) invalidArgument(`unknown account "${name}"`);
  return account;
}

async function runImport(context: CommandContext, flags: ImportFlags): Promise<void> {
  if (!(IMPORT_FORMATS as readonly string[]).includes(flags.format)) invalidArgument(`--format must be one of ${IMPORT_FORMATS.join(', ')}, got "${flags.format}"`);
  const maxAttempts = Number(flags.maxAttempts);
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) invalidArgument(`--max-attempts must be a whole number of at least 1, got "${flags.maxAttempts}"`);
  const rootDir = resolve(context.cwd);
  const account = loadAccount(rootDir, flags.account);
  const accountDir = resolve(rootDir, dirname(account.source.file));
  if (flags.finish) {
    if (flags.dryRun) invalidArgument('--finish and --dry-run cannot be combined: --finish only rewrites imports.yaml');
    const done = finishAdoption({ rootDir, accountDir, account: account.name, accountId: account.id });
    const moved = { roles: Object.keys(done.finished.roles), policies: Object.keys(done.finished.policies), oidcProviders: Object.keys(done.finished.oidcProviders) };
    const count = moved.roles.length + moved.policies.length + moved.oidcProviders.length;
    context.output.result(
      flags.format === 'json'
        ? JSON.stringify({ file: done.file, finished: moved }, null, 2)
        : `${done.file.file} ${done.file.status}: ${count} resource(s) of account ${account.name} leave adoption; the next plan adds the platform tags to them (tags only).`,
    );
    context.setExitCode(EXIT_CODES.CLEAN);
    return;
  }

  const clients = createAwsClients({ endpoint: flags.endpointUrl, roleArn: flags.roleArn, maxAttempts });
  await assertAccount(clients.sts, account.name, account.id);
  const live = await readAccountForImport(clients.iam, { accountId: account.id });

  const plan = planAccountImport(live, {
    name: account.name,
    id: account.id,
    owner: account.owner,
    deployRoleArn: account.deployRoleArn,
    ...(account.permissionBoundary ? { defaultBoundaryName: account.permissionBoundary.name } : {}),
    configuredRoles: account.roles.map((r) => ({
      name: r.name,
      file: r.source.file,
      ...(r.template ? { template: r.template } : {}),
      writtenByImport: !r.template && isWrittenByImport(resolve(rootDir, r.source.file)),
    })),
    configuredPolicies: account.policies.filter((p) => p.origin === 'library' || !isWrittenByImport(resolve(rootDir, p.source.file))).map((p) => p.name),
  });

  let result: ImportResult = { plan, files: [] };
  if (!flags.dryRun) {
    const files = writeAccountImport(plan, { rootDir, accountDir });
    // The real consumer: the account's stack synthesized from what was just written, against what was read.
    const writtenOrganization = loadOrganization(rootDir);
    const written = selectAccounts(writtenOrganization, [flags.account])[0];
    const desired = synthesizeDesiredInventory(written, { organization: writtenOrganization });
    result = { plan, files, firstApply: compareImported(desired, live, plan) };
  }
  context.output.result(renderImportResult(result, flags.format as ImportFormat));
  context.setExitCode(EXIT_CODES.CLEAN);
}

/** `iamctl import`. */
export const importCommand: CommandModule = {
  register(program, context) {
    program
      .command('import')
      .description("Write accounts/ files and Terraform import blocks that adopt an account's existing IAM")
      .requiredOption('--account <name>', 'account to import (name from accounts/; its folder must exist with account.yaml)')
      .option('--dry-run', 'read IAM and report what would be written, write nothing')
      .option('--finish', "end the adoption after the import was applied: imports.yaml drops `adopting:`, so the next plan adds the platform tags (reads no AWS)")
      .option('--format <format>', `output format (${IMPORT_FORMATS.join(', ')})`, 'text')
      .option('--endpoint-url <url>', 'IAM/STS endpoint (moto, LocalStack); default AWS_ENDPOINT_URL, else AWS')
      .option('--role-arn <arn>', 'role to assume in the account; default the standard credential chain')
      .option('--max-attempts <n>', 'attempts per AWS call with adaptive retry', String(DEFAULT_MAX_ATTEMPTS))
      .action((flags: ImportFlags) => runImport(context, flags));
  },
};
