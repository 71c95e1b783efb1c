/** Where command output goes: stdout carries only the result; stderr carries messages and progress. */
export interface CliOutput {
  /** Writes the result (text or JSON) to stdout. */
  readonly result: (text: string) => void;
  /** Writes a message to stderr. */
  readonly message: (text: string) => void;
  /** True when stderr is a terminal, so progress may be shown. */
  readonly interactive: boolean;
}

export const processOutput: CliOutput = {
  result: (text) => {
    process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  },
  message: (text) => {
    process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  },
  interactive: Boolean(process.stderr.isTTY),
};

/** Accepted values of `--format`, validated in one place. */
export function parseFormat<T extends string>(value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new Error(`--format must be one of ${allowed.join(', ')}, got "${value}"`);
}
