/** The drift Lambda's settings, from its environment (set by modules/drift-detection). */
import { DRIFT_SCOPES, type DriftScope } from '../core/drift';
import { ERROR_CODES, IamPlatformError } from '../core/errors';

/** Environment variable names the module sets. */
export const LAMBDA_ENV = {
  desiredBucket: 'DESIRED_INVENTORY_BUCKET',
  desiredKey: 'DESIRED_INVENTORY_KEY',
  topicArn: 'ALERT_TOPIC_ARN',
  scope: 'DRIFT_SCOPE',
  versionTable: 'POLICY_VERSION_TABLE',
  metricsNamespace: 'METRICS_NAMESPACE',
} as const;

/** What the handlers need to run. */
export interface LambdaSettings {
  /** Bucket holding the desired inventory artifact. */
  readonly desiredBucket: string;
  /** Key of the artifact (`desired/<account>.json`). */
  readonly desiredKey: string;
  /** SNS topic for alerts. */
  readonly topicArn: string;
  /** @default 'managed' */
  readonly scope: DriftScope;
  /** The policy record table (policy-registry): replaced console values are recorded there, and it holds the account lock. @default - none (the journal goes to the SNS message and the log) */
  readonly versionTable?: string;
  /** CloudWatch namespace of the drift metrics (src/lambda/drift-metrics.ts). @default - no metrics published */
  readonly metricsNamespace?: string;
}

/** Reads the settings; throws naming every missing variable. */
export function readLambdaSettings(env: Readonly<Record<string, string | undefined>>): LambdaSettings {
  const missing = [LAMBDA_ENV.desiredBucket, LAMBDA_ENV.desiredKey, LAMBDA_ENV.topicArn].filter((k) => !env[k]);
  if (missing.length > 0) {
    throw new IamPlatformError(ERROR_CODES.INVALID_CONFIG, `The drift Lambda is missing environment variable(s) ${missing.join(', ')}: deploy it with modules/drift-detection`);
  }
  const scope = env[LAMBDA_ENV.scope] ?? 'managed';
  if (!(DRIFT_SCOPES as readonly string[]).includes(scope)) {
    throw new IamPlatformError(ERROR_CODES.INVALID_CONFIG, `${LAMBDA_ENV.scope} must be one of ${DRIFT_SCOPES.join(', ')}, got "${scope}"`);
  }
  return {
    desiredBucket: env[LAMBDA_ENV.desiredBucket] as string,
    desiredKey: env[LAMBDA_ENV.desiredKey] as string,
    topicArn: env[LAMBDA_ENV.topicArn] as string,
    scope: scope as DriftScope,
    ...(env[LAMBDA_ENV.versionTable] ? { versionTable: env[LAMBDA_ENV.versionTable] } : {}),
    ...(env[LAMBDA_ENV.metricsNamespace] ? { metricsNamespace: env[LAMBDA_ENV.metricsNamespace] } : {}),
  };
}
