/**
 * Whole-file gunzip of a log file: gunzipSync's result, sooner for the common file.
 *
 * For a single-member gzip with a plain 10-byte header (no name, comment, extra field or header CRC), as
 * CloudTrail writes it, the DEFLATE stream is inflated raw and the trailer checked in one zlib.crc32 pass:
 * the CRC-32 of the output and its length modulo 2^32. zlib's gzip mode computes the same CRC piecewise
 * inside inflate, which measured about 10 ms more per 100,000 CloudTrail events (1.1 GB; issue 15).
 *
 * Every other file goes to gunzipSync as before, so the bytes, or the error, are gunzipSync's: other header
 * flags, another member or bytes after the first one, a DEFLATE stream that ends before the trailer or runs
 * past it, a CRC or length that does not match, an output over the bound.
 */
import { crc32, gunzipSync, inflateRawSync } from 'node:zlib';

/** Options of {@link gunzipWhole} (those of gunzipSync it passes on). */
export interface GunzipWholeOptions {
  /** Largest output; beyond it gunzipSync's RangeError is thrown. */
  readonly maxOutputLength: number;
  /** Output chunk: about the decoded size, so the output is one buffer. */
  readonly chunkSize: number;
}

const HEADER_BYTES = 10;
const TRAILER_BYTES = 8;
const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;
const METHOD_DEFLATE = 8;

/** The gunzipped bytes of `data`, exactly as gunzipSync(data, options) gives them; throws what it throws. */
export function gunzipWhole(data: Uint8Array, options: GunzipWholeOptions): Buffer {
  return gunzipPlainMember(data, options) ?? gunzipSync(data, options);
}

/**
 * The output when `data` is one gzip member with a plain header whose DEFLATE stream ends exactly at the
 * trailer and matches its CRC-32 and length; undefined for anything else (gunzipSync decides).
 */
function gunzipPlainMember(data: Uint8Array, options: GunzipWholeOptions): Buffer | undefined {
  const length = data.byteLength;
  // zlib.crc32 is in node 20.15+ and 22.2+: without it (package.json allows 22.0), gunzipSync decides.
  if (typeof crc32 !== 'function') return undefined;
  if (length < HEADER_BYTES + TRAILER_BYTES || data[0] !== GZIP_MAGIC_0 || data[1] !== GZIP_MAGIC_1 || data[2] !== METHOD_DEFLATE || data[3] !== 0) return undefined;
  const deflate = data.subarray(HEADER_BYTES, length - TRAILER_BYTES);
  let inflated: { buffer: Buffer; engine: { bytesWritten: number } };
  try {
    inflated = inflateRawSync(deflate, { ...options, info: true }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
  } catch {
    return undefined;
  }
  if (inflated.engine.bytesWritten !== deflate.byteLength) return undefined;
  const trailer = Buffer.from(data.buffer, data.byteOffset + length - TRAILER_BYTES, TRAILER_BYTES);
  const output = inflated.buffer;
  if (crc32(output) !== trailer.readUInt32LE(0) || output.byteLength % 2 ** 32 !== trailer.readUInt32LE(4)) return undefined;
  return output;
}
