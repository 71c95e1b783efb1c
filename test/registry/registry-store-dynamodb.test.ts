/**
 * The DynamoDB store of the policy record against two local DynamoDB servers over loopback: dynalite and
 * moto's DynamoDB. Same behaviour as the file store: one item per account, resource and commit, replaced on
 * a status change, listed per account.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { advanceRecord, buildAccountRecords, type PolicyRecord } from '../../src/core/registry';
import { selectAccounts, loadOrganization } from '../../src/config';
import { DynamoDbRegistryStore, ensureRegistryTable, FileRegistryStore, type PolicyRegistryStore } from '../../src/io/registry';
import { findFreePort, MOTO_CREDENTIALS, MOTO_REGION, startMotoServer, type MotoServer } from '../support/moto-server';

const ROOT = join(__dirname, '..', '..');
const DYNALITE = join(ROOT, 'node_modules', '.bin', 'dynalite');
const TABLE = 'iam-platform-policy-registry';

const account = selectAccounts(loadOrganization(ROOT), ['app-prod'])[0];
const v1 = buildAccountRecords(account, { commit: 'a'.repeat(40), status: 'planned', at: '2026-12-01T09:00:00.000Z', mergeRequest: '11', verdict: 'new-access' });
const v2 = buildAccountRecords(account, { commit: 'b'.repeat(40), status: 'planned', at: '2026-12-01T10:00:00.000Z', mergeRequest: '12', verdict: 'no-new-access' });

async function waitForTable(client: DynamoDBClient): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const t = await client.send(new DescribeTableCommand({ TableName: TABLE }));
    if (t.Table?.TableStatus === 'ACTIVE') return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('table never became ACTIVE');
}

function sortRecords(records: readonly PolicyRecord[]): PolicyRecord[] {
  return [...records].sort((a, b) => `${a.resourceArn}#${a.commit}`.localeCompare(`${b.resourceArn}#${b.commit}`));
}

/** The same behaviour, whatever the store. */
async function exerciseStore(store: PolicyRegistryStore): Promise<void> {
  // Given two versions of every resource of app-prod
  await store.put(v1);
  await store.put(v2);
  // When version 1 is approved and applied (the same items, replaced)
  const applied = v1.map((r) => advanceRecord(advanceRecord(r, 'approved', '2026-12-01T09:10:00.000Z', { by: 'alice' }), 'applied', '2026-12-01T09:20:00.000Z', { tfcRunId: 'run-1' }));
  await store.put(applied);
  // Then the account lists both versions of each resource, version 1 applied with its approver and run
  const listed = await store.list('app-prod');
  expect(listed).toHaveLength(v1.length + v2.length);
  expect(sortRecords(listed)).toEqual(sortRecords([...applied, ...v2]));
  const worker = listed.find((r) => r.resourceName === 'app-worker' && r.commit === 'a'.repeat(40))!;
  expect(worker.status).toBe('applied');
  expect(worker.approver).toBe('alice');
  expect(worker.events.map((e) => e.status)).toEqual(['planned', 'approved', 'applied']);
  expect(worker.resourceArn).toBe('arn:aws:iam::530987654321:role/app-worker');
  expect(worker.hash).toMatch(/^[0-9a-f]{64}$/);
  // And other accounts see nothing
  expect(await store.list('app-dev')).toEqual([]);
}

describe('policy registry stores', () => {
  it('file store', async () => {
    await exerciseStore(new FileRegistryStore(join(mkdtempSync(join(tmpdir(), 'registry-')), 'registry.json')));
  });

  describe('DynamoDB on dynalite', () => {
    let child: ChildProcess;
    let client: DynamoDBClient;
    beforeAll(async () => {
      const port = await findFreePort();
      child = spawn(DYNALITE, ['--host', '127.0.0.1', '--port', String(port), '--createTableMs', '0'], { stdio: 'ignore' });
      client = new DynamoDBClient({ endpoint: `http://127.0.0.1:${port}`, region: MOTO_REGION, credentials: MOTO_CREDENTIALS, maxAttempts: 10 });
      for (let i = 0; ; i++) {
        try {
          await ensureRegistryTable(client, TABLE);
          break;
        } catch (error) {
          if (i > 50) throw error;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      await waitForTable(client);
    });
    afterAll(async () => {
      client.destroy();
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    });
    it('keeps one item per resource and commit, replaced on status changes', async () => {
      await exerciseStore(new DynamoDbRegistryStore(client, TABLE));
    });
  });

  describe("DynamoDB on moto's server", () => {
    let moto: MotoServer;
    let client: DynamoDBClient;
    beforeAll(async () => {
      moto = await startMotoServer();
      client = new DynamoDBClient({ endpoint: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS });
      await ensureRegistryTable(client, TABLE);
      await waitForTable(client);
    });
    afterAll(async () => {
      client.destroy();
      await moto.stop();
    });
    it('keeps one item per resource and commit, replaced on status changes', async () => {
      await exerciseStore(new DynamoDbRegistryStore(client, TABLE));
    });
  });
});
