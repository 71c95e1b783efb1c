export { DynamoDbRegistryStore, ensureRegistryTable, FileRegistryStore, InMemoryRegistryStore, MAX_DYNAMODB_ITEM_BYTES, recordKey } from './registry-store';
export { REGISTRY_TABLE_KEYS } from '../../core/registry';
export type { PolicyRegistryStore } from './registry-store';
export { DEFAULT_REGISTRY_FILE, openRegistry, REGISTRY_TABLE_VARIABLE } from './open-registry';
export type { OpenRegistryOptions } from './open-registry';
export { writeRollbackFiles } from './rollback-files';
export type { RollbackFileChanges } from './rollback-files';
