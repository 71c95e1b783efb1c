export { ManagedPolicy } from './managed-policy';
export type { ManagedPolicyProps } from './managed-policy';
