export { BREAK_GLASS_BOUNDARY_OPT_OUT, BREAK_GLASS_MFA_MAX_AGE_SECONDS, BREAK_GLASS_TAG, BreakGlassRole } from './break-glass-role';
export type { BreakGlassRoleProps } from './break-glass-role';
