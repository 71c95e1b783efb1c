import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { evaluateScan, type ScanScope, type ScanSuppression, type ScannerResult, type Severity } from '../../src/core/scan';

interface EvaluateCase {
  readonly name: string;
  readonly input: {
    readonly results: ReadonlyArray<Partial<ScannerResult> & Pick<ScannerResult, 'checkId' | 'scanner' | 'account' | 'resource' | 'result'>>;
    readonly suppressions: ReadonlyArray<Omit<ScanSuppression, 'file'> & { readonly file?: string }>;
    readonly today: string;
    readonly failOn: Severity;
    readonly scope?: ScanScope;
  };
  readonly expected: {
    /** `[check, account/resource, status]`, plus the built-in rationale's id when one accepted the finding. */
    readonly findings: ReadonlyArray<readonly string[]>;
    readonly summary: Record<string, unknown>;
  };
}

const CASES_DIR = path.join(__dirname, '../fixtures/scan/evaluate');
const cases: EvaluateCase[] = readdirSync(CASES_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(path.join(CASES_DIR, f), 'utf8')) as EvaluateCase);

describe('evaluateScan (fixtures in test/fixtures/scan/evaluate)', () => {
  it('has cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(7);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, testCase) => {
    const results: ScannerResult[] = testCase.input.results.map((r) => ({
      title: `${r.checkId} title`,
      stackFile: `cdktf.out/stacks/iam-${r.account}/cdk.tf.json`,
      file: `accounts/${r.account}/account.yaml`,
      ...r,
    }));
    const suppressions: ScanSuppression[] = testCase.input.suppressions.map((s, i) => ({ file: 'scan-suppressions.yaml', line: 2 + i * 6, ...s }));
    const scope: ScanScope = testCase.input.scope ?? { scanners: ['checkov', 'tfsec'], accounts: [...new Set(results.map((r) => r.account))], allAccounts: true };

    const report = evaluateScan({ results, suppressions, today: testCase.input.today, failOn: testCase.input.failOn, scanners: {}, scope });

    const shown = report.findings.filter((f) => f.status !== 'passed').map((f) => [f.checkId, `${f.account}/${f.resource}`, f.status, ...(f.suppression?.builtIn ? [f.suppression.builtIn] : [])]);
    expect(shown).toEqual(testCase.expected.findings);
    expect(report.summary).toMatchObject(testCase.expected.summary);
    for (const finding of report.findings.filter((f) => f.status === 'suppressed')) {
      expect(finding.suppression?.reason).toEqual(expect.any(String));
    }
  });
});
