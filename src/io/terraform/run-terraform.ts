/**
 * Runs terraform as a child process with the project's CLI config, never interactive, with a
 * timeout, and turns failures into one clear error that quotes terraform's own message.
 */
import { ERROR_CODES, IamPlatformError } from '../../core/errors';
import { runProcess, tailOutput, type ProcessResult } from '../scanners/run-process';
import type { TerraformInstallation } from './locate-terraform';

/** Default timeout of one terraform command. */
export const DEFAULT_TERRAFORM_TIMEOUT_MS = 10 * 60_000;

/** Options of {@link runTerraform}. */
export interface RunTerraformOptions {
  /** Folder terraform runs in (the stack or its harness copy). */
  readonly cwd: string;
  /** Environment added to the base environment (AWS endpoints, credentials). @default - none */
  readonly env?: Readonly<Record<string, string>>;
  /** Base environment. @default process.env */
  readonly baseEnv?: NodeJS.ProcessEnv;
  /** @default DEFAULT_TERRAFORM_TIMEOUT_MS */
  readonly timeoutMs?: number;
  /** Exit codes that are not failures. @default [0] */
  readonly okExitCodes?: readonly number[];
}

/** The environment of every terraform child: the project CLI config, no prompts, no update checks. */
export function terraformEnvironment(installation: TerraformInstallation, options: Pick<RunTerraformOptions, 'env' | 'baseEnv'> = {}): NodeJS.ProcessEnv {
  return {
    ...(options.baseEnv ?? process.env),
    TF_CLI_CONFIG_FILE: installation.cliConfigFile,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    ...(options.env ?? {}),
  };
}

/**
 * Runs `terraform <args>` in `cwd`.
 * @throws IamPlatformError TERRAFORM_FAILED when terraform cannot start, times out or exits with a
 * code outside `okExitCodes`, quoting the end of its output.
 */
export async function runTerraform(installation: TerraformInstallation, args: readonly string[], options: RunTerraformOptions): Promise<ProcessResult> {
  const command = `terraform ${args.join(' ')}`;
  let run: ProcessResult;
  try {
    run = await runProcess(installation.executable, args, { cwd: options.cwd, env: terraformEnvironment(installation, options), timeoutMs: options.timeoutMs ?? DEFAULT_TERRAFORM_TIMEOUT_MS });
  } catch (error) {
    throw new IamPlatformError(ERROR_CODES.TERRAFORM_FAILED, `${command} could not start in ${options.cwd}: ${(error as Error).message}`, { cause: error });
  }
  const ok = options.okExitCodes ?? [0];
  if (run.timedOut) {
    throw new IamPlatformError(ERROR_CODES.TERRAFORM_FAILED, `${command} timed out after ${Math.round((options.timeoutMs ?? DEFAULT_TERRAFORM_TIMEOUT_MS) / 1000)} s in ${options.cwd}; its output ends with:\n${tailOutput(run)}`);
  }
  if (run.code === null || !ok.includes(run.code)) {
    throw new IamPlatformError(ERROR_CODES.TERRAFORM_FAILED, `${command} failed (exit code ${run.code ?? run.signal}) in ${options.cwd}; its output ends with:\n${describeFailure(run)}`);
  }
  return run;
}

/** The error diagnostics of a `-json` run when it printed them, else the end of its output. */
function describeFailure(run: ProcessResult): string {
  const errors = parseJsonLines(run.stdout)
    .filter((m) => m['@level'] === 'error' || (m.type === 'diagnostic' && isDiagnostic(m.diagnostic) && m.diagnostic.severity === 'error'))
    .map((m) => (isDiagnostic(m.diagnostic) ? `${m.diagnostic.summary}${m.diagnostic.detail ? `: ${m.diagnostic.detail}` : ''}${m.diagnostic.address ? ` (${m.diagnostic.address})` : ''}` : String(m['@message'])));
  return errors.length > 0 ? [...new Set(errors)].slice(0, 20).join('\n') : tailOutput(run, 30);
}

interface JsonDiagnostic {
  readonly severity: string;
  readonly summary: string;
  readonly detail?: string;
  readonly address?: string;
}

function isDiagnostic(value: unknown): value is JsonDiagnostic {
  return typeof value === 'object' && value !== null && typeof (value as JsonDiagnostic).summary === 'string';
}

/** The messages of terraform's machine-readable UI (`plan -json`, `apply -json`): one JSON object per line; other lines are skipped. */
export function parseJsonLines(text: string): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed.startsWith('{')) continue;
    try {
      const value: unknown = JSON.parse(trimmed);
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) out.push(value as Record<string, unknown>);
    } catch {
      // not a message line
    }
  }
  return out;
}
