import type { UsageSnapshot } from '../../core/analyzer';
import type { LogTask } from './log-task';

/** Messages from the pool to a worker. */
export type WorkerRequest = { readonly type: 'tasks'; readonly tasks: readonly LogTask[] } | { readonly type: 'finish' };

/** Messages from a worker to the pool. */
export type WorkerResponse =
  | { readonly type: 'done'; readonly count: number }
  | { readonly type: 'snapshot'; readonly snapshot: UsageSnapshot }
  | { readonly type: 'error'; readonly message: string };
