/**
 * The one error type of iam-platform.
 *
 * A `user` error is bad input (a malformed account file, an unknown flag, an unreadable log):
 * the CLI prints its message alone and exits non-zero, never with a stack trace.
 * An `internal` error is a bug or an unexpected failure: the CLI keeps its trace.
 */
export type ErrorSource = 'user' | 'internal';

/** One problem inside a larger input: where it is and what is wrong with it. */
export interface Problem {
  /** File the problem is in, when it comes from a file. */
  readonly file?: string;
  /** 1-based line in that file, when known. */
  readonly line?: number;
  /** 1-based column of that line, when known (only with `line`). @default - none */
  readonly column?: number;
  /** JSON path inside the document or file (`$.Statement[0].Action`). */
  readonly path: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
}

/**
 * Stable error codes. Tests and scripts may match on these; messages may change wording.
 */
export const ERROR_CODES = {
  INVALID_POLICY: 'IAMP_INVALID_POLICY',
  INVALID_CONFIG: 'IAMP_INVALID_CONFIG',
  CONFIG_NOT_FOUND: 'IAMP_CONFIG_NOT_FOUND',
  UNKNOWN_ACCOUNT: 'IAMP_UNKNOWN_ACCOUNT',
  GUARDRAIL_VIOLATION: 'IAMP_GUARDRAIL_VIOLATION',
  INVALID_ARGUMENT: 'IAMP_INVALID_ARGUMENT',
  UNREADABLE_INPUT: 'IAMP_UNREADABLE_INPUT',
  SCANNER_MISSING: 'IAMP_SCANNER_MISSING',
  SCANNER_FAILED: 'IAMP_SCANNER_FAILED',
  TERRAFORM_FAILED: 'IAMP_TERRAFORM_FAILED',
  AWS_API: 'IAMP_AWS_API',
  REMOTE_API: 'IAMP_REMOTE_API',
  INTERNAL: 'IAMP_INTERNAL',
} as const;

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/** Options of {@link IamPlatformError}. */
export interface IamPlatformErrorOptions {
  /** Who is at fault. @default 'user' */
  readonly source?: ErrorSource;
  /** Every problem found, when the error gathers several. @default - none */
  readonly problems?: readonly Problem[];
  /** The underlying error. @default - none */
  readonly cause?: unknown;
}

export class IamPlatformError extends Error {
  public readonly code: ErrorCode;
  public readonly source: ErrorSource;
  public readonly problems: readonly Problem[];

  constructor(code: ErrorCode, message: string, options: IamPlatformErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'IamPlatformError';
    this.code = code;
    this.source = options.source ?? 'user';
    this.problems = options.problems ?? [];
  }

  /** True for errors whose message alone is enough (no stack trace shown). */
  public get isUserError(): boolean {
    return this.source === 'user';
  }
}

/** Narrowing helper that works across module copies (checks the shape, not the prototype). */
export function isIamPlatformError(value: unknown): value is IamPlatformError {
  return (
    value instanceof IamPlatformError ||
    (typeof value === 'object' && value !== null && (value as { name?: unknown }).name === 'IamPlatformError')
  );
}

/** Renders a problem as `file:line path: message`, omitting the parts that are unknown. */
export function formatProblem(problem: Problem): string {
  const where = problem.file ? `${problem.file}${problem.line ? `:${problem.line}${problem.column ? `:${problem.column}` : ''}` : ''}` : '';
  const path = problem.path && problem.path !== '$' ? problem.path : '';
  const location = [where, path].filter(Boolean).join(' ');
  return location ? `${location}: ${problem.message}` : problem.message;
}
