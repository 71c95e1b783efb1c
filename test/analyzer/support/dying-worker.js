// A stand-in for aggregate-worker.js that dies (exit code 7) on the first batch it is sent: the pool must fail, not hang.
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (message) => {
  if (message.type === 'tasks') process.exit(7);
});
