import { UsageAggregator, type UsageSnapshot } from '../../src/core/analyzer';
import { RecordScanner } from '../../src/io/cloudtrail/record-scanner';
import { Generator, Members, RECORDS_PER_FILE, makeFile, makeRandom } from './support/adversarial-log';
import { parseLogFile } from './support/parse-log-file';

/**
 * Property test of the field scanner's fast path (src/io/cloudtrail/record-fast-path.ts): generated
 * adversarial CloudTrail files give the same aggregation through the scanner as through JSON.parse of
 * the whole file (test/analyzer/support/parse-log-file.ts). The records shuffle their keys, nest
 * objects and arrays at random, write characters as escapes (keys included), hold unicode, quotes,
 * backslashes and braces in strings, repeat keys, put the analyzer's key names inside nested objects
 * (requestParameters.eventName, responseElements.userIdentity, ...) and inside strings, and give the
 * fields the analyzer reads values of every JSON type. The seeds are fixed, so a failure names its case.
 */
const NOT_AFTER = '2027-01-01T00:00:00Z';
const FILES = 120;

function viaScanner(text: Buffer, file: string, chunk: number, compiled = true): { snapshot: UsageSnapshot; fallbacks: number; compiledRecords: number } {
  const aggregator = new UsageAggregator({ notAfter: NOT_AFTER });
  aggregator.markFileRead();
  const scanner = new RecordScanner({ record: (r) => aggregator.addRecord(r, file), skipRecords: (reason, n) => aggregator.skipRecords(file, reason, n) }, { compiled });
  for (let at = 0; at < text.length; at += chunk) scanner.push(text.subarray(at, at + chunk));
  const outcome = scanner.finish();
  if (outcome.kind === 'file-skipped') aggregator.skipFile(file, outcome.reason);
  return { snapshot: aggregator.snapshot(), fallbacks: scanner.fallbacks, compiledRecords: scanner.compiledRecords };
}

function viaJsonParse(text: Buffer, file: string): UsageSnapshot {
  const aggregator = new UsageAggregator({ notAfter: NOT_AFTER });
  parseLogFile(text, file, aggregator);
  return aggregator.snapshot();
}

describe('field scanner fast path = JSON.parse on generated adversarial records', () => {
  const seeds = Array.from({ length: FILES }, (_, i) => i + 1);
  let fastRecords = 0;
  let fallbacks = 0;
  let compiledRecords = 0;
  let envelopeRecords = 0;

  it.each(seeds)('seed %i', (seed) => {
    const { text, layout } = makeFile(seed);
    const file = `generated-${seed}.json`;
    const reference = viaJsonParse(text, file);
    expect(reference.recordsRead).toBeGreaterThan(0);
    // JavaScript only: the fast path, and the general reader where it gives up.
    const js = viaScanner(text, file, text.length, false);
    expect(js.snapshot).toEqual(reference);
    fastRecords += reference.recordsRead - js.fallbacks;
    fallbacks += js.fallbacks;
    // The compiled batch reader first (records of an envelope or array), JavaScript where it stops.
    const compiled = viaScanner(text, file, text.length);
    expect(compiled.snapshot).toEqual(reference);
    compiledRecords += compiled.compiledRecords;
    if (layout !== 'lines') envelopeRecords += reference.recordsRead;
    // Chunk boundaries anywhere: a record cut by one is read again when the rest has come.
    expect(viaScanner(text, file, 97 + (seed % 13)).snapshot).toEqual(reference);
    expect(viaScanner(text, file, 97 + (seed % 13), false).snapshot).toEqual(reference);
  });

  it('reads most records through the fast path, so the comparison above tests it', () => {
    // Fallbacks come from escaped keys that count and the rare record holding `Records`.
    expect(fastRecords).toBeGreaterThan(FILES * RECORDS_PER_FILE * 0.8);
    expect(fallbacks).toBeGreaterThan(0);
  });

  it('reads many envelope and array records through the compiled reader, so the comparison above tests it too', () => {
    // It stops at every record with an escape in a value it reads or in a key that counts, and at a value it reads
    // that is not a string or null: a third of these adversarial records (34 percent measured) are read by it.
    expect(compiledRecords).toBeGreaterThan(envelopeRecords * 0.25);
    expect(compiledRecords).toBeLessThan(envelopeRecords);
  });

  it('gives up on nothing in plain CloudTrail (no escapes in keys, no nested Records)', () => {
    const g = new Generator(makeRandom(7));
    const records: string[] = [];
    for (let i = 0; i < 200; i++) {
      const record = g.record() as Members;
      records.push(g.write(new Members(record.members.filter(([k]) => k !== 'Records')), 0));
    }
    const text = Buffer.from(`{"Records":[${records.join(',')}]}`);
    const result = viaScanner(text, 'plain.json', text.length);
    expect(result.fallbacks).toBe(0);
    expect(result.snapshot).toEqual(viaJsonParse(text, 'plain.json'));
  });
});
