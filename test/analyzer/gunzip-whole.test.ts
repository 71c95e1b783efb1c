/**
 * gunzipWhole (src/io/cloudtrail/gunzip-whole.ts) must give gunzipSync's bytes, or throw where gunzipSync throws,
 * for every file: its own raw-inflate path takes only plain single-member files whose trailer matches, and every
 * other case must reach gunzipSync. The expected side of each case is node's gunzipSync itself.
 */
import { crc32, gunzipSync, gzipSync } from 'node:zlib';
import { gunzipWhole } from '../../src/io/cloudtrail/gunzip-whole';

const OPTIONS = { maxOutputLength: 64 * 1024 * 1024, chunkSize: 256 * 1024 };

const payload = Buffer.from(
  JSON.stringify({ Records: Array.from({ length: 200 }, (_, i) => ({ eventSource: 's3.amazonaws.com', eventName: `GetObject${i % 7}`, eventTime: `2026-05-01T00:00:${String(i % 60).padStart(2, '0')}Z` })) }),
);
const plain = gzipSync(payload);

/** The same bytes with byte `at` replaced by `value` (a copy). */
function withByte(data: Buffer, at: number, value: number): Buffer {
  const copy = Buffer.from(data);
  copy[at] = value;
  return copy;
}

/** A gzip member with the FNAME flag and a name, built by hand from a plain member (RFC 1952, 2.3.1). */
function withName(data: Buffer, name: string): Buffer {
  const header = Buffer.from(data.subarray(0, 10));
  header[3] = 0x08;
  return Buffer.concat([header, Buffer.from(`${name}\u0000`, 'latin1'), data.subarray(10)]);
}

/** What gunzipSync gives or throws. */
function outcome(run: () => Buffer): { readonly bytes?: string; readonly error?: string } {
  try {
    return { bytes: run().toString('base64') };
  } catch (e) {
    return { error: `${(e as Error).name}:${(e as NodeJS.ErrnoException).code ?? ''}` };
  }
}

const trailerAt = plain.length - 8;
const cases: readonly (readonly [string, Buffer])[] = [
  ['a plain single member', plain],
  ['an empty payload', gzipSync(Buffer.alloc(0))],
  ['a member with a file name (FNAME)', withName(plain, 'events.json')],
  ['two members', Buffer.concat([plain, gzipSync(Buffer.from('{"more":true}'))])],
  // The last trailer matches the first member's output: only the consumed length tells it from one member.
  ['two members of the same payload', Buffer.concat([plain, plain])],
  ['bytes after the member', Buffer.concat([plain, Buffer.from('trailing garbage')])],
  ['a wrong CRC-32 in the trailer', withByte(plain, trailerAt, plain[trailerAt] ^ 0x01)],
  ['a wrong length in the trailer', withByte(plain, trailerAt + 4, plain[trailerAt + 4] ^ 0x01)],
  ['a cut trailer', plain.subarray(0, plain.length - 3)],
  ['a cut DEFLATE stream', plain.subarray(0, Math.floor(plain.length / 2))],
  ['a corrupted DEFLATE byte', withByte(plain, 40, plain[40] ^ 0xff)],
  ['reserved header flags', withByte(plain, 3, 0xe0)],
  ['another compression method', withByte(plain, 2, 7)],
  ['only a header', plain.subarray(0, 10)],
];

describe('gunzipWhole gives what gunzipSync gives', () => {
  it.each(cases)('%s', (_name, data) => {
    const expected = outcome(() => gunzipSync(data, OPTIONS));
    expect(outcome(() => gunzipWhole(data, OPTIONS))).toEqual(expected);
  });

  it('a trailer whose CRC is recomputed over other bytes is refused, as gunzipSync refuses it', () => {
    // The DEFLATE stream of one payload with the trailer of another: the check must be of the output, not the header.
    const other = gzipSync(Buffer.from(payload.toString('utf8').replace('GetObject1', 'GetObjectX')));
    const mixed = Buffer.concat([plain.subarray(0, plain.length - 8), other.subarray(other.length - 8)]);
    expect(crc32(gunzipSync(other))).toBe(other.readUInt32LE(other.length - 8));
    expect(() => gunzipSync(mixed, OPTIONS)).toThrow();
    expect(() => gunzipWhole(mixed, OPTIONS)).toThrow();
  });

  it('an output over maxOutputLength throws the error gunzipSync throws', () => {
    // (jest's realm has its own RangeError, so the name and message are compared)
    const small = { ...OPTIONS, maxOutputLength: 1000 };
    const message = (run: () => Buffer) => {
      try {
        run();
        return 'no error';
      } catch (e) {
        return `${(e as Error).name}: ${(e as Error).message}`;
      }
    };
    expect(message(() => gunzipSync(plain, small))).toBe('RangeError: Cannot create a Buffer larger than 1000 bytes');
    expect(message(() => gunzipWhole(plain, small))).toBe(message(() => gunzipSync(plain, small)));
  });

  it('reads a byte view of a larger buffer (a file read into part of a pool)', () => {
    const pool = Buffer.concat([Buffer.from('prefix'), plain, Buffer.from('suffix')]);
    const view = pool.subarray(6, 6 + plain.length);
    expect(gunzipWhole(view, OPTIONS).equals(payload)).toBe(true);
  });
});
