export * from './arns';
export { buildTrustPolicy, SAML_SIGNIN_AUDIENCE } from './trust-policy';
export type { BuildTrustPolicyOptions } from './trust-policy';
export { denyInsecureTransportStatement, keyAdministrationStatement } from './common-statements';
