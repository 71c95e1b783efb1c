/**
 * `npm run bench`: runs every `npm run bench:<name>` one after the other, reads the last JSON object each prints,
 * and writes a table of our figure, the same-run baseline and the ratio into docs/benchmarks.md, with the date and
 * the machine. Small sizes by default, so the whole run takes minutes; `--full` (or BENCH_FULL=1) runs each
 * benchmark at its own default (full) size.
 *
 *   npm run bench                      # small sizes, all benchmarks, writes docs/benchmarks.md
 *   npm run bench -- --full            # the benchmarks' full sizes (tens of minutes on 2 cores)
 *   npm run bench -- --only lint,synth # some of them
 *   npm run bench -- --no-write        # print the summary JSON only
 *
 * A benchmark that fails, or prints no JSON, or none of the common fields (scripts/bench/bench-result.ts), is still
 * a row of the table that says so; the run exits 1 if any benchmark failed.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describeMachine, type BenchMachine } from './bench-result';

/** How one benchmark is run at the small and at the full size. */
interface BenchPlan {
  readonly name: string;
  /** Environment and arguments for the small run. */
  readonly small: { readonly env?: Readonly<Record<string, string>>; readonly args?: readonly string[]; readonly size: string };
  /** What the full size is (the benchmark's own default). */
  readonly full: string;
}

/** Every benchmark of package.json, with a small size that keeps `npm run bench` to minutes. */
export const BENCH_PLANS: readonly BenchPlan[] = [
  { name: 'config', small: { env: { BENCH_SIZES: '20x100' }, size: '20 accounts × 100 roles' }, full: '10×200, 50×200, 200×50' },
  { name: 'synth', small: { env: { BENCH_SIZES: '5x40' }, size: '5 accounts × 40 roles' }, full: '10×200, 50×200, 200×50' },
  { name: 'lint', small: { env: { BENCH_POLICIES: '1000' }, size: '1,000 policies' }, full: '10,000 policies' },
  { name: 'startup', small: { env: { BENCH_STARTUP_RUNS: '5' }, size: '5 runs each' }, full: '15 runs each' },
  { name: 'analyze', small: { args: ['--events', '100000', '--repeat', '1'], size: '100k events' }, full: '1M events, 3 runs' },
  { name: 'drift', small: { env: { BENCH_DRIFT_ROLES: '200' }, size: '200 roles in moto' }, full: '1,000 roles in moto' },
  { name: 'scan', small: { env: { BENCH_SCAN_ACCOUNTS: '5', BENCH_SCAN_CHECKOV_SAMPLE: '1', BENCH_SCAN_TFSEC_SAMPLE: '2' }, size: '5 accounts' }, full: '50 accounts' },
];

const ROOT = path.join(__dirname, '..', '..');
const REPORT_FILE = path.join(ROOT, 'docs', 'benchmarks.md');
/** A small run should take minutes; a full one may take an hour on a loaded 2-core machine. */
const SMALL_TIMEOUT_MS = 20 * 60 * 1000;
const FULL_TIMEOUT_MS = 90 * 60 * 1000;

/** A number with what it is, as the common shape has it; every field may be missing in a benchmark's output. */
interface LooseFigure {
  readonly what?: unknown;
  readonly value?: unknown;
  readonly unit?: unknown;
}

/** One row of the table. */
export interface BenchRow {
  readonly benchmark: string;
  readonly size: string;
  readonly status: 'ok' | 'failed' | 'no-summary';
  readonly seconds: number;
  readonly figure?: string;
  readonly baseline?: string;
  readonly ratio?: number;
  readonly better?: string;
  /** Why it failed, or what the benchmark said about its baseline. */
  readonly note?: string;
}

/**
 * The last JSON object in a benchmark's stdout (benchmarks may print progress or several documents before it), or
 * undefined when there is none.
 */
export function parseLastJsonObject(stdout: string): Record<string, unknown> | undefined {
  const end = stdout.lastIndexOf('}');
  if (end < 0) return undefined;
  // Scanning back from the end, the first '{' whose slice parses is the start of the last top-level object:
  // a slice from a nested '{' leaves unbalanced closing braces and does not parse.
  for (let start = stdout.lastIndexOf('{', end); start >= 0; start = start === 0 ? -1 : stdout.lastIndexOf('{', start - 1)) {
    try {
      const value = JSON.parse(stdout.slice(start, end + 1)) as unknown;
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
    } catch {
      // not the start of the object yet
    }
  }
  return undefined;
}

