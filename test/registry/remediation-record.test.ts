/**
 * Drift remediation writes to the policy record (the one table design and store of iamctl record/history), against
 * dynalite and moto's DynamoDB started by one helper: each console value a remediation replaces becomes a record
 * (status rolled-back, source remediation), history lists the run next to the pipeline's versions, a rollback never
 * targets it, and the remediation lock lives in the same table under its own key.
 */
import { advanceRecord, buildAccountRecords, buildRemediationRecord, listAccountVersions, renderHistoryText, selectRollbackTarget } from '../../src/core/registry';
import { loadOrganization, selectAccounts } from '../../src/config';
import { DynamoDbRemediationLock, REMEDIATION_LOCK_TTL_MS } from '../../src/io/iam';
import { DynamoDbRegistryStore } from '../../src/io/registry';
import { EXAMPLE_ORG_ROOT } from '../support/example-org';
import { startLocalDynamoDb, type LocalDynamoDb } from '../support/local-dynamodb';

const account = selectAccounts(loadOrganization(EXAMPLE_ORG_ROOT), ['app-prod'])[0];
const WORKER_ARN = 'arn:aws:iam::530987654321:role/app-worker';
const WIDE_TRUST = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999988887777:root' }, Action: 'sts:AssumeRole' }] };
const CONSOLE_INLINE = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] };

describe.each(['dynalite', 'moto'] as const)('remediation in the policy record (%s)', (kind) => {
  let db: LocalDynamoDb;
  beforeAll(async () => {
    db = await startLocalDynamoDb(kind);
  });
  afterAll(async () => {
    await db.stop();
  });

  it('records each reverted console change; history shows the run between the applied versions; rollback skips it', async () => {
    const store = new DynamoDbRegistryStore(db.client, db.tableName);
    // Given version 1 of app-prod applied by the pipeline
    const v1 = buildAccountRecords(account, { commit: 'a'.repeat(40), status: 'planned', at: '2026-12-01T09:00:00.000Z' }).map((r) => advanceRecord(r, 'applied', '2026-12-01T09:30:00.000Z', { tfcRunId: 'run-1' }));
    await store.put(v1);
    // When remediation restores two slots of app-worker (trust and an inline policy added in the console) in one run
    await store.put([
      buildRemediationRecord({ account: 'app-prod', resourceArn: WORKER_ARN, slot: 'trust-policy', replaced: WIDE_TRUST, runId: 'r-7', sequence: 0, at: '2026-12-01T10:00:00.000Z' }),
      buildRemediationRecord({ account: 'app-prod', resourceArn: WORKER_ARN, slot: 'inline-policy:console', replaced: CONSOLE_INLINE, runId: 'r-7', sequence: 1, at: '2026-12-01T10:00:01.000Z' }),
    ]);
    // Then both are kept (one per slot), with the replaced values intact
    const records = await store.list('app-prod');
    const reverted = records.filter((r) => r.source === 'remediation');
    expect(reverted.map((r) => [r.resourceName, r.resourceType, r.status, r.commit, r.content.kind === 'remediation' ? [r.content.slot, r.content.replaced] : null])).toEqual([
      ['app-worker', 'role', 'rolled-back', 'remediation:r-7', ['trust-policy', WIDE_TRUST]],
      ['app-worker', 'role', 'rolled-back', 'remediation:r-7', ['inline-policy:console', CONSOLE_INLINE]],
    ]);
    // And history lists the remediation run as version 2 after the applied version 1
    const versions = listAccountVersions(records, 'app-prod');
    expect(versions.map((v) => [v.version, v.commit, v.status, v.source])).toEqual([
      [1, 'a'.repeat(40), 'applied', 'pipeline'],
      [2, 'remediation:r-7', 'rolled-back', 'remediation'],
    ]);
    expect(renderHistoryText('app-prod', versions)).toContain('    2  remediation:  rolled-back 2026-12-01T10:00:00.000Z  remediation');
    // And a rollback to it is refused (it is history, not a version of the files); version 1 is still a target
    expect(() => selectRollbackTarget(records, 'app-prod', '2')).toThrow(/^no recorded version 2 of account app-prod; recorded: 1 \(a{12}, applied\)$/);
    expect(selectRollbackTarget(records, 'app-prod', '1').version.commit).toBe('a'.repeat(40));
  });

  it('keeps the remediation lock in the same table under its own key (conditional write, TTL takeover)', async () => {
    let now = Date.parse('2026-11-28T07:00:00.000Z');
    const lock = new DynamoDbRemediationLock(db.client, db.tableName, () => now);
    const first = await lock.acquire('app-prod', 'run-1');
    await expect(lock.acquire('app-prod', 'run-2')).rejects.toThrow('Another remediation of account app-prod is running: nothing was changed.');
    const other = await lock.acquire('app-dev', 'run-3');
    await other.release();
    await first.release();
    const again = await lock.acquire('app-prod', 'run-4');
    now += REMEDIATION_LOCK_TTL_MS + 1;
    const takeover = await lock.acquire('app-prod', 'run-5');
    await again.release();
    await expect(lock.acquire('app-prod', 'run-6')).rejects.toThrow('Another remediation of account app-prod is running');
    await takeover.release();
    // The lock items are not records: an account's history does not see them
    expect(await new DynamoDbRegistryStore(db.client, db.tableName).list('app-dev')).toEqual([]);
  });
});
