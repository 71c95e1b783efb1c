export { ServiceControlPolicy } from './service-control-policy';
export type { ServiceControlPolicyProps, ServiceControlPolicyTarget } from './service-control-policy';
export { OrganizationTargets } from './organization-targets';
