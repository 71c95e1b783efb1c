import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Option } from 'commander';
import { ERROR_CODES, IamPlatformError } from '../../core/errors';
import {
  SCANNER_NAMES,
  SEVERITIES,
  evaluateScan,
  parseSuppressions,
  renderScanGitlabSast,
  renderScanJUnit,
  renderScanJson,
  renderScanSarif,
  renderScanText,
  type ScanReport,
  type ScanSuppression,
  type ScannerName,
  type Severity,
} from '../../core/scan';
import { DEFAULT_STACKS_DIR, scanStacks } from '../../io/scanners';
import { EXIT_CODES } from '../exit-codes';
import { invalidArgument, type CommandModule } from '../program';
import { version as IAMCTL_VERSION } from '../../../package.json';

/** Output formats of `iamctl scan`. */
export const SCAN_FORMATS = ['text', 'json', 'junit', 'sarif', 'gitlab-sast'] as const;
export type ScanFormat = (typeof SCAN_FORMATS)[number];

/** The suppression file read when --suppressions is not given (absent means no suppressions). */
export const DEFAULT_SUPPRESSIONS_FILE = 'scan-suppressions.yaml';

/** Default threshold: every unsuppressed failure fails the gate. */
export const DEFAULT_FAIL_ON: Severity = 'low';

/** --scanner values: a scanner, or `all` (checkov, tfsec and terraform validate). */
const SCANNER_CHOICES = ['checkov', 'tfsec', 'terraform', 'all'] as const;
/** Scanners when --scanner is not given: the security scanners (terraform validate is `--scanner terraform` or `iamctl validate --terraform`). */
export const DEFAULT_SCANNERS: readonly ScannerName[] = ['checkov', 'tfsec'];

interface ScanCliOptions {
  readonly account: string[];
  readonly scanner: string[];
  readonly format: string;
  readonly output?: string;
  readonly report: string[];
  readonly failOn: string;
  readonly stacksDir: string;
  readonly suppressions?: string;
  readonly showSuppressed?: boolean;
  readonly today?: string;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];
}

function collectReport(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseChoice<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  return invalidArgument(`${flag} must be one of ${allowed.join(', ')}, got "${value}"`);
}

/** Renders the report in one format. */
export function renderScanReport(
  report: ScanReport,
  format: ScanFormat,
  times: { readonly startedAt: Date; readonly finishedAt: Date },
  showSuppressed = false,
): string {
  switch (format) {
    case 'text':
      return renderScanText(report, { showSuppressed });
    case 'json':
      return renderScanJson(report);
    case 'junit':
      return renderScanJUnit(report);
    case 'sarif':
      return renderScanSarif(report, IAMCTL_VERSION);
    case 'gitlab-sast':
      return renderScanGitlabSast(report, { toolVersion: IAMCTL_VERSION, ...times });
  }
}

function readSuppressionFile(cwd: string, explicit: string | undefined): readonly ScanSuppression[] {
  const file = explicit ?? DEFAULT_SUPPRESSIONS_FILE;
  const absPath = path.resolve(cwd, file);
  if (!existsSync(absPath)) {
    if (explicit === undefined) return [];
    throw new IamPlatformError(ERROR_CODES.UNREADABLE_INPUT, `suppression file ${file} does not exist: fix --suppressions, or leave it out to read ${DEFAULT_SUPPRESSIONS_FILE} when present`);
  }
  const shown = path.relative(cwd, absPath).split(path.sep).join('/') || file;
  return parseSuppressions(readFileSync(absPath, 'utf8'), shown);
}

function writeReport(cwd: string, file: string, text: string): void {
  const absPath = path.resolve(cwd, file);
  mkdirSync(path.dirname(absPath), { recursive: true });
  writeFileSync(absPath, text);
}

/**
 * `iamctl scan`: the security gate over the synthesized stacks. Runs checkov and tfsec (one process
 * each over the stacks folder) and, with `--scanner terraform` or `all`, `terraform validate` per stack, maps every failed check to its account and accounts/ file, applies
 * scan-suppressions.yaml and exits 0 clean, 1 when an unsuppressed failure is at or above --fail-on
 * (or a suppression expired or matches nothing), 2 when a scanner could not run.
 */
