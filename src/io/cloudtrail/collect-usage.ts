import { UsageAggregator, type UsageAggregatorOptions, type UsageSnapshot } from '../../core/analyzer';
import { AggregationPool } from './aggregation-pool';
import type { DecodeOptions } from './decode-log-file';
import type { LogTask } from './log-task';

/** Options of {@link collectUsage}. */
export interface CollectUsageOptions {
  /** Worker threads; 0 aggregates in the calling thread. */
  readonly workers: number;
  /** Date, account and identity filters applied to each record. @default - none */
  readonly aggregator?: UsageAggregatorOptions;
  /** Bounds of the file decoder (whole-file size, record size). @default - the decoder's defaults */
  readonly decode?: DecodeOptions;
  /** Called with the number of files processed so far. @default - no progress */
  readonly onProgress?: (filesDone: number) => void;
}

/** Builds the task list of a source, given a callback for the files it passes over. */
export type LogTaskSource = (onSkip: (file: string, reason: string) => void) => AsyncIterable<LogTask>;

/**
 * Aggregates every log file of a source over the worker pool and returns one snapshot, including
 * the files the source passed over (with their reasons).
 */
export async function collectUsage(source: LogTaskSource, options: CollectUsageOptions): Promise<UsageSnapshot> {
  const listing = new UsageAggregator(options.aggregator);
  const pool = new AggregationPool({ workers: options.workers, aggregator: options.aggregator, decode: options.decode, onProgress: options.onProgress });
  try {
    for await (const task of source((file, reason) => listing.skipFile(file, reason))) await pool.submit(task);
  } catch (e) {
    await pool.close();
    throw e;
  }
  const snapshot = await pool.finish();
  listing.addSnapshot(snapshot);
  return listing.snapshot();
}
