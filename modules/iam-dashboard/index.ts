export { DASHBOARD_GRID_WIDTH, DASHBOARD_METRIC_PERIOD_SECONDS, IamDashboard } from './iam-dashboard';
export type { DashboardAlarm, DashboardDriftSources, IamDashboardProps } from './iam-dashboard';
export { describeNamespaceFilter, MetricsLink, MetricsSink, SHARED_RESOURCE_TYPES } from './metrics-sink';
export type { MetricsLinkProps, MetricsSinkProps } from './metrics-sink';
