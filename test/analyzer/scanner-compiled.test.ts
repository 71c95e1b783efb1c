import { mkdtempSync, rmSync, writeFileSync, copyFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageAggregator, type UsageSnapshot } from '../../src/core/analyzer';
import { CompiledRecordReader, compileRecordBatch, loadRecordBatch } from '../../src/io/cloudtrail/record-batch';
import { RecordScanner } from '../../src/io/cloudtrail/record-scanner';
import { makeFile, makeRandom } from './support/adversarial-log';

/**
 * The compiled batch reader (assembly/record-batch.ts → dist/cli/record-batch.wasm) against the JavaScript
 * readers alone, where the two could part: broken JSON (bytes deleted, inserted or replaced anywhere, so the
 * compiled reader must stop exactly where the JavaScript readers would see something wrong), records cut by
 * the end of the window of bytes copied into the module, and a module that does not match its source.
 * Expected values come from the JavaScript readers (compared with JSON.parse in scanner-property.test.ts).
 */
const NOT_AFTER = '2027-01-01T00:00:00Z';
const ROOT = join(__dirname, '../..');

function scan(text: Buffer, compiled: boolean | CompiledRecordReader, chunk = text.length): { snapshot: UsageSnapshot; compiledRecords: number } {
  const aggregator = new UsageAggregator({ notAfter: NOT_AFTER });
  aggregator.markFileRead();
  const scanner = new RecordScanner({ record: (r) => aggregator.addRecord(r, 'f.json'), skipRecords: (reason, n) => aggregator.skipRecords('f.json', reason, n) }, { compiled });
  for (let at = 0; at < text.length; at += chunk) scanner.push(text.subarray(at, at + chunk));
  const outcome = scanner.finish();
  if (outcome.kind === 'file-skipped') aggregator.skipFile('f.json', outcome.reason);
  return { snapshot: aggregator.snapshot(), compiledRecords: scanner.compiledRecords };
}

/** Bytes that matter to JSON's grammar, and some that do not belong outside strings. */
const MUTATION_BYTES = [...',:{}[]"\\ \n-.e0123456789tfnulx+'].map((c) => c.charCodeAt(0)).concat([0x00, 0xff]);

/** `text` with `count` bytes deleted, inserted or replaced at random places (seeded). */
function mutate(text: Buffer, seed: number, count: number): Buffer {
  const random = makeRandom(seed * 7919);
  let bytes = Buffer.from(text);
  for (let k = 0; k < count; k++) {
    const at = Math.floor(random() * bytes.length);
    const op = Math.floor(random() * 3);
    const byte = MUTATION_BYTES[Math.floor(random() * MUTATION_BYTES.length)];
    if (op === 0) bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + 1)]);
    else if (op === 1) bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from([byte]), bytes.subarray(at)]);
    else bytes[at] = byte;
  }
  return bytes;
}

/** Plain CloudTrail records as S3 delivers them (no escapes in the fields read), in an envelope. */
function plainEnvelope(records: number, seed: number): Buffer {
  const random = makeRandom(seed);
  const items: string[] = [];
  for (let i = 0; i < records; i++) {
    const role = ['app', 'ci', 'etl'][Math.floor(random() * 3)];
    items.push(
      JSON.stringify({
        eventVersion: '1.09',
        userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::111111111111:assumed-role/${role}/s-${i}`, accountId: '111111111111', sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::111111111111:role/${role}`, accountId: '111111111111' }, attributes: { mfaAuthenticated: 'false' } } },
        eventTime: `2026-05-01T10:${String(i % 60).padStart(2, '0')}:00Z`,
        eventSource: ['s3.amazonaws.com', 'kms.amazonaws.com', 'ec2.amazonaws.com'][i % 3],
        eventName: ['GetObject', 'Decrypt', 'CreateTags'][i % 3],
        requestParameters: i % 3 === 2 ? { resourcesSet: { items: [{ resourceId: 'i-1' }] }, tagSet: { items: [{ key: 'k', value: 'v' }] }, tags: [{ key: 'k' }] } : { bucketName: 'b', key: `k/${i}`, note: 'quote \\" and \\\\ and \\u00e9' },
        responseElements: null,
        ...(random() < 0.1 ? { errorCode: 'AccessDenied' } : {}),
        readOnly: true,
        eventType: 'AwsApiCall',
        recipientAccountId: '111111111111',
        tlsDetails: { tlsVersion: 'TLSv1.3', clientProvidedHostHeader: 's3.amazonaws.com' },
        size: [1, -2.5, 3e10, 0.001][i % 4],
      }),
    );
  }
  return Buffer.from(`{"Records":[${items.join(',')}]}`);
}

