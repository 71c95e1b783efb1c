/** Strings kept by {@link DecodedStringCache} before it stops adding (it keeps working as a plain decoder). */
const MAX_CACHED_STRINGS = 4096;
const CACHE_BUCKETS = 1024;

/**
 * Decodes strings that repeat from record to record once: the same bytes give the same string, so
 * no string is allocated per record for them and the aggregator's map lookups reuse its hash.
 */
export class DecodedStringCache {
  private readonly buckets: ({ bytes: Buffer; value: string }[] | undefined)[] = new Array(CACHE_BUCKETS);
  private size = 0;

  /** The UTF-8 text of buf[start, stop) (bytes without escapes). */
  decode(buf: Buffer, start: number, stop: number): string {
    const length = stop - start;
    if (length === 0) return '';
    const slot = (length * 31 + buf[start] * 7 + buf[stop - 1] * 13 + buf[start + (length >> 1)] * 3) & (CACHE_BUCKETS - 1);
    let bucket = this.buckets[slot];
    if (bucket !== undefined) {
      for (const entry of bucket) {
        const bytes = entry.bytes;
        if (bytes.length !== length) continue;
        let k = 0;
        while (k < length && bytes[k] === buf[start + k]) k++;
        if (k === length) return entry.value;
      }
    }
    const value = buf.toString('utf8', start, stop);
    if (this.size < MAX_CACHED_STRINGS) {
      if (bucket === undefined) {
        bucket = [];
        this.buckets[slot] = bucket;
      }
      bucket.push({ bytes: Buffer.from(buf.subarray(start, stop)), value });
      this.size += 1;
    }
    return value;
  }
}
