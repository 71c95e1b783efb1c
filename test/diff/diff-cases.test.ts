/**
 * Data-driven cases of the access diff: each test/fixtures/diff/cases/<name>.json holds two access models
 * (base and head) and what the diff must say. New edge cases become data, not code.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildInMemoryCatalog, type InMemoryCatalogSpec } from '../../src/core/catalog';
import { diffAccessModels, type AccessChange, type AccessModel, type AccessVerdict } from '../../src/core/diff';

const FIXTURES = join(__dirname, '..', 'fixtures', 'diff');

interface ExpectedChange {
  readonly account?: string;
  readonly kind: string;
  readonly subject?: string;
  readonly effect?: string;
  readonly risky?: boolean;
  readonly resource?: string;
  readonly patterns?: readonly string[];
  readonly actions?: readonly string[];
  readonly risks?: readonly string[];
  readonly principalKind?: string;
}

interface DiffCase {
  readonly name: string;
  readonly description: string;
  readonly base: AccessModel;
  readonly head: AccessModel;
  readonly expected: {
    readonly verdict: AccessVerdict;
    readonly accounts?: { readonly [account: string]: AccessVerdict };
    readonly changes?: readonly ExpectedChange[];
    /** Kinds that must not appear. */
    readonly noChange?: readonly string[];
    readonly changeCount?: number;
  };
}

const catalog = buildInMemoryCatalog(JSON.parse(readFileSync(join(FIXTURES, 'catalog.json'), 'utf8')) as InMemoryCatalogSpec);
const cases: DiffCase[] = readdirSync(join(FIXTURES, 'cases'))
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(FIXTURES, 'cases', f), 'utf8')) as DiffCase);

function matches(account: string, change: AccessChange, expected: ExpectedChange): boolean {
  if (expected.account !== undefined && expected.account !== account) return false;
  if (change.kind !== expected.kind) return false;
  if (expected.subject !== undefined && change.subject.name !== expected.subject) return false;
  if (expected.effect !== undefined && change.effect !== expected.effect) return false;
  if (expected.risky !== undefined && change.risky !== expected.risky) return false;
  if (expected.resource !== undefined && change.permissions?.resource !== expected.resource) return false;
  if (expected.patterns !== undefined && JSON.stringify(change.permissions?.patterns) !== JSON.stringify(expected.patterns)) return false;
  if (expected.actions !== undefined && JSON.stringify(change.permissions?.actions.map((a) => a.action)) !== JSON.stringify(expected.actions)) return false;
  if (expected.risks !== undefined && JSON.stringify(change.permissions?.actions.flatMap((a) => a.risks)) !== JSON.stringify(expected.risks)) return false;
  if (expected.principalKind !== undefined && change.principal?.kind !== expected.principalKind) return false;
  return true;
}

describe('access diff cases', () => {
  it('has cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const diff = diffAccessModels(c.base, c.head, { catalog });
    expect(diff.verdict).toBe(c.expected.verdict);
    for (const [account, verdict] of Object.entries(c.expected.accounts ?? {})) {
      expect(diff.accounts.find((a) => a.account === account)?.verdict).toBe(verdict);
    }
    const all = diff.accounts.flatMap((a) => a.changes.map((change) => ({ account: a.account, change })));
    for (const expected of c.expected.changes ?? []) {
      const found = all.some(({ account, change }) => matches(account, change, expected));
      if (!found) throw new Error(`${c.name}: no change matches ${JSON.stringify(expected)}; got:\n${all.map(({ account, change }) => `  ${account} ${change.kind} ${change.effect} ${change.risky} ${change.reason}`).join('\n')}`);
    }
    for (const kind of c.expected.noChange ?? []) expect(all.map(({ change }) => change.kind)).not.toContain(kind);
    if (c.expected.changeCount !== undefined) expect(all).toHaveLength(c.expected.changeCount);
    // The verdict always carries its reasons when something changed.
    if (all.length > 0) expect(diff.reasons.length).toBeGreaterThan(0);
  });
});
