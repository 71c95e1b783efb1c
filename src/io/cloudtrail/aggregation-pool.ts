import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { MAX_FUTURE_SKEW_MS, UsageAggregator, type UsageAggregatorOptions, type UsageSnapshot } from '../../core/analyzer';
import { ERROR_CODES, IamPlatformError, isIamPlatformError } from '../../core/errors';
import type { DecodeOptions } from './decode-log-file';
import { type LogTask, processLogTask } from './log-task';
import type { WorkerRequest, WorkerResponse, WorkerSetup } from './worker-protocol';

/** Options of {@link AggregationPool}. */
export interface AggregationPoolOptions {
  /** Worker threads; 0 aggregates in the calling thread. */
  readonly workers: number;
  /** Filters applied while aggregating. @default - none */
  readonly aggregator?: UsageAggregatorOptions;
  /** Bounds of the file decoder. @default - the decoder's defaults */
  readonly decode?: DecodeOptions;
  /** Files per message to a worker. @default 4 */
  readonly batchSize?: number;
  /** Called with the number of files processed so far. @default - no progress */
  readonly onProgress?: (filesDone: number) => void;
  /** Script each worker thread runs (tests replace it with one that dies). @default - aggregate-worker.js beside this file */
  readonly workerScript?: string;
}

/** Batches in flight per worker: one being processed, one queued, so a worker never waits for the pool. */
const MAX_IN_FLIGHT_PER_WORKER = 2;
const DEFAULT_BATCH_SIZE = 4;
/** Files named in a worker failure before "and N more". */
const MAX_FILES_NAMED = 4;

interface WorkerSlot {
  readonly worker: Worker;
  readonly index: number;
  /** Names of the files of each batch sent and not yet done, oldest first. */
  readonly inFlight: string[][];
  snapshot?: (s: UsageSnapshot) => void;
}

function nameFiles(files: readonly string[]): string {
  if (files.length === 0) return 'no file in flight';
  const shown = files.slice(0, MAX_FILES_NAMED).join(', ');
  return files.length > MAX_FILES_NAMED ? `${shown} and ${files.length - MAX_FILES_NAMED} more` : shown;
}

/**
 * Spreads log files over worker threads, each aggregating into its own {@link UsageAggregator}; the
 * snapshots are merged at the end. `submit` waits while every worker is busy, so memory stays bounded
 * even when the source produces bytes faster than they are parsed. When a worker reports an error,
 * throws, or exits early, every pending call rejects with an error naming the file(s) it was reading:
 * the run never waits for a worker that is gone.
 */
export class AggregationPool {
  private readonly slots: WorkerSlot[] = [];
  private readonly local?: UsageAggregator;
  private readonly batchSize: number;
  private batch: LogTask[] = [];
  private waiters: (() => void)[] = [];
  private failure?: IamPlatformError;
  private filesDone = 0;
  private closing = false;

  constructor(private readonly options: AggregationPoolOptions) {
    this.batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
    if (options.workers <= 0) {
      this.local = new UsageAggregator(options.aggregator);
      return;
    }
    // One clock for every worker: the latest plausible eventTime is fixed once per run.
    const aggregator = { ...options.aggregator, notAfter: options.aggregator?.notAfter ?? new Date(Date.now() + MAX_FUTURE_SKEW_MS).toISOString().replace(/\.\d{3}Z$/, 'Z') };
    const setup: WorkerSetup = { aggregator, decode: options.decode ?? {} };
    for (let i = 0; i < options.workers; i++) {
      const worker = new Worker(options.workerScript ?? join(__dirname, 'aggregate-worker.js'), { workerData: setup });
      const slot: WorkerSlot = { worker, index: i, inFlight: [] };
      worker.on('message', (message: WorkerResponse) => this.onMessage(slot, message));
      worker.on('error', (error) => this.fail(slot, `worker thread ${i + 1} failed (${error.message}) while reading ${nameFiles(slot.inFlight.flat())}`, error));
      worker.on('exit', (code) => {
        if (!this.closing) this.fail(slot, `worker thread ${i + 1} stopped (exit code ${code}) while reading ${nameFiles(slot.inFlight.flat())}`);
      });
      this.slots.push(slot);
    }
  }

  /** Queues one file; resolves once it is handed to a worker (or processed, without workers). */
  public async submit(task: LogTask): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.local) {
      await processLogTask(task, this.local, this.options.decode);
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
      while (!this.failure && this.slots.some((s) => s.inFlight.length > 0)) await this.waitForSlot();
      if (this.failure) throw this.failure;
      const merged = new UsageAggregator(this.options.aggregator);
      const snapshots = await Promise.all(
        this.slots.map(
          (slot) =>
            new Promise<UsageSnapshot>((resolve, reject) => {
              slot.snapshot = resolve;
              this.waiters.push(() => {
                if (this.failure) reject(this.failure);
              });
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
      const free = this.slots.filter((s) => s.inFlight.length < MAX_IN_FLIGHT_PER_WORKER).sort((a, b) => a.inFlight.length - b.inFlight.length)[0];
      if (free !== undefined) {
        free.inFlight.push(tasks.map((t) => t.name));
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
      slot.inFlight.shift();
      this.progress(message.count);
      this.wake();
    } else if (message.type === 'snapshot') {
      slot.snapshot?.(message.snapshot);
    } else {
      this.fail(slot, message.file !== undefined ? `${message.file}: ${message.message}` : `worker thread ${slot.index + 1}: ${message.message}`);
    }
  }

  private progress(n: number): void {
    this.filesDone += n;
    this.options.onProgress?.(this.filesDone);
  }

  private fail(_slot: WorkerSlot, message: string, cause?: unknown): void {
    if (this.failure === undefined) {
      // A worker that cannot go on is not bad input: the run stops with exit 2 and says where it stopped.
      this.failure = isIamPlatformError(cause)
        ? cause
        : new IamPlatformError(ERROR_CODES.UNREADABLE_INPUT, `CloudTrail analysis stopped: ${message}; nothing was reported`, { ...(cause !== undefined ? { cause } : {}) });
    }
    this.wake();
  }
}
