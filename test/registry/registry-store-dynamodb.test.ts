/**
 * The DynamoDB store of the policy record against two local DynamoDB servers over loopback: dynalite and
 * moto's DynamoDB. Same behaviour as the file store: one item per account, resource and commit, replaced on
 * a status change, listed per account.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { advanceRecord, buildAccountRecords, type PolicyRecord } from '../../src/core/registry';
import { selectAccounts, loadOrganization } from '../../src/config';
import { DynamoDbRegistryStore, FileRegistryStore, type PolicyRegistryStore } from '../../src/io/registry';
import { startLocalDynamoDb, type LocalDynamoDb } from '../support/local-dynamodb';

const ROOT = join(__dirname, '..', '..');
const TABLE = 'iam-platform-policy-registry';

const account = selectAccounts(loadOrganization(ROOT), ['app-prod'])[0];
const v1 = buildAccountRecords(account, { commit: 'a'.repeat(40), status: 'planned', at: '2026-12-01T09:00:00.000Z', mergeRequest: '11', verdict: 'new-access' });
const v2 = buildAccountRecords(account, { commit: 'b'.repeat(40), status: 'planned', at: '2026-12-01T10:00:00.000Z', mergeRequest: '12', verdict: 'no-new-access' });

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

  describe.each(['dynalite', 'moto'] as const)('DynamoDB on %s', (kind) => {
    let db: LocalDynamoDb;
    beforeAll(async () => {
      db = await startLocalDynamoDb(kind, TABLE);
    });
    afterAll(async () => {
      await db.stop();
    });
    it('keeps one item per resource and commit, replaced on status changes', async () => {
      await exerciseStore(new DynamoDbRegistryStore(db.client, TABLE));
    });
  });
});
