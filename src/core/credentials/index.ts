export { MAX_ACCESS_KEY_AGE_DAYS, buildCredentialReport } from './credential-report';
export type { BuildCredentialReportOptions, CredentialIssue, CredentialReport, LiveAccessKey, LiveUserCredentials, UserCredentialEntry } from './credential-report';
export { MAX_LAMBDA_FUNCTION_NAME_CHARS, serviceCredentialFunctionName, serviceCredentialPrefix, serviceCredentialRoleName, serviceCredentialSecretName } from './service-credential-names';
