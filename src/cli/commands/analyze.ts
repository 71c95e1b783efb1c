import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { loadOrganization } from '../../config';
import {
  type AnalyzerReport,
  DEFAULT_MIN_DAYS,
  type ManagedPrincipal,
  type UsageAggregatorOptions,
  type UsageSnapshot,
  analyzeUsage,
  isBadInputReason,
  principalsFromLiveInventory,
  principalsFromOrganization,
} from '../../core/analyzer';
import { ERROR_CODES, IamPlatformError, isIamPlatformError } from '../../core/errors';
import type { ResolvedAccount, ResolvedOrganization } from '../../core/model';
import { loadActionCatalog } from '../../io/catalog/load-action-catalog';
import {
  type DeliveryFilter,
  buildCloudTrailTableDdl,
  collectUsage,
  collectUsageFromAthena,
  createS3Client,
  listLocalLogTasks,
  listS3LogTasks,
  parseS3Url,
} from '../../io/cloudtrail';
import { resolveEndpoint } from '../../io/iam/endpoint';
import { ANALYZER_FORMATS, type AnalyzerFormat, renderAnalyzerReport } from '../../io/reports/analyzer';
import { applyRecommendations } from '../../io/yaml-edit';
import { EXIT_CODES } from '../exit-codes';
import { type CommandContext, type CommandModule, invalidArgument } from '../program';

/** Flags of `iamctl analyze`, as commander parses them. */
interface AnalyzeFlags {
  readonly logs?: string;
  readonly account?: string;
  readonly granted: string;
  readonly from?: string;
  readonly to?: string;
  readonly minDays: string;
  readonly format: string;
  readonly output?: string;
  readonly write?: boolean;
  readonly strict?: boolean;
  readonly workers?: string;
  readonly endpointUrl?: string;
  readonly region: string[];
  readonly includeServiceLinkedRoles?: boolean;
  readonly athenaTable?: string;
  readonly athenaWorkgroup?: string;
  readonly athenaOutput?: string;
  readonly athenaDdl?: boolean;
}

/** Progress lines are written at most this often (ms), and only when stderr is a terminal. */
const PROGRESS_INTERVAL_MS = 1000;
/** Window Athena queries cover when --from is not given. */
const DEFAULT_ATHENA_DAYS = DEFAULT_MIN_DAYS;

function collectList(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];
}

/** `2026-05-01` or an ISO time → CloudTrail's `YYYY-MM-DDTHH:MM:SSZ`; `end` makes a bare day inclusive. */
export function parseDateFlag(flag: string, value: string, end: boolean): string {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const time = Date.parse(day ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(time) || !/^\d{4}-\d{2}-\d{2}/.test(value)) invalidArgument(`${flag} must be a date (2026-05-01) or an ISO time (2026-05-01T12:00:00Z), got "${value}"`);
  const ms = end ? time + (day ? 86_400_000 : 1000) : time;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function parseNumber(flag: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) invalidArgument(`${flag} must be a whole number of at least ${min}, got "${value}"`);
  return n;
}

interface Model {
  readonly org?: ResolvedOrganization;
  readonly account?: ResolvedAccount;
  readonly warnings: string[];
}

function loadModel(context: CommandContext, flags: AnalyzeFlags): Model {
  try {
    const org = loadOrganization(context.cwd);
    if (flags.account === undefined) return { org, warnings: [] };
    const account = org.accounts.find((a) => a.name === flags.account || a.id === flags.account);
    if (account === undefined) {
      throw new IamPlatformError(ERROR_CODES.UNKNOWN_ACCOUNT, `--account ${flags.account}: no such account in accounts/ (known: ${org.accounts.map((a) => a.name).join(', ')})`);
    }
    return { org, account, warnings: [] };
  } catch (error) {
    const missing = isIamPlatformError(error) && error.code === ERROR_CODES.CONFIG_NOT_FOUND;
    if (!missing || flags.write || (flags.account !== undefined && !/^\d{12}$/.test(flags.account))) throw error;
    return { warnings: ['no accounts/ folder here: grants are unknown and every principal is reported as unmanaged'] };
  }
}

function progressReporter(context: CommandContext): ((files: number) => void) | undefined {
  if (!context.output.interactive) return undefined;
  let last = 0;
  return (files) => {
    const now = Date.now();
    if (now - last < PROGRESS_INTERVAL_MS) return;
    last = now;
    context.output.message(`analyze: ${files} files read…`);
  };
}

