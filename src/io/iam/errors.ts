/** Turns AWS SDK failures into user errors that name the call and say the fix. */
import { ERROR_CODES, IamPlatformError } from '../../core/errors';

interface AwsErrorShape {
  readonly name?: string;
  readonly message?: string;
  readonly code?: string;
  readonly $fault?: string;
  readonly $metadata?: { readonly httpStatusCode?: number; readonly attempts?: number };
}

const THROTTLING = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded', 'SlowDown']);
const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnrecognizedClientException', 'InvalidClientTokenId', 'ExpiredToken', 'ExpiredTokenException']);

function fixFor(call: string, error: AwsErrorShape): string {
  const name = error.name ?? '';
  const network = error.code ?? (/ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|socket hang up/.exec(error.message ?? '')?.[0] ?? '');
  if (THROTTLING.has(name)) {
    const attempts = error.$metadata?.attempts;
    return `AWS throttled the call${attempts ? ` after ${attempts} attempt(s) with adaptive retry` : ''}; run again later, or raise --max-attempts`;
  }
  if (ACCESS_DENIED.has(name)) return `the credentials may not call iam:${call}; grant it, or pass --role-arn with a role that may`;
  if (name === 'CredentialsProviderError') return 'no AWS credentials were found: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or pass --role-arn';
  if (network || name === 'TimeoutError') return 'the endpoint did not answer: check --endpoint-url / AWS_ENDPOINT_URL and the network';
  if (name === 'NoSuchEntity' || name === 'NoSuchEntityException') return 'the resource changed while iamctl ran; run the command again';
  if (error.$fault === 'server' || (error.$metadata?.httpStatusCode ?? 0) >= 500) return 'AWS reported a failure on its side; run again later';
  if (name === 'LimitExceeded' || name === 'LimitExceededException') return 'an IAM quota was reached; free capacity (for example delete an old policy version) and run again';
  return 'see the AWS error above; run again with the same arguments once it is fixed';
}

/** True for errors the SDK reports as throttling. */
export function isThrottlingError(error: unknown): boolean {
  return THROTTLING.has((error as AwsErrorShape)?.name ?? '');
}

/**
 * A user error for a failed AWS call: `IAM GetAccountAuthorizationDetails failed: Rate exceeded (Throttling).
 * Fix: ...`. `service` is the API's name (IAM, STS, S3, SNS, DynamoDB).
 */
export function describeAwsFailure(service: string, call: string, error: unknown): IamPlatformError {
  const e = (error ?? {}) as AwsErrorShape;
  const what = e.message && e.message.length > 0 ? e.message : String(error);
  const name = e.name && e.name !== 'Error' ? ` (${e.name})` : '';
  return new IamPlatformError(ERROR_CODES.AWS_API, `${service} ${call} failed: ${what}${name}. Fix: ${fixFor(call, e)}`, { cause: error });
}

/** Runs one AWS call and rethrows its failure as {@link describeAwsFailure}. */
export async function callAws<T>(service: string, call: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw describeAwsFailure(service, call, error);
  }
}
