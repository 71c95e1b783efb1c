import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { analyzeCommand } from '../../src/cli/commands/analyze';
import { runCli } from '../../src/cli/program';
import { ERROR_CODES, isIamPlatformError } from '../../src/core/errors';
import { collectUsage } from '../../src/io/cloudtrail/collect-usage';
import { listLocalLogTasks } from '../../src/io/cloudtrail/local-log-source';
import { captureOutput } from '../support/capture-output';

const fixtures = join(__dirname, '../fixtures/cloudtrail');
/** Worker threads start slowly on a loaded 2-core machine: a bound that still catches a hang. */
const WORKER_TEST_TIMEOUT_MS = 30_000;

function record(i: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const second = String(i % 60).padStart(2, '0');
  return {
    eventVersion: '1.09',
    userIdentity: {
      type: 'AssumedRole',
      arn: 'arn:aws:sts::111111111111:assumed-role/app/s',
      accountId: '111111111111',
      sessionContext: { sessionIssuer: { type: 'Role', arn: 'arn:aws:iam::111111111111:role/app', accountId: '111111111111' } },
    },
    eventTime: `2026-05-01T10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${second}Z`,
    eventSource: 'kms.amazonaws.com',
    eventName: i % 2 === 0 ? 'Decrypt' : 'Encrypt',
    requestParameters: { keyId: `key-${i}` },
    ...extra,
  };
}

/** A file of `n` records with one oversized record (a 300 KB request parameter) at index `big`. */
function writeLogs(dir: string, n: number, big: number): { plain: string; gz: string } {
  const records = Array.from({ length: n }, (_, i) => (i === big ? record(i, { requestParameters: { blob: 'x'.repeat(300_000) } }) : record(i)));
  const text = JSON.stringify({ Records: records });
  const plain = join(dir, 'plain', 'big.json');
  const gz = join(dir, 'gz', 'big.json.gz');
  for (const [file, data] of [
    [plain, Buffer.from(text)],
    [gz, gzipSync(text)],
  ] as const) {
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, data);
  }
  return { plain, gz };
}

async function collect(root: string, workers: number, decode?: { wholeFileMaxBytes?: number; maxRecordBytes?: number }, workerScript?: string) {
  if (workerScript === undefined) return collectUsage((onSkip) => listLocalLogTasks(root, { onSkip }), { workers, ...(decode ? { decode } : {}) });
  // The pool's worker script is only replaceable through the pool itself.
  const { AggregationPool } = await import('../../src/io/cloudtrail/aggregation-pool');
  const pool = new AggregationPool({ workers, workerScript, batchSize: 1 });
  for await (const task of listLocalLogTasks(root, { onSkip: () => undefined })) await pool.submit(task);
  return pool.finish();
}

describe('analyzer robustness', () => {
  jest.setTimeout(WORKER_TEST_TIMEOUT_MS);
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'iamctl-robust-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fails with the files it was reading when a worker thread dies, instead of hanging', async () => {
    // Given a worker that exits on its first batch, When the pool reads the synthetic logs, Then the run rejects naming the file.
    const error = await collect(join(fixtures, 'synthetic'), 1, undefined, join(__dirname, 'support/dying-worker.js')).catch((e: unknown) => e);
    expect(isIamPlatformError(error)).toBe(true);
    expect((error as Error).message).toMatch(/^CloudTrail analysis stopped: worker thread 1 stopped \(exit code 7\) while reading .*111111111111_CloudTrail_eu-west-1_20260501T1000Z_aaaa\.json\.gz.*; nothing was reported$/);
    expect((error as { code: string }).code).toBe(ERROR_CODES.UNREADABLE_INPUT);
  });

  it('fails with the file and the reason when a worker reports an error', async () => {
    // One worker, so the first batch (and the file named) does not depend on which of two threads answers first.
    const error = await collect(join(fixtures, 'synthetic'), 1, undefined, join(__dirname, 'support/failing-worker.js')).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^CloudTrail analysis stopped: .*_aaaa\.json\.gz: Invalid string length; nothing was reported$/);
  });

  it.each([
    ['plain JSON, in the calling thread', 'plain', 0],
    ['plain JSON, on worker threads', 'plain', 2],
    ['gzip, in the calling thread', 'gz', 0],
    ['gzip, on worker threads', 'gz', 2],
  ])('streams a file larger than the whole-file bound and counts every record (%s)', async (_name, kind, workers) => {
    // Given 3,000 records (~1 MB decoded) with one 300 KB record, and bounds of 64 KiB per read and 128 KiB per record,
    const files = writeLogs(join(dir, `${kind}-${workers}`), 3000, 1234);
    const root = join(files[kind as 'plain' | 'gz'], '..');
    // When it is read,
    const snapshot = await collect(root, workers, { wholeFileMaxBytes: 64 * 1024, maxRecordBytes: 128 * 1024 });
    // Then every record but the oversized one counts, and that one is counted as skipped with its reason.
    expect(snapshot.recordsRead).toBe(3000);
    expect(snapshot.skipped.reasons).toEqual({ 'record-too-large': 1 });
    expect(snapshot.rows.map((r) => [r.eventName, r.count])).toEqual([
      // Record 1234 (even: a Decrypt) is the oversized one.
      ['Decrypt', 1499],
      ['Encrypt', 1500],
    ]);
  });

  it('counts the same file the same way whatever the bounds (size never decides whether events count)', async () => {
    const files = writeLogs(join(dir, 'same'), 2000, -1);
    const small = await collect(join(files.gz, '..'), 0, { wholeFileMaxBytes: 4096 });
    const large = await collect(join(files.gz, '..'), 0);
    expect(small).toEqual(large);
    expect(large.rows.reduce((n, r) => n + r.count, 0)).toBe(2000);
  });

  async function analyze(args: string[]) {
    const output = captureOutput();
    const code = await runCli(['analyze', ...args], [analyzeCommand], { output, cwd: join(fixtures, 'cli-repo') });
    return { code, stdout: output.stdout(), stderr: output.stderr() };
  }

  it('--strict passes on AWS service events and console sign-in checks', async () => {
    const { code, stderr } = await analyze(['--logs', join(fixtures, 'robustness/service-events'), '--strict', '--workers', '0', '--min-days', '0', '--format', 'json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('--strict fails on records whose eventTime is broken, naming the reasons', async () => {
    const { code, stderr } = await analyze(['--logs', join(fixtures, 'robustness/event-times'), '--strict', '--workers', '0', '--format', 'json']);
    expect(code).toBe(1);
    expect(stderr).toContain('analyze: --strict: input was skipped (implausible-event-time 2, invalid-field:eventTime 2); see skipped in the report');
  });

  it('a record from 1970 does not stretch the window: 0.4 days of logs stay under --min-days 90', async () => {
    const { stdout } = await analyze(['--logs', join(fixtures, 'robustness/event-times'), '--workers', '0', '--format', 'json']);
    const report = JSON.parse(stdout) as { window: { from: string; days: number } };
    expect(report.window).toMatchObject({ from: '2026-05-01T00:00:00Z', days: 0.4 });
  });
});
