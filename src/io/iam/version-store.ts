/**
 * The policy-version store: a durable copy of every document remediation replaces, keyed by resource,
 * so a change can be undone after the journal file is gone (the Lambda has no disk that lasts).
 */
import { type DynamoDBClient, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { callAws } from './errors';
import { ensureKeyedTable } from '../dynamodb';

/** One replaced document. */
export interface StoredDocument {
  readonly account: string;
  /** ARN of the role or policy the document belonged to. */
  readonly resourceArn: string;
  /** What the document was: `inline-policy:<name>`, `trust-policy`, `permissions-boundary`, `policy-version:<id>`, `attachment`, `tags`, `max-session`. */
  readonly slot: string;
  /** The replaced value (document, ARN, tags, number). */
  readonly value: unknown;
  /** ISO time it was recorded. */
  readonly recordedAt: string;
  readonly runId: string;
  readonly sequence: number;
}

/** Stores replaced documents; `list` returns them oldest first. */
export interface PolicyVersionStore {
  save(document: StoredDocument): Promise<void>;
  list(resourceArn: string): Promise<StoredDocument[]>;
}

/** In-memory store for tests and dry runs. */
export class InMemoryPolicyVersionStore implements PolicyVersionStore {
  private readonly items: StoredDocument[] = [];
  public async save(document: StoredDocument): Promise<void> {
    this.items.push(document);
  }
  public async list(resourceArn: string): Promise<StoredDocument[]> {
    return this.items.filter((d) => d.resourceArn === resourceArn).sort((a, b) => sortKey(a).localeCompare(sortKey(b)));
  }
}

function sortKey(d: StoredDocument): string {
  return `${d.recordedAt}#${d.runId}#${String(d.sequence).padStart(6, '0')}#${d.slot}`;
}

/** Table layout of {@link DynamoDbPolicyVersionStore}: partition `resourceArn`, sort `recordedKey`. */
export const VERSION_STORE_KEYS = { partition: 'resourceArn', sort: 'recordedKey' } as const;

/** Stores replaced documents in a DynamoDB table (`resourceArn` hash key, `recordedKey` range key). */
export class DynamoDbPolicyVersionStore implements PolicyVersionStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  public async save(document: StoredDocument): Promise<void> {
    await callAws('DynamoDB', 'PutItem', () =>
      this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            [VERSION_STORE_KEYS.partition]: { S: document.resourceArn },
            [VERSION_STORE_KEYS.sort]: { S: sortKey(document) },
            account: { S: document.account },
            slot: { S: document.slot },
            value: { S: JSON.stringify(document.value) },
            recordedAt: { S: document.recordedAt },
            runId: { S: document.runId },
            sequence: { N: String(document.sequence) },
          },
          // A record is written once: never overwrite an earlier one.
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': VERSION_STORE_KEYS.partition },
        }),
      ),
    );
  }

  public async list(resourceArn: string): Promise<StoredDocument[]> {
    const out: StoredDocument[] = [];
    let start: Record<string, import('@aws-sdk/client-dynamodb').AttributeValue> | undefined;
    do {
      const page = await callAws('DynamoDB', 'Query', () =>
        this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: '#pk = :arn',
            ExpressionAttributeNames: { '#pk': VERSION_STORE_KEYS.partition },
            ExpressionAttributeValues: { ':arn': { S: resourceArn } },
            ExclusiveStartKey: start,
          }),
        ),
      );
      for (const item of page.Items ?? []) {
        out.push({
          account: item.account?.S ?? '',
          resourceArn: item[VERSION_STORE_KEYS.partition]?.S ?? '',
          slot: item.slot?.S ?? '',
          value: JSON.parse(item.value?.S ?? 'null') as unknown,
          recordedAt: item.recordedAt?.S ?? '',
          runId: item.runId?.S ?? '',
          sequence: Number(item.sequence?.N ?? '0'),
        });
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }
}

/** Creates the store's table (on-demand) when it does not exist; for tests and first-time setup. */
export async function ensureVersionStoreTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await ensureKeyedTable(client, tableName, VERSION_STORE_KEYS);
}
