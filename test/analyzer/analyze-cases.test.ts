import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type AnalyzerReport, type ManagedPrincipal, type PrincipalReport, type SkippedFile, analyzeUsage } from '../../src/core/analyzer';
import { collectUsage } from '../../src/io/cloudtrail/collect-usage';
import { listLocalLogTasks } from '../../src/io/cloudtrail/local-log-source';
import { loadActionCatalog } from '../../src/io/catalog/load-action-catalog';

/**
 * Data-driven: each file in test/fixtures/cloudtrail/analyze-cases is `{ name, input, expected }`.
 * input.logs are folders under test/fixtures/cloudtrail; input.principals are the model's roles with their policies.
 * Expected principal fields are checked when present: used/denied as action → count, unused (ordered),
 * unusedIncludes/unusedExcludes, unobservable, unmapped, granted, grantedComplete, managed, root.
 */
interface ExpectedPrincipal {
  readonly arn: string;
  readonly managed?: boolean;
  readonly root?: boolean;
  readonly accountObserved?: boolean;
  readonly granted?: number;
  readonly grantedComplete?: boolean;
  readonly used?: Record<string, number>;
  readonly denied?: Record<string, number>;
  readonly unused?: string[];
  readonly unusedIncludes?: string[];
  readonly unusedExcludes?: string[];
  readonly unobservable?: string[];
  readonly unmapped?: PrincipalReport['unmapped'];
}

interface AnalyzeCase {
  readonly name: string;
  readonly input: { readonly logs: string[]; readonly principals: ManagedPrincipal[]; readonly minDays?: number };
  readonly expected: {
    readonly window?: { from: string; to: string; days: number };
    readonly skippedFiles?: number;
    readonly skippedRecords?: number;
    readonly skippedReasons?: Record<string, number>;
    readonly skippedDetailsInclude?: SkippedFile[];
    readonly warningsInclude?: string[];
    readonly principals: ExpectedPrincipal[];
    readonly principalCount?: number;
    /** `account/role` of every role that gets a recommendation. */
    readonly recommendedRoles?: string[];
  };
}

const fixtures = join(__dirname, '../fixtures/cloudtrail');
const caseDir = join(fixtures, 'analyze-cases');
const cases = readdirSync(caseDir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(caseDir, f), 'utf8')) as AnalyzeCase);
const catalog = loadActionCatalog();

async function run(c: AnalyzeCase, workers: number): Promise<AnalyzerReport> {
  const snapshots = [];
  for (const logs of c.input.logs) {
    // Names in the report are relative to test/fixtures/cloudtrail, as the paths in the case are.
    const root = join(fixtures, logs);
    const snapshot = await collectUsage((onSkip) => listLocalLogTasks(root, { onSkip }), { workers });
    snapshots.push(snapshot);
  }
  expect(snapshots).toHaveLength(1);
  const relative = JSON.parse(JSON.stringify(snapshots[0]).split(`${fixtures}/`).join('')) as typeof snapshots[0];
  return analyzeUsage({ snapshot: relative, catalog, principals: c.input.principals, minDays: c.input.minDays });
}

function checkReport(c: AnalyzeCase, report: AnalyzerReport): void {
  const e = c.expected;
  if (e.window) expect({ from: report.window.from, to: report.window.to, days: report.window.days }).toEqual(e.window);
  if (e.skippedFiles !== undefined) expect(report.skipped.files).toBe(e.skippedFiles);
  if (e.skippedRecords !== undefined) expect(report.skipped.records).toBe(e.skippedRecords);
  if (e.skippedReasons) expect(report.skipped.reasons).toEqual(e.skippedReasons);
  for (const d of e.skippedDetailsInclude ?? []) expect(report.skipped.details).toContainEqual(d);
  for (const w of e.warningsInclude ?? []) expect(report.warnings).toContain(w);
  if (e.principalCount !== undefined) expect(report.principals).toHaveLength(e.principalCount);
  if (e.recommendedRoles) expect(report.recommendations.map((r) => `${r.account}/${r.role}`)).toEqual(e.recommendedRoles);
  for (const want of e.principals) {
    const got = report.principals.find((p) => p.arn === want.arn);
    expect(got).toBeDefined();
    const p = got!;
    if (want.managed !== undefined) expect(p.managed).toBe(want.managed);
    if (want.root !== undefined) expect(p.root).toBe(want.root);
    if (want.accountObserved !== undefined) expect(p.accountObserved).toBe(want.accountObserved);
    if (want.granted !== undefined) expect(p.granted).toBe(want.granted);
    if (want.grantedComplete !== undefined) expect(p.grantedComplete).toBe(want.grantedComplete);
    if (want.used) expect(Object.fromEntries(p.used.map((u) => [u.action, u.count]))).toEqual(want.used);
    if (want.denied) expect(Object.fromEntries(p.denied.map((u) => [u.action, u.count]))).toEqual(want.denied);
    if (want.unused) expect(p.unused).toEqual(want.unused);
    for (const a of want.unusedIncludes ?? []) expect(p.unused).toContain(a);
    for (const a of want.unusedExcludes ?? []) expect(p.unused).not.toContain(a);
    if (want.unobservable) expect(p.unobservable).toEqual(want.unobservable);
    if (want.unmapped) expect(p.unmapped).toEqual(want.unmapped);
    // Invariants for every principal: denied never counts as used; unobservable never unused.
    for (const a of p.unobservable) expect(p.unused).not.toContain(a);
    expect(p.unused).not.toContain('iam:PassRole');
  }
}

describe('analyze cases (test/fixtures/cloudtrail/analyze-cases)', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    checkReport(c, await run(c, 0));
  });

  it('gives the same report with worker threads as in the calling thread', async () => {
    // Given the synthetic case, When it runs on two worker threads, Then the report equals the in-thread one.
    const c = cases.find((x) => x.name.startsWith('synthetic'))!;
    const inThread = await run(c, 0);
    const threaded = await run(c, 2);
    expect(threaded).toEqual(inThread);
  });
});
