/**
 * Lambda entry points, bundled by esbuild into one zip (modules/drift-detection):
 *   index.iamEventHandler   EventBridge rule on CloudTrail IAM write calls
 *   index.configRuleHandler AWS Config custom rule
 * Clients use the Lambda's role; AWS_ENDPOINT_URL is honoured (tests, emulators).
 */
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import type { DesiredInventory } from '../core/drift';
import { DEFAULT_MAX_ATTEMPTS, DynamoDbRemediationLock, IAM_REGION } from '../io/iam';
import { DynamoDbRegistryStore } from '../io/registry/registry-store';
import { handleConfigRuleEvent, type ConfigRuleEvent } from './config-rule-handler';
import { CloudWatchQueryPublisher } from './cloudwatch-query-publisher';
import { loadDesiredInventory } from './desired-source';
import { publishDriftMetrics } from './drift-metrics';
import { type CloudTrailEventBridgeEvent, handleIamEvent, type IamEventOutcome } from './iam-event-handler';
import { readLambdaSettings } from './settings';

export { handleIamEvent } from './iam-event-handler';
export type { CloudTrailEventBridgeEvent, IamEventHandlerDeps, IamEventOutcome } from './iam-event-handler';
export { handleConfigRuleEvent, MAX_EVALUATIONS_PER_CALL } from './config-rule-handler';
export type { ConfigRuleEvent, ConfigRuleHandlerDeps } from './config-rule-handler';
export { loadDesiredInventory } from './desired-source';
export { buildDriftMetrics, DRIFT_METRIC_NAMES, DRIFT_METRICS_NAMESPACE, publishDriftMetrics } from './drift-metrics';
export type { MetricDatum, MetricsPublisher } from './drift-metrics';
export { CloudWatchQueryPublisher } from './cloudwatch-query-publisher';
export { LAMBDA_ENV, readLambdaSettings } from './settings';
export type { LambdaSettings } from './settings';

/** How long a warm container reuses the desired inventory before reading S3 again. */
export const DESIRED_CACHE_MS = 60_000;

let cache: { readonly at: number; readonly value: DesiredInventory } | undefined;

function clients() {
  const retry = { maxAttempts: DEFAULT_MAX_ATTEMPTS, retryMode: 'adaptive' as const };
  const settings = readLambdaSettings(process.env);
  const s3 = new S3Client({ ...retry, forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL) });
  const loadDesired = async (): Promise<DesiredInventory> => {
    if (cache && Date.now() - cache.at < DESIRED_CACHE_MS) return cache.value;
    const value = await loadDesiredInventory(s3, settings.desiredBucket, settings.desiredKey);
    cache = { at: Date.now(), value };
    return value;
  };
  return {
    settings,
    s3,
    loadDesired,
    iam: new IAMClient({ ...retry, region: IAM_REGION }),
    sns: new SNSClient(retry),
    config: new ConfigServiceClient(retry),
    dynamodb: settings.versionTable ? new DynamoDBClient(retry) : undefined,
  };
}

/** EventBridge → CloudTrail IAM call. The event is validated first (a null or malformed one is rejected). */
export async function iamEventHandler(event: CloudTrailEventBridgeEvent | null): Promise<IamEventOutcome> {
  const c = clients();
  const outcome = await handleIamEvent(event, {
    iam: c.iam,
    sns: c.sns,
    topicArn: c.settings.topicArn,
    loadDesired: c.loadDesired,
    scope: c.settings.scope,
    // Full alert records next to the desired inventory (alerts/ prefix), linked from each SNS message.
    records: { s3: c.s3, bucket: c.settings.desiredBucket },
    ...(c.dynamodb && c.settings.versionTable
      ? { record: new DynamoDbRegistryStore(c.dynamodb, c.settings.versionTable), lock: new DynamoDbRemediationLock(c.dynamodb, c.settings.versionTable) }
      : {}),
  });
  if (c.settings.metricsNamespace && outcome.status !== 'ignored') {
    // Metrics feed the dashboard; a failed publish is logged, never a failed invocation (a retry would redo the remediation).
    try {
      const region = process.env.AWS_REGION ?? IAM_REGION;
      const publisher = new CloudWatchQueryPublisher({ region, credentials: defaultProvider(), ...(process.env.AWS_ENDPOINT_URL ? { endpoint: process.env.AWS_ENDPOINT_URL } : {}) });
      await publishDriftMetrics(publisher, c.settings.metricsNamespace, (await c.loadDesired()).account, outcome);
    } catch (error) {
      console.log(JSON.stringify({ level: 'ERROR', message: 'drift metrics not published', error: (error as Error).message }));
    }
  }
  return outcome;
}

/** AWS Config custom rule. */
export async function configRuleHandler(event: ConfigRuleEvent): Promise<{ readonly evaluated: number }> {
  const c = clients();
  const evaluations = await handleConfigRuleEvent(event, { iam: c.iam, config: c.config, loadDesired: c.loadDesired });
  return { evaluated: evaluations.length };
}
