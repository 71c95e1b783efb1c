export * from './arns';
export { accountTrustSid, buildTrustPolicy, buildTrustStatements, SAML_SIGNIN_AUDIENCE } from './trust-policy';
export type { TrustStatements } from './trust-policy';
export type { BuildTrustPolicyOptions } from './trust-policy';
export { denyInsecureTransportStatement, keyAdministrationStatement } from './common-statements';
export { buildIamWriteEventNamePattern, IAM_PERMISSION_ONLY_ACTIONS, IAM_WRITE_EVENT_NAMES, isIamWriteEvent } from './iam-write-events';