/** `12.3 s (synth CPU)`, or undefined when the figure lacks a number. */
function formatFigure(figure: unknown): string | undefined {
  if (typeof figure !== 'object' || figure === null) return undefined;
  const { what, value, unit } = figure as LooseFigure;
  if (typeof value !== 'number') return undefined;
  const number = Math.abs(value) >= 1000 ? Math.round(value).toLocaleString('en-US') : String(Number(value.toPrecision(3)));
  return `${number}${typeof unit === 'string' ? ` ${unit}` : ''}${typeof what === 'string' ? ` (${what})` : ''}`;
}

/** A figure at a path of the JSON (`analyzer.eventsPerSecond`), when it is a number. */
function numberAt(json: Record<string, unknown>, dotted: string): number | undefined {
  let value: unknown = json;
  for (const key of dotted.split('.')) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  return typeof value === 'number' ? value : undefined;
}

/**
 * Benchmarks that do not print the common fields yet (bench:lint and bench:analyze, being rewritten): their figures
 * read from the fields they print today, so the table still shows them. Returns the output unchanged otherwise.
 */
export function withCommonFields(name: string, json: Record<string, unknown>): Record<string, unknown> {
  if (json.figure !== undefined) return json;
  const rate = (ours: string, base: string, unit: string, what: readonly [string, string]): Record<string, unknown> => {
    const value = numberAt(json, ours);
    const baseline = numberAt(json, base);
    if (value === undefined) return json;
    return {
      ...json,
      figure: { what: what[0], value, unit },
      better: 'higher',
      ...(baseline !== undefined ? { baseline: { what: what[1], value: baseline, unit }, ratio: Math.round((value / baseline) * 100) / 100 } : {}),
      baselineNote: 'read from the fields this benchmark prints (it does not print the common summary yet)',
    };
  };
  if (name === 'lint') return rate('policiesPerSecond', 'baseline.policiesPerSecond', 'policies/s', ['lintPolicy', 'JSON.parse + structural validation']);
  if (name === 'analyze') return rate('analyzer.medianEventsPerSecond', 'floor.medianEventsPerSecond', 'events/s', ['collectUsage + analyzeUsage, median', 'read + gunzip + JSON.parse floor, median']);
  return json;
}

/** Builds a table row from a benchmark's parsed output, taking whatever common fields it has. */
export function readBenchRow(plan: { readonly name: string; readonly size: string }, run: { readonly status: number | null; readonly stdout: string; readonly stderr: string; readonly seconds: number }): BenchRow {
  const base = { benchmark: plan.name, seconds: Math.round(run.seconds) };
  if (run.status !== 0) {
    const lastLine = run.stderr.trim().split('\n').filter(Boolean).pop() ?? `exit ${run.status ?? 'signal'}`;
    return { ...base, size: plan.size, status: 'failed', note: lastLine.slice(0, 200) };
  }
  const parsed = parseLastJsonObject(run.stdout);
  const json = parsed === undefined ? undefined : withCommonFields(plan.name, parsed);
  const figure = formatFigure(json?.figure);
  if (json === undefined || figure === undefined) {
    return { ...base, size: plan.size, status: 'no-summary', note: json === undefined ? 'printed no JSON object' : 'printed JSON without the common figure/baseline/ratio fields' };
  }
  const size = typeof json.size === 'string' ? json.size : plan.size;
  const baseline = formatFigure(json.baseline);
  return {
    ...base,
    size,
    status: 'ok',
    figure,
    ...(baseline !== undefined ? { baseline } : {}),
    ...(typeof json.ratio === 'number' ? { ratio: json.ratio } : {}),
    ...(typeof json.better === 'string' ? { better: json.better } : {}),
    ...(typeof json.baselineNote === 'string' ? { note: json.baselineNote } : {}),
  };
}

