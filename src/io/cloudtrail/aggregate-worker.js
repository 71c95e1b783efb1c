// Entry of the aggregation worker thread: registers tsx's CommonJS hook, then runs the TypeScript worker.
require('tsx/cjs');
require('./aggregate-worker.ts');
