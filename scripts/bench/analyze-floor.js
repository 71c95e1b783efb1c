// @ts-check
/**
 * The floor of `npm run bench:analyze`, as a process of its own: `node analyze-floor.js DIR WORKERS` reads every
 * `.json.gz` under DIR (sorted, as the analyzer lists them) in WORKERS worker threads, each doing only
 * read + gunzip + JSON.parse, fed the way the analyzer's pool feeds its workers (batches of 4 files, at most 2
 * batches in flight per worker). Prints `{"events": N}`. Plain JavaScript, so its start-up is node's alone.
 */
const { Worker } = require('node:worker_threads');
const fs = require('node:fs');
const path = require('node:path');

const BATCH = 4;
const MAX_IN_FLIGHT = 2;
const WORKER = `
  const { parentPort } = require('node:worker_threads');
  const fs = require('node:fs');
  const zlib = require('node:zlib');
  let events = 0;
  parentPort.on('message', (batch) => {
    if (batch === null) return parentPort.postMessage({ total: events });
    for (const file of batch) events += JSON.parse(zlib.gunzipSync(fs.readFileSync(file)).toString('utf8')).Records.length;
    parentPort.postMessage({ done: true });
  });`;

/**
 * Every `.json.gz` under dir, sorted by name at each level (the order the analyzer lists them in).
 * @param {string} dir
 * @returns {string[]}
 */
function listFiles(dir) {
  /** @type {string[]} */
  const out = [];
  /** @param {string} d */
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.json.gz')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

async function main() {
  const [dir, workersArg] = process.argv.slice(2);
  const files = listFiles(dir);
  const workers = Math.max(1, Number(workersArg ?? '2'));
  const pool = Array.from({ length: workers }, () => ({ worker: new Worker(WORKER, { eval: true }), inFlight: 0 }));
  let next = 0;
  await new Promise((resolve, reject) => {
    const feed = () => {
      for (const slot of pool) {
        while (slot.inFlight < MAX_IN_FLIGHT && next < files.length) {
          slot.worker.postMessage(files.slice(next, next + BATCH));
          next += BATCH;
          slot.inFlight += 1;
        }
      }
      if (next >= files.length && pool.every((s) => s.inFlight === 0)) resolve(undefined);
    };
    for (const slot of pool) {
      slot.worker.on('message', (m) => {
        if (m.done) {
          slot.inFlight -= 1;
          feed();
        }
      });
      slot.worker.once('error', reject);
    }
    feed();
  });
  const totals = await Promise.all(
    pool.map(
      (slot) =>
        new Promise((resolve) => {
          slot.worker.on('message', (m) => {
            if (m.total !== undefined) resolve(m.total);
          });
          slot.worker.postMessage(null);
        }),
    ),
  );
  await Promise.all(pool.map((slot) => slot.worker.terminate()));
  process.stdout.write(`${JSON.stringify({ events: totals.reduce((a, b) => a + b, 0) })}\n`);
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  });
}

module.exports = { listFiles };
