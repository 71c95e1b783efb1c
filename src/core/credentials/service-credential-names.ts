/**
 * Names of what `modules/service-credential` creates for one IAM user, in one place: the module names its
 * resources with these, and the checks that must know the rotation role by identity (the SCP exemption
 * of the example organization, tests) derive its ARN from the same function.
 */

/** Lambda function names are at most 64 characters. @see https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html */
export const MAX_LAMBDA_FUNCTION_NAME_CHARS = 64;
/** Role names are at most 64 characters; `-role` is appended to at most 59. @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html */
const MAX_ROLE_NAME_STEM_CHARS = 59;

/** Prefix of every name of the credential of `userName` (`iam-platform-credential-legacy-ftp-sync`). */
export function serviceCredentialPrefix(userName: string): string {
  return `iam-platform-credential-${userName.toLowerCase().replace(/[^a-z0-9-]/g, '-')}`;
}

/** Name of the rotation Lambda. */
export function serviceCredentialFunctionName(prefix: string): string {
  return prefix.slice(0, MAX_LAMBDA_FUNCTION_NAME_CHARS);
}

/** Name of the rotation Lambda's execution role (the one principal that may create the user's keys). */
export function serviceCredentialRoleName(prefix: string): string {
  return `${serviceCredentialFunctionName(prefix).slice(0, MAX_ROLE_NAME_STEM_CHARS)}-role`;
}

/** Name of the Secrets Manager secret that holds the user's current key. */
export function serviceCredentialSecretName(userName: string): string {
  return `iam-platform/service-credentials/${userName}`;
}
