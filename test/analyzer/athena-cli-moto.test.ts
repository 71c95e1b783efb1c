import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeCommand } from '../../src/cli/commands/analyze';
import { runCli } from '../../src/cli/program';
import { captureOutput } from '../support/capture-output';
import { MOTO_ACCOUNT_ID, MOTO_REGION, type MotoServer, startMotoServer, useMotoEnvironment } from '../support/moto-server';

/**
 * moto's Athena does not run SQL: it returns results seeded through `/moto-api/static/athena/query-results`.
 * So this test covers the CLI plumbing (client, endpoint, polling, paging, row conversion); the SQL itself
 * is covered by the golden tests in athena.test.ts.
 */
const saved = { ...process.env };
let moto: MotoServer;

beforeAll(async () => {
  moto = await startMotoServer();
  useMotoEnvironment();
});

afterAll(async () => {
  process.env = saved;
  await moto?.stop();
});

const cells = (values: string[]) => ({ Data: values.map((v) => (v === '' ? {} : { VarCharValue: v })) });

describe('iamctl analyze --athena-table (moto Athena with seeded results)', () => {
  it('turns the aggregated rows into the report', async () => {
    // Given Athena will answer the next query with a header and two groups
    const role = ['AssumedRole', `arn:aws:sts::${MOTO_ACCOUNT_ID}:assumed-role/app/s`, MOTO_ACCOUNT_ID, 'Role', `arn:aws:iam::${MOTO_ACCOUNT_ID}:role/app`];
    const seeded = await fetch(`${moto.endpoint}/moto-api/static/athena/query-results`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        account_id: MOTO_ACCOUNT_ID,
        region: MOTO_REGION,
        results: [
          {
            rows: [
              cells(['identity_type', 'identity_arn', 'identity_account', 'issuer_type', 'issuer_arn', 'eventsource', 'eventname', 'denied', 'calls', 'first_seen', 'last_seen']),
              cells([...role, 's3.amazonaws.com', 'ListBuckets', 'false', '12', '2026-05-01T08:00:00Z', '2026-07-30T08:00:00Z']),
              cells([...role, 'kms.amazonaws.com', 'Decrypt', 'true', '3', '2026-05-02T08:00:00Z', '2026-05-03T08:00:00Z']),
            ],
            column_info: [],
          },
        ],
      }),
    });
    expect(seeded.ok).toBe(true);
    const cwd = mkdtempSync(join(tmpdir(), 'iamctl-analyze-athena-'));
    try {
      // When analyze runs against the Athena table
      const output = captureOutput();
      const code = await runCli(
        ['analyze', '--athena-table', 'security.cloudtrail_logs', '--athena-output', 's3://athena-results/', '--endpoint-url', moto.endpoint, '--from', '2026-05-01', '--to', '2026-07-31', '--format', 'json'],
        [analyzeCommand],
        { output, cwd },
      );
      // Then the groups are the principal's used and denied actions
      expect(output.stderr()).toBe('');
      expect(code).toBe(0);
      const report = JSON.parse(output.stdout());
      expect(report.window).toMatchObject({ from: '2026-05-01T08:00:00Z', to: '2026-07-30T08:00:00Z', days: 90, requested: { from: '2026-05-01', to: '2026-07-31' } });
      expect(report.principals).toEqual([
        expect.objectContaining({
          arn: `arn:aws:iam::${MOTO_ACCOUNT_ID}:role/app`,
          managed: false,
          used: [{ action: 's3:ListAllMyBuckets', count: 12, firstSeen: '2026-05-01T08:00:00Z', lastSeen: '2026-07-30T08:00:00Z' }],
          denied: [{ action: 'kms:Decrypt', count: 3 }],
        }),
      ]);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