async function collect(context: CommandContext, flags: AnalyzeFlags, aggregator: UsageAggregatorOptions, accountIds: readonly string[] | undefined): Promise<UsageSnapshot> {
  const workers = flags.workers === undefined ? availableParallelism() : parseNumber('--workers', flags.workers, 0);
  const endpoint = resolveEndpoint(flags.endpointUrl);
  if (flags.athenaTable !== undefined) {
    const [database, table] = flags.athenaTable.split('.');
    if (!database || !table) invalidArgument(`--athena-table must be DATABASE.TABLE, got "${flags.athenaTable}"`);
    const toExclusive = aggregator.toExclusive ?? parseDateFlag('--to', new Date().toISOString().slice(0, 10), true);
    const from = aggregator.from ?? new Date(Date.parse(toExclusive) - DEFAULT_ATHENA_DAYS * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    // The SDK clients are loaded only by the paths that call AWS (start-up of a local analysis, issue 15).
    const { AthenaClient } = await import('@aws-sdk/client-athena');
    const client = new AthenaClient({ region: process.env.AWS_REGION ?? 'us-east-1', ...(endpoint ? { endpoint } : {}) });
    return collectUsageFromAthena(client, {
      query: { database, table, from, toExclusive, ...(accountIds ? { accounts: accountIds } : {}), ...(flags.region.length > 0 ? { regions: flags.region } : {}) },
      workgroup: flags.athenaWorkgroup,
      outputLocation: flags.athenaOutput,
      aggregator,
    });
  }
  if (flags.logs === undefined) invalidArgument('give --logs PATH|s3://bucket/prefix, or --athena-table DATABASE.TABLE');
  const filter: DeliveryFilter = {
    ...(accountIds ? { accounts: accountIds } : {}),
    ...(flags.region.length > 0 ? { regions: flags.region } : {}),
    ...(aggregator.from ? { fromDate: aggregator.from.slice(0, 10) } : {}),
    ...(aggregator.toExclusive ? { toDate: aggregator.toExclusive.slice(0, 10) } : {}),
  };
  const options = { workers, aggregator, onProgress: progressReporter(context) };
  if (flags.logs.startsWith('s3://')) {
    const location = parseS3Url(flags.logs);
    const client = createS3Client({ endpoint });
    return collectUsage((onSkip) => listS3LogTasks(client, location, { filter, onSkip }), options);
  }
  const root = resolve(context.cwd, flags.logs);
  return collectUsage((onSkip) => listLocalLogTasks(root, { filter, onSkip }), options);
}

async function grantedPrincipals(flags: AnalyzeFlags, model: Model): Promise<ManagedPrincipal[]> {
  if (flags.granted === 'model') return model.org ? principalsFromOrganization(model.org, { account: model.account?.name }) : [];
  const { assertAccount, createAwsClients, readCallerAccountId, readLiveInventory } = await import('../../io/iam');
  const clients = createAwsClients({ endpoint: flags.endpointUrl });
  let accountId: string;
  if (model.account) {
    await assertAccount(clients.sts, model.account.name, model.account.id);
    accountId = model.account.id;
  } else {
    accountId = await readCallerAccountId(clients.sts);
  }
  const inventory = await readLiveInventory(clients.iam, { accountId, includeOidcProviders: false });
  return principalsFromLiveInventory(inventory, { accountName: model.account?.name ?? accountId, ...(model.account ? { account: model.account } : {}) });
}

function printDdl(context: CommandContext, flags: AnalyzeFlags, model: Model): void {
  if (!flags.athenaTable || !flags.logs?.startsWith('s3://')) invalidArgument('--athena-ddl needs --athena-table DATABASE.TABLE and --logs s3://bucket/prefix/AWSLogs/');
  const [database, table] = flags.athenaTable.split('.');
  const accounts = model.account ? [model.account.id] : (model.org?.accounts.map((a) => a.id) ?? []);
  const regions = flags.region.length > 0 ? flags.region : [...new Set(model.org?.accounts.flatMap((a) => a.regions) ?? [])];
  const fromDate = flags.from ?? new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10);
  context.output.result(buildCloudTrailTableDdl({ database: database ?? '', table: table ?? '', location: flags.logs, accounts, regions, fromDate: fromDate.slice(0, 10) }));
}

