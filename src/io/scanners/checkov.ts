/**
 * checkov over the synthesized stacks: one process for the whole folder (`-d`), or one process with
 * a `-f` per stack when --account narrows the scan, so checkov's start-up (seconds) is paid once.
 * Runs with `--framework terraform_json` (inline `"//"` skips are not honoured there; the gate's
 * suppression file replaces them) and `--skip-download` (no calls to the Prisma Cloud API).
 */
import * as path from 'node:path';
import { ERROR_CODES, IamPlatformError } from '../../core/errors';
import type { ScannerResult } from '../../core/scan';
import { runProcess, tailOutput } from './run-process';
import { describeResourceForResult, lookupResource, toRepoPath, type StackInfo } from './stack-index';

/** Where the checkov policy index lives, used as the guideline when checkov gives none (it needs the platform for links). */
export const CHECKOV_POLICY_INDEX_URL = 'https://www.checkov.io/5.Policy%20Index/terraform.html';

/** One record of checkov's JSON output (the fields the gate reads). */
export interface CheckovRecord {
  readonly check_id: string;
  readonly check_name: string;
  readonly check_result: { readonly result: string };
  readonly file_abs_path?: string;
  readonly file_path: string;
  readonly file_line_range?: readonly number[];
  readonly resource: string;
  readonly severity?: string | null;
  readonly guideline?: string | null;
}

/** checkov's JSON output, normalized: records plus what went wrong. */
export interface CheckovOutput {
  readonly version: string;
  readonly failed: readonly CheckovRecord[];
  readonly passed: readonly CheckovRecord[];
  readonly parsingErrors: readonly string[];
}

type JsonObject = Record<string, unknown>;
const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Parses `checkov -o json` output: one report object, a list of them (several frameworks), or a bare
 * summary (nothing to scan).
 * @throws Error when the text is not checkov's JSON.
 */
export function parseCheckovOutput(stdout: string): CheckovOutput {
  const data: unknown = JSON.parse(stdout);
  const reports = Array.isArray(data) ? data : [data];
  const failed: CheckovRecord[] = [];
  const passed: CheckovRecord[] = [];
  const parsingErrors: string[] = [];
  let version = 'unknown';
  for (const report of reports) {
    if (!isObject(report)) throw new Error('a checkov report is not an object');
    const summary = isObject(report.summary) ? report.summary : report;
    if (typeof summary.checkov_version === 'string') version = summary.checkov_version;
    if (!('results' in report)) {
      if (!('passed' in summary)) throw new Error('no "results" and no summary in checkov output');
      continue;
    }
    const results = report.results;
    if (!isObject(results)) throw new Error('checkov "results" is not an object');
    for (const record of (results.failed_checks as CheckovRecord[] | undefined) ?? []) failed.push(record);
    for (const record of (results.passed_checks as CheckovRecord[] | undefined) ?? []) passed.push(record);
    for (const file of (results.parsing_errors as string[] | undefined) ?? []) parsingErrors.push(file);
  }
  return { version, failed, passed, parsingErrors };
}

function normalizeSeverity(value: string | null | undefined): ScannerResult['severity'] {
  const lower = value?.toLowerCase();
  return lower === 'low' || lower === 'medium' || lower === 'high' || lower === 'critical' ? lower : undefined;
}

/** Maps checkov records to scanner results on the indexed stacks. */
export function mapCheckovRecords(output: CheckovOutput, stacks: readonly StackInfo[], scanRoot: string): ScannerResult[] {
  const byPath = new Map(stacks.map((s) => [s.absPath, s]));
  const results: ScannerResult[] = [];
  const records: Array<[CheckovRecord, 'failed' | 'passed']> = [...output.failed.map((r) => [r, 'failed'] as [CheckovRecord, 'failed']), ...output.passed.map((r) => [r, 'passed'] as [CheckovRecord, 'passed'])];
  for (const [record, result] of records) {
    const absPath = record.file_abs_path ?? path.join(scanRoot, record.file_path);
    const stack = byPath.get(path.resolve(absPath));
    if (!stack) continue; // a file outside the selected stacks
    const resource = lookupResource(stack, record.resource);
    const severity = normalizeSeverity(record.severity);
    results.push({
      checkId: record.check_id,
      scanner: 'checkov',
      title: record.check_name,
      ...(severity ? { severity } : {}),
      guideline: record.guideline ?? CHECKOV_POLICY_INDEX_URL,
      ...describeResourceForResult(resource, result),
      account: stack.account,
      stackFile: stack.stackFile,
      ...(record.file_line_range?.[0] ? { stackLine: record.file_line_range[0] } : {}),
      result,
    });
  }
  return results;
}

/** Options of {@link runCheckov}. */
export interface RunCheckovOptions {
  /** checkov executable. */
  readonly executable: string;
  readonly cwd: string;
  /** Absolute stacks folder. */
  readonly stacksDir: string;
  readonly stacks: readonly StackInfo[];
  /** Scan the folder with `-d` (every stack) instead of one `-f` per stack. */
  readonly wholeFolder: boolean;
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Runs checkov once and maps its results.
 * @throws IamPlatformError SCANNER_FAILED with checkov's own stderr when it crashes (exit 2),
 * prints no JSON, or cannot parse a stack.
 */
export async function runCheckov(options: RunCheckovOptions): Promise<{ readonly version: string; readonly results: readonly ScannerResult[] }> {
  const targets = options.wholeFolder ? ['-d', options.stacksDir] : options.stacks.flatMap((s) => ['-f', s.absPath]);
  const args = [...targets, '--framework', 'terraform_json', '-o', 'json', '--compact', '--skip-download'];
  const shown = toRepoPath(options.cwd, options.stacksDir);
  const run = await runProcess(options.executable, args, { cwd: options.cwd, env: { ...(options.env ?? process.env), PYTHONUNBUFFERED: '1' } });
  if (run.timedOut || (run.code !== 0 && run.code !== 1)) {
    throw new IamPlatformError(
      ERROR_CODES.SCANNER_FAILED,
      `checkov could not scan ${shown} (${run.timedOut ? 'timed out' : `exit code ${run.code ?? run.signal}`}); its output ends with:\n${tailOutput(run)}`,
    );
  }
  let output: CheckovOutput;
  try {
    output = parseCheckovOutput(run.stdout);
  } catch (error) {
    throw new IamPlatformError(
      ERROR_CODES.SCANNER_FAILED,
      `checkov printed no readable JSON for ${shown} (${(error as Error).message}); its output ends with:\n${tailOutput(run)}`,
      { cause: error },
    );
  }
  if (output.parsingErrors.length > 0) {
    const files = output.parsingErrors.map((f) => toRepoPath(options.cwd, path.isAbsolute(f) ? f : path.join(options.stacksDir, f)));
    throw new IamPlatformError(
      ERROR_CODES.SCANNER_FAILED,
      `checkov could not parse ${files.join(', ')}, so the stack was not scanned: rerun \`iamctl synth\`; if it persists, check the file for a construct checkov's terraform_json parser rejects (such as a string terraform.required_version)`,
    );
  }
  return { version: output.version, results: mapCheckovRecords(output, options.stacks, options.stacksDir) };
}
