import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { loadOrganization } from '../../config';
import { buildAccessGraph } from '../../core/access-graph';
import type { AnalyzerReport } from '../../core/analyzer';
import { buildAccessModel, diffAccessModels } from '../../core/diff';
import { synthesizeDesiredInventory } from '../../../stacks/app';
import { IAM_EVENTS_REGION, listPlatformConfigRuleNames } from '../../../modules/drift-detection';
import { ERROR_CODES, IamPlatformError } from '../../core/errors';
import { roleArn } from '../../core/iam';
import { lintOrganization } from '../../core/lint';
import type { ResolvedAccount, ResolvedOrganization } from '../../core/model';
import {
  buildAccessReview,
  buildUnusedReport,
  type ComplianceEvidence,
  mergeComplianceEvidence,
  parseComplianceEvidence,
  parseDecisionRows,
  scoreCompliance,
  summarizeRecordedChanges,
  type DecisionRow,
  type ReviewChanges,
  type RoleLastUsed,
} from '../../core/reports';
import { loadActionCatalog } from '../../io/catalog';
import { loadOrganizationAtRef, resolveCommit } from '../../io/git';
import { createAwsClients, DEFAULT_MAX_ATTEMPTS, readCallerAccountId, resolveEndpoint } from '../../io/iam';
import { DEFAULT_REGISTRY_FILE, REGISTRY_TABLE_VARIABLE, openRegistry } from '../../io/registry';
import {
  DEFAULT_SCORE_HISTORY_FILE,
  REPORT_FORMATS,
  assumeRoleWithWebIdentity,
  gatherLiveEvidence,
  readRoleLastUsed,
  readScanEvidence,
  readScoreHistory,
  renderPeriodicReport,
  writeScoreHistory,
  type LiveAccountAccess,
  type PeriodicReport,
  type ReportFormat,
} from '../../io/reports';
import { EXIT_CODES } from '../exit-codes';
import { invalidArgument, type CommandContext, type CommandModule } from '../program';

interface CommonFlags {
  readonly format: string;
  readonly output?: string;
  /** ISO time of the report (tests, reproducible artifacts). */
  readonly now?: string;
}

interface AccessReviewFlags extends CommonFlags {
  readonly previous?: string;
  readonly analyzerResult?: string;
  readonly live?: boolean;
  readonly liveRole?: string;
  readonly endpointUrl?: string;
  readonly registry?: string;
  readonly unusedDays: string;
  readonly dueDays: string;
}

interface ComplianceFlags extends CommonFlags {
  readonly evidence?: string;
  readonly scanResult?: string;
  readonly live?: boolean;
  readonly liveRole?: string;
  readonly endpointUrl?: string;
  /** AWS Config endpoint (a local fake in tests). */
  readonly configEndpointUrl?: string;
  /** The history file, or false with --no-history. */
  readonly history: string | false;
}

interface UnusedFlags extends CommonFlags {
  readonly analyzerResult: string;
}

function readJsonFile(cwd: string, file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, file), 'utf8');
  } catch (e) {
    throw new IamPlatformError(ERROR_CODES.UNREADABLE_INPUT, `cannot read ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new IamPlatformError(ERROR_CODES.UNREADABLE_INPUT, `${what} ${file} is not valid JSON: ${(e as Error).message}`);
  }
}

function readAnalyzerResult(cwd: string, file: string): AnalyzerReport {
  const json = readJsonFile(cwd, file, 'analyzer result');
  const principals = (json as { principals?: unknown }).principals;
  if (!Array.isArray(principals) || !Array.isArray((json as { recommendations?: unknown }).recommendations)) {
    throw new IamPlatformError(ERROR_CODES.UNREADABLE_INPUT, `analyzer result ${file}: $.principals and $.recommendations must be arrays: pass the output of \`iamctl analyze --format json\``);
  }
  return json as AnalyzerReport;
}

function pickFormat(value: string): ReportFormat {
  if (!(REPORT_FORMATS as readonly string[]).includes(value)) invalidArgument(`--format must be one of ${REPORT_FORMATS.join(', ')}, got "${value}"`);
  return value as ReportFormat;
}

function pickNumber(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) invalidArgument(`${flag} must be a whole number of at least 1, got "${value}"`);
  return n;
}

function pickNow(value: string | undefined): string {
  if (value === undefined) return new Date().toISOString();
  const t = Date.parse(value);
  if (Number.isNaN(t)) invalidArgument(`--now must be an ISO time (2026-12-01T09:00:00Z), got "${value}"`);
  return new Date(t).toISOString();
}

function emit(context: CommandContext, report: PeriodicReport, flags: CommonFlags): void {
  const text = renderPeriodicReport(report, pickFormat(flags.format));
  if (flags.output) {
    const path = resolve(context.cwd, flags.output);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  } else context.output.result(text.replace(/\n$/, ''));
}

