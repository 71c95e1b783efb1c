import { closeSync, createReadStream, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { UsageAggregator } from '../../core/analyzer/usage-aggregate';
import { gunzipWhole } from './gunzip-whole';
import { DEFAULT_MAX_RECORD_BYTES, RecordScanner } from './record-scanner';

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

/** Files (compressed or plain) up to this size are read at once; larger ones are streamed. */
export const DEFAULT_WHOLE_FILE_MAX_BYTES = 64 * 1024 * 1024;
/** Bytes per read (and per gunzip output chunk) when a file is streamed. */
const STREAM_CHUNK_BYTES = 1024 * 1024;

/** Options of {@link feedLogFile}. */
export interface DecodeOptions {
  /**
   * Largest file (bytes on disk) read at once, and largest decoded size of a gzip held at once;
   * beyond it the file is streamed in 1 MiB chunks. Never decides whether events count.
   * @default 64 MiB
   */
  readonly wholeFileMaxBytes?: number;
  /** Largest single record held while streaming; larger ones are skipped as `record-too-large`. @default 8 MiB */
  readonly maxRecordBytes?: number;
  /** Use the compiled batch reader when it is built (RecordScannerOptions.compiled). @default true */
  readonly compiled?: boolean;
}

/** A log file to decode: bytes in memory (S3) or a local path. */
export type LogInput = { readonly kind: 'bytes'; readonly data: Uint8Array } | { readonly kind: 'path'; readonly path: string };

/** True when the bytes start with the gzip magic number (whatever the file is called). */
export function isGzip(data: Uint8Array): boolean {
  return data.length >= 2 && data[0] === GZIP_MAGIC_0 && data[1] === GZIP_MAGIC_1;
}

function gzipReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'Z_BUF_ERROR' || /unexpected end/i.test((error as Error).message) ? 'truncated-gzip' : 'invalid-gzip';
}

/** Feeds one file's records into the aggregator through the field scanner. */
class FileFeed {
  readonly scanner: RecordScanner;
  records = 0;

  constructor(
    private readonly file: string,
    private readonly aggregator: UsageAggregator,
    options: DecodeOptions,
  ) {
    this.scanner = new RecordScanner(
      {
        record: (record) => {
          this.records += 1;
          aggregator.addRecord(record, file);
        },
        skipRecords: (reason, count) => aggregator.skipRecords(file, reason, count),
      },
      { maxRecordBytes: options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES, compiled: options.compiled ?? true },
    );
  }

  /** Ends the file; `gzipError` is the reason the gzip stream broke, if it did. */
  finish(gzipError?: string): void {
    const outcome = this.scanner.finish();
    if (gzipError !== undefined) {
      // Records before the break count; the file is reported with the reason (--strict fails on it).
      if (this.records === 0) return this.aggregator.skipFile(this.file, gzipError);
      return this.aggregator.skipRecords(this.file, gzipError, 1);
    }
    if (outcome.kind === 'file-skipped') this.aggregator.skipFile(this.file, outcome.reason);
  }
}

async function streamGunzip(source: Readable, feed: FileFeed, chunkBytes: number): Promise<string | undefined> {
  const gunzip = createGunzip({ chunkSize: Math.max(1024, chunkBytes) });
  source.on('error', (e) => gunzip.destroy(e));
  source.pipe(gunzip);
  try {
    for await (const chunk of gunzip) feed.scanner.push(chunk as Buffer);
    return undefined;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).syscall !== undefined) throw e;
    return gzipReason(e);
  } finally {
    source.destroy();
  }
}

function chunksOf(data: Uint8Array, chunkBytes: number): Readable {
  const parts: Buffer[] = [];
  for (let at = 0; at < data.byteLength; at += chunkBytes) parts.push(Buffer.from(data.buffer, data.byteOffset + at, Math.min(chunkBytes, data.byteLength - at)));
  return Readable.from(parts);
}

async function feedBytes(data: Uint8Array, feed: FileFeed, wholeFileMaxBytes: number): Promise<void> {
  if (!isGzip(data)) {
    for (let at = 0; at < data.byteLength; at += wholeFileMaxBytes) feed.scanner.push(data.subarray(at, Math.min(data.byteLength, at + wholeFileMaxBytes)));
    return feed.finish();
  }
  let decoded: Buffer | undefined;
  try {
    // One output chunk of about the decoded size: the default 16 KiB chunks cost a copy to join them and
    // measured 10-20 percent more time (CloudTrail's JSON compresses about tenfold).
    decoded = gunzipWhole(data, { maxOutputLength: wholeFileMaxBytes, chunkSize: gunzipChunkBytes(data.byteLength, wholeFileMaxBytes) });
  } catch {
    // Too large to hold, or broken: stream it, so every record before a break still counts.
    decoded = undefined;
  }
  if (decoded !== undefined) {
    feed.scanner.push(decoded);
    return feed.finish();
  }
  const chunk = streamChunkBytes(wholeFileMaxBytes);
  return feed.finish(await streamGunzip(chunksOf(data, chunk), feed, chunk));
}

async function feedPath(path: string, feed: FileFeed, wholeFileMaxBytes: number): Promise<void> {
  // One open per file: the size decides between reading it whole (through the same descriptor) and streaming.
  const fd = openSync(path, 'r');
  let whole: Buffer | undefined;
  let gzip = false;
  try {
    const size = fstatSync(fd).size;
    if (size <= wholeFileMaxBytes) whole = readFileSync(fd);
    else {
      const head = Buffer.alloc(2);
      readSync(fd, head, 0, 2, 0);
      gzip = isGzip(head);
    }
  } finally {
    closeSync(fd);
  }
  if (whole !== undefined) return feedBytes(whole, feed, wholeFileMaxBytes);
  const chunk = streamChunkBytes(wholeFileMaxBytes);
  const stream = () => createReadStream(path, { highWaterMark: chunk });
  if (gzip) return feed.finish(await streamGunzip(stream(), feed, chunk));
  for await (const part of stream()) feed.scanner.push(part as Buffer);
  feed.finish();
}

/** Output chunk of a whole-file gunzip: 16 times the compressed size, between 64 KiB and the whole-file bound (4 MiB at most). */
function gunzipChunkBytes(compressedBytes: number, wholeFileMaxBytes: number): number {
  return Math.max(64 * 1024, Math.min(compressedBytes * 16, 4 * 1024 * 1024, wholeFileMaxBytes));
}

/** Chunk size when streaming: 1 MiB, or less under a smaller whole-file bound. */
function streamChunkBytes(wholeFileMaxBytes: number): number {
  return Math.min(STREAM_CHUNK_BYTES, wholeFileMaxBytes);
}

/**
 * Feeds the CloudTrail records of one file into the aggregator: `.json.gz` or plain, the
 * `{"Records":[...]}` envelope (S3 delivery), a bare array, one record, or JSON lines. Records are
 * read one at a time by the field scanner; files over `wholeFileMaxBytes` are streamed. Broken
 * input never throws: broken gzip, invalid JSON and JSON that is not CloudTrail are counted as
 * skipped with the file name and reason, and the records before a break still count. Only a file
 * that cannot be opened or read rejects (with the system error).
 */
export async function feedLogFile(input: LogInput, file: string, aggregator: UsageAggregator, options: DecodeOptions = {}): Promise<void> {
  aggregator.markFileRead();
  const feed = new FileFeed(file, aggregator, options);
  const whole = Math.max(1, options.wholeFileMaxBytes ?? DEFAULT_WHOLE_FILE_MAX_BYTES);
  if (input.kind === 'bytes') return feedBytes(input.data, feed, whole);
  return feedPath(input.path, feed, whole);
}