export const scanCommand: CommandModule = {
  register(program, context) {
    program
      .command('scan')
      .description('Scan the synthesized stacks with checkov and tfsec (and terraform validate), applying reviewed suppressions')
      .option('--account <name>', 'only this account (repeatable, or comma-separated)', collect, [])
      .option('--scanner <name>', `scanner to run (${SCANNER_CHOICES.join(', ')}; repeatable or comma-separated; default ${DEFAULT_SCANNERS.join(', ')})`, collect, [])
      .option('--format <format>', `output format (${SCAN_FORMATS.join(', ')})`, 'text')
      .option('--output <file>', 'write the report to this file instead of stdout')
      .option('--report <format=file>', 'also write a report in another format (repeatable: --report junit=reports/scan.xml)', collectReport, [])
      .option('--fail-on <severity>', `lowest unsuppressed severity that fails (${SEVERITIES.join(', ')})`, DEFAULT_FAIL_ON)
      .option('--stacks-dir <dir>', 'folder of synthesized stacks (<dir>/<stack>/cdk.tf.json)', DEFAULT_STACKS_DIR)
      .option('--show-suppressed', 'text format: list every suppressed finding in full, not one line per suppression entry')
      .option('--suppressions <file>', `suppression file (default ${DEFAULT_SUPPRESSIONS_FILE} when present)`)
      .addOption(new Option('--today <date>', 'date suppressions expire against (YYYY-MM-DD), for tests').hideHelp())
      .action(async (options: ScanCliOptions) => {
        const format = parseChoice('--format', options.format, SCAN_FORMATS);
        const failOn = parseChoice('--fail-on', options.failOn, SEVERITIES);
        const choices = options.scanner.map((name) => parseChoice('--scanner', name, SCANNER_CHOICES));
        const scanners: readonly ScannerName[] =
          choices.length === 0 ? DEFAULT_SCANNERS : choices.includes('all') ? SCANNER_NAMES : [...new Set(choices as ScannerName[])];
        const extraReports = options.report.map((spec) => {
          const eq = spec.indexOf('=');
          if (eq <= 0 || eq === spec.length - 1) invalidArgument(`--report must be <format>=<file> such as junit=reports/scan.junit.xml, got "${spec}"`);
          return { format: parseChoice('--report', spec.slice(0, eq), SCAN_FORMATS), file: spec.slice(eq + 1) };
        });
        const today = options.today ?? new Date().toISOString().slice(0, 10);
        if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) invalidArgument(`--today must be YYYY-MM-DD, got "${today}"`);
        const suppressions = readSuppressionFile(context.cwd, options.suppressions);

        const startedAt = new Date();
        if (context.output.interactive) context.output.message(`scanning ${options.stacksDir} with ${scanners.join(' and ')}...`);
        const scan = await scanStacks({
          cwd: context.cwd,
          stacksDir: options.stacksDir,
          scanners,
          ...(options.account.length > 0 ? { accounts: options.account } : {}),
        });
        const finishedAt = new Date();
        const report = evaluateScan({ results: scan.results, suppressions, today, failOn, scanners: scan.scanners, scope: scan.scope });

        const times = { startedAt, finishedAt };
        for (const extra of extraReports) writeReport(context.cwd, extra.file, renderScanReport(report, extra.format, times, options.showSuppressed === true));
        const text = renderScanReport(report, format, times, options.showSuppressed === true);
        if (options.output) {
          writeReport(context.cwd, options.output, text);
          context.output.message(`wrote ${format} report to ${options.output}`);
          if (format !== 'text') context.output.message(renderScanText(report).split('\n')[0]);
        } else {
          context.output.result(text);
        }
        context.setExitCode(report.summary.clean ? EXIT_CODES.CLEAN : EXIT_CODES.FOUND);
      });
  },
};
