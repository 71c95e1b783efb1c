/**
 * Stores of the policy record: DynamoDB (the `policy-registry` table in the security account) or a local
 * JSON file when no table is configured, so the record works offline. Both keep one item per account,
 * resource and commit; writing the same key again replaces it (status changes).
 */
import { mkdirSync, readFileSync, renameSync, existsSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type AttributeValue, type DynamoDBClient, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { ERROR_CODES, IamPlatformError } from '../../core/errors';
import { REGISTRY_TABLE_KEYS, type PolicyRecord } from '../../core/registry';
import { callAws } from '../iam/errors';
import { ensureKeyedTable } from '../dynamodb';

/** Where records go. */
export interface PolicyRegistryStore {
  /** Human-readable location (`file .iamctl/registry.json`, `DynamoDB table iam-platform-policy-registry`). */
  readonly location: string;
  /** Writes records; one with the same account, resource ARN and commit is replaced. */
  put(records: readonly PolicyRecord[]): Promise<void>;
  /** Every record of an account. */
  list(account: string): Promise<PolicyRecord[]>;
}

/** Key of a record inside its account: resource and version; a reverted console change adds its action and slot (one run may restore several slots of one role). */
export function recordKey(record: Pick<PolicyRecord, 'resourceArn' | 'commit' | 'content'>): string {
  const base = `${record.resourceArn}#${record.commit}`;
  return record.content.kind === 'remediation' ? `${base}#${String(record.content.sequence).padStart(6, '0')}#${record.content.slot}` : base;
}

/** In-memory store for tests. */
export class InMemoryRegistryStore implements PolicyRegistryStore {
  public readonly location = 'memory';
  private readonly items = new Map<string, PolicyRecord>();
  public async put(records: readonly PolicyRecord[]): Promise<void> {
    for (const r of records) this.items.set(`${r.account}|${recordKey(r)}`, r);
  }
  public async list(account: string): Promise<PolicyRecord[]> {
    return [...this.items.values()].filter((r) => r.account === account);
  }
}

interface RegistryFile {
  readonly schemaVersion: 1;
  readonly records: PolicyRecord[];
}

/** A JSON file of records, written whole through a temporary file and a rename (never half-written). */
export class FileRegistryStore implements PolicyRegistryStore {
  constructor(private readonly path: string) {}

  public get location(): string {
    return `file ${this.path}`;
  }

  private read(): RegistryFile {
    if (!existsSync(this.path)) return { schemaVersion: 1, records: [] };
    try {
      const value = JSON.parse(readFileSync(this.path, 'utf8')) as RegistryFile;
      if (!Array.isArray(value.records)) throw new Error('no records array');
      return value;
    } catch (error) {
      throw new IamPlatformError(ERROR_CODES.UNREADABLE_INPUT, `${this.path} is not a policy registry file (${(error as Error).message}): move it away or point --registry elsewhere`, { cause: error });
    }
  }

  public async put(records: readonly PolicyRecord[]): Promise<void> {
    const file = this.read();
    const byKey = new Map(file.records.map((r) => [`${r.account}|${recordKey(r)}`, r]));
    for (const r of records) byKey.set(`${r.account}|${recordKey(r)}`, r);
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.tmp-${process.pid}`;
    writeFileSync(tmp, `${JSON.stringify({ schemaVersion: 1, records: [...byKey.values()] }, null, 2)}\n`);
    renameSync(tmp, this.path);
  }

  public async list(account: string): Promise<PolicyRecord[]> {
    return this.read().records.filter((r) => r.account === account);
  }
}


/** DynamoDB's item size limit; a record above it is refused with a clear message. @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html */
export const MAX_DYNAMODB_ITEM_BYTES = 400 * 1024;

/** The records in a DynamoDB table: partition `account`, sort `<resource ARN>#<commit>`, the record as JSON plus the fields worth querying. */
export class DynamoDbRegistryStore implements PolicyRegistryStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  public get location(): string {
    return `DynamoDB table ${this.tableName}`;
  }

  public async put(records: readonly PolicyRecord[]): Promise<void> {
    for (const record of records) {
      const json = JSON.stringify(record);
      if (Buffer.byteLength(json) > MAX_DYNAMODB_ITEM_BYTES - 4096) {
        throw new IamPlatformError(ERROR_CODES.INVALID_ARGUMENT, `the record of ${record.resourceArn} at ${record.commit} is ${Buffer.byteLength(json)} bytes, above DynamoDB's item limit of ${MAX_DYNAMODB_ITEM_BYTES}`);
      }
      const item: Record<string, AttributeValue> = {
        [REGISTRY_TABLE_KEYS.partition]: { S: record.account },
        [REGISTRY_TABLE_KEYS.sort]: { S: recordKey(record) },
        resourceArn: { S: record.resourceArn },
        commit: { S: record.commit },
        hash: { S: record.hash },
        status: { S: record.status },
        recordedAt: { S: record.recordedAt },
        record: { S: json },
      };
      await callAws('DynamoDB', 'PutItem', () => this.client.send(new PutItemCommand({ TableName: this.tableName, Item: item })));
    }
  }

  public async list(account: string): Promise<PolicyRecord[]> {
    const out: PolicyRecord[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await callAws('DynamoDB', 'Query', () =>
        this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: '#pk = :account',
            ExpressionAttributeNames: { '#pk': REGISTRY_TABLE_KEYS.partition },
            ExpressionAttributeValues: { ':account': { S: account } },
            ExclusiveStartKey: start,
          }),
        ),
      );
      for (const item of page.Items ?? []) out.push(JSON.parse(item.record?.S ?? 'null') as PolicyRecord);
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }
}

/** Creates the registry table (on demand) when missing; for tests and local servers. Production tables come from modules/policy-registry. */
export async function ensureRegistryTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await ensureKeyedTable(client, tableName, REGISTRY_TABLE_KEYS);
}
