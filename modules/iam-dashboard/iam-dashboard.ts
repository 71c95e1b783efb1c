import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { Construct } from 'constructs';
import type { SourceRef } from '../../src/core/model';
import { DRIFT_METRIC_DIMENSIONS, DRIFT_METRIC_NAMES, DRIFT_METRICS_NAMESPACE } from '../../src/core/reports/drift-metrics';
import { markSource } from '../source-marker';

/** Period of the metric widgets, seconds: the alarms' own period (modules/iam-change-alerts ALARM_PERIOD_SECONDS). */
export const DASHBOARD_METRIC_PERIOD_SECONDS = 300;
/** Width of a dashboard row in grid units (CloudWatch dashboard body structure: 24 columns). */
export const DASHBOARD_GRID_WIDTH = 24;

/** One alarm the dashboard shows: its name and its metric. */
export interface DashboardAlarm {
  /** Alarm name (the alarm's id in its module). */
  readonly name: string;
  /** Metric the alarm watches. */
  readonly metricName: string;
}

/** Where the drift Lambdas publish their metrics (src/lambda/drift-metrics.ts), for the drift widgets. */
export interface DashboardDriftSources {
  /** Region the drift Lambdas run and publish in (us-east-1: where IAM events arrive). */
  readonly region: string;
  /** Accounts with drift detection, by name (the metrics' `Account` dimension) and id (shared through the metrics sink). */
  readonly accounts: readonly { readonly name: string; readonly id: string }[];
}

/** Props of {@link IamDashboard}. */
export interface IamDashboardProps {
  /** Dashboard name. @default 'iam-platform' */
  readonly dashboardName?: string;
  /** Account holding the alarms and their metrics (the management account, next to the trail's log group). */
  readonly alarmAccountId: string;
  /** Region of the alarms. */
  readonly region: string;
  /** CloudWatch namespace of the alarm metrics (org.yaml `organization.alerts.namespace`). */
  readonly namespace: string;
  /** The IAM-change and escalation alarms, from their modules. */
  readonly alarms: readonly DashboardAlarm[];
  /** @default 'aws' */
  readonly partition?: string;
  /** The drift widgets' sources. @default - no drift widgets */
  readonly drift?: DashboardDriftSources;
  readonly source: SourceRef;
}

/**
 * A CloudWatch dashboard in the security account: the state of every IAM-change and escalation alarm of the
 * organization and the count of events behind each. The alarms live in the management account: the widgets name
 * that account (`accountId`), which needs CloudWatch cross-account sharing from the management account to the
 * security account (the CloudWatch-CrossAccountSharingRole); without it the widgets are empty.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Cross-Account-Cross-Region.html
 */
export class IamDashboard extends Construct {
  public readonly dashboard: CloudwatchDashboard;
  /** The dashboard body, as written to CloudWatch. */
  public readonly body: { readonly widgets: readonly Record<string, unknown>[] };

  constructor(scope: Construct, id: string, props: IamDashboardProps) {
    super(scope, id);
    const partition = props.partition ?? 'aws';
    const alarmArn = (name: string) => `arn:${partition}:cloudwatch:${props.region}:${props.alarmAccountId}:alarm:${name}`;
    const half = DASHBOARD_GRID_WIDTH / 2;
    const widgets: Record<string, unknown>[] = [
      {
        type: 'alarm',
        x: 0,
        y: 0,
        width: DASHBOARD_GRID_WIDTH,
        height: 4,
        properties: { title: 'IAM-change and escalation alarms (management account)', alarms: props.alarms.map((a) => alarmArn(a.name)), sortBy: 'stateUpdatedTimestamp' },
      },
      ...props.alarms.map((a, i) => ({
        type: 'metric',
        x: (i % 2) * half,
        y: 4 + Math.floor(i / 2) * 6,
        width: half,
        height: 6,
        properties: {
          title: `${a.name}: events per ${DASHBOARD_METRIC_PERIOD_SECONDS / 60} minutes`,
          region: props.region,
          stat: 'Sum',
          period: DASHBOARD_METRIC_PERIOD_SECONDS,
          view: 'timeSeries',
          metrics: [[props.namespace, a.metricName, { accountId: props.alarmAccountId, label: a.metricName }]],
        },
      })),
    ];
    if (props.drift && props.drift.accounts.length > 0) widgets.push(...driftWidgets(props.drift, 4 + Math.ceil(props.alarms.length / 2) * 6));
    this.body = { widgets };
    this.dashboard = new CloudwatchDashboard(this, 'dashboard', { dashboardName: props.dashboardName ?? 'iam-platform', dashboardBody: JSON.stringify(this.body) });
    markSource(this.dashboard, props.source);
  }
}

/** Drift items and remediation failures per account, side by side, from each account's shared metrics. */
function driftWidgets(drift: DashboardDriftSources, y: number): Record<string, unknown>[] {
  const half = DASHBOARD_GRID_WIDTH / 2;
  const widget = (x: number, title: string, metricName: string) => ({
    type: 'metric',
    x,
    y,
    width: half,
    height: 6,
    properties: {
      title,
      region: drift.region,
      stat: 'Sum',
      period: DASHBOARD_METRIC_PERIOD_SECONDS,
      view: 'timeSeries',
      metrics: drift.accounts.map((a) => [DRIFT_METRICS_NAMESPACE, metricName, DRIFT_METRIC_DIMENSIONS.account, a.name, { accountId: a.id, label: a.name }]),
    },
  });
  return [
    widget(0, `Drift items found per account (per ${DASHBOARD_METRIC_PERIOD_SECONDS / 60} minutes)`, DRIFT_METRIC_NAMES.driftItems),
    widget(half, 'Remediation failures per account', DRIFT_METRIC_NAMES.remediationFailures),
  ];
}
