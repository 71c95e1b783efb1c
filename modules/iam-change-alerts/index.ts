export {
  IamChangeAlerts,
  CIS_IAM_POLICY_CHANGES_PATTERN,
  CIS_MISSED_IAM_EVENTS,
  ALARM_PERIOD_SECONDS,
  ALARM_THRESHOLD,
  buildMissedIamChangesPattern,
  buildBreakGlassAssumeRolePattern,
} from './iam-change-alerts';
export type { IamChangeAlarm, IamChangeAlertsProps } from './iam-change-alerts';
