export { MAX_ROTATION_DAYS, SERVICE_CREDENTIAL_CHECKOV_SKIPS, SWEEP_SCHEDULE, ServiceCredential } from './service-credential';
export type { ServiceCredentialProps } from './service-credential';
export { ROTATION_LAMBDA_ENTRY, bundleRotationLambda } from './rotation-bundle';
