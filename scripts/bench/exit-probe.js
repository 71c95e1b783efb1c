// @ts-check
/**
 * Preloaded (`node --require exit-probe.js ...`) into each process `npm run bench:analyze` measures: at exit it
 * writes the process's CPU seconds (all threads) and peak RSS (VmHWM, worker threads included) as JSON to the
 * file named by IAMCTL_BENCH_PROBE. Nothing else changes in the process it is loaded into.
 */
const fs = require('node:fs');

const out = process.env.IAMCTL_BENCH_PROBE;
if (out) {
  process.on('exit', () => {
    const used = process.cpuUsage();
    const match = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    fs.writeFileSync(out, JSON.stringify({ cpuSeconds: (used.user + used.system) / 1e6, peakRssBytes: match ? Number(match[1]) * 1024 : 0 }));
  });
}
