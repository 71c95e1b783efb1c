/**
 * `npm run bench:config`: time of the accounts/ loader (src/config loadOrganization) against the
 * floor of reading and parsing the same YAML files, for 10 × 200, 50 × 200 and 200 × 50 role files.
 *
 * - `load`: loadOrganization (schema checks, merge, templates, trust and policy resolution).
 * - `baselineJsYaml`: read + js-yaml parse of every file, nothing else (the floor the loader builds on).
 * - `baselineYamlPackage`: read + `yaml` package parse of every file (why the loader parses with js-yaml).
 * Each figure is the best of 3 runs, as wall and CPU seconds; prints one JSON document.
 */
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import * as jsyaml from 'js-yaml';
import { parse } from 'yaml';
import { loadOrganization } from '../../src/config';
import { readSizes, summarizeBench } from './bench-result';

const SIZES: readonly (readonly [number, number])[] = readSizes('BENCH_SIZES', [
  [10, 200],
  [50, 200],
  [200, 50],
]);
const RUNS = 3;

function writeOrganization(dir: string, accounts: number, roles: number): number {
  const root = join(dir, 'accounts');
  mkdirSync(join(root, 'policies'), { recursive: true });
  writeFileSync(join(root, 'org.yaml'), 'name: bench\ndefaultRegion: eu-west-1\nowner: platform\npermissionBoundary: boundary\n');
  writeFileSync(
    join(root, 'policies', 'boundary.yaml'),
    'document:\n  Version: "2012-10-17"\n  Statement:\n    - Effect: Deny\n      Action: [iam:CreateUser, iam:CreateAccessKey]\n      Resource: "*"\n',
  );
  let files = 2;
  for (let a = 0; a < accounts; a++) {
    const dirA = join(root, 'workloads', `acct-${a}`);
    mkdirSync(join(dirA, 'roles'), { recursive: true });
    writeFileSync(join(dirA, 'account.yaml'), `id: "${100000000000 + a}"\nenvironment: prod\n`);
    files++;
    for (let r = 0; r < roles; r++) {
      writeFileSync(
        join(dirA, 'roles', `role-${r}.yaml`),
        [
          `description: Role ${r}`,
          `owner: team-${r % 7}`,
          'kind: service',
          'trust:',
          '  services: [lambda.amazonaws.com]',
          '  accounts:',
          `    - principals: [acct-${(a + 1) % accounts}]`,
          'managedPolicies: [aws:ReadOnlyAccess]',
          'inlinePolicies:',
          '  read:',
          '    Version: "2012-10-17"',
          '    Statement:',
          '      - Sid: Read',
          '        Effect: Allow',
          '        Action: [s3:GetObject, s3:ListBucket]',
          '        Resource:',
          `          - "arn:aws:s3:::bucket-{{account.id}}-${r}"`,
          `          - "arn:aws:s3:::bucket-{{account.id}}-${r}/*"`,
          '        Condition:',
          '          Bool:',
          '            aws:SecureTransport: "true"',
          'tags:',
          `  app: app-${r}`,
          '',
        ].join('\n'),
      );
      files++;
    }
  }
  return files;
}

function listYaml(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const abs = join(dir, name);
    return statSync(abs).isDirectory() ? listYaml(abs) : name.endsWith('.yaml') ? [abs] : [];
  });
}

interface Timing {
  readonly seconds: number;
  readonly cpuSeconds: number;
}

function measure(work: () => void): Timing {
  let best: Timing = { seconds: Infinity, cpuSeconds: Infinity };
  for (let i = 0; i < RUNS; i++) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    work();
    const used = process.cpuUsage(cpu);
    const seconds = (performance.now() - start) / 1000;
    if (seconds < best.seconds) best = { seconds: round(seconds), cpuSeconds: round((used.user + used.system) / 1e6) };
  }
  return best;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

const results = SIZES.map(([accounts, roles]) => {
  const dir = mkdtempSync(join(os.tmpdir(), 'iamp-bench-config-'));
  try {
    const files = writeOrganization(dir, accounts, roles);
    const paths = listYaml(join(dir, 'accounts'));
    let resolvedRoles = 0;
    const load = measure(() => {
      resolvedRoles = loadOrganization(dir).accounts.reduce((n, a) => n + a.roles.length, 0);
    });
    const baselineJsYaml = measure(() => {
      for (const p of paths) jsyaml.load(readFileSync(p, 'utf8'), { schema: jsyaml.CORE_SCHEMA });
    });
    const baselineYamlPackage = measure(() => {
      for (const p of paths) parse(readFileSync(p, 'utf8'));
    });
    return {
      size: `${accounts}x${roles}`,
      files,
      roles: resolvedRoles,
      load,
      baselineJsYaml,
      baselineYamlPackage,
      loadOverBaselineCpu: round(load.cpuSeconds / baselineJsYaml.cpuSeconds),
      loadMicrosecondsPerFile: Math.round((load.seconds / files) * 1e6),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// The common summary (scripts/bench/bench-result.ts): the size with the most files.
const largest = results.reduce((a, b) => (b.files > a.files ? b : a));
const summary = summarizeBench({
  benchmark: 'config',
  size: `${largest.size} (${largest.files} YAML files)`,
  figure: { what: 'loadOrganization, CPU', value: round(largest.load.cpuSeconds), unit: 's' },
  better: 'lower',
  baseline: { what: 'read + js-yaml parse of the same files, CPU', value: round(largest.baselineJsYaml.cpuSeconds), unit: 's' },
  baselineNote: 'the loader also checks schemas, merges and resolves; the baseline only parses',
});

process.stdout.write(
  `${JSON.stringify(
    {
      ...summary,
      loadAverage: os.loadavg().map(round),
      runsPerFigure: RUNS,
      results,
      peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    },
    null,
    2,
  )}\n`,
);
