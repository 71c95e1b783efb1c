export { DEFAULT_MAX_SESSION_SECONDS, Role } from './role';
export type { RoleInlinePolicy, RoleManagedPolicyAttachment, RoleProps } from './role';
