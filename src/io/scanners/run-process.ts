import { spawn } from 'node:child_process';

/** What a finished process produced. */
export interface ProcessResult {
  /** Exit code; null when a signal ended it. */
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** True when the timeout killed it. */
  readonly timedOut: boolean;
}

/** Options of {@link runProcess}. */
export interface RunProcessOptions {
  readonly cwd: string;
  /** Environment of the child. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Kill the process after this many milliseconds. @default 600000 (10 minutes) */
  readonly timeoutMs?: number;
}

/** Runs a program without a shell and collects its output. Rejects only when it cannot be started. */
export function runProcess(command: string, args: readonly string[], options: RunProcessOptions): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 600_000);
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8'), timedOut });
    });
  });
}

/** The last lines of a scanner's stderr (or stdout when stderr is empty), for error messages. */
export function tailOutput(result: Pick<ProcessResult, 'stderr' | 'stdout'>, lines = 15): string {
  const text = (result.stderr.trim() || result.stdout.trim()).split('\n');
  return text.slice(-lines).join('\n');
}
