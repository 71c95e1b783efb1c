import type { UsageAggregator } from '../../core/analyzer/usage-aggregate';
import { ERROR_CODES, IamPlatformError, isIamPlatformError } from '../../core/errors';
import { type DecodeOptions, feedLogFile } from './decode-log-file';

/** One log file to aggregate: a local path (read where it is processed) or bytes already fetched (S3). */
export type LogTask =
  | { readonly kind: 'path'; readonly path: string; readonly name: string }
  | { readonly kind: 'bytes'; readonly data: Uint8Array; readonly name: string };

/**
 * Reads (when needed) and aggregates one task. A file that cannot be opened or read is counted as
 * skipped (`unreadable-file:<code>`); anything else that goes wrong rejects with an error naming the
 * file, so a run never ends without saying which file stopped it.
 */
export async function processLogTask(task: LogTask, aggregator: UsageAggregator, options: DecodeOptions = {}): Promise<void> {
  try {
    await feedLogFile(task.kind === 'bytes' ? { kind: 'bytes', data: task.data } : { kind: 'path', path: task.path }, task.name, aggregator, options);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if ((e as NodeJS.ErrnoException).syscall !== undefined) return aggregator.skipFile(task.name, `unreadable-file:${code ?? 'error'}`);
    if (isIamPlatformError(e)) throw e;
    throw new IamPlatformError(ERROR_CODES.INTERNAL, `reading ${task.name} failed: ${(e as Error).message ?? String(e)}`, { source: 'internal', cause: e });
  }
}