function headCommit(cwd: string): string | undefined {
  try {
    return resolveCommit(cwd, 'HEAD');
  } catch {
    return undefined;
  }
}

/** Changes of access between the previous review's commit and the work tree (git history of accounts/). */
function changesSince(cwd: string, org: ResolvedOrganization, previousCommit: string | undefined): ReviewChanges {
  if (!previousCommit) return { source: 'none', items: [] };
  const before = loadOrganizationAtRef(cwd, previousCommit);
  const diff = diffAccessModels(buildAccessModel(before), buildAccessModel(org), { catalog: loadActionCatalog(), baseLabel: previousCommit, headLabel: 'work tree' });
  return {
    source: 'git',
    since: previousCommit,
    items: diff.accounts.flatMap((a) => a.changes.map((c) => ({ account: a.account, subject: `${c.subject.type} ${c.subject.name}`, reason: c.reason }))),
  };
}

/**
 * Changes since the previous review: from the policy record when there is one (--registry, IAMCTL_REGISTRY_TABLE,
 * or the default record file exists), else from git history between the previous review's commit and the work tree.
 */
async function findChanges(cwd: string, org: ResolvedOrganization, flags: AccessReviewFlags, previous: { commit?: string; generatedAt?: string } | undefined): Promise<ReviewChanges> {
  if (!previous) return { source: 'none', items: [] };
  const hasRecord = flags.registry !== undefined || Boolean(process.env[REGISTRY_TABLE_VARIABLE]) || existsSync(resolve(cwd, DEFAULT_REGISTRY_FILE));
  if (hasRecord && previous.generatedAt) {
    const store = openRegistry({ ...(flags.registry ? { registry: flags.registry } : {}), cwd, env: process.env, ...(flags.endpointUrl ? { endpoint: flags.endpointUrl } : {}) });
    const records = (await Promise.all(org.accounts.map((a) => store.list(a.name)))).flat();
    return summarizeRecordedChanges(records, previous.generatedAt);
  }
  return changesSince(cwd, org, previous.commit);
}

/**
 * Last use of roles. With --live-role: that role in every account, through the web identity token when
 * AWS_WEB_IDENTITY_TOKEN_FILE is set (the pipeline: each account's reader role trusts the job's token), else
 * assumed with sts:AssumeRole from the credential chain. Without it: the one account of the credential chain.
 */
async function readLastUse(org: ResolvedOrganization, flags: AccessReviewFlags): Promise<Map<string, RoleLastUsed>> {
  const out = new Map<string, RoleLastUsed>();
  const accounts = flags.liveRole ? org.accounts : [undefined];
  for (const account of accounts) {
    const clients = await clientsFor(account, flags);
    for (const [arn, used] of await readRoleLastUsed(clients.iam)) out.set(arn, used);
  }
  return out;
}

/**
 * Clients for an account: with --live-role, that role in the account (through the web identity token when
 * AWS_WEB_IDENTITY_TOKEN_FILE is set, else sts:AssumeRole from the credential chain); without it, the credential chain.
 */
async function clientsFor(account: ResolvedAccount | undefined, flags: { readonly liveRole?: string; readonly endpointUrl?: string }) {
  const tokenFile = process.env.AWS_WEB_IDENTITY_TOKEN_FILE;
  const roleArnOfAccount = account && flags.liveRole ? roleArn(account.id, flags.liveRole) : undefined;
  return roleArnOfAccount && tokenFile
    ? createAwsClients({ endpoint: flags.endpointUrl, credentials: await assumeRoleWithWebIdentity(roleArnOfAccount, { tokenFile, endpoint: flags.endpointUrl, sessionName: `iam-platform-report-${account!.name}` }) })
    : createAwsClients({ endpoint: flags.endpointUrl, ...(roleArnOfAccount ? { roleArn: roleArnOfAccount } : {}) });
}

/** An account's IAM, checked to be that account's: a credential chain for another account is refused with the fix. */
async function connectAccount(account: ResolvedAccount, flags: ComplianceFlags): Promise<LiveAccountAccess> {
  const clients = await clientsFor(account, flags);
  const actual = await readCallerAccountId(clients.sts);
  if (actual !== account.id) {
    throw new IamPlatformError(
      ERROR_CODES.INVALID_ARGUMENT,
      `the credentials are for account ${actual}, not ${account.name} (${account.id}). Fix: pass --live-role with a role every account has, or run with that account's credentials`,
    );
  }
  const via = flags.liveRole ? `role ${roleArn(account.id, flags.liveRole)}${process.env.AWS_WEB_IDENTITY_TOKEN_FILE ? ' (web identity)' : ''}` : 'the credential chain';
  // AWS Config of the drift-detection module's region, with the credentials the IAM client uses (same role path).
  const configEndpoint = flags.configEndpointUrl ?? process.env.AWS_ENDPOINT_URL_CONFIG_SERVICE ?? resolveEndpoint(flags.endpointUrl);
  const config = new ConfigServiceClient({
    region: IAM_EVENTS_REGION,
    credentials: clients.iam.config.credentials,
    maxAttempts: DEFAULT_MAX_ATTEMPTS,
    retryMode: 'adaptive',
    ...(configEndpoint ? { endpoint: configEndpoint } : {}),
  });
  return { iam: clients.iam, config, configRegion: IAM_EVENTS_REGION, via };
}

