/**
 * The common shape every `npm run bench:*` prints (as its last JSON object on stdout), so `npm run bench`
 * (scripts/bench/run-all.ts) can put every benchmark in one table: our figure, the baseline measured in the same run,
 * the ratio between them and the machine. A benchmark keeps its own detailed fields next to these.
 */
import * as os from 'node:os';

/** Whether a lower or a higher value of a figure is better (seconds: lower; policies per second: higher). */
export type Better = 'lower' | 'higher';

/** One measured number with what it measures. */
export interface BenchFigure {
  /** What was measured, in a few words (`synth of 10×200 roles, CPU`). */
  readonly what: string;
  readonly value: number;
  /** Unit of value (`s`, `policies/s`, `events/s`, `API calls`). */
  readonly unit: string;
}

/** The machine a benchmark ran on. */
export interface BenchMachine {
  readonly cpuModel: string;
  readonly cores: number;
  readonly node: string;
  readonly platform: string;
  /** 1, 5 and 15 minute load averages when the benchmark finished: a loaded machine explains noisy figures. */
  readonly loadAverage: readonly number[];
}

/** The fields `npm run bench` reads from a benchmark's output. */
export interface BenchSummary {
  /** Benchmark name (`synth`, the part after `bench:`). */
  readonly benchmark: string;
  /** Size of the run (`10x200`, `1000 policies`). */
  readonly size: string;
  /** Our figure. */
  readonly figure: BenchFigure;
  /** Whether lower or higher values of figure and baseline are better. */
  readonly better: Better;
  /** The baseline measured in the same run, in the unit of figure. @default - none (the benchmark says why in baselineNote) */
  readonly baseline: BenchFigure | null;
  /**
   * How many times better ours is than the baseline: baseline / ours for `lower`, ours / baseline for `higher`.
   * Above 1: ours is faster; below 1: ours is slower (it usually does more work). Null without a baseline.
   */
  readonly ratio: number | null;
  /** Why there is no baseline, or what to keep in mind reading the ratio. @default - none */
  readonly baselineNote?: string;
  readonly machine: BenchMachine;
}

/** Rounds to `digits` decimals. */
function roundTo(value: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** The machine this process runs on. */
export function describeMachine(): BenchMachine {
  const cpus = os.cpus();
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism?.() ?? cpus.length,
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    loadAverage: os.loadavg().map((l) => roundTo(l, 2)),
  };
}

/** Options of {@link summarizeBench}. */
export interface SummarizeBenchOptions {
  readonly benchmark: string;
  readonly size: string;
  readonly figure: BenchFigure;
  readonly better: Better;
  /** @default - no baseline */
  readonly baseline?: BenchFigure;
  /** @default - none */
  readonly baselineNote?: string;
}

/** The common summary of one benchmark run, with the ratio computed the same way for every benchmark. */
export function summarizeBench(options: SummarizeBenchOptions): BenchSummary {
  const { figure, baseline, better } = options;
  let ratio: number | null = null;
  if (baseline !== undefined && baseline.value > 0 && figure.value > 0) {
    ratio = roundTo(better === 'lower' ? baseline.value / figure.value : figure.value / baseline.value, 2);
  }
  return {
    benchmark: options.benchmark,
    size: options.size,
    figure,
    better,
    baseline: baseline ?? null,
    ratio,
    ...(options.baselineNote !== undefined ? { baselineNote: options.baselineNote } : {}),
    machine: describeMachine(),
  };
}

/**
 * Sizes from an environment variable such as `BENCH_SIZES=10x20,50x200` (accounts × roles), or the defaults.
 * A malformed value stops the benchmark with a message naming the variable.
 */
export function readSizes(variable: string, defaults: readonly (readonly [number, number])[]): readonly (readonly [number, number])[] {
  const text = process.env[variable];
  if (text === undefined || text.trim() === '') return defaults;
  return text.split(',').map((part) => {
    const match = /^\s*(\d+)x(\d+)\s*$/.exec(part);
    if (!match) throw new Error(`${variable}="${text}": each size is <accounts>x<roles>, such as 10x20 (comma-separated)`);
    return [Number(match[1]), Number(match[2])] as const;
  });
}
