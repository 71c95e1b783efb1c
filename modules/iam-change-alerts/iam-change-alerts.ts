import { CloudwatchLogMetricFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-metric-filter';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { SourceRef } from '../../src/core/model';
import { markSource } from '../source-marker';
import { customerManagedKeyConfig } from '../customer-managed-key';

/**
 * CIS AWS Foundations v1.4 4.4 (v1.2 3.4, Security Hub CloudWatch.4): IAM policy changes. Exactly the
 * benchmark's pattern, so auditors recognise it.
 */
export const CIS_IAM_POLICY_CHANGES_PATTERN =
  '{($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)}';

/** IAM changes the CIS 4.4 pattern misses (reference.md §5): policy version switch, trust, boundaries, user credentials. */
export const CIS_MISSED_IAM_EVENTS: readonly string[] = [
  'SetDefaultPolicyVersion',
  'UpdateAssumeRolePolicy',
  'PutRolePermissionsBoundary',
  'DeleteRolePermissionsBoundary',
  'PutUserPermissionsBoundary',
  'DeleteUserPermissionsBoundary',
  'CreateLoginProfile',
  'UpdateLoginProfile',
  'CreateAccessKey',
];

/** Alarm period in seconds (CIS: Sum ≥ 1 over 300 s). */
export const ALARM_PERIOD_SECONDS = 300;
/** Alarm threshold: one event is enough. */
export const ALARM_THRESHOLD = 1;

/** The metric filter pattern for the IAM changes CIS 4.4 misses. */
export function buildMissedIamChangesPattern(): string {
  return `{($.eventSource=iam.amazonaws.com)&&(${CIS_MISSED_IAM_EVENTS.map((e) => `($.eventName=${e})`).join('||')})}`;
}

/** The metric filter pattern for every sts:AssumeRole of the named role, in any account of the organization. */
export function buildBreakGlassAssumeRolePattern(roleName: string): string {
  return `{($.eventSource=sts.amazonaws.com)&&($.eventName=AssumeRole)&&($.requestParameters.roleArn="*:role/${roleName}")}`;
}

/** One metric filter and its alarm. */
export interface IamChangeAlarm {
  /** Short id (`cis-iam-policy-changes`). */
  readonly id: string;
  /** Metric name in the namespace. */
  readonly metricName: string;
  /** CloudWatch Logs filter pattern. */
  readonly pattern: string;
  /** What the alarm means, for the on-call. */
  readonly description: string;
}

/** Props of {@link IamChangeAlerts}. */
export interface IamChangeAlertsProps {
  /** The trail's CloudWatch Logs group name. */
  readonly logGroupName: string;
  /** Account id of the log group (the management account). */
  readonly accountId: string;
  /** Region of the log group. */
  readonly region: string;
  /** SNS topic name of the alarms. */
  readonly topicName: string;
  /** CloudWatch metric namespace. */
  readonly namespace: string;
  /** Role whose every AssumeRole raises an alarm. */
  readonly breakGlassRoleName: string;
  /** Where the alerts are configured (org.yaml), for source markers. */
  readonly source: SourceRef;
  /** E-mail addresses subscribed to the topic. @default - none */
  readonly emails?: readonly string[];
  /** Resources that must exist first (the log group). @default - none */
  readonly dependsOn?: readonly ITerraformDependable[];
  /** AWS partition. @default 'aws' */
  readonly partition?: string;
}

/**
 * Metric filters and alarms on the organization trail's log group: the CIS 4.4 IAM policy-change filter,
 * a filter for the IAM changes CIS misses, and one for every AssumeRole of break-glass. Each alarm fires
 * on Sum ≥ 1 over 300 s and notifies a KMS-encrypted SNS topic.
 */
export class IamChangeAlerts extends Construct {
  /** The alarm topic. */
  public readonly topic: SnsTopic;
  /** The topic's KMS key. */
  public readonly key: KmsKey;
  /** The alarms, as data. */
  public readonly alarms: readonly IamChangeAlarm[];

  constructor(scope: Construct, id: string, props: IamChangeAlertsProps) {
    super(scope, id);
    const partition = props.partition ?? 'aws';
    const topicArn = `arn:${partition}:sns:${props.region}:${props.accountId}:${props.topicName}`;
    const sourceAccount = { StringEquals: { 'aws:SourceAccount': props.accountId } };
    this.key = new KmsKey(
      this,
      'key',
      customerManagedKeyConfig({
        description: `Encrypts the ${props.topicName} alarm topic`,
        accountId: props.accountId,
        partition,
        grants: [
          { Sid: 'CloudWatchAlarmsPublish', Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:GenerateDataKey*', 'kms:Decrypt'], Resource: '*', Condition: sourceAccount },
        ],
      }),
    );
    markSource(this.key, props.source);
    this.topic = new SnsTopic(this, 'topic', { name: props.topicName, kmsMasterKeyId: this.key.arn });
    markSource(this.topic, props.source);
    new SnsTopicPolicy(this, 'topic-policy', {
      arn: this.topic.arn,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Sid: 'CloudWatchAlarmsPublish', Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'SNS:Publish', Resource: topicArn, Condition: sourceAccount }],
      }),
    });
    (props.emails ?? []).forEach((email, i) => {
      new SnsTopicSubscription(this, `email-${i}`, { topicArn: this.topic.arn, protocol: 'email', endpoint: email });
    });

    this.alarms = [
      {
        id: 'cis-iam-policy-changes',
        metricName: 'IAMPolicyChanges',
        pattern: CIS_IAM_POLICY_CHANGES_PATTERN,
        description: 'CIS 4.4: an IAM policy was created, changed, attached or detached somewhere in the organization',
      },
      {
        id: 'iam-changes-missed-by-cis',
        metricName: 'IAMChangesMissedByCIS',
        pattern: buildMissedIamChangesPattern(),
        description: 'An IAM change CIS 4.4 does not cover: default policy version, trust policy, permissions boundary, login profile or access key',
      },
      {
        id: 'break-glass-assume-role',
        metricName: 'BreakGlassAssumeRole',
        pattern: buildBreakGlassAssumeRolePattern(props.breakGlassRoleName),
        description: `Someone assumed the ${props.breakGlassRoleName} role: page the security on-call`,
      },
    ];
    for (const alarm of this.alarms) {
      const filter = new CloudwatchLogMetricFilter(this, `filter-${alarm.id}`, {
        name: alarm.id,
        logGroupName: props.logGroupName,
        pattern: alarm.pattern,
        metricTransformation: { name: alarm.metricName, namespace: props.namespace, value: '1' },
        dependsOn: props.dependsOn ? [...props.dependsOn] : undefined,
      });
      markSource(filter, props.source);
      new CloudwatchMetricAlarm(this, `alarm-${alarm.id}`, {
        alarmName: alarm.id,
        alarmDescription: alarm.description,
        namespace: props.namespace,
        metricName: alarm.metricName,
        statistic: 'Sum',
        period: ALARM_PERIOD_SECONDS,
        evaluationPeriods: 1,
        threshold: ALARM_THRESHOLD,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
        treatMissingData: 'notBreaching',
        alarmActions: [this.topic.arn],
      });
    }
  }
}
