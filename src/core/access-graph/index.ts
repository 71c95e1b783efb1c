export { AWS_MANAGED_DOCUMENTS_SOURCE, buildAccessGraph, KNOWN_AWS_MANAGED_DOCUMENTS } from './build-access-graph';
export type { BuildAccessGraphOptions } from './build-access-graph';
export { describeAdminPath, describeEdge, findAdminPaths, findHumanAccessWithoutMfa, findRolesWithoutBoundary, listExternalTrust } from './query-access-graph';
export type * from './types';
export { resolveScpDenies } from './scp-denies';
export type { RoleScpDenies } from './scp-denies';
