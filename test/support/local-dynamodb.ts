/**
 * One start-up for the local DynamoDB servers the record tests use: dynalite (in-process Node server) or moto's
 * DynamoDB, on a free loopback port, with the policy record table created and ACTIVE.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureRegistryTable } from '../../src/io/registry';
import { findFreePort, MOTO_CREDENTIALS, MOTO_REGION, startMotoServer } from './moto-server';

const DYNALITE = join(__dirname, '..', '..', 'node_modules', '.bin', 'dynalite');

/** Which server. */
export type LocalDynamoDbKind = 'dynalite' | 'moto';

/** A running server with a client and the record table. */
export interface LocalDynamoDb {
  readonly kind: LocalDynamoDbKind;
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  readonly tableName: string;
  stop(): Promise<void>;
}

async function waitForActive(client: DynamoDBClient, tableName: string): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const t = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (t.Table?.TableStatus === 'ACTIVE') return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`table ${tableName} never became ACTIVE`);
}

/** Starts the server and creates the policy record table (the one table design: partition `account`, sort `recordKey`). */
export async function startLocalDynamoDb(kind: LocalDynamoDbKind, tableName = 'iam-platform-policy-registry'): Promise<LocalDynamoDb> {
  let endpoint: string;
  let stopServer: () => Promise<void>;
  if (kind === 'dynalite') {
    const port = await findFreePort();
    const child: ChildProcess = spawn(DYNALITE, ['--host', '127.0.0.1', '--port', String(port), '--createTableMs', '0'], { stdio: 'ignore' });
    endpoint = `http://127.0.0.1:${port}`;
    stopServer = async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    };
  } else {
    const moto = await startMotoServer();
    endpoint = moto.endpoint;
    stopServer = () => moto.stop();
  }
  const client = new DynamoDBClient({ endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS, maxAttempts: 10 });
  // dynalite takes a moment to listen: retry the first call.
  for (let i = 0; ; i++) {
    try {
      await ensureRegistryTable(client, tableName);
      break;
    } catch (error) {
      if (i > 50) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await waitForActive(client, tableName);
  return {
    kind,
    endpoint,
    client,
    tableName,
    stop: async () => {
      client.destroy();
      await stopServer();
    },
  };
}
