/**
 * Worker thread of the aggregation pool: aggregates the files it is sent, one at a time, and
 * returns one snapshot. Loaded through aggregate-worker.js (which registers tsx), so it runs from
 * the TypeScript sources. A failure is reported once with the file it happened on; then the worker
 * stops taking tasks (the pool fails the run).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { UsageAggregator } from '../../core/analyzer/usage-aggregate';
import { type LogTask, processLogTask } from './log-task';
import type { WorkerRequest, WorkerResponse, WorkerSetup } from './worker-protocol';

const port = parentPort;
if (port === null) throw new Error('aggregate-worker must run in a worker thread');
const setup = workerData as WorkerSetup;
const aggregator = new UsageAggregator(setup.aggregator);
let queue: Promise<void> = Promise.resolve();
let failed = false;

async function handle(message: WorkerRequest): Promise<void> {
  if (failed) return;
  if (message.type === 'finish') {
    const reply: WorkerResponse = { type: 'snapshot', snapshot: aggregator.snapshot() };
    port!.postMessage(reply);
    return;
  }
  let current: LogTask | undefined;
  try {
    for (const task of message.tasks as LogTask[]) {
      current = task;
      await processLogTask(task, aggregator, setup.decode);
    }
    const reply: WorkerResponse = { type: 'done', count: message.tasks.length };
    port!.postMessage(reply);
  } catch (e) {
    failed = true;
    const reply: WorkerResponse = { type: 'error', ...(current ? { file: current.name } : {}), message: (e as Error).message ?? String(e) };
    port!.postMessage(reply);
  }
}

port.on('message', (message: WorkerRequest) => {
  queue = queue.then(() => handle(message));
});