/** Escapes a table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The Markdown of docs/benchmarks.md for one run. */
export function renderBenchReport(rows: readonly BenchRow[], context: { readonly date: string; readonly machine: BenchMachine; readonly full: boolean }): string {
  const { machine } = context;
  const lines = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench${context.full ? ' -- --full' : ''}\` on ${context.date}: ${context.full ? 'full' : 'small'} sizes, one benchmark after the other.`,
    `Machine: ${machine.cpuModel}, ${machine.cores} cores, Node.js ${machine.node}, ${machine.platform}; load average ${machine.loadAverage.join(' / ')} at the end.`,
    '',
    'Each benchmark measures our figure and, in the same run, a baseline (what the same job costs without iam-platform,',
    'or the floor it cannot beat). **Ratio** = how many times better ours is: baseline ÷ ours for times, ours ÷ baseline',
    'for rates. Above 1, ours is faster; below 1, ours is slower, usually because it does more than the baseline.',
    'Figures on a shared 2-core machine are noisy: compare the ratio, which is measured in one run, more than the',
    'absolute numbers. Each `npm run bench:<name>` prints its full JSON, with more figures than this table.',
    '',
    '| benchmark | size | our figure | baseline (same run) | ratio | status | run time |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const row of rows) {
    const ratio = row.ratio === undefined ? '—' : `${row.ratio}×`;
    const status = row.status === 'ok' ? (row.note ? `ok; ${row.note}` : 'ok') : row.status === 'failed' ? `failed: ${row.note ?? ''}` : `no summary: ${row.note ?? ''}`;
    lines.push(`| \`bench:${row.benchmark}\` | ${cell(row.size)} | ${cell(row.figure ?? '—')} | ${cell(row.baseline ?? '—')} | ${ratio} | ${cell(status)} | ${row.seconds} s |`);
  }
  lines.push(
    '',
    'Run again with `npm run bench` (small sizes, minutes) or `npm run bench -- --full` (the sizes of each benchmark\'s',
    'own default, tens of minutes); `--only lint,synth` runs some of them; `--no-write` leaves this file alone.',
    '',
  );
  return lines.join('\n');
}

function runBench(plan: BenchPlan, full: boolean): BenchRow {
  const env = { ...process.env, ...(full ? {} : plan.small.env) };
  const args = ['run', '--silent', `bench:${plan.name}`, ...(!full && plan.small.args ? ['--', ...plan.small.args] : [])];
  process.stderr.write(`bench:${plan.name} (${full ? plan.full : plan.small.size})...\n`);
  const started = process.hrtime.bigint();
  const run = spawnSync('npm', args, { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: full ? FULL_TIMEOUT_MS : SMALL_TIMEOUT_MS });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const stderr = run.error ? `${run.stderr ?? ''}\n${run.error.message}` : (run.stderr ?? '');
  const row = readBenchRow({ name: plan.name, size: full ? plan.full : plan.small.size }, { status: run.error ? null : run.status, stdout: run.stdout ?? '', stderr, seconds });
  process.stderr.write(`  ${row.status} in ${Math.round(seconds)} s${row.figure ? `: ${row.figure}` : ''}${row.ratio !== undefined ? `, ratio ${row.ratio}×` : ''}\n`);
  return row;
}

function main(): void {
  const argv = process.argv.slice(2);
  const full = argv.includes('--full') || process.env.BENCH_FULL === '1';
  const onlyIndex = argv.indexOf('--only');
  const only = onlyIndex >= 0 ? (argv[onlyIndex + 1] ?? '').split(',').filter(Boolean) : undefined;
  const unknown = only?.filter((name) => !BENCH_PLANS.some((p) => p.name === name)) ?? [];
  if (unknown.length > 0) {
    process.stderr.write(`error: unknown benchmark ${unknown.join(', ')}: the benchmarks are ${BENCH_PLANS.map((p) => p.name).join(', ')}\n`);
    process.exitCode = 2;
    return;
  }
  const plans = BENCH_PLANS.filter((p) => only === undefined || only.includes(p.name));
  const rows = plans.map((plan) => runBench(plan, full));
  const machine = describeMachine();
  const date = new Date().toISOString().slice(0, 10);
  if (!argv.includes('--no-write')) {
    writeFileSync(REPORT_FILE, renderBenchReport(rows, { date, machine, full }));
    process.stderr.write(`wrote ${path.relative(ROOT, REPORT_FILE)}\n`);
  }
  process.stdout.write(`${JSON.stringify({ date, full, machine, benchmarks: rows }, null, 2)}\n`);
  if (rows.some((r) => r.status === 'failed')) process.exitCode = 1;
}

if (require.main === module) main();
