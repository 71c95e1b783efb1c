import { gunzipSync } from 'node:zlib';
import type { UsageAggregator } from '../../../src/core/analyzer/usage-aggregate';

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

/** True when the bytes start with the gzip magic number (whatever the file is called). */
export function isGzip(data: Uint8Array): boolean {
  return data.length >= 2 && data[0] === GZIP_MAGIC_0 && data[1] === GZIP_MAGIC_1;
}

/** Unzips when gzipped; returns the text, or the skip reason when the gzip stream is broken. */
function decodeText(data: Uint8Array): { text: string } | { reason: string } {
  if (!isGzip(data)) return { text: Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8') };
  try {
    return { text: gunzipSync(data).toString('utf8') };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { reason: code === 'Z_BUF_ERROR' || /unexpected end/i.test((e as Error).message) ? 'truncated-gzip' : 'invalid-gzip' };
  }
}

function isEventLike(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && ('eventName' in value || 'eventSource' in value || 'eventTime' in value);
}

function firstNonSpace(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09 && c !== 0xfeff) return text[i];
  }
  return '';
}

/**
 * Reference decoder for the differential test (the analyzer's decoder before the field scanner): JSON.parse of the whole file.
 * Feeds the CloudTrail records of one file into the aggregator: `.json.gz` or plain, the
 * `{"Records":[...]}` envelope (S3 delivery, `cloudtrail lookup-events` dumps), a bare array, or JSON
 * lines. Nothing throws: broken gzip, invalid JSON and JSON that is not CloudTrail are counted as
 * skipped with the file name and reason.
 */
export function parseLogFile(data: Uint8Array, file: string, aggregator: UsageAggregator): void {
  aggregator.markFileRead();
  const decoded = decodeText(data);
  if ('reason' in decoded) return aggregator.skipFile(file, decoded.reason);
  const text = decoded.text;
  const start = firstNonSpace(text);
  if (start === '') return aggregator.skipFile(file, 'not-cloudtrail');
  if (start !== '{' && start !== '[') return aggregator.skipFile(file, 'invalid-json');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    if (start === '{' && text.includes('\n')) return feedJsonLines(text, file, aggregator);
    return aggregator.skipFile(file, 'invalid-json');
  }
  if (Array.isArray(value)) {
    for (const record of value) aggregator.addRecord(record, file);
    return;
  }
  const records = (value as { Records?: unknown }).Records;
  if (Array.isArray(records)) {
    for (const record of records) aggregator.addRecord(record, file);
    return;
  }
  if (isEventLike(value)) return aggregator.addRecord(value, file);
  aggregator.skipFile(file, 'not-cloudtrail');
}

function feedJsonLines(text: string, file: string, aggregator: UsageAggregator): void {
  let bad = 0;
  let good = 0;
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end).trim();
    start = end + 1;
    if (line === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      bad += 1;
      continue;
    }
    good += 1;
    aggregator.addRecord(value, file);
  }
  if (good === 0) return aggregator.skipFile(file, 'invalid-json');
  if (bad > 0) aggregator.skipRecords(file, 'invalid-json', bad);
}
