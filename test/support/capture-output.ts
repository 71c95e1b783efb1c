import type { CliOutput } from '../../src/cli/output';

/** A CliOutput that records what a command printed, for CLI tests through runCli. */
export interface CapturedOutput extends CliOutput {
  /** Everything written to stdout, joined. */
  readonly stdout: () => string;
  /** Everything written to stderr, joined. */
  readonly stderr: () => string;
}

export function captureOutput(): CapturedOutput {
  const out: string[] = [];
  const err: string[] = [];
  return {
    result: (text) => out.push(text.endsWith('\n') ? text : `${text}\n`),
    message: (text) => err.push(text.endsWith('\n') ? text : `${text}\n`),
    interactive: false,
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}
