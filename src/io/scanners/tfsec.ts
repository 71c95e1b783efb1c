/**
 * tfsec over the synthesized stacks: one process for the whole folder (it reads Terraform JSON).
 * `--soft-fail` makes tfsec exit 0 whatever it finds, so any other exit code is a crash.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ERROR_CODES, IamPlatformError } from '../../core/errors';
import type { ScannerResult } from '../../core/scan';
import { runProcess, tailOutput } from './run-process';
import { describeResourceForResult, lookupResource, toRepoPath, type StackInfo } from './stack-index';

/** One result of `tfsec --format json` (the fields the gate reads). */
export interface TfsecResult {
  readonly rule_id: string;
  readonly long_id: string;
  readonly rule_description: string;
  readonly description: string;
  readonly severity: string;
  readonly status?: number;
  readonly resource: string;
  readonly links?: readonly string[];
  readonly location: { readonly filename: string; readonly start_line?: number };
}

/** tfsec status of a passed check (defsec `scan.StatusPassed`). */
const TFSEC_STATUS_PASSED = 1;

/**
 * Parses `tfsec --format json` output (`{"results": [...] | null}`).
 * @throws Error when the text is not tfsec's JSON.
 */
export function parseTfsecOutput(stdout: string): readonly TfsecResult[] {
  const data: unknown = JSON.parse(stdout);
  if (typeof data !== 'object' || data === null || !('results' in data)) throw new Error('no "results" in tfsec output');
  const results = (data as { results: unknown }).results;
  if (results === null) return [];
  if (!Array.isArray(results)) throw new Error('tfsec "results" is not a list');
  return results as TfsecResult[];
}

function normalizeSeverity(value: string): ScannerResult['severity'] {
  const lower = value.toLowerCase();
  return lower === 'low' || lower === 'medium' || lower === 'high' || lower === 'critical' ? lower : undefined;
}

/** The file tfsec read for a stack. */
export interface ScannedCopy {
  readonly path: string;
  /** True when the copy differs from the stack file (its line numbers do not match the original). */
  readonly rewritten: boolean;
}

/**
 * tfsec v1.26.0 ignores every attribute of a Terraform JSON resource that has a `provider`
 * meta-argument (a KMS key with rotation on is reported "rotation not enabled" only when `provider`
 * is set). The provider alias says which region or account a resource goes to, never how it is
 * configured, so tfsec scans copies of the stacks without it. Returns, by original path, the copy
 * tfsec reads and whether it was rewritten (a copy of a stack without aliased resources is byte-identical).
 */
export function writeTfsecCopies(stacks: readonly StackInfo[], scratchDir: string): Map<string, ScannedCopy> {
  const copies = new Map<string, ScannedCopy>();
  for (const stack of stacks) {
    const json = JSON.parse(fs.readFileSync(stack.absPath, 'utf8')) as { resource?: Record<string, Record<string, Record<string, unknown>>> };
    let stripped = false;
    for (const byName of Object.values(json.resource ?? {})) {
      for (const body of Object.values(byName)) {
        if ('provider' in body) {
          delete body.provider;
          stripped = true;
        }
      }
    }
    const folder = path.join(scratchDir, path.basename(path.dirname(stack.absPath)));
    fs.mkdirSync(folder, { recursive: true });
    const copy = path.join(folder, path.basename(stack.absPath));
    if (stripped) fs.writeFileSync(copy, JSON.stringify(json, null, 2));
    else fs.copyFileSync(stack.absPath, copy);
    copies.set(stack.absPath, { path: copy, rewritten: stripped });
  }
  return copies;
}

/**
 * Maps tfsec results to scanner results on the indexed stacks (results in other files are dropped).
 * `scannedAs` maps each stack file to the copy tfsec read, when it read a copy; lines of a copy are not reported.
 */
export function mapTfsecResults(results: readonly TfsecResult[], stacks: readonly StackInfo[], scannedAs: ReadonlyMap<string, ScannedCopy> = new Map()): ScannerResult[] {
  const byPath = new Map(stacks.map((s) => [scannedAs.get(s.absPath)?.path ?? s.absPath, s]));
  const mapped: ScannerResult[] = [];
  for (const result of results) {
    const stack = byPath.get(path.resolve(result.location.filename));
    if (!stack) continue;
    const lineIsOriginal = !scannedAs.get(stack.absPath)?.rewritten;
    const resource = lookupResource(stack, result.resource);
    const severity = normalizeSeverity(result.severity);
    const status = result.status === TFSEC_STATUS_PASSED ? 'passed' : 'failed';
    mapped.push({
      checkId: result.rule_id,
      scanner: 'tfsec',
      title: `${result.long_id}: ${result.rule_description}`,
      message: result.description,
      ...(severity ? { severity } : {}),
      ...(result.links?.[0] ? { guideline: result.links[0] } : {}),
      ...describeResourceForResult(resource, status),
      account: stack.account,
      stackFile: stack.stackFile,
      ...(result.location.start_line && lineIsOriginal ? { stackLine: result.location.start_line } : {}),
      result: status,
    });
  }
  return mapped;
}

/** Options of {@link runTfsec}. */
export interface RunTfsecOptions {
  readonly executable: string;
  readonly cwd: string;
  /** Folder to scan (absolute). */
  readonly stacksDir: string;
  readonly stacks: readonly StackInfo[];
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/** `tfsec --version`; tfsec builds without a stamped version answer with a sentence instead. */
export async function readTfsecVersion(executable: string, cwd: string, env?: NodeJS.ProcessEnv): Promise<string> {
  const run = await runProcess(executable, ['--version'], { cwd, env: env ?? process.env, timeoutMs: 30_000 });
  const version = run.stdout.trim();
  return /^v?\d+\.\d+/.test(version) ? version : 'unknown (locally built)';
}

/**
 * Runs tfsec once over the folder and maps its results.
 * @throws IamPlatformError SCANNER_FAILED with tfsec's own message when it fails or prints no JSON.
 */
export async function runTfsec(options: RunTfsecOptions): Promise<{ readonly version: string; readonly results: readonly ScannerResult[] }> {
  const shown = toRepoPath(options.cwd, options.stacksDir);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'iamctl-tfsec-'));
  try {
    const copies = writeTfsecCopies(options.stacks, scratch);
    const [version, run] = await Promise.all([
      readTfsecVersion(options.executable, options.cwd, options.env),
      runProcess(options.executable, [scratch, '--format', 'json', '--no-colour', '--soft-fail', '--no-module-downloads'], { cwd: options.cwd, env: options.env ?? process.env }),
    ]);
    return readTfsecRun(run, shown, version, options.stacks, copies);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function readTfsecRun(
  run: Awaited<ReturnType<typeof runProcess>>,
  shown: string,
  version: string,
  stacks: readonly StackInfo[],
  copies: ReadonlyMap<string, ScannedCopy>,
): { readonly version: string; readonly results: readonly ScannerResult[] } {
  if (run.timedOut || run.code !== 0) {
    throw new IamPlatformError(ERROR_CODES.SCANNER_FAILED, `tfsec could not scan ${shown} (${run.timedOut ? 'timed out' : `exit code ${run.code ?? run.signal}`}); its output ends with:\n${tailOutput(run)}`);
  }
  let results: readonly TfsecResult[];
  try {
    results = parseTfsecOutput(run.stdout);
  } catch (error) {
    throw new IamPlatformError(ERROR_CODES.SCANNER_FAILED, `tfsec printed no readable JSON for ${shown} (${(error as Error).message}); its output ends with:\n${tailOutput(run)}`, { cause: error });
  }
  return { version, results: mapTfsecResults(results, stacks, copies) };
}
