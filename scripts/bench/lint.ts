/**
 * `npm run bench:lint`: lints 10,000 generated identity and trust policies of realistic size (scripts/bench/lint-corpus.ts,
 * BENCH_POLICIES to change the count) and prints JSON: the common summary (scripts/bench/bench-result.ts) with
 * Parliament on the same identity policies, same run, as the baseline (the structural floor when Parliament is not
 * installed), and beside it the structural floor (JSON.parse + validatePolicyDocument), the cold first pass, the
 * CLI against Parliament's CLI (both start-ups included; needs `npm run build`) and one policy of 10,000 statements.
 * Each in-process figure is the median of BENCH_REPEAT (default 3) passes after a first, cold one.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lintPolicy } from '../../src/core/lint';
import { validatePolicyDocument } from '../../src/core/policy';
import { loadActionCatalog } from '../../src/io/catalog';
import { summarizeBench } from './bench-result';
import { generatePolicies } from './lint-corpus';

const POLICIES = Number(process.env.BENCH_POLICIES ?? 10000);

/** Parliament (duo-labs/parliament, BSD-3), pinned, in its own venv: `python3 -m venv .tools/parliament-venv && .tools/parliament-venv/bin/pip install parliament==1.6.4`. */
const PARLIAMENT = join(__dirname, '..', '..', '.tools', 'parliament-venv', 'bin', 'parliament');
const PARLIAMENT_VERSION = '1.6.4';

/** Runs a command to completion: wall seconds, and the CPU seconds (user + system) of the child, measured by bash's `time`. */
function timeChild(command: string, args: readonly string[], env?: NodeJS.ProcessEnv): { seconds: number; cpuSeconds: number; status: number | null; stderr: string; error?: Error } {
  const errFile = join(mkdtempSync(join(tmpdir(), 'bench-lint-err-')), 'stderr');
  const script = 'TIMEFORMAT="%3U %3S"; err="$1"; shift; { time "$@" >/dev/null 2>"$err"; } 2>&1; exit 0';
  const start = process.hrtime.bigint();
  const r = spawnSync('bash', ['-c', script, 'bench', errFile, command, ...args], { encoding: 'utf8', maxBuffer: 1 << 30, env });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const times = /(\d+\.\d+) (\d+\.\d+)\s*$/.exec(r.stdout ?? '');
  const stderr = existsSync(errFile) ? readFileSync(errFile, 'utf8') : '';
  rmSync(join(errFile, '..'), { recursive: true, force: true });
  return { seconds, cpuSeconds: times ? Number(times[1]) + Number(times[2]) : Number.NaN, status: times ? 0 : r.status, stderr, ...(r.error ? { error: r.error } : {}) };
}

/**
 * How to start Parliament: its venv's script, or, when the venv's interpreter link is gone (a venv made in another
 * work tree), the venv's base interpreter (pyvenv.cfg `home`) with the venv's site-packages: the same pinned code.
 */
