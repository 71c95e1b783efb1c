export { CrossAccountRole, DEFAULT_MFA_MAX_AGE_SECONDS } from './cross-account-role';
export type { CrossAccountRoleProps } from './cross-account-role';
