// A stand-in for aggregate-worker.js that reports a failure on the first file of its first batch, as the real worker does.
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (message) => {
  if (message.type === 'tasks') parentPort.postMessage({ type: 'error', file: message.tasks[0].name, message: 'Invalid string length' });
});
