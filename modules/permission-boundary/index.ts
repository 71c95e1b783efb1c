export { PermissionBoundary } from './permission-boundary';
export type { PermissionBoundaryProps } from './permission-boundary';