describe('compiled batch reader = JavaScript readers', () => {
  it('is built and loads (npm ci and npm run build compile it), so the tests below test it', () => {
    const batch = loadRecordBatch();
    expect(batch).toEqual(expect.objectContaining({ kind: 'ready' }));
  });

  it('reads plain CloudTrail records entirely, with the same results', () => {
    const text = plainEnvelope(300, 1);
    const compiled = scan(text, true);
    expect(compiled.compiledRecords).toBe(300);
    expect(compiled.snapshot).toEqual(scan(text, false).snapshot);
    expect(compiled.snapshot.recordsRead).toBe(300);
    // Every third record carries tags (CreateTags): withTags counted from the compiled reader's bits.
    expect(compiled.snapshot.rows.reduce((n, r) => n + (r.withTags ?? 0), 0)).toBe(100);
  });

  // Hand-written members placed in the middle record of three: each is one way the grammar or the fields read can go wrong.
  const GOOD = '{"eventTime":"2026-05-01T10:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111111111111:user/u","accountId":"111111111111"}';
  const CASES: readonly (readonly [string, string])[] = [
    ['true cut', '"readOnly":tru}'],
    ['true misspelt', '"readOnly":trux}'],
    ['null misspelt', '"responseElements":nulx}'],
    ['false cut', '"readOnly":fals}'],
    ['null too long', '"responseElements":nulll}'],
    ['number with a leading zero', '"size":01}'],
    ['number without fraction digits', '"size":1.}'],
    ['bare minus', '"size":-}'],
    ['number without exponent digits', '"size":1e+}'],
    ['number starting with a dot', '"size":.5}'],
    ['trailing comma in an array', '"resources":[1,]}'],
    ['trailing comma in an object', '"tlsDetails":{"a":1,}}'],
    ['missing colon', '"tlsDetails" 1}'],
    ['missing comma', '"a":1 "b":2}'],
    ['two values', '"a":1 2}'],
    ['tags then no tags (the last wins)', '"requestParameters":{"tags":[{"key":"k"}],"tags":[]}}'],
    ['no tags then tags', '"requestParameters":{"tags":{},"tags":[1]}}'],
    ['tags null', '"requestParameters":{"TagSpecifications":null}}'],
    ['tags of space only', '"requestParameters":{"tagList":[ \n ]}}'],
    ['escaped key that counts', '"event\\u004eame":"PutObject"}'],
    ['escaped value read', '"errorCode":"Access\\u0044enied"}'],
    ['eventName twice', '"eventName":"PutObject"}'],
    ['eventName null', '"eventName":null}'],
    ['userIdentity twice', '"userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::111111111111:assumed-role/r/s","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::111111111111:role/r"}}}}'],
    ['sessionContext null', '"userIdentity":{"type":"AssumedRole","sessionContext":null}}'],
    ['sessionIssuer a string', '"userIdentity":{"type":"AssumedRole","sessionContext":{"sessionIssuer":"x"}}}'],
    ['nested Records', '"Records":[{"eventSource":"x.amazonaws.com","eventName":"X","eventTime":"2026-05-01T10:00:00Z"}]}'],
    ['unclosed string', '"userAgent":"abc}'],
    ['control byte outside strings', '"a":\u0001}'],
    ['control byte before a string value', '"userAgent":\u0001"abc"}'],
    ['control byte before the next key', '"a":1,\u0001"b":2}'],
    ['control byte after a key', '"a"\u0001:1}'],
    ['tab, newline and carriage return between members (JSON space)', '"a":\t"x",\n"b":\r1 ,  "c" :\n\t2}'],
    ['deep nesting', `"deep":${'['.repeat(70)}${']'.repeat(70)}}`],
  ];
  it.each(CASES)('%s: the same aggregation with and without it', (_name, tail) => {
    const middle = `${GOOD},${tail}`;
    const text = Buffer.from(`{"Records":[${GOOD}},${middle},${GOOD}}]}`);
    expect(scan(text, true).snapshot).toEqual(scan(text, false).snapshot);
  });

  const seeds = Array.from({ length: 150 }, (_, i) => i + 1);
  it.each(seeds)('broken JSON, seed %i: the same aggregation with and without it', (seed) => {
    const base = seed % 3 === 0 ? plainEnvelope(40, seed) : makeFile(seed).text;
    const text = mutate(base, seed, 1 + (seed % 4));
    expect(scan(text, true).snapshot).toEqual(scan(text, false).snapshot);
  });

  it('a mutated plain file is still mostly read by it (the mutation cases exercise its checks)', () => {
    let compiled = 0;
    for (let seed = 3; seed <= 150; seed += 3) compiled += scan(mutate(plainEnvelope(40, seed), seed, 1 + (seed % 4)), true).compiledRecords;
    expect(compiled).toBeGreaterThan(50 * 40 * 0.3);
  });

  it('strings interned before the module empties its table are not handed out for others after it', () => {
    // 20,000 distinct event times: the interning table (half of 16,384 entries) is emptied twice on the way.
    const records: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const time = new Date(Date.parse('2026-05-01T00:00:00Z') + i * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      records.push(`{"eventTime":"${time}","eventSource":"s3.amazonaws.com","eventName":"${['GetObject', 'PutObject', 'ListBuckets'][i % 3]}","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111111111111:user/u${i % 7}","accountId":"111111111111"}}`);
    }
    const text = Buffer.from(`{"Records":[${records.join(',')}]}`);
    const compiled = scan(text, true);
    expect(compiled.compiledRecords).toBe(20_000);
    const reference = scan(text, false).snapshot;
    expect(compiled.snapshot).toEqual(reference);
    // The last record's time, 19,999 seconds after midnight.
    expect(reference.lastEventTime).toBe('2026-05-01T05:33:19Z');
  });

  it('records that cross the end of its window are read again from a new window, with the same results', () => {
    const batch = loadRecordBatch();
    if (batch.kind !== 'ready') throw new Error(batch.reason);
    const small = new CompiledRecordReader(batch.module, { windowBytes: 3000, minAheadBytes: 600 });
    const text = plainEnvelope(400, 9);
    const reference = scan(text, false).snapshot;
    const whole = scan(text, small);
    expect(whole.snapshot).toEqual(reference);
    expect(whole.compiledRecords).toBe(400);
    // Chunks as streaming delivers them, smaller and larger than the window.
    for (const chunk of [257, 4093, 65536]) expect(scan(text, small, chunk).snapshot).toEqual(reference);
  });

  it('refuses a module that was not compiled from the source beside it, and says so', () => {
    const dir = mkdtempSync(join(tmpdir(), 'iamctl-record-batch-'));
    try {
      const wasm = join(dir, 'record-batch.wasm');
      const source = join(dir, 'record-batch.ts');
      copyFileSync(join(ROOT, 'dist/cli/record-batch.wasm'), wasm);
      writeFileSync(source, `${readFileSync(join(ROOT, 'assembly/record-batch.ts'), 'utf8')}\n// changed\n`);
      writeFileSync(`${wasm}.json`, readFileSync(join(ROOT, 'dist/cli/record-batch.wasm.json')));
      const stale = compileRecordBatch({ wasm, source });
      expect(stale).toEqual({ kind: 'unavailable', reason: `${wasm} was not compiled from this ${source} (npm run build)` });
      copyFileSync(join(ROOT, 'assembly/record-batch.ts'), source);
      expect(compileRecordBatch({ wasm, source }).kind).toBe('ready');
      expect(compileRecordBatch({ wasm: join(dir, 'missing.wasm') })).toEqual({ kind: 'unavailable', reason: `${join(dir, 'missing.wasm')} has not been built (npm run build)` });
      writeFileSync(wasm, 'not wasm');
      expect(compileRecordBatch({ wasm }).kind).toBe('unavailable');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
