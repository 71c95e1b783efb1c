import { CloudwatchLogMetricFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-metric-filter';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { CloudwatchQueryDefinition } from '@cdktf/provider-aws/lib/cloudwatch-query-definition';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { ERROR_CODES, IamPlatformError } from '../../src/core/errors';
import type { SourceRef } from '../../src/core/model';
import { markSource } from '../source-marker';
import { listEscalationEventNames } from './escalation-actions';

/** Longest CloudWatch Logs filter pattern. @see https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutMetricFilter.html */
export const MAX_FILTER_PATTERN_CHARS = 1024;
/** Longest alarm description. @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html */
export const MAX_ALARM_DESCRIPTION_CHARS = 1024;
/** Evaluation window of the alarms, in seconds (as the CIS alarms: 5 minutes). */
export const ESCALATION_ALARM_PERIOD_SECONDS = 300;
/** One escalation call is enough to page. */
export const ESCALATION_ALARM_THRESHOLD = 1;
/** CloudTrail error codes of a refused call (IAM answers AccessDenied; some clients log *UnauthorizedOperation). */
export const ACCESS_DENIED_ERROR_CODES: readonly string[] = ['AccessDenied', '*UnauthorizedOperation'];

/** Metric filter pattern: an IAM call of the escalation table, allowed or refused. */
export function buildEscalationPattern(eventNames: readonly string[]): string {
  return `{($.eventSource="iam.amazonaws.com")&&(${eventNames.map((e) => `($.eventName="${e}")`).join('||')})}`;
}

/** Metric filter pattern: a refused IAM write (CloudTrail `readOnly` false). */
export function buildAccessDeniedWritePattern(): string {
  return `{($.eventSource="iam.amazonaws.com")&&($.readOnly IS FALSE)&&(${ACCESS_DENIED_ERROR_CODES.map((c) => `($.errorCode="${c}")`).join('||')})}`;
}

/** The CloudWatch Logs Insights query that names who, what and where for a set of events. */
export function buildWhoWhatWhereQuery(filter: string): string {
  return [
    'fields @timestamp, userIdentity.arn as who, eventName as what, recipientAccountId as account, awsRegion as region, sourceIPAddress, errorCode',
    `| filter ${filter}`,
    '| sort @timestamp desc',
    '| limit 200',
  ].join('\n');
}

/** One alarm of the module, as data. */
export interface EscalationAlarm {
  /** Alarm, metric filter and saved query name. */
  readonly id: string;
  readonly metricName: string;
  readonly pattern: string;
  readonly threshold: number;
  /** The Logs Insights query that lists the calls behind the alarm. */
  readonly query: string;
  /** What the on-call reads in the notification. */
  readonly description: string;
}

/** Props of {@link EscalationAlarms}. */
export interface EscalationAlarmsProps {
  /** The organization trail's CloudWatch Logs group (every account, every region). */
  readonly logGroupName: string;
  /** The IAM-change alert topic (KMS-encrypted, modules/iam-change-alerts). */
  readonly topicArn: string;
  /** CloudWatch metric namespace. */
  readonly namespace: string;
  /** Refused IAM writes within 5 minutes that raise the burst alarm. */
  readonly accessDeniedThreshold: number;
  /** Where the alarms are configured (org.yaml), for source markers. */
  readonly source: SourceRef;
  /** Escalation event names. @default - the IAM calls of the linter's escalation table ({@link listEscalationEventNames}) */
  readonly eventNames?: readonly string[];
  /** Resources that must exist first (the log group). @default - none */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/**
 * Privilege-escalation alarms on the organization trail's log group: any IAM call of the escalation
 * table (allowed or refused), and a burst of refused IAM writes. Each alarm notifies the IAM-change topic;
 * the notification says what was called and where (the organization trail: which accounts and regions),
 * and names the saved Logs Insights query that lists who made each call, from which account and region.
 */
export class EscalationAlarms extends Construct {
  /** The alarms, as data. */
  public readonly alarms: readonly EscalationAlarm[];

  constructor(scope: Construct, id: string, props: EscalationAlarmsProps) {
    super(scope, id);
    const events = props.eventNames ?? listEscalationEventNames();
    const where = `organization trail log group ${props.logGroupName} (every account and region)`;
    this.alarms = [
      {
        id: 'privilege-escalation-calls',
        metricName: 'PrivilegeEscalationCalls',
        pattern: buildEscalationPattern(events),
        threshold: ESCALATION_ALARM_THRESHOLD,
        query: buildWhoWhatWhereQuery(`eventSource = "iam.amazonaws.com" and eventName in [${events.map((e) => `"${e}"`).join(', ')}]`),
        description: `What: a privilege-escalation IAM call (${events.join(', ')}), allowed or refused. Where: ${where}. Who: run the saved Logs Insights query privilege-escalation-calls.`,
      },
      {
        id: 'iam-write-access-denied-burst',
        metricName: 'IamWriteAccessDenied',
        pattern: buildAccessDeniedWritePattern(),
        threshold: props.accessDeniedThreshold,
        query: buildWhoWhatWhereQuery(`eventSource = "iam.amazonaws.com" and eventName not like /^(Get|List|Generate|Simulate)/ and (errorCode = "AccessDenied" or errorCode like /UnauthorizedOperation$/)`),
        description: `What: ${props.accessDeniedThreshold} or more refused IAM writes within ${ESCALATION_ALARM_PERIOD_SECONDS / 60} minutes (someone probing for escalation). Where: ${where}. Who: run the saved Logs Insights query iam-write-access-denied-burst.`,
      },
    ];
    for (const alarm of this.alarms) {
      if (alarm.pattern.length > MAX_FILTER_PATTERN_CHARS) {
        throw new IamPlatformError(
          ERROR_CODES.INVALID_CONFIG,
          `the ${alarm.id} filter pattern has ${alarm.pattern.length} characters, more than CloudWatch Logs' ${MAX_FILTER_PATTERN_CHARS}: split the event names over several filters`,
        );
      }
      if (alarm.description.length > MAX_ALARM_DESCRIPTION_CHARS) {
        throw new IamPlatformError(ERROR_CODES.INVALID_CONFIG, `the ${alarm.id} alarm description has ${alarm.description.length} characters, more than CloudWatch's ${MAX_ALARM_DESCRIPTION_CHARS}`);
      }
      const filter = new CloudwatchLogMetricFilter(this, `filter-${alarm.id}`, {
        name: alarm.id,
        logGroupName: props.logGroupName,
        pattern: alarm.pattern,
        metricTransformation: { name: alarm.metricName, namespace: props.namespace, value: '1', defaultValue: '0' },
        dependsOn: props.dependsOn ? [...props.dependsOn] : undefined,
      });
      markSource(filter, props.source);
      const cloudwatchAlarm = new CloudwatchMetricAlarm(this, `alarm-${alarm.id}`, {
        alarmName: alarm.id,
        alarmDescription: alarm.description,
        namespace: props.namespace,
        metricName: alarm.metricName,
        statistic: 'Sum',
        period: ESCALATION_ALARM_PERIOD_SECONDS,
        evaluationPeriods: 1,
        threshold: alarm.threshold,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
        treatMissingData: 'notBreaching',
        alarmActions: [props.topicArn],
        dependsOn: [filter],
      });
      markSource(cloudwatchAlarm, props.source);
      new CloudwatchQueryDefinition(this, `query-${alarm.id}`, { name: alarm.id, logGroupNames: [props.logGroupName], queryString: alarm.query });
    }
  }
}
