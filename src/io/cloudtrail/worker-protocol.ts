import type { UsageAggregatorOptions, UsageSnapshot } from '../../core/analyzer';
import type { DecodeOptions } from './decode-log-file';
import type { LogTask } from './log-task';

/** What a worker is started with (its workerData). */
export interface WorkerSetup {
  readonly aggregator: UsageAggregatorOptions;
  readonly decode: DecodeOptions;
}

/** Messages from the pool to a worker. */
export type WorkerRequest = { readonly type: 'tasks'; readonly tasks: readonly LogTask[] } | { readonly type: 'finish' };

/** Messages from a worker to the pool. */
export type WorkerResponse =
  | { readonly type: 'done'; readonly count: number }
  | { readonly type: 'snapshot'; readonly snapshot: UsageSnapshot }
  /** Reading `file` failed with `message`; the worker takes no more tasks. */
  | { readonly type: 'error'; readonly file?: string; readonly message: string };
