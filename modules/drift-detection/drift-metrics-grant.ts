/**
 * The drift Lambda's CloudWatch metrics (src/lambda/drift-metrics.ts): the one grant they need and the
 * environment that turns them on. Kept apart from the module's main file.
 */
import { DRIFT_METRICS_NAMESPACE } from '../../src/core/reports/drift-metrics';

/** The environment variable the Lambda reads its metrics namespace from (src/lambda/settings.ts `LAMBDA_ENV.metricsNamespace`). */
export const METRICS_NAMESPACE_ENV = 'METRICS_NAMESPACE';

/**
 * PutMetricData into the platform's namespace only. The action has no resource-level permissions (Service
 * Authorization Reference, Amazon CloudWatch: resource "*"); the `cloudwatch:namespace` condition key limits it.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/iam-cw-condition-keys-namespace.html
 */
export function driftMetricsStatement(namespace: string = DRIFT_METRICS_NAMESPACE) {
  return { Sid: 'DriftMetrics', Effect: 'Allow', Action: 'cloudwatch:PutMetricData', Resource: '*', Condition: { StringEquals: { 'cloudwatch:namespace': namespace } } } as const;
}

/** The Lambda environment that makes it publish the metrics. */
export function driftMetricsEnvironment(namespace: string = DRIFT_METRICS_NAMESPACE): Readonly<Record<string, string>> {
  return { [METRICS_NAMESPACE_ENV]: namespace };
}
