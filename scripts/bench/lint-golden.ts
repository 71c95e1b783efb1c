/**
 * Golden findings of the linter, so a speed change can prove it changed no finding.
 *
 * `npx tsx scripts/bench/lint-golden.ts --write` lints the corpus with the current code and writes
 * test/lint/golden/*.json.gz (one file per corpus part); `--check` lints again and prints every difference
 * (exit 1 on any). test/lint/lint-golden.test.ts checks the committed parts (the generated benchmark set and the
 * rule fixtures); the AWS managed policies part needs a local iam-dataset copy (MIT; not committed, 50 MB):
 * `--managed <iam-dataset git dir or checkout>` adds it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { lintPolicy, type LintFinding, type LintOptions } from '../../src/core/lint';
import type { ActionCatalog } from '../../src/core/catalog';
import type { PolicyType } from '../../src/core/policy';
import { generatePolicies } from './lint-corpus';

/** One document of the corpus: a stable id, the input and the options it is linted with. */
export interface GoldenDocument {
  readonly id: string;
  readonly policy: unknown;
  readonly type: PolicyType;
  readonly options?: Partial<Omit<LintOptions, 'type' | 'catalog'>>;
}

/** Findings of one document, as [rule, severity, path, message, suppressed reason?]. */
export type GoldenFindings = readonly (readonly string[])[];

export const GOLDEN_DIR = join(__dirname, '..', '..', 'test', 'lint', 'golden');
/** How many generated policies the golden pins: the benchmark's first 10,000 (its default size). */
export const GOLDEN_GENERATED = 10000;

/** The benchmark's generated set. */
export function readGeneratedCorpus(count = GOLDEN_GENERATED): GoldenDocument[] {
  return generatePolicies(count).map((p, i) => ({ id: `generated-${i}`, policy: p.text, type: p.type }));
}

/** The rule fixtures of test/fixtures/lint/cases, with their options. */
export function readFixtureCorpus(): GoldenDocument[] {
  const dir = join(__dirname, '..', '..', 'test', 'fixtures', 'lint', 'cases');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const c = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { type: PolicyType; policy: unknown; options?: GoldenDocument['options'] };
      return { id: f, policy: c.policy, type: c.type, options: c.options };
    });
}

/** Every AWS managed policy document of an iam-dataset copy (bare git dir or checkout), linted as identity policies. */
export function readManagedCorpus(source: string): GoldenDocument[] {
  const checkout = join(source, 'aws', 'managedpolicies');
  const texts: [string, string][] = [];
  if (existsSync(checkout)) {
    for (const f of readdirSync(checkout).filter((x) => x.endsWith('.json'))) texts.push([f, readFileSync(join(checkout, f), 'utf8')]);
  } else {
    const git = (args: string[]): string => execFileSync('git', ['--git-dir', source, ...args], { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'ignore'] });
    for (const n of git(['ls-tree', '--name-only', 'HEAD', 'aws/managedpolicies/']).split('\n').filter((x) => x.endsWith('.json'))) {
      try {
        texts.push([n.slice('aws/managedpolicies/'.length), git(['show', `HEAD:${n}`])]);
      } catch {
        // listed but absent in a partial mirror: not part of the corpus (the check prints how many documents it read)
      }
    }
  }
  return texts
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .flatMap(([f, t]) => {
      const doc = (JSON.parse(t) as { document?: unknown }).document;
      return doc === undefined ? [] : [{ id: f, policy: doc, type: 'identity' as const }];
    });
}

function encodeFinding(f: LintFinding): readonly string[] {
  return f.suppressed ? [f.rule, f.severity, f.path, f.message, f.suppressed.reason] : [f.rule, f.severity, f.path, f.message];
}

/** Lints every document of a corpus. */
export function lintCorpus(corpus: readonly GoldenDocument[], catalog: ActionCatalog): Record<string, GoldenFindings> {
  const out: Record<string, GoldenFindings> = {};
  for (const d of corpus) out[d.id] = lintPolicy(d.policy, { ...d.options, type: d.type, catalog }).map(encodeFinding);
  return out;
}

export function readGolden(part: string): Record<string, GoldenFindings> {
  return JSON.parse(gunzipSync(readFileSync(join(GOLDEN_DIR, `${part}.json.gz`))).toString('utf8')) as Record<string, GoldenFindings>;
}

function writeGolden(part: string, findings: Record<string, GoldenFindings>): void {
  const lines = Object.entries(findings).map(([id, f]) => `${JSON.stringify(id)}:${JSON.stringify(f)}`);
  writeFileSync(join(GOLDEN_DIR, `${part}.json.gz`), gzipSync(`{\n${lines.join(',\n')}\n}\n`, { level: 9 }));
}

/** Differences between golden and current findings, one line each (empty when identical). */
export function compareGolden(golden: Record<string, GoldenFindings>, current: Record<string, GoldenFindings>): string[] {
  const diffs: string[] = [];
  for (const id of new Set([...Object.keys(golden), ...Object.keys(current)])) {
    const a = JSON.stringify(golden[id] ?? null);
    const b = JSON.stringify(current[id] ?? null);
    if (a !== b) diffs.push(`${id}: golden ${a} current ${b}`);
  }
  return diffs;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const write = args.includes('--write');
  const managedAt = args.indexOf('--managed');
  const { loadActionCatalog } = await import('../../src/io/catalog');
  const catalog = loadActionCatalog();
  const parts: [string, GoldenDocument[]][] = [
    ['generated', readGeneratedCorpus()],
    ['fixtures', readFixtureCorpus()],
  ];
  if (managedAt >= 0) parts.push(['aws-managed', readManagedCorpus(args[managedAt + 1])]);
  let failed = false;
  for (const [part, corpus] of parts) {
    const current = lintCorpus(corpus, catalog);
    const count = Object.values(current).reduce((n, f) => n + f.length, 0);
    if (write) {
      writeGolden(part, current);
      process.stdout.write(`${part}: wrote ${corpus.length} documents, ${count} findings\n`);
    } else {
      const diffs = compareGolden(readGolden(part), current);
      process.stdout.write(`${part}: ${corpus.length} documents, ${count} findings, ${diffs.length} differences\n`);
      for (const d of diffs.slice(0, 20)) process.stdout.write(`  ${d}\n`);
      failed ||= diffs.length > 0;
    }
  }
  if (failed) process.exitCode = 1;
}

if (require.main === module) void main();
