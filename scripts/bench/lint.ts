/**
 * `npm run bench:lint`: lints 10,000 generated identity and trust policies of realistic size and prints
 * JSON figures, with a baseline measured in the same run on the same documents: JSON.parse plus
 * validatePolicyDocument (the structural floor every linter pays).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { lintPolicy } from '../../src/core/lint';
import { validatePolicyDocument, type PolicyType } from '../../src/core/policy';
import { loadActionCatalog } from '../../src/io/catalog';
import { generatePolicies } from './lint-corpus';

const POLICIES = Number(process.env.BENCH_POLICIES ?? 10000);

/** Parliament (duo-labs/parliament, BSD-3), pinned, in its own venv: `python3 -m venv .tools/parliament-venv && .tools/parliament-venv/bin/pip install parliament==1.6.4`. */
const PARLIAMENT = join(__dirname, '..', '..', '.tools', 'parliament-venv', 'bin', 'parliament');
const PARLIAMENT_VERSION = '1.6.4';

/** Parliament over the same identity policies (it has no trust/SCP mode), one process over a directory; undefined when not installed. */
function measureParliament(policies: readonly { readonly text: string; readonly type: PolicyType }[]): { seconds: number; policies: number } | { unavailable: string } {
  if (!existsSync(PARLIAMENT)) return { unavailable: `not installed at ${PARLIAMENT} (pip install parliament==${PARLIAMENT_VERSION} into .tools/parliament-venv)` };
  const dir = mkdtempSync(join(tmpdir(), 'bench-lint-parliament-'));
  try {
    const identity = policies.filter((p) => p.type === 'identity');
    identity.forEach((p, i) => writeFileSync(join(dir, `p${i}.json`), p.text));
    const start = process.hrtime.bigint();
    const r = spawnSync(PARLIAMENT, ['--directory', dir], { encoding: 'utf8', maxBuffer: 1 << 30 });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (r.error) return { unavailable: `failed to run: ${r.error.message}` };
    return { seconds, policies: identity.length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One policy of 10,000 statements (the worst case: the redundancy check used to be quadratic). */
function measureLargePolicy(catalog: ReturnType<typeof loadActionCatalog>): { statements: number; seconds: number; findings: number } {
  const actions = ['s3:GetObject', 's3:PutObject', 'dynamodb:GetItem', 'sqs:SendMessage', 'lambda:InvokeFunction', 'kms:Decrypt'];
  const statements = Array.from({ length: 10000 }, (_, i) => ({ Sid: `S${i}`, Effect: 'Allow', Action: [actions[i % 6], actions[(i + 1) % 6]], Resource: `arn:aws:s3:::bucket-${i}/*` }));
  const start = process.hrtime.bigint();
  const findings = lintPolicy({ Version: '2012-10-17', Statement: statements }, { type: 'identity', catalog }).length;
  return { statements: statements.length, seconds: Number(process.hrtime.bigint() - start) / 1e9, findings };
}

function main(): void {
  const policies = generatePolicies(POLICIES);
  const bytes = policies.reduce((n, p) => n + p.text.length, 0);

  // Baseline: parse and structural validation only.
  let problems = 0;
  const baselineStart = process.hrtime.bigint();
  for (const p of policies) problems += validatePolicyDocument(JSON.parse(p.text), { type: p.type }).length;
  const baselineSeconds = Number(process.hrtime.bigint() - baselineStart) / 1e9;

  const loadStart = process.hrtime.bigint();
  const catalog = loadActionCatalog();
  const catalogLoadSeconds = Number(process.hrtime.bigint() - loadStart) / 1e9;

  let findings = 0;
  const byRule: Record<string, number> = {};
  const start = process.hrtime.bigint();
  for (const p of policies) {
    for (const f of lintPolicy(JSON.parse(p.text), { type: p.type, catalog })) {
      findings += 1;
      byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
    }
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  const largePolicy = measureLargePolicy(catalog);
  const parliament = process.env.BENCH_SKIP_PARLIAMENT ? { unavailable: 'skipped (BENCH_SKIP_PARLIAMENT)' } : measureParliament(policies);
  const identity = policies.filter((p) => p.type === 'identity');
  const identityCount = identity.length;
  const identityStart = process.hrtime.bigint();
  for (const p of identity) lintPolicy(JSON.parse(p.text), { type: p.type, catalog });
  const identitySeconds = Number(process.hrtime.bigint() - identityStart) / 1e9;

  const round = (n: number, d = 3): number => Math.round(n * 10 ** d) / 10 ** d;
  process.stdout.write(
    `${JSON.stringify(
      {
        policies: POLICIES,
        averageBytes: Math.round(bytes / POLICIES),
        seconds: round(seconds),
        policiesPerSecond: Math.round(POLICIES / seconds),
        catalogLoadSeconds: round(catalogLoadSeconds),
        peakRssMb,
        findings,
        findingsByRule: byRule,
        baseline: { what: 'JSON.parse + validatePolicyDocument', seconds: round(baselineSeconds), policiesPerSecond: Math.round(POLICIES / baselineSeconds), problems },
        largePolicy: { ...largePolicy, seconds: round(largePolicy.seconds) },
        parliament:
          'unavailable' in parliament
            ? { version: PARLIAMENT_VERSION, unavailable: parliament.unavailable }
            : {
                version: PARLIAMENT_VERSION,
                what: `parliament --directory over the same ${parliament.policies} identity policies (one process, start-up included)`,
                seconds: round(parliament.seconds),
                policiesPerSecond: Math.round(parliament.policies / parliament.seconds),
                oursSeconds: round(identitySeconds),
                // How many times faster we lint the same identity policies, same run (ours excludes our start-up; see catalogLoadSeconds).
                ratio: round(parliament.seconds / identitySeconds, 2),
              },
        identityPolicies: identityCount,
        machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version },
      },
      null,
      2,
    )}\n`,
  );
}

main();
