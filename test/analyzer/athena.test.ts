import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
import { type AthenaSender, buildCloudTrailTableDdl, buildUsageQuery, collectUsageFromAthena, runAthenaQuery } from '../../src/io/cloudtrail';

const golden = (name: string) => readFileSync(join(__dirname, '../fixtures/cloudtrail/athena', name), 'utf8');

describe('Athena SQL (golden)', () => {
  it('builds the CloudTrail table with partition projection over account, region and day', () => {
    const ddl = buildCloudTrailTableDdl({
      database: 'security',
      table: 'cloudtrail_logs',
      location: 's3://org-trail/AWSLogs/o-abc123defg/',
      accounts: ['111111111111', '222222222222'],
      regions: ['eu-west-1', 'us-east-1'],
      fromDate: '2025-01-01',
    });
    expect(ddl).toBe(golden('cloudtrail-table.sql'));
  });

  it('builds the aggregation query for a date range and accounts', () => {
    const sql = buildUsageQuery({
      database: 'security',
      table: 'cloudtrail_logs',
      from: '2026-05-01T00:00:00Z',
      toExclusive: '2026-07-31T00:00:00Z',
      accounts: ['111111111111'],
      regions: ['eu-west-1'],
    });
    expect(sql).toBe(golden('usage-query.sql'));
  });

  it.each([
    [() => buildUsageQuery({ database: 'db; drop', table: 't', from: '2026-05-01T00:00:00Z', toExclusive: '2026-05-02T00:00:00Z' }), 'Athena database "db; drop" is invalid: use lower-case letters, digits and _'],
    [() => buildUsageQuery({ database: 'db', table: 't', from: "2026-05-01' OR 1=1", toExclusive: '2026-05-02T00:00:00Z' }), `--from time "2026-05-01' OR 1=1" is invalid: use YYYY-MM-DDTHH:MM:SSZ`],
    [() => buildCloudTrailTableDdl({ database: 'db', table: 't', location: 'bucket/AWSLogs', accounts: ['111111111111'], regions: ['eu-west-1'], fromDate: '2025-01-01' }), 'Athena table location "bucket/AWSLogs" is invalid: give the s3:// folder that holds <account>/CloudTrail (…/AWSLogs/)'],
  ])('rejects values that would break the SQL (%#)', (build, message) => {
    expect(build).toThrow(message);
  });
});

/** An in-memory Athena: moto's Athena does not run queries, so the runner is tested against this fake. */
class FakeAthena implements AthenaSender {
  public readonly sent: string[] = [];
  public sql = '';
  private polls = 0;

  constructor(
    private readonly pages: string[][][],
    private readonly finalState: 'SUCCEEDED' | 'FAILED' = 'SUCCEEDED',
  ) {}

  public send = (async (command: unknown) => {
    this.sent.push((command as object).constructor.name);
    if (command instanceof StartQueryExecutionCommand) {
      this.sql = command.input.QueryString ?? '';
      return { QueryExecutionId: 'q-1' };
    }
    if (command instanceof GetQueryExecutionCommand) {
      this.polls += 1;
      const state = this.polls < 2 ? 'RUNNING' : this.finalState;
      return { QueryExecution: { Status: { State: state, StateChangeReason: state === 'FAILED' ? 'TABLE_NOT_FOUND: cloudtrail_logs' : undefined } } };
    }
    if (command instanceof GetQueryResultsCommand) {
      const index = command.input.NextToken === undefined ? 0 : Number(command.input.NextToken);
      const rows = this.pages[index].map((r) => ({ Data: r.map((v) => ({ VarCharValue: v === '' ? undefined : v })) }));
      return { ResultSet: { Rows: rows }, NextToken: index + 1 < this.pages.length ? String(index + 1) : undefined };
    }
    throw new Error('unexpected command');
  }) as AthenaSender['send'];
}

const header = ['identity_type', 'identity_arn', 'identity_account', 'issuer_type', 'issuer_arn', 'eventsource', 'eventname', 'denied', 'calls', 'first_seen', 'last_seen'];
const role = (name: string) => ['AssumedRole', `arn:aws:sts::111111111111:assumed-role/${name}/s`, '111111111111', 'Role', `arn:aws:iam::111111111111:role/${name}`];

describe('Athena runner (in-memory Athena)', () => {
  it('polls until the query finishes and reads every page of results', async () => {
    const athena = new FakeAthena([
      [header, [...role('app'), 's3.amazonaws.com', 'ListBuckets', 'false', '5', '2026-05-01T08:00:00Z', '2026-05-01T08:04:00Z']],
      [
        [...role('app'), 'kms.amazonaws.com', 'Decrypt', 'true', '2', '2026-05-01T09:30:00Z', '2026-05-02T09:30:00Z'],
        ['AWSService', '', '', '', '', 's3.amazonaws.com', 'PutObject', 'false', '7', '2026-05-01T00:00:00Z', '2026-05-01T00:00:00Z'],
        [...role('aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig'), 'iam.amazonaws.com', 'GetRole', 'false', '3', '2026-05-01T00:00:00Z', '2026-05-01T00:00:00Z'],
      ],
    ]);
    const snapshot = await collectUsageFromAthena(athena, {
      query: { database: 'security', table: 'cloudtrail_logs', from: '2026-05-01T00:00:00Z', toExclusive: '2026-07-31T00:00:00Z' },
      sleep: async () => undefined,
    });
    expect(athena.sent).toEqual(['StartQueryExecutionCommand', 'GetQueryExecutionCommand', 'GetQueryExecutionCommand', 'GetQueryResultsCommand', 'GetQueryResultsCommand']);
    expect(athena.sql).toContain('FROM "security"."cloudtrail_logs"');
    expect(snapshot.rows).toEqual([
      { principalArn: 'arn:aws:iam::111111111111:role/app', principalType: 'role', eventSource: 'kms.amazonaws.com', eventName: 'Decrypt', outcome: 'denied', count: 2, firstSeen: '2026-05-01T09:30:00Z', lastSeen: '2026-05-02T09:30:00Z' },
      { principalArn: 'arn:aws:iam::111111111111:role/app', principalType: 'role', eventSource: 's3.amazonaws.com', eventName: 'ListBuckets', outcome: 'allowed', count: 5, firstSeen: '2026-05-01T08:00:00Z', lastSeen: '2026-05-01T08:04:00Z' },
    ]);
    expect(snapshot.skipped.reasons).toEqual({ 'aws-service-identity': 7, 'service-linked-role': 3 });
    expect(snapshot.recordsRead).toBe(17);
    expect([snapshot.firstEventTime, snapshot.lastEventTime]).toEqual(['2026-05-01T08:00:00Z', '2026-05-02T09:30:00Z']);
  });

  it('reports a failed query with Athena\'s reason', async () => {
    const athena = new FakeAthena([[header]], 'FAILED');
    const rows = runAthenaQuery(athena, { sql: 'SELECT 1', sleep: async () => undefined });
    await expect(rows.next()).rejects.toThrow('Athena query q-1 failed: TABLE_NOT_FOUND: cloudtrail_logs');
  });
});
