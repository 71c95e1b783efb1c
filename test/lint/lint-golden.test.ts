/**
 * Differential test of the linter's speed work: the findings of the benchmark's generated set and of every rule
 * fixture must equal the golden files written by the code before the optimisations
 * (`npx tsx scripts/bench/lint-golden.ts --write`, committed first). A finding gained, lost or reworded fails.
 */
import { compareGolden, lintCorpus, readFixtureCorpus, readGeneratedCorpus, readGolden } from '../../scripts/bench/lint-golden';
import { loadActionCatalog } from '../../src/io/catalog';

const catalog = loadActionCatalog();

describe('lint findings equal the golden files', () => {
  it('on the 10,000 generated benchmark policies', () => {
    const golden = readGolden('generated');
    expect(Object.keys(golden).length).toBe(10000);
    expect(compareGolden(golden, lintCorpus(readGeneratedCorpus(), catalog))).toEqual([]);
  });

  it('on every rule fixture', () => {
    const golden = readGolden('fixtures');
    expect(Object.keys(golden).length).toBeGreaterThan(200);
    expect(compareGolden(golden, lintCorpus(readFixtureCorpus(), catalog))).toEqual([]);
  });
});
