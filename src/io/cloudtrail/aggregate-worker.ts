/**
 * Worker thread of the aggregation pool: aggregates the files it is sent and returns one snapshot.
 * Loaded through aggregate-worker.js (which registers tsx), so it runs from the TypeScript sources.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { UsageAggregator, type UsageAggregatorOptions } from '../../core/analyzer/usage-aggregate';
import { type LogTask, processLogTask } from './log-task';
import type { WorkerRequest, WorkerResponse } from './worker-protocol';

const port = parentPort;
if (port === null) throw new Error('aggregate-worker must run in a worker thread');
const aggregator = new UsageAggregator(workerData as UsageAggregatorOptions);

port.on('message', (message: WorkerRequest) => {
  try {
    if (message.type === 'tasks') {
      for (const task of message.tasks as LogTask[]) processLogTask(task, aggregator);
      const reply: WorkerResponse = { type: 'done', count: message.tasks.length };
      port.postMessage(reply);
    } else {
      const reply: WorkerResponse = { type: 'snapshot', snapshot: aggregator.snapshot() };
      port.postMessage(reply);
    }
  } catch (e) {
    const reply: WorkerResponse = { type: 'error', message: (e as Error).stack ?? String(e) };
    port.postMessage(reply);
  }
});