/** The evidence for `report compliance`: the file, then the pipeline's scan result, then live reads (later wins). */
async function complianceEvidence(context: CommandContext, org: ResolvedOrganization, flags: ComplianceFlags): Promise<ComplianceEvidence | undefined> {
  const sources: ComplianceEvidence[] = [];
  const mtime = (file: string) => statSync(resolve(context.cwd, file)).mtime.toISOString();
  if (flags.evidence) {
    const parsed = parseComplianceEvidence(readJsonFile(context.cwd, flags.evidence, 'evidence file'));
    if (parsed.problems.length > 0 || !parsed.evidence) throw new IamPlatformError(ERROR_CODES.UNREADABLE_INPUT, `evidence file ${flags.evidence}: ${parsed.problems.join('; ')}`);
    const at = mtime(flags.evidence);
    const provenance = Object.fromEntries(Object.entries(parsed.evidence.checks).map(([id, byAccount]) => [id, Object.fromEntries(Object.keys(byAccount).map((a) => [a, { source: `evidence file ${flags.evidence}`, at }]))]));
    sources.push({ ...parsed.evidence, provenance });
  }
  if (flags.scanResult) {
    const parsed = readScanEvidence(readJsonFile(context.cwd, flags.scanResult, 'scan result'), flags.scanResult, mtime(flags.scanResult));
    if (parsed.problems.length > 0 || !parsed.evidence) throw new IamPlatformError(ERROR_CODES.UNREADABLE_INPUT, `scan result ${flags.scanResult}: ${parsed.problems.join('; ')}`);
    sources.push(parsed.evidence);
  }
  if (flags.live) {
    sources.push(
      await gatherLiveEvidence({
        org,
        connect: (account) => connectAccount(account, flags),
 desiredOf: (account) => synthesizeDesiredInventory(account, { defaultRegion: org.defaultRegion }),
        configRuleNames: listPlatformConfigRuleNames(),
      }),
    );
  }
  return sources.length > 0 ? mergeComplianceEvidence(...sources) : undefined;
}

async function runAccessReview(context: CommandContext, flags: AccessReviewFlags): Promise<void> {
  pickFormat(flags.format);
  const now = pickNow(flags.now);
  const org = loadOrganization(context.cwd);
  const catalog = loadActionCatalog();
  let previousDecisions: DecisionRow[] = [];
  let previous: { commit?: string; generatedAt?: string } | undefined;
  if (flags.previous) {
    const prev = readJsonFile(context.cwd, flags.previous, 'previous review') as { report?: unknown; decisions?: unknown; commit?: unknown; generatedAt?: unknown };
    if (prev.report !== 'access-review') throw new IamPlatformError(ERROR_CODES.UNREADABLE_INPUT, `previous review ${flags.previous}: $.report must be "access-review": pass the JSON of an earlier \`iamctl report access-review --format json\``);
    const { rows, problems } = parseDecisionRows(prev.decisions);
    if (problems.length > 0) throw new IamPlatformError(ERROR_CODES.UNREADABLE_INPUT, `previous review ${flags.previous}: ${problems.join('; ')}`);
    previousDecisions = rows;
    previous = { ...(typeof prev.commit === 'string' ? { commit: prev.commit } : {}), ...(typeof prev.generatedAt === 'string' ? { generatedAt: prev.generatedAt } : {}) };
  }
  const review = buildAccessReview({
    org,
    graph: buildAccessGraph(org, catalog),
    now,
    ...(headCommit(context.cwd) ? { commit: headCommit(context.cwd) } : {}),
    ...(flags.live ? { lastUsed: await readLastUse(org, flags) } : {}),
    unusedRoleDays: pickNumber('--unused-days', flags.unusedDays),
    dueDays: pickNumber('--due-days', flags.dueDays),
    ...(flags.analyzerResult ? { analyzer: readAnalyzerResult(context.cwd, flags.analyzerResult) } : {}),
    changes: await findChanges(context.cwd, org, flags, previous),
    previousDecisions,
  });
  emit(context, review, flags);
  context.setExitCode(review.summary.overdueDecisions > 0 ? EXIT_CODES.FOUND : EXIT_CODES.CLEAN);
}

