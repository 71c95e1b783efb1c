import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULE_LIST, lintPolicy } from '../../src/core/lint';
import type { LintOptions } from '../../src/core/lint';
import type { LintSuppression } from '../../src/core/model';
import type { PolicyType } from '../../src/core/policy';
import { loadActionCatalog } from '../../src/io/catalog';

/** One fixture: a policy, its type, and exactly the unsuppressed findings expected. */
interface LintCase {
  readonly name: string;
  readonly type: PolicyType;
  readonly policy: unknown;
  readonly expected: readonly { readonly rule: string; readonly path: string }[];
  /** Only findings of these rules are compared (cases generated per escalation path). @default - every rule */
  readonly rules?: readonly string[];
  readonly options?: { readonly accountId?: string; readonly organizationAccountIds?: readonly string[]; readonly suppressions?: readonly LintSuppression[]; readonly workloadTrustSids?: readonly string[]; readonly deployRole?: boolean; readonly awsManaged?: boolean };
}

const dir = join(__dirname, '..', 'fixtures', 'lint', 'cases');
const cases: LintCase[] = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as LintCase);
const catalog = loadActionCatalog();

const key = (f: { readonly rule: string; readonly path: string }): string => `${f.rule} @ ${f.path}`;

describe('rule registry', () => {
  it('has a documentation page with every section for each rule', () => {
    for (const rule of RULE_LIST) {
      const page = readFileSync(join(__dirname, '..', '..', rule.docs), 'utf8');
      expect([rule.id, page.startsWith(`# ${rule.id}\n`)]).toEqual([rule.id, true]);
      for (const section of ['## What it finds', '## Why it matters', '## How to fix', '## Failing example', '## Passing example']) {
        expect([rule.id, page.includes(section)]).toEqual([rule.id, true]);
      }
    }
  });
});

describe('lint rule fixtures (real action catalog)', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const options: LintOptions = { type: c.type, catalog, ...c.options };
    const findings = lintPolicy(c.policy, options).filter((f) => !f.suppressed && (c.rules === undefined || c.rules.includes(f.rule)));
    expect(findings.map(key).sort()).toEqual(c.expected.map(key).sort());
  });

  it('covers every rule except the model-only ones with a failing and a passing case', () => {
    const fired = new Set(cases.flatMap((c) => c.expected.map((e) => e.rule)));
    const modelOnly = new Set(['missing-permission-boundary', 'unknown-managed-policy', 'expired-grant']);
    const missing = RULE_LIST.map((r) => r.id).filter((id) => !modelOnly.has(id) && !fired.has(id));
    expect(missing).toEqual([]);
    for (const rule of RULE_LIST.map((r) => r.id).filter((id) => !modelOnly.has(id))) {
      expect(cases.some((c) => c.name.startsWith(`${rule}: negative`) || (c.name.startsWith(rule) && c.expected.every((e) => e.rule !== rule)))).toBe(true);
    }
  });
});
