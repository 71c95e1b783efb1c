/** Polling with a bounded, growing interval and an overall timeout, for configuration versions and runs. */
import { ERROR_CODES, IamPlatformError } from '../../core/errors';
import type { SleepFunction } from './http-client';

/** How often and how long to poll. */
export interface PollOptions {
  /** First wait between two reads. @default 1000 */
  readonly initialIntervalMs?: number;
  /** Longest wait between two reads; the interval doubles up to this. @default 10000 */
  readonly maxIntervalMs?: number;
  /** Give up after this long. @default 3600000 (one hour) */
  readonly timeoutMs?: number;
  /** Sleep implementation. @default setTimeout */
  readonly sleep?: SleepFunction;
  /** Clock in milliseconds. @default Date.now */
  readonly now?: () => number;
}

const defaultSleep: SleepFunction = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Reads until `isDone(value)`, waiting initialIntervalMs, then twice as long each time up to maxIntervalMs.
 * Throws REMOTE_API naming `what`, the time waited and the last status (`describe(value)`) on timeout.
 */
export async function pollUntil<T>(
  what: string,
  read: () => Promise<T>,
  isDone: (value: T) => boolean,
  describe: (value: T) => string,
  options: PollOptions = {},
): Promise<T> {
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? Date.now;
  const maxInterval = options.maxIntervalMs ?? 10_000;
  const timeout = options.timeoutMs ?? 3_600_000;
  const started = now();
  let interval = Math.min(options.initialIntervalMs ?? 1000, maxInterval);
  for (;;) {
    const value = await read();
    if (isDone(value)) return value;
    const elapsed = now() - started;
    if (elapsed >= timeout) {
      throw new IamPlatformError(
        ERROR_CODES.REMOTE_API,
        `timed out after ${Math.round(elapsed / 1000)}s waiting for ${what} (last status: ${describe(value)}); raise --timeout or check the run in Terraform Cloud`,
      );
    }
    await sleep(Math.min(interval, timeout - elapsed));
    interval = Math.min(interval * 2, maxInterval);
  }
}
