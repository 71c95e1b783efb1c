export { SECURITY_HUB_STANDARDS, SecurityHubAdministrator, SecurityHubDelegation, buildStandardArn } from './security-hub';
export type { SecurityHubAdministratorProps, SecurityHubDelegationProps } from './security-hub';
