/**
 * One remediation per account at a time. Two runs that plan from the same live state and both act can
 * undo each other's fixes; the lock makes the second run stop before it changes anything.
 */
import { open, readFile, rm, mkdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ConditionalCheckFailedException, DeleteItemCommand, type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { ERROR_CODES, IamPlatformError } from '../../core/errors';
import { callAws } from './errors';
import { REGISTRY_TABLE_KEYS } from '../../core/registry';

/** How long a lock holds when its owner vanished without releasing it (a killed run). */
export const REMEDIATION_LOCK_TTL_MS = 15 * 60 * 1000;

/** Who holds a lock. */
export interface LockOwner {
  readonly runId: string;
  readonly host: string;
  readonly pid: number;
  /** ISO time the lock was taken. */
  readonly acquiredAt: string;
}

/** A lock held: call `release` when the run ends (also after a failure). */
export interface HeldLock {
  readonly location: string;
  release(): Promise<void>;
}

/** Takes the account's remediation lock, or throws a user error naming the holder. */
export interface RemediationLock {
  acquire(account: string, runId: string): Promise<HeldLock>;
}

function busy(account: string, where: string, owner: Partial<LockOwner> | undefined): IamPlatformError {
  const who = owner?.runId ? ` by run ${owner.runId} (${owner.host ?? '?'} pid ${owner.pid ?? '?'}, since ${owner.acquiredAt ?? '?'})` : '';
  return new IamPlatformError(
    ERROR_CODES.INVALID_ARGUMENT,
    `Another remediation of account ${account} is running${who}: nothing was changed. Fix: wait for it to finish and run again; a lock older than ${REMEDIATION_LOCK_TTL_MS / 60000} minutes (${where}) is taken over as stale`,
  );
}

function ownerOf(runId: string): LockOwner {
  return { runId, host: hostname(), pid: process.pid, acquiredAt: new Date().toISOString() };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A lock file `<dir>/<account>.lock`, created exclusively; a stale one (dead owner on this host, or older than the TTL) is taken over. */
export class FileRemediationLock implements RemediationLock {
  constructor(
    private readonly dir: string,
    private readonly now: () => number = Date.now,
  ) {}

  public async acquire(account: string, runId: string): Promise<HeldLock> {
    await mkdir(this.dir, { recursive: true });
    const file = join(this.dir, `${account}.lock`);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const handle = await open(file, 'wx');
        await handle.writeFile(`${JSON.stringify(ownerOf(runId))}\n`, 'utf8');
        await handle.sync();
        await handle.close();
        return { location: file, release: () => rm(file, { force: true }) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      let owner: Partial<LockOwner> | undefined;
      try {
        owner = JSON.parse(await readFile(file, 'utf8')) as Partial<LockOwner>;
      } catch {
        owner = undefined; // half-written by a killed run: stale
      }
      const age = owner?.acquiredAt ? this.now() - Date.parse(owner.acquiredAt) : Number.POSITIVE_INFINITY;
      const deadHere = owner?.host === hostname() && typeof owner.pid === 'number' && !isAlive(owner.pid);
      if (attempt === 0 && (owner === undefined || deadHere || !(age < REMEDIATION_LOCK_TTL_MS))) {
        await rm(file, { force: true });
        continue;
      }
      throw busy(account, file, owner);
    }
    throw busy(account, file, undefined);
  }
}

/**
 * A lock item in the policy-version table (`resourceArn = lock:<account>`), written with a conditional
 * put that fails while another run's unexpired lock is there; released with a delete conditional on the owner.
 */
export class DynamoDbRemediationLock implements RemediationLock {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly now: () => number = Date.now,
  ) {}

  public async acquire(account: string, runId: string): Promise<HeldLock> {
    const key = { [REGISTRY_TABLE_KEYS.partition]: { S: `lock:${account}` }, [REGISTRY_TABLE_KEYS.sort]: { S: 'lock' } };
    const owner = ownerOf(runId);
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: { ...key, runId: { S: runId }, host: { S: owner.host }, pid: { N: String(owner.pid) }, acquiredAt: { S: owner.acquiredAt }, expiresAt: { N: String(this.now() + REMEDIATION_LOCK_TTL_MS) } },
          ConditionExpression: 'attribute_not_exists(#pk) OR expiresAt < :now',
          ExpressionAttributeNames: { '#pk': REGISTRY_TABLE_KEYS.partition },
          ExpressionAttributeValues: { ':now': { N: String(this.now()) } },
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException || (error as { name?: string }).name === 'ConditionalCheckFailedException') {
        throw busy(account, `DynamoDB table ${this.tableName}`, undefined);
      }
      throw error;
    }
    return {
      location: `dynamodb://${this.tableName}/lock:${account}`,
      release: async () => {
        await callAws('DynamoDB', 'DeleteItem', () =>
          this.client.send(
            new DeleteItemCommand({ TableName: this.tableName, Key: key, ConditionExpression: 'runId = :run', ExpressionAttributeValues: { ':run': { S: runId } } }),
          ),
        ).catch(() => undefined);
      },
    };
  }
}
