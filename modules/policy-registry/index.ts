export { DEFAULT_POLICY_REGISTRY_TABLE, PolicyRegistry } from './policy-registry';
export type { PolicyRegistryProps } from './policy-registry';
