import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { collectUsage, createS3Client, listS3LogTasks, parseS3Url } from '../../src/io/cloudtrail';
import { MOTO_CREDENTIALS, type MotoServer, startMotoServer } from '../support/moto-server';

const fixtures = join(__dirname, '../fixtures/cloudtrail');
const dayKey = (account: string, region: string, day: string, id: string) =>
  `logs/AWSLogs/${account}/CloudTrail/${region}/${day.replace(/-/g, '/')}/${account}_CloudTrail_${region}_${day.replace(/-/g, '')}T1000Z_${id}.json.gz`;

let moto: MotoServer;
let client: S3Client;
const calls: { command: string; input: Record<string, unknown> }[] = [];

beforeAll(async () => {
  moto = await startMotoServer();
  client = createS3Client({ endpoint: moto.endpoint, region: 'us-east-1', credentials: MOTO_CREDENTIALS });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      calls.push({ command: context.commandName as string, input: args.input as Record<string, unknown> });
      return next(args);
    },
    { step: 'initialize' },
  );
  // Given a trail bucket in the delivery layout: two days of account 111111111111, one outside the
  // range, another account, another region, a digest and a truncated file
  await client.send(new CreateBucketCommand({ Bucket: 'trail' }));
  const day1 = readFileSync(join(fixtures, 'synthetic/AWSLogs/111111111111/CloudTrail/eu-west-1/2026/05/01/111111111111_CloudTrail_eu-west-1_20260501T1000Z_aaaa.json.gz'));
  const day2 = readFileSync(join(fixtures, 'synthetic/AWSLogs/111111111111/CloudTrail/eu-west-1/2026/07/30/111111111111_CloudTrail_eu-west-1_20260730T1200Z_bbbb.jsonl'));
  const objects: [string, Buffer][] = [
    [dayKey('111111111111', 'eu-west-1', '2026-05-01', 'aaaa'), day1],
    [dayKey('111111111111', 'eu-west-1', '2026-07-30', 'bbbb').replace('.json.gz', '.jsonl'), day2],
    [dayKey('111111111111', 'eu-west-1', '2025-01-01', 'old0'), day1],
    [dayKey('222222222222', 'eu-west-1', '2026-05-01', 'othr'), day1],
    [dayKey('111111111111', 'us-east-1', '2026-05-01', 'usea'), day1],
    [dayKey('111111111111', 'eu-west-1', '2026-07-30', 'trnc'), day1.subarray(0, 40)],
    ['logs/AWSLogs/111111111111/CloudTrail-Digest/eu-west-1/2026/07/30/digest.json.gz', day1],
  ];
  for (const [Key, Body] of objects) await client.send(new PutObjectCommand({ Bucket: 'trail', Key, Body }));
});

afterAll(async () => {
  await moto?.stop();
});

beforeEach(() => {
  calls.length = 0;
});

describe('S3 source (moto)', () => {
  it('streams the logs with account, region and date pruning and counts broken objects', async () => {
    // When the logs of 111111111111 in eu-west-1 from 2026-04-01 to 2026-12-31 are read
    const snapshot = await collectUsage(
      (onSkip) =>
        listS3LogTasks(client, parseS3Url('s3://trail/logs/'), {
          filter: { accounts: ['111111111111'], regions: ['eu-west-1'], fromDate: '2026-04-01', toDate: '2026-12-31' },
          onSkip,
        }),
      { workers: 0, aggregator: { accountIds: ['111111111111'] } },
    );
    // Then only the wanted objects were fetched
    const fetched = calls.filter((c) => c.command === 'GetObjectCommand').map((c) => String(c.input.Key).split('_').pop());
    expect(fetched.sort()).toEqual(['aaaa.json.gz', 'bbbb.jsonl', 'trnc.json.gz']);
    // and pruned folders were never listed
    const listed = calls.filter((c) => c.command === 'ListObjectsV2Command').map((c) => String(c.input.Prefix));
    expect(listed.some((p) => p.includes('222222222222') || p.includes('us-east-1') || p.includes('/2025/'))).toBe(false);
    expect(listed).toContain('logs/AWSLogs/111111111111/CloudTrail/eu-west-1/2026/05/01/');
    // and the events and skips are counted as for local files
    expect(snapshot.filesRead).toBe(3);
    expect(snapshot.skipped.reasons).toEqual({
      'aws-service-identity': 1,
      'not-event-log:CloudTrail-Digest': 1,
      'other-account-identity': 1,
      'service-linked-role': 1,
      'truncated-gzip': 1,
    });
    expect(snapshot.skipped.details).toContainEqual({ file: `s3://trail/${dayKey('111111111111', 'eu-west-1', '2026-07-30', 'trnc')}`, reason: 'truncated-gzip', records: 0 });
    const app = snapshot.rows.filter((r) => r.principalArn === 'arn:aws:iam::111111111111:role/app');
    expect(app.find((r) => r.eventName === 'ListBuckets')?.count).toBe(5);
  });

  it('reads a whole bucket without a filter', async () => {
    const snapshot = await collectUsage((onSkip) => listS3LogTasks(client, parseS3Url('s3://trail'), { onSkip }), { workers: 0 });
    expect(snapshot.filesRead).toBe(6);
    expect(snapshot.rows.filter((r) => r.principalArn === 'arn:aws:iam::111111111111:role/app' && r.eventName === 'ListBuckets')[0].count).toBe(20); // day 1 is stored under four keys
  });

  it('names the bucket and the fix when it cannot be listed', async () => {
    await expect(collectUsage((onSkip) => listS3LogTasks(client, parseS3Url('s3://no-such-bucket/x'), { onSkip }), { workers: 0 })).rejects.toThrow(
      /^cannot list s3:\/\/no-such-bucket\/x: NoSuchBucket \(HTTP 404\): .*\. Fix: check the bucket name, region and that the credentials may s3:ListBucket$/,
    );
  });

  it('rejects URLs that are not s3://bucket/prefix', () => {
    expect(() => parseS3Url('s3:/bucket')).toThrow('--logs s3:/bucket: expected s3://bucket or s3://bucket/prefix');
  });
});
