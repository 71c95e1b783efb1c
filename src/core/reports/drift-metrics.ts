/**
 * The CloudWatch metrics of drift, named once: the drift Lambda writes them (src/lambda/drift-metrics.ts),
 * its role may write only this namespace (modules/drift-detection), and the dashboard in the security account
 * reads them (modules/iam-dashboard).
 */
import type { DriftKind } from '../drift';

/** CloudWatch namespace of the platform's own metrics. */
export const DRIFT_METRICS_NAMESPACE = 'IamPlatform';

/** Metric names the Lambda publishes and the dashboard reads. */
export const DRIFT_METRIC_NAMES = { driftItems: 'DriftItems', remediationFailures: 'RemediationFailures' } as const;

/** Dimension names of the metrics (`Account` is the account's name in accounts/). */
export const DRIFT_METRIC_DIMENSIONS = { account: 'Account', kind: 'Kind' } as const;

/** The drift kinds, in the order their metrics are written and drawn. */
export const DRIFT_METRIC_KINDS: readonly DriftKind[] = ['changed', 'missing', 'unmanaged'];
