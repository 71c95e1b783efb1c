/** The DynamoDB policy-version store against dynalite (a local DynamoDB server) on a free loopback port. */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbPolicyVersionStore, DynamoDbRemediationLock, ensureVersionStoreTable, REMEDIATION_LOCK_TTL_MS, type StoredDocument } from '../../src/io/iam';
import { findFreePort, MOTO_CREDENTIALS } from '../support/moto-server';

const DYNALITE = join(__dirname, '..', '..', 'node_modules', '.bin', 'dynalite');
const TABLE = 'iam-platform-policy-versions';

async function waitForTable(client: DynamoDBClient): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const t = await client.send(new DescribeTableCommand({ TableName: TABLE }));
    if (t.Table?.TableStatus === 'ACTIVE') return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('table never became ACTIVE');
}

describe('DynamoDbPolicyVersionStore (dynalite)', () => {
  let child: ChildProcess;
  let client: DynamoDBClient;

  beforeAll(async () => {
    const port = await findFreePort();
    child = spawn(DYNALITE, ['--host', '127.0.0.1', '--port', String(port), '--createTableMs', '0'], { stdio: 'ignore' });
    client = new DynamoDBClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: MOTO_CREDENTIALS, maxAttempts: 10 });
    for (let i = 0; ; i++) {
      try {
        await ensureVersionStoreTable(client, TABLE);
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

  it('keeps every replaced document per resource, oldest first, and never overwrites one', async () => {
    // Given two documents replaced on one role and one on another
    const store = new DynamoDbPolicyVersionStore(client, TABLE);
    const base = { account: 'app-prod', runId: 'run-1' };
    const trust: StoredDocument = { ...base, resourceArn: 'arn:aws:iam::123456789012:role/app', slot: 'trust-policy', value: { Version: '2012-10-17', Statement: [] }, recordedAt: '2026-11-28T07:00:00.000Z', sequence: 0 };
    const inline: StoredDocument = { ...base, resourceArn: 'arn:aws:iam::123456789012:role/app', slot: 'inline-policy:x', value: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }, recordedAt: '2026-11-28T07:00:01.000Z', sequence: 1 };
    const other: StoredDocument = { ...base, resourceArn: 'arn:aws:iam::123456789012:role/other', slot: 'permissions-boundary', value: null, recordedAt: '2026-11-28T07:00:02.000Z', sequence: 2 };
    // When they are saved (out of order)
    await store.save(inline);
    await store.save(trust);
    await store.save(other);
    // Then each resource lists its own, oldest first, values intact
    expect(await store.list('arn:aws:iam::123456789012:role/app')).toEqual([trust, inline]);
    expect(await store.list('arn:aws:iam::123456789012:role/other')).toEqual([other]);
    // And saving the same record again is refused (records are write-once)
    await expect(store.save(trust)).rejects.toThrow(/^DynamoDB PutItem failed: The conditional request failed \(ConditionalCheckFailedException\)/);
  });

  it('lets one remediation per account hold the lock (conditional write), and takes over an expired one', async () => {
    // Given one run holding the lock of app-prod
    let now = Date.parse('2026-11-28T07:00:00.000Z');
    const lock = new DynamoDbRemediationLock(client, TABLE, () => now);
    const first = await lock.acquire('app-prod', 'run-1');
    // When a second run tries the same account, Then it is refused; another account is free
    await expect(lock.acquire('app-prod', 'run-2')).rejects.toThrow('Another remediation of account app-prod is running: nothing was changed.');
    const other = await lock.acquire('app-dev', 'run-3');
    await other.release();
    // When the first releases, Then the account is free again
    await first.release();
    const again = await lock.acquire('app-prod', 'run-4');
    // And a lock whose owner vanished is taken over after the TTL
    now += REMEDIATION_LOCK_TTL_MS + 1;
    const takeover = await lock.acquire('app-prod', 'run-5');
    // And the old owner's release does not remove the new owner's lock
    await again.release();
    await expect(lock.acquire('app-prod', 'run-6')).rejects.toThrow('Another remediation of account app-prod is running');
    await takeover.release();
  });
});
