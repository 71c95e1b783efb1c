export {
  ACCESS_DENIED_ERROR_CODES,
  ESCALATION_ALARM_PERIOD_SECONDS,
  ESCALATION_ALARM_THRESHOLD,
  EscalationAlarms,
  MAX_ALARM_DESCRIPTION_CHARS,
  MAX_FILTER_PATTERN_CHARS,
  buildAccessDeniedWritePattern,
  buildEscalationPattern,
  buildWhoWhatWhereQuery,
} from './escalation-alarms';
export type { EscalationAlarm, EscalationAlarmsProps } from './escalation-alarms';
export { NON_EVENT_IAM_ACTIONS, listEscalationEventNames } from './escalation-actions';
