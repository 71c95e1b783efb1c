export { DASHBOARD_GRID_WIDTH, DASHBOARD_METRIC_PERIOD_SECONDS, IamDashboard } from './iam-dashboard';
export type { DashboardAlarm, IamDashboardProps } from './iam-dashboard';
