/**
 * The drift Lambda's CloudWatch metrics: what one handled IAM event found, as metric data for the
 * dashboard in the security account (modules/iam-dashboard). Pure: the outcome in, metric data out;
 * {@link publishDriftMetrics} sends them through a {@link MetricsPublisher}.
 *
 * - `DriftItems` with dimensions `Account` and `Kind` (`changed` | `missing` | `unmanaged`): the items the
 *   event's check found, per kind, and `DriftItems` with `Account` only: their total (0 when clean), so one
 *   widget per account needs no metric math.
 * - `RemediationFailures` with `Account`: 1 when a remediation stopped on a failed call, 0 when it succeeded.
 *
 * Ignored events (not IAM writes, failed calls) publish nothing: they were not checked.
 */
import type { DriftKind } from '../core/drift';
import { DRIFT_METRIC_DIMENSIONS, DRIFT_METRIC_KINDS, DRIFT_METRIC_NAMES } from '../core/reports/drift-metrics';
import type { IamEventOutcome } from './iam-event-handler';

export { DRIFT_METRIC_DIMENSIONS, DRIFT_METRIC_KINDS, DRIFT_METRIC_NAMES, DRIFT_METRICS_NAMESPACE } from '../core/reports/drift-metrics';

/**
 * Most metric data in one PutMetricData request.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html ("up to 1000 different metrics")
 */
export const MAX_METRIC_DATA_PER_CALL = 1000;

/** One CloudWatch metric datum, as PutMetricData takes it. */
export interface MetricDatum {
  readonly metricName: string;
  readonly dimensions: readonly { readonly name: string; readonly value: string }[];
  readonly value: number;
  readonly unit: 'Count';
  /** ISO time of the observation. */
  readonly timestamp: string;
}

/** Sends metric data to CloudWatch (PutMetricData), or to memory in tests. */
export interface MetricsPublisher {
  putMetricData(namespace: string, data: readonly MetricDatum[]): Promise<void>;
}

/** Metric data for one handled event of account `account` (the account's name, as in accounts/). */
export function buildDriftMetrics(account: string, outcome: IamEventOutcome, at: Date): MetricDatum[] {
  if (outcome.status === 'ignored') return [];
  const timestamp = at.toISOString();
  const datum = (metricName: string, value: number, kind?: DriftKind): MetricDatum => ({
    metricName,
    dimensions: [{ name: DRIFT_METRIC_DIMENSIONS.account, value: account }, ...(kind ? [{ name: DRIFT_METRIC_DIMENSIONS.kind, value: kind }] : [])],
    value,
    unit: 'Count',
    timestamp,
  });
  const byKind = new Map<DriftKind, number>();
  for (const item of outcome.drift) byKind.set(item.kind, (byKind.get(item.kind) ?? 0) + 1);
  const data = [
    datum(DRIFT_METRIC_NAMES.driftItems, outcome.drift.length),
    ...DRIFT_METRIC_KINDS.filter((k) => byKind.has(k)).map((k) => datum(DRIFT_METRIC_NAMES.driftItems, byKind.get(k) ?? 0, k)),
  ];
  if (outcome.status === 'remediated' || outcome.status === 'remediation-failed') {
    data.push(datum(DRIFT_METRIC_NAMES.remediationFailures, outcome.status === 'remediation-failed' ? 1 : 0));
  }
  return data;
}

/** Publishes the metrics of one outcome, in as few calls as the API allows; returns how many data were sent. */
export async function publishDriftMetrics(publisher: MetricsPublisher, namespace: string, account: string, outcome: IamEventOutcome, at: Date = new Date()): Promise<number> {
  const data = buildDriftMetrics(account, outcome, at);
  for (let i = 0; i < data.length; i += MAX_METRIC_DATA_PER_CALL) {
    await publisher.putMetricData(namespace, data.slice(i, i + MAX_METRIC_DATA_PER_CALL));
  }
  return data.length;
}
