import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { UsageAggregator, type UsageAggregatorOptions, type UsageSnapshot } from '../../core/analyzer';
import { ERROR_CODES, IamPlatformError } from '../../core/errors';
import { type LogTask, processLogTask } from './log-task';
import type { WorkerRequest, WorkerResponse } from './worker-protocol';

/** Options of {@link AggregationPool}. */
export interface AggregationPoolOptions {
  /** Worker threads; 0 aggregates in the calling thread. */
  readonly workers: number;
  /** Filters applied while aggregating. @default - none */
  readonly aggregator?: UsageAggregatorOptions;
  /** Files per message to a worker. @default 4 */
  readonly batchSize?: number;
  /** Called with the number of files processed so far. @default - no progress */
  readonly onProgress?: (filesDone: number) => void;
}

/** Batches in flight per worker: one being processed, one queued, so a worker never waits for the pool. */
const MAX_IN_FLIGHT_PER_WORKER = 2;
const DEFAULT_BATCH_SIZE = 4;

interface WorkerSlot {
  readonly worker: Worker;
  inFlight: number;
  snapshot?: (s: UsageSnapshot) => void;
  fail?: (e: Error) => void;
}

/**
 * Spreads log files over worker threads, each aggregating into its own {@link UsageAggregator}; the
 * snapshots are merged at the end. `submit` waits while every worker is busy, so memory stays bounded
 * even when the source produces bytes faster than they are parsed.
 */
export class AggregationPool {
  private readonly slots: WorkerSlot[] = [];
  private readonly local?: UsageAggregator;
  private readonly batchSize: number;
  private batch: LogTask[] = [];
  private waiters: (() => void)[] = [];
  private failure?: Error;
  private filesDone = 0;
  private closing = false;

  constructor(private readonly options: AggregationPoolOptions) {
    this.batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
    if (options.workers <= 0) {
      this.local = new UsageAggregator(options.aggregator);
      return;
    }
    for (let i = 0; i < options.workers; i++) {
      const worker = new Worker(join(__dirname, 'aggregate-worker.js'), { workerData: options.aggregator ?? {} });
      const slot: WorkerSlot = { worker, inFlight: 0 };
      worker.on('message', (message: WorkerResponse) => this.onMessage(slot, message));
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => {
        if (!this.closing) this.fail(new Error(`worker thread exited with code ${code} before it finished`));
      });
      this.slots.push(slot);
    }
  }

  /** Queues one file; resolves once it is handed to a worker (or processed, without workers). */
  public async submit(task: LogTask): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.local) {
      processLogTask(task, this.local);
      this.progress(1);
      return;
    }
    this.batch.push(task);
    if (this.batch.length >= this.batchSize) await this.flush();
  }

  /** Waits for every file, stops the workers and returns the merged aggregation. */
  public async finish(): Promise<UsageSnapshot> {
    if (this.local) return this.local.snapshot();
    try {
      if (this.batch.length > 0) await this.flush();
      while (this.slots.some((s) => s.inFlight > 0)) await this.waitForSlot();
      if (this.failure) throw this.failure;
      const merged = new UsageAggregator(this.options.aggregator);
      const snapshots = await Promise.all(
        this.slots.map(
          (slot) =>
            new Promise<UsageSnapshot>((resolve, reject) => {
              slot.snapshot = resolve;
              slot.fail = reject;
              const request: WorkerRequest = { type: 'finish' };
              slot.worker.postMessage(request);
            }),
        ),
      );
      for (const s of snapshots) merged.addSnapshot(s);
      return merged.snapshot();
    } finally {
      await this.close();
    }
  }

  /** Stops the workers without waiting for results (after an error elsewhere). */
  public async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private async flush(): Promise<void> {
    const tasks = this.batch;
    this.batch = [];
    for (;;) {
      if (this.failure) throw this.failure;
      const free = this.slots.filter((s) => s.inFlight < MAX_IN_FLIGHT_PER_WORKER).sort((a, b) => a.inFlight - b.inFlight)[0];
      if (free !== undefined) {
        free.inFlight += 1;
        const request: WorkerRequest = { type: 'tasks', tasks };
        free.worker.postMessage(request);
        return;
      }
      await this.waitForSlot();
    }
  }

  private waitForSlot(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private onMessage(slot: WorkerSlot, message: WorkerResponse): void {
    if (message.type === 'done') {
      slot.inFlight -= 1;
      this.progress(message.count);
      this.wake();
    } else if (message.type === 'snapshot') {
      slot.snapshot?.(message.snapshot);
    } else {
      this.fail(new Error(message.message));
    }
  }

  private progress(n: number): void {
    this.filesDone += n;
    this.options.onProgress?.(this.filesDone);
  }

  private fail(error: Error): void {
    this.failure ??= new IamPlatformError(ERROR_CODES.INTERNAL, `CloudTrail aggregation worker failed: ${error.message}`, { source: 'internal', cause: error });
    this.wake();
    for (const slot of this.slots) slot.fail?.(this.failure);
  }
}