async function runCompliance(context: CommandContext, flags: ComplianceFlags): Promise<void> {
  pickFormat(flags.format);
  const now = pickNow(flags.now);
  const org = loadOrganization(context.cwd);
  const catalog = loadActionCatalog();
  if (flags.liveRole && !flags.live) invalidArgument('--live-role needs --live');
  const evidence = await complianceEvidence(context, org, flags);
  const historyFile = flags.history === false ? undefined : resolve(context.cwd, flags.history);
  const history = historyFile ? readScoreHistory(historyFile) : [];
  const report = scoreCompliance({ org, graph: buildAccessGraph(org, catalog), lintFindings: lintOrganization(org, catalog), now, ...(evidence ? { evidence } : {}), history });
  if (historyFile) writeScoreHistory(historyFile, report.trend);
  emit(context, report, flags);
  context.setExitCode(report.accounts.some((a) => a.score < 100) ? EXIT_CODES.FOUND : EXIT_CODES.CLEAN);
}

function runUnused(context: CommandContext, flags: UnusedFlags): void {
  pickFormat(flags.format);
  const now = pickNow(flags.now);
  const org = loadOrganization(context.cwd);
  const report = buildUnusedReport({ org, analyzer: readAnalyzerResult(context.cwd, flags.analyzerResult), now });
  emit(context, report, flags);
  context.setExitCode(report.summary.removable > 0 ? EXIT_CODES.FOUND : EXIT_CODES.CLEAN);
}

/**
 * `iamctl report access-review|compliance|unused`: the periodic reports for the people who answer for access
 * (docs/reports.md). Exit 0 clean, 1 found something (overdue decisions, a score under 100, removable permissions), 2 could not run.
 */
export const reportCommand: CommandModule = {
  register(program, context) {
    const report = program.command('report').description('Periodic reports: weekly access review, compliance score, monthly unused permissions (docs/reports.md)');
    const common = (cmd: ReturnType<typeof report.command>) =>
      cmd
        .option('--format <format>', `output format (${REPORT_FORMATS.join(', ')})`, 'html')
        .option('--output <file>', 'write the report to this file (default: stdout)')
        .option('--now <time>', 'time of the report, ISO (default: now)');
    common(report.command('access-review'))
      .description('Who can reach admin and how, outside trust, MFA, boundaries, unused roles and permissions, changes, decisions')
      .option('--previous <file>', 'JSON of the previous review: its decisions carry over, its commit is the base of the changes')
      .option('--analyzer-result <file>', 'output of `iamctl analyze --format json`: unused permissions per role')
      .option('--live', 'read last use of roles from IAM (GetRole RoleLastUsed)')
      .option('--live-role <name>', 'with --live: role to assume in each account (default: the credential chain reads one account)')
      .option('--endpoint-url <url>', 'IAM/STS endpoint (moto); default AWS_ENDPOINT_URL, else AWS')
      .option('--registry <spec>', 'policy record for the changes: dynamodb:<table> or file:<path> (default: IAMCTL_REGISTRY_TABLE, else .iamctl/registry.json when present, else git history)')
      .option('--unused-days <days>', 'a role not used for this many days is unused', '90')
      .option('--due-days <days>', 'days owners have to decide a new item', '14')
      .action((flags: AccessReviewFlags) => runAccessReview(context, flags));
    common(report.command('compliance'))
      .description('Score per account and for the organization from documented checks with weights, with the trend')
      .option('--evidence <file>', 'results of the checks the model cannot decide (scan, validate, drift, keys, Config rules)')
      .option('--scan-result <file>', 'output of `iamctl scan --format json` (a pipeline artifact): scan-clean, and terraform-validate when terraform ran')
      .option('--live', 'read access keys (ListUsers, ListAccessKeys) and drift (the drift check) from IAM, and the platform Config rules from AWS Config, in every account')
      .option('--live-role <name>', 'with --live: role to assume in each account (default: the credential chain, which reaches one account)')
      .option('--endpoint-url <url>', 'IAM/STS endpoint (moto); default AWS_ENDPOINT_URL, else AWS')
      .option('--config-endpoint-url <url>', 'AWS Config endpoint; default AWS_ENDPOINT_URL_CONFIG_SERVICE, else --endpoint-url')
      .option('--history <file>', 'past scores (the trend); this run is appended', DEFAULT_SCORE_HISTORY_FILE)
      .option('--no-history', 'neither read nor write the history file')
      .action((flags: ComplianceFlags) => runCompliance(context, flags));
    common(report.command('unused'))
      .description('Per role granted vs used vs unobservable, ranked by risk, with the tightened policies as diffs')
      .requiredOption('--analyzer-result <file>', 'output of `iamctl analyze --format json`')
      .action((flags: UnusedFlags) => runUnused(context, flags));
  },
};
