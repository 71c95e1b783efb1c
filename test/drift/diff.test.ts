import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectDrift, type DetectDriftOptions, type DesiredInventory, type LiveInventory } from '../../src/core/drift';

interface DiffCase {
  readonly name: string;
  readonly input: { readonly desired: DesiredInventory; readonly live: LiveInventory; readonly options?: DetectDriftOptions };
  readonly expected: { readonly drift: readonly Record<string, unknown>[]; readonly quarantined: readonly string[] };
}

const dir = join(__dirname, '..', 'fixtures', 'drift', 'diff');
const cases: DiffCase[] = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as DiffCase);

describe('detectDrift (fixtures)', () => {
  it('has cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const report = detectDrift(c.input.desired, c.input.live, c.input.options);
    const items = report.drift.map(({ kind, resourceType, name, attribute, expected, actual, protected: prot }) => ({ kind, resourceType, name, attribute, expected, actual, protected: prot }));
    expect(items).toEqual(c.expected.drift);
    expect(report.quarantined).toEqual(c.expected.quarantined);
    expect(report.summary.total).toBe(c.expected.drift.length);
  });
});