function parliamentCommand(): { readonly command: string; readonly args: readonly string[]; readonly env?: NodeJS.ProcessEnv; readonly how: string } | { readonly unavailable: string } {
  const venv = join(__dirname, '..', '..', '.tools', 'parliament-venv');
  if (!existsSync(PARLIAMENT)) return { unavailable: `not installed at ${PARLIAMENT} (pip install parliament==${PARLIAMENT_VERSION} into .tools/parliament-venv)` };
  const shebang = readFileSync(PARLIAMENT, 'utf8').split('\n')[0].replace(/^#!/, '').trim();
  if (existsSync(shebang)) return { command: PARLIAMENT, args: [], how: 'its venv script' };
  const home = /^home\s*=\s*(.+)$/m.exec(readFileSync(join(venv, 'pyvenv.cfg'), 'utf8'))?.[1].trim();
  const lib = join(venv, 'lib');
  const site = existsSync(lib) ? readdirSync(lib).map((d) => join(lib, d, 'site-packages')).find((d) => existsSync(join(d, 'parliament'))) : undefined;
  const python = home ? join(home, 'python3') : undefined;
  if (!python || !existsSync(python) || !site) return { unavailable: `the venv's interpreter ${shebang} is gone and its base interpreter or site-packages cannot be found` };
  return {
    command: python,
    args: ['-c', "import sys; sys.argv[0] = 'parliament'; from parliament.cli import cli; sys.exit(cli())"],
    env: { ...process.env, PYTHONPATH: site },
    how: `${python} with the venv's site-packages (the venv's own interpreter link ${shebang} is gone)`,
  };
}

/** Parliament over the files p0.json … p<count-1>.json of `dir` (identity policies: it has no trust/SCP mode), one process. */
function measureParliament(dir: string, count: number): { seconds: number; cpuSeconds: number; policies: number; how: string } | { unavailable: string } {
  const cmd = parliamentCommand();
  if ('unavailable' in cmd) return cmd;
  const r = timeChild(cmd.command, [...cmd.args, '--directory', dir], cmd.env);
  if (r.error) return { unavailable: `failed to run: ${r.error.message}` };
  // Parliament exits 1 when it reports findings; a crash prints a traceback.
  if (r.stderr.includes('Traceback') || Number.isNaN(r.cpuSeconds)) return { unavailable: `failed: ${r.stderr.slice(-300)}` };
  return { seconds: r.seconds, cpuSeconds: r.cpuSeconds, policies: count, how: cmd.how };
}

/** One policy of 10,000 statements (the issue's worst case: the redundancy check used to be quadratic). */
function measureLargePolicy(catalog: ReturnType<typeof loadActionCatalog>): { statements: number; seconds: number; findings: number } {
  const actions = ['s3:GetObject', 's3:PutObject', 'dynamodb:GetItem', 'sqs:SendMessage', 'lambda:InvokeFunction', 'kms:Decrypt'];
  const statements = Array.from({ length: 10000 }, (_, i) => ({ Sid: `S${i}`, Effect: 'Allow', Action: [actions[i % 6], actions[(i + 1) % 6]], Resource: `arn:aws:s3:::bucket-${i}/*` }));
  const start = process.hrtime.bigint();
  const findings = lintPolicy({ Version: '2012-10-17', Statement: statements }, { type: 'identity', catalog }).length;
  return { statements: statements.length, seconds: Number(process.hrtime.bigint() - start) / 1e9, findings };
}

/** Seconds of wall time and of this process's CPU time for `run`. */
function time(run: () => void): { readonly seconds: number; readonly cpuSeconds: number } {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  run();
  const used = process.cpuUsage(cpu);
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, cpuSeconds: (used.user + used.system) / 1e6 };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** `iamctl lint --type identity --format json` over the same files as Parliament: both CLIs, start-up included. */
function measureCli(dir: string, count: number): { seconds: number; cpuSeconds: number; policies: number } | { unavailable: string } {
  const bin = join(__dirname, '..', '..', 'bin', 'iamctl.js');
  const files = Array.from({ length: count }, (_, i) => join(dir, `p${i}.json`));
  const r = timeChild(process.execPath, [bin, 'lint', '--type', 'identity', '--format', 'json', ...files]);
  if (r.error) return { unavailable: `failed to run: ${r.error.message}` };
  if (r.stderr.includes('running the TypeScript sources through tsx')) return { unavailable: 'dist/ is not built (npm run build): the CLI would run through tsx' };
  if (Number.isNaN(r.cpuSeconds)) return { unavailable: `failed: ${r.stderr.slice(0, 300)}` };
  return { seconds: r.seconds, cpuSeconds: r.cpuSeconds, policies: count };
}

function main(): void {
  const policies = generatePolicies(POLICIES);
  const bytes = policies.reduce((n, p) => n + p.text.length, 0);
  const repeat = Math.max(1, Number(process.env.BENCH_REPEAT ?? 3));

  // Baseline: parse and structural validation only.
  let problems = 0;
  const baselineRuns = Array.from({ length: repeat }, () => {
    problems = 0;
    return time(() => {
      for (const p of policies) problems += validatePolicyDocument(JSON.parse(p.text), { type: p.type }).length;
    }).seconds;
  });
  const baselineSeconds = median(baselineRuns);

  const loadStart = process.hrtime.bigint();
  const catalog = loadActionCatalog();
  const catalogLoadSeconds = Number(process.hrtime.bigint() - loadStart) / 1e9;

  // The first pass is cold: it reads each service of the catalog on first use and JIT-compiles the rules.
  // It is reported apart (firstPass); the figure is the median of the passes after it, each over every policy.
  let findings = 0;
  let byRule: Record<string, number> = {};
  const pass = () =>
    time(() => {
      findings = 0;
      byRule = {};
      for (const p of policies) {
        for (const f of lintPolicy(JSON.parse(p.text), { type: p.type, catalog })) {
          findings += 1;
          byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
        }
      }
    });
  const firstPass = pass();
  const firstPassCpu = firstPass.cpuSeconds;
  const runs = Array.from({ length: repeat }, pass);
  const seconds = median(runs.map((r) => r.seconds));
  const cpuSeconds = median(runs.map((r) => r.cpuSeconds));
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);

  const identity = policies.filter((p) => p.type === 'identity');
  const identityCount = identity.length;
  const identityRuns = Array.from({ length: repeat }, () =>
    time(() => {
      for (const p of identity) lintPolicy(JSON.parse(p.text), { type: p.type, catalog });
    }),
  );
  const identitySeconds = median(identityRuns.map((r) => r.seconds));
  const identityCpuSeconds = median(identityRuns.map((r) => r.cpuSeconds));
  // After the passes it would disturb: its 10,000 distinct ARNs overflow the bounded answer caches that the
  // passes over ordinary policies keep warm, and it is a worst case of its own, not a pass over the set.
  const largePolicy = measureLargePolicy(catalog);
  const dir = mkdtempSync(join(tmpdir(), 'bench-lint-identity-'));
  let parliament: ReturnType<typeof measureParliament>;
  let cli: ReturnType<typeof measureCli>;
  try {
    identity.forEach((p, i) => writeFileSync(join(dir, `p${i}.json`), p.text));
    parliament = process.env.BENCH_SKIP_PARLIAMENT ? { unavailable: 'skipped (BENCH_SKIP_PARLIAMENT)' } : measureParliament(dir, identityCount);
    cli = measureCli(dir, identityCount);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const round = (n: number, d = 3): number => Math.round(n * 10 ** d) / 10 ** d;
  // The machine is shared: under load, wall time mostly measures the neighbours, so the headline compares CPU time
  // (of this process's lint loop, one thread; of Parliament's whole process, one thread, start-up included).
  const identityRate = Math.round(identityCount / identityCpuSeconds);
  const summary =
    'unavailable' in parliament
      ? summarizeBench({
          benchmark: 'lint',
          size: `${POLICIES} policies`,
          figure: { what: 'lintPolicy, CPU time, median of warm passes', value: Math.round(POLICIES / cpuSeconds), unit: 'policies/s' },
          better: 'higher',
          baseline: { what: 'JSON.parse + structural validation, wall time', value: Math.round(POLICIES / baselineSeconds), unit: 'policies/s' },
          baselineNote: `Parliament ${parliament.unavailable}; the baseline is the structural floor instead`,
        })
      : summarizeBench({
          benchmark: 'lint',
          size: `${identityCount} identity policies (of ${POLICIES})`,
          figure: { what: 'lintPolicy on the identity policies, CPU time, median of warm passes', value: identityRate, unit: 'policies/s' },
          better: 'higher',
          baseline: { what: `Parliament ${PARLIAMENT_VERSION}, same files, one process, CPU time`, value: Math.round(parliament.policies / parliament.cpuSeconds), unit: 'policies/s' },
          baselineNote: `wall-time ratio ${round(parliament.seconds / identitySeconds, 2)}×; all ${POLICIES} policies at ${Math.round(POLICIES / cpuSeconds)}/s CPU (${Math.round(POLICIES / seconds)}/s wall)${'unavailable' in cli ? '' : `; CLI against CLI, start-ups included: ${round(parliament.cpuSeconds / cli.cpuSeconds, 2)}× CPU, ${round(parliament.seconds / cli.seconds, 2)}× wall`}`,
        });
  process.stdout.write(
    `${JSON.stringify(
      {
        ...summary,
        policies: POLICIES,
        averageBytes: Math.round(bytes / POLICIES),
        repeat,
        seconds: round(seconds),
        cpuSeconds: round(cpuSeconds),
        policiesPerSecond: Math.round(POLICIES / seconds),
        policiesPerCpuSecond: Math.round(POLICIES / cpuSeconds),
        allRunsPoliciesPerSecond: runs.map((r) => Math.round(POLICIES / r.seconds)),
        firstPass: { what: 'the first pass: reads the services it needs from the catalog and warms up the JIT', seconds: round(firstPass.seconds), cpuSeconds: round(firstPassCpu), policiesPerSecond: Math.round(POLICIES / firstPass.seconds) },
        catalogLoadSeconds: round(catalogLoadSeconds),
        peakRssMb,
        findings,
        findingsByRule: byRule,
        structuralFloor: { what: 'JSON.parse + validatePolicyDocument', seconds: round(baselineSeconds), policiesPerSecond: Math.round(POLICIES / baselineSeconds), allRunsPoliciesPerSecond: baselineRuns.map((r) => Math.round(POLICIES / r)), problems },
        largePolicy: { ...largePolicy, seconds: round(largePolicy.seconds) },
        parliament:
          'unavailable' in parliament
            ? { version: PARLIAMENT_VERSION, unavailable: parliament.unavailable }
            : {
                version: PARLIAMENT_VERSION,
                what: `parliament --directory over the same ${parliament.policies} identity policies (one process, start-up included)`,
                ran: parliament.how,
                seconds: round(parliament.seconds),
                cpuSeconds: round(parliament.cpuSeconds),
                policiesPerSecond: Math.round(parliament.policies / parliament.seconds),
                oursSeconds: round(identitySeconds),
                oursCpuSeconds: round(identityCpuSeconds),
                // How many times faster we lint the same identity policies, same run (ours excludes our start-up; see catalogLoadSeconds and cli).
                ratio: round(parliament.seconds / identitySeconds, 2),
                cpuRatio: round(parliament.cpuSeconds / identityCpuSeconds, 2),
              },
        cli:
          'unavailable' in cli
            ? { unavailable: cli.unavailable }
            : {
                what: `iamctl lint --type identity --format json over the same ${cli.policies} files (one process, start-up included)`,
                seconds: round(cli.seconds),
                cpuSeconds: round(cli.cpuSeconds),
                policiesPerSecond: Math.round(cli.policies / cli.seconds),
                ...('unavailable' in parliament ? {} : { ratioToParliament: round(parliament.seconds / cli.seconds, 2), cpuRatioToParliament: round(parliament.cpuSeconds / cli.cpuSeconds, 2) }),
              },
        identityPolicies: identityCount,
        identityPass: { what: 'lintPolicy on the identity policies alone, median of warm passes', seconds: round(identitySeconds), cpuSeconds: round(identityCpuSeconds), policiesPerCpuSecond: Math.round(identityCount / identityCpuSeconds), allRunsPoliciesPerCpuSecond: identityRuns.map((r) => Math.round(identityCount / r.cpuSeconds)) },
      },
      null,
      2,
    )}\n`,
  );
}

main();
