/**
 * `npm run bench:startup`: how long the built CLI takes to start, against an empty Node.js start in the same run.
 * Runs `node -e 0`, `iamctl --version` and `iamctl lint <one small policy file>` BENCH_STARTUP_RUNS times each
 * (default 15), interleaved so that load changes during the run affect all three alike, each timed by bash's `time`
 * (wall, and CPU = user + system of the child). Prints the common summary (scripts/bench/bench-result.ts): the figure
 * is the median wall time of `iamctl --version`, the baseline the median wall time of `node -e 0`; beside them the
 * CPU times, the minimum of each, the lint start-up and the issue's target (under 0.3 s of start-up).
 * The CLI runs from dist/ (`npm run build`); when the bundle is missing or stale it is built first, and the output says so.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarizeBench } from './bench-result';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'iamctl.js');
const RUNS = Math.max(3, Number(process.env.BENCH_STARTUP_RUNS ?? 15));
/** The issue's target: `iamctl --version` and `iamctl lint FILE` under 0.3 s of start-up (#15). */
const TARGET_SECONDS = 0.3;
/** What bin/iamctl.js prints on stderr when it falls back to the TypeScript sources. */
const FALLBACK_NOTICE = 'running the TypeScript sources through tsx';

/** One small identity policy: two statements, one finding (resource-star-for-restrictable). */
const SMALL_POLICY = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Read', Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::app-data/*' },
    { Sid: 'Describe', Effect: 'Allow', Action: 'ec2:DescribeInstances', Resource: '*' },
  ],
};

interface Timing {
  readonly wall: number;
  readonly cpu: number;
}

/** Runs a command once: wall and CPU seconds of the child as bash's `time` reports them, and its stderr. */
function timeOnce(command: string, args: readonly string[]): Timing & { readonly stderr: string } {
  const script = 'TIMEFORMAT="%3R %3U %3S"; { time "$@" >/dev/null 2>"$ERR_FILE"; } 2>&1; cat "$ERR_FILE" >&2';
  const dir = mkdtempSync(join(tmpdir(), 'bench-startup-'));
  try {
    const r = spawnSync('bash', ['-c', script, 'bench', command, ...args], { encoding: 'utf8', env: { ...process.env, ERR_FILE: join(dir, 'stderr') } });
    const m = /(\d+\.\d+) (\d+\.\d+) (\d+\.\d+)\s*$/.exec(r.stdout ?? '');
    if (!m) throw new Error(`could not time ${command} ${args.join(' ')}: ${r.stdout}${r.stderr}`);
    return { wall: Number(m[1]), cpu: Number(m[2]) + Number(m[3]), stderr: r.stderr ?? '' };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function describe(runs: readonly Timing[]): { wallMedian: number; wallMin: number; cpuMedian: number; cpuMin: number } {
  const walls = runs.map((r) => r.wall);
  const cpus = runs.map((r) => r.cpu);
  const round = (n: number): number => Math.round(n * 1000) / 1000;
  return { wallMedian: round(median(walls)), wallMin: round(Math.min(...walls)), cpuMedian: round(median(cpus)), cpuMin: round(Math.min(...cpus)) };
}

/** Builds dist/ when bin/iamctl.js would not run it; returns whether it did. */
function ensureBuilt(): boolean {
  const probe = timeOnce(process.execPath, [BIN, '--version']);
  if (!probe.stderr.includes(FALLBACK_NOTICE)) return false;
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.js')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run build failed: ${r.stderr}`);
  return true;
}

function main(): void {
  const built = ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'bench-startup-policy-'));
  const file = join(dir, 'small-policy.json');
  writeFileSync(file, `${JSON.stringify(SMALL_POLICY, null, 2)}\n`);
  const commands = {
    node: [process.execPath, ['-e', '0']],
    version: [process.execPath, [BIN, '--version']],
    lint: [process.execPath, [BIN, 'lint', file]],
  } as const;
  const runs: Record<keyof typeof commands, Timing[]> = { node: [], version: [], lint: [] };
  try {
    // One warm-up round (file cache), then interleaved rounds.
    for (const [command, args] of Object.values(commands)) timeOnce(command, args);
    for (let i = 0; i < RUNS; i++) {
      for (const name of Object.keys(commands) as (keyof typeof commands)[]) {
        const [command, args] = commands[name];
        const t = timeOnce(command, args);
        if (t.stderr.includes(FALLBACK_NOTICE)) throw new Error('bin/iamctl.js ran the TypeScript sources: the bundle went stale during the run');
        runs[name].push(t);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const node = describe(runs.node);
  const version = describe(runs.version);
  const lint = describe(runs.lint);
  const round = (n: number): number => Math.round(n * 1000) / 1000;
  const summary = summarizeBench({
    benchmark: 'startup',
    size: `${RUNS} runs each`,
    figure: { what: 'iamctl --version from dist/, median wall time', value: version.wallMedian, unit: 's' },
    better: 'lower',
    baseline: { what: 'node -e 0, median wall time, same run', value: node.wallMedian, unit: 's' },
    baselineNote: `iamctl lint of one small file: ${lint.wallMedian} s wall, ${lint.cpuMedian} s CPU; --version ${version.cpuMedian} s CPU (node -e 0: ${node.cpuMedian} s CPU); target under ${TARGET_SECONDS} s`,
  });
  process.stdout.write(
    `${JSON.stringify(
      {
        ...summary,
        runs: RUNS,
        builtFirst: built,
        what: 'seconds per start, timed by bash `time`: wall, and CPU = user + system of the child; median and minimum of the runs',
        nodeEmpty: node,
        version,
        lintOneFile: lint,
        // Start-up beyond an empty Node.js process, by the medians.
        overNodeSeconds: { version: { wall: round(version.wallMedian - node.wallMedian), cpu: round(version.cpuMedian - node.cpuMedian) }, lint: { wall: round(lint.wallMedian - node.wallMedian), cpu: round(lint.cpuMedian - node.cpuMedian) } },
        target: {
          seconds: TARGET_SECONDS,
          versionWallMet: version.wallMedian < TARGET_SECONDS,
          versionCpuMet: version.cpuMedian < TARGET_SECONDS,
          lintWallMet: lint.wallMedian < TARGET_SECONDS,
          lintCpuMet: lint.cpuMedian < TARGET_SECONDS,
        },
      },
      null,
      2,
    )}\n`,
  );
}

main();
