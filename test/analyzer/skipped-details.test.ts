import { MAX_SKIPPED_DETAILS, UsageAggregator } from '../../src/core/analyzer';

/**
 * The skipped details of a report are the same whatever order the files were read in: worker threads
 * finish in any order, and an auditor comparing two runs over the same logs must see the same report.
 * Kept: the MAX_SKIPPED_DETAILS first (file, reason) pairs by file, then reason, each with its full count.
 */
const NOT_AFTER = '2030-01-01T00:00:00Z';

/** 300 files × 2 reasons, with counts that differ per pair (file i, reason r: i % 7 + 1 + r records). */
function notes(): { file: string; reason: string; records: number }[] {
  const out: { file: string; reason: string; records: number }[] = [];
  for (let i = 0; i < 300; i++) for (const [r, reason] of ['aws-service-identity', 'service-linked-role'].entries()) out.push({ file: `logs/f-${String(i).padStart(3, '0')}.json.gz`, reason, records: (i % 7) + 1 + r });
  return out;
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe('skipped details', () => {
  const expected = notes()
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.reason < b.reason ? -1 : 1))
    .slice(0, MAX_SKIPPED_DETAILS);

  it('keeps the first pairs by file and reason with full counts, whatever the order (one record at a time)', () => {
    for (const seed of [1, 2, 3]) {
      const aggregator = new UsageAggregator({ notAfter: NOT_AFTER });
      // Each record of a pair arrives on its own, pairs interleaved.
      const singles = shuffled(
        notes().flatMap((n) => Array.from({ length: n.records }, () => n)),
        seed,
      );
      for (const n of singles) aggregator.skipRecords(n.file, n.reason, 1);
      expect(aggregator.snapshot().skipped.details).toEqual(expected);
    }
  });

  it('is the same when worker snapshots are merged in another order', () => {
    const all = notes();
    const parts = [all.slice(0, 200), all.slice(200, 420), all.slice(420)];
    const snapshots = parts.map((part) => {
      const worker = new UsageAggregator({ notAfter: NOT_AFTER });
      for (const n of part) worker.skipRecords(n.file, n.reason, n.records);
      return worker.snapshot();
    });
    const merged = (order: number[]) => {
      const main = new UsageAggregator({ notAfter: NOT_AFTER });
      for (const i of order) main.addSnapshot(snapshots[i]);
      return main.snapshot().skipped;
    };
    expect(merged([0, 1, 2]).details).toEqual(expected);
    expect(merged([2, 0, 1])).toEqual(merged([0, 1, 2]));
    expect(merged([1, 2, 0]).records).toBe(all.reduce((n, d) => n + d.records, 0));
  });

  it('merges into details of its own, before and after, as noting every pair one by one would', () => {
    // The main thread notes the files it passed over, merges the worker threads' snapshots, and may note more.
    const name = (i: number) => `logs/f-${String(i).padStart(3, '0')}.json.gz`;
    const own = Array.from({ length: 80 }, (_, i) => ({ file: name(i * 3), reason: 'not-a-log-file', records: 1 }));
    const worker = new UsageAggregator({ notAfter: NOT_AFTER });
    const theirs = Array.from({ length: 260 }, (_, i) => ({ file: name(i + 30), reason: i % 2 === 0 ? 'aws-service-identity' : 'not-a-log-file', records: i + 1 }));
    for (const n of theirs) worker.skipRecords(n.file, n.reason, n.records);
    const after = [
      { file: name(1), reason: 'service-linked-role', records: 5 },
      { file: name(998), reason: 'service-linked-role', records: 5 },
      { file: name(32), reason: 'aws-service-identity', records: 4 },
    ];
    const main = new UsageAggregator({ notAfter: NOT_AFTER });
    for (const n of own) main.skipRecords(n.file, n.reason, n.records);
    main.addSnapshot(worker.snapshot());
    for (const n of after) main.skipRecords(n.file, n.reason, n.records);

    // Expected, independently: the worker kept its first 200 pairs; every pair summed, sorted, the first 200.
    const byPair = new Map<string, { file: string; reason: string; records: number }>();
    const sorted = (list: { file: string; reason: string; records: number }[]) => [...list].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0));
    for (const n of [...own, ...sorted(theirs).slice(0, MAX_SKIPPED_DETAILS), ...after]) {
      const key = `${n.file}\u0000${n.reason}`;
      const known = byPair.get(key);
      byPair.set(key, { ...n, records: (known?.records ?? 0) + n.records });
    }
    const expectedDetails = sorted([...byPair.values()]).slice(0, MAX_SKIPPED_DETAILS);
    expect(expectedDetails.some((d) => d.file === name(32) && d.reason === 'aws-service-identity' && d.records === 7)).toBe(true);
    // A pair both sides hold (file 33: one record here, i = 3 there, 4 records) is summed.
    expect(expectedDetails.some((d) => d.file === name(33) && d.reason === 'not-a-log-file' && d.records === 5)).toBe(true);
    expect(main.snapshot().skipped.details).toEqual(expectedDetails);
  });
});
