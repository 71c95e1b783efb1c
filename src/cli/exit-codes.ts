/**
 * Exit codes, the same for every iamctl command (as eslint and checkov do).
 * Documented in the README under "Exit codes".
 */
export const EXIT_CODES = {
  /** Nothing found: clean config, no findings at or above the threshold, no drift. */
  CLEAN: 0,
  /** Found something: invalid config, guardrail errors, lint findings, failed checks, drift. */
  FOUND: 1,
  /** Could not run: bad arguments, unreadable input, a scanner or API failure. */
  ERROR: 2,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];
