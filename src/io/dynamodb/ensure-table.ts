/** Creating the platform's DynamoDB tables where nothing else does (tests, local servers, first-time setup). */
import { CreateTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** The key attributes of a table with a string partition key and a string sort key. */
export interface TableKeys {
  /** Name of the partition (HASH) key attribute. */
  readonly partition: string;
  /** Name of the sort (RANGE) key attribute. */
  readonly sort: string;
}

/**
 * Creates an on-demand table with string partition and sort keys when it does not exist yet; an existing
 * table is left as it is. Production tables come from their modules (policy-registry, drift-detection).
 */
export async function ensureKeyedTable(client: DynamoDBClient, tableName: string, keys: TableKeys): Promise<void> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: keys.partition, AttributeType: 'S' },
          { AttributeName: keys.sort, AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: keys.partition, KeyType: 'HASH' },
          { AttributeName: keys.sort, KeyType: 'RANGE' },
        ],
      }),
    );
  } catch (error) {
    if ((error as { name?: string }).name === 'ResourceInUseException') return;
    throw error;
  }
}
