import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { UsageAggregator, type UsageSnapshot } from '../../src/core/analyzer';
import { feedLogFile } from '../../src/io/cloudtrail/decode-log-file';
import { RecordScanner } from '../../src/io/cloudtrail/record-scanner';
import { parseLogFile } from './support/parse-log-file';

/**
 * Differential test of the field scanner: over every log file of the fixtures (synthetic, bad
 * input, robustness cases and the 310 real Stratus Red Team events), the scanner's aggregation
 * equals the one of the reference decoder (JSON.parse of the whole file, the analyzer's decoder
 * before the scanner), and it is the same whatever chunks the bytes arrive in.
 */
const fixtures = join(__dirname, '../fixtures/cloudtrail');
const LOG_FOLDERS = ['synthetic', 'bad-input', 'robustness', 'stratus-red-team'];
/** Where the two decoders differ on purpose: the scanner keeps the records before a gzip break. */
const DIFFERENT_ON_PURPOSE = new Set<string>();

function listFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return listFiles(path);
      return /\.(json|jsonl|json\.gz)$/.test(name) && !/CloudTrail-Digest/.test(path) ? [path] : [];
    });
}

const files = LOG_FOLDERS.flatMap((f) => listFiles(join(fixtures, f))).map((p) => relative(fixtures, p));
const NOT_AFTER = '2027-01-01T00:00:00Z';

async function viaScanner(file: string, compiled = true): Promise<UsageSnapshot> {
  const aggregator = new UsageAggregator({ notAfter: NOT_AFTER });
  await feedLogFile({ kind: 'path', path: join(fixtures, file) }, file, aggregator, { compiled });
  return aggregator.snapshot();
}

function viaReference(file: string): UsageSnapshot {
  const aggregator = new UsageAggregator({ notAfter: NOT_AFTER });
  parseLogFile(readFileSync(join(fixtures, file)), file, aggregator);
  return aggregator.snapshot();
}

function viaChunks(text: Buffer, file: string, size: number): UsageSnapshot {
  const aggregator = new UsageAggregator({ notAfter: NOT_AFTER });
  aggregator.markFileRead();
  const scanner = new RecordScanner({ record: (r) => aggregator.addRecord(r, file), skipRecords: (reason, n) => aggregator.skipRecords(file, reason, n) });
  for (let at = 0; at < text.length; at += size) scanner.push(text.subarray(at, at + size));
  const outcome = scanner.finish();
  if (outcome.kind === 'file-skipped') aggregator.skipFile(file, outcome.reason);
  return aggregator.snapshot();
}

describe('field scanner = JSON.parse reference', () => {
  it('covers the real events and every fixture folder', () => {
    expect(files.filter((f) => f.startsWith('stratus-red-team/')).length).toBe(35);
    expect(files.length).toBeGreaterThan(40);
  });

  it.each(files.filter((f) => !DIFFERENT_ON_PURPOSE.has(f)))('%s', async (file) => {
    const reference = viaReference(file);
    expect(await viaScanner(file)).toEqual(reference);
    // Without the compiled batch reader: the JavaScript fast path and general reader alone.
    expect(await viaScanner(file, false)).toEqual(reference);
  });

  it('reads every real Stratus Red Team event through the compiled batch reader, so the comparison above tests it', () => {
    let compiled = 0;
    let records = 0;
    for (const file of files.filter((f) => f.startsWith('stratus-red-team/'))) {
      const text = readFileSync(join(fixtures, file));
      const scanner = new RecordScanner({ record: () => (records += 1), skipRecords: () => undefined });
      scanner.push(file.endsWith('.gz') ? gunzipSync(text) : text);
      scanner.finish();
      compiled += scanner.compiledRecords;
    }
    expect(records).toBe(310);
    expect(compiled).toBe(310);
  });

  it.each(files.filter((f) => !f.endsWith('.gz')))('%s read in 1, 7 and 4096-byte chunks', (file) => {
    const text = readFileSync(join(fixtures, file));
    const reference = viaReference(file);
    for (const size of [1, 7, 4096]) expect(viaChunks(text, file, size)).toEqual(reference);
  });
});