async function runAnalyze(context: CommandContext, flags: AnalyzeFlags): Promise<void> {
  if (!(ANALYZER_FORMATS as readonly string[]).includes(flags.format)) invalidArgument(`--format must be one of ${ANALYZER_FORMATS.join(', ')}, got "${flags.format}"`);
  if (flags.granted !== 'model' && flags.granted !== 'live') invalidArgument(`--granted must be model or live, got "${flags.granted}"`);
  if (flags.write && flags.granted !== 'model') invalidArgument('--write edits accounts/: use it with --granted model');
  const minDays = parseNumber('--min-days', flags.minDays, 0);
  const from = flags.from !== undefined ? parseDateFlag('--from', flags.from, false) : undefined;
  const toExclusive = flags.to !== undefined ? parseDateFlag('--to', flags.to, true) : undefined;
  if (from && toExclusive && from >= toExclusive) invalidArgument(`--from ${flags.from} is not before --to ${flags.to}`);
  const model = loadModel(context, flags);
  if (flags.athenaDdl) return printDdl(context, flags, model);

  const accountIds = model.account ? [model.account.id] : flags.account && /^\d{12}$/.test(flags.account) ? [flags.account] : undefined;
  const aggregator: UsageAggregatorOptions = {
    ...(from ? { from } : {}),
    ...(toExclusive ? { toExclusive } : {}),
    ...(accountIds ? { accountIds } : {}),
    ...(flags.includeServiceLinkedRoles ? { includeServiceLinkedRoles: true } : {}),
  };
  const snapshot = await collect(context, flags, aggregator, accountIds);
  const principals = await grantedPrincipals(flags, model);
  const analyzed = analyzeUsage({
    snapshot,
    catalog: loadActionCatalog(),
    principals,
    minDays,
    ...(flags.from || flags.to ? { requested: { ...(flags.from ? { from: flags.from } : {}), ...(flags.to ? { to: flags.to } : {}) } } : {}),
  });
  const report: AnalyzerReport = { ...analyzed, warnings: [...model.warnings, ...analyzed.warnings] };
  const text = renderAnalyzerReport(report, flags.format as AnalyzerFormat);
  if (flags.output) {
    writeFileSync(resolve(context.cwd, flags.output), text);
    context.output.message(`analyze: wrote ${flags.output}`);
  } else {
    context.output.result(text.trimEnd());
  }

  if (flags.write) {
    if (report.window.days < minDays) {
      throw new IamPlatformError(
        ERROR_CODES.INVALID_ARGUMENT,
        `--write: the observation window is ${report.window.days} day(s), under --min-days ${minDays}; nothing was written. Analyze more logs, or lower --min-days if you accept the risk`,
      );
    }
    const edits = applyRecommendations(report.recommendations, { rootDir: model.org!.rootDir });
    for (const edit of edits) {
      if (edit.policies.length > 0) context.output.message(`analyze: wrote ${edit.file} (${edit.policies.join(', ')})`);
      for (const note of edit.notApplied) context.output.message(`analyze: not written: ${note}`);
    }
    if (!edits.some((e) => e.policies.length > 0)) context.output.message('analyze: --write: nothing to change');
  }

  const bad = Object.entries(report.skipped.reasons).filter(([reason]) => isBadInputReason(reason));
  if (flags.strict && bad.length > 0) {
    context.output.message(`analyze: --strict: input was skipped (${bad.map(([r, n]) => `${r} ${n}`).join(', ')}); see skipped in the report`);
    context.setExitCode(EXIT_CODES.FOUND);
    return;
  }
  context.setExitCode(EXIT_CODES.CLEAN);
}

/**
 * `iamctl analyze --logs PATH|s3://... [--account NAME] [--granted model|live] [--from DATE --to DATE]
 * [--min-days N] [--format text|json|markdown|csv|html] [--output FILE] [--write] [--strict]
 * [--workers N] [--endpoint-url URL]`: compares what roles were granted with what CloudTrail shows
 * they used. Exit 0 when it ran (findings are in the report), 1 with --strict when input was
 * skipped, 2 when it could not run.
 */
export const analyzeCommand: CommandModule = {
  register(program, context) {
    program
      .command('analyze')
      .description('Find granted but unused permissions from CloudTrail logs and propose tightened policies')
      .option('--logs <path>', 'CloudTrail logs: a file, a folder (S3 delivery layout, .json.gz, .json, JSON lines) or s3://bucket/prefix')
      .option('--account <name>', 'only this account of accounts/ (its roles and its events)')
      .option('--granted <source>', 'where grants come from: model (accounts/) or live (GetAccountAuthorizationDetails)', 'model')
      .option('--from <date>', 'first day (or ISO time) of events to count')
      .option('--to <date>', 'last day (inclusive, or ISO time) of events to count')
      .option('--min-days <n>', 'warn (and refuse --write) when the window is shorter', String(DEFAULT_MIN_DAYS))
      .option('--format <format>', `output format (${ANALYZER_FORMATS.join(', ')})`, 'text')
      .option('--output <file>', 'write the report to this file instead of stdout')
      .option('--write', 'write the tightened inline policies into the role files of accounts/ (comments kept)')
      .option('--strict', 'exit 1 when input was lost (unreadable or malformed files and records, implausible eventTime, oversized records); AWS service events and console sign-ins are not loss')
      .option('--workers <n>', 'worker threads for parsing (0: none); default the number of cores')
      .option('--endpoint-url <url>', 'S3/Athena/IAM/STS endpoint (moto, LocalStack); default AWS_ENDPOINT_URL, else AWS')
      .option('--region <region>', 'only these regions (repeatable, or comma-separated)', collectList, [])
      .option('--include-service-linked-roles', 'count service-linked roles (excluded by default)')
      .option('--athena-table <db.table>', 'aggregate in Athena over this CloudTrail table instead of reading files')
      .option('--athena-workgroup <name>', 'Athena workgroup', 'primary')
      .option('--athena-output <s3url>', 'Athena query result location; default the workgroup setting')
      .option('--athena-ddl', 'print the CREATE TABLE (partition projection) for --athena-table over --logs s3://…/AWSLogs/ and exit')
      .action((flags: AnalyzeFlags) => runAnalyze(context, flags));
  },
};
