import { readFileSync } from 'node:fs';
import type { UsageAggregator } from '../../core/analyzer/usage-aggregate';
import { feedLogFile } from './decode-log-file';

/** One log file to aggregate: a local path (read where it is processed) or bytes already fetched (S3). */
export type LogTask =
  | { readonly kind: 'path'; readonly path: string; readonly name: string }
  | { readonly kind: 'bytes'; readonly data: Uint8Array; readonly name: string };

/** Reads (when needed) and aggregates one task; unreadable files are counted as skipped. */
export function processLogTask(task: LogTask, aggregator: UsageAggregator): void {
  if (task.kind === 'bytes') return feedLogFile(task.data, task.name, aggregator);
  let data: Buffer;
  try {
    data = readFileSync(task.path);
  } catch (e) {
    aggregator.markFileRead();
    return aggregator.skipFile(task.name, `unreadable-file:${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  feedLogFile(data, task.name, aggregator);
}
