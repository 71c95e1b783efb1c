/** Picks the record's store: `--registry dynamodb:<table>` / `file:<path>`, else IAMCTL_REGISTRY_TABLE, else the local file. */
import { resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ERROR_CODES, IamPlatformError } from '../../core/errors';
import { DynamoDbRegistryStore, FileRegistryStore, type PolicyRegistryStore } from './registry-store';

/** The local store when no table is configured (relative to the repository root). */
export const DEFAULT_REGISTRY_FILE = '.iamctl/registry.json';
/** Environment variable naming the DynamoDB table. */
export const REGISTRY_TABLE_VARIABLE = 'IAMCTL_REGISTRY_TABLE';

/** Options of {@link openRegistry}. */
export interface OpenRegistryOptions {
  /** `dynamodb:<table>` or `file:<path>`. @default - IAMCTL_REGISTRY_TABLE, else file .iamctl/registry.json */
  readonly registry?: string;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** DynamoDB endpoint (dynalite, moto). @default - AWS_ENDPOINT_URL, else AWS */
  readonly endpoint?: string;
}

export function openRegistry(options: OpenRegistryOptions): PolicyRegistryStore {
  const spec = options.registry ?? (options.env[REGISTRY_TABLE_VARIABLE] ? `dynamodb:${options.env[REGISTRY_TABLE_VARIABLE]}` : `file:${DEFAULT_REGISTRY_FILE}`);
  const colon = spec.indexOf(':');
  const kind = colon > 0 ? spec.slice(0, colon) : '';
  const value = colon > 0 ? spec.slice(colon + 1) : '';
  if (kind === 'file' && value) return new FileRegistryStore(resolve(options.cwd, value));
  if (kind === 'dynamodb' && /^[A-Za-z0-9_.-]{3,255}$/.test(value)) {
    const endpoint = options.endpoint ?? options.env.AWS_ENDPOINT_URL;
    return new DynamoDbRegistryStore(new DynamoDBClient({ ...(endpoint ? { endpoint } : {}), maxAttempts: 5 }), value);
  }
  throw new IamPlatformError(ERROR_CODES.INVALID_ARGUMENT, `--registry must be dynamodb:<table name> or file:<path>, got "${spec}"`);
}
