/**
 * EventBridge → Lambda: an IAM write call from CloudTrail ("AWS API Call via CloudTrail", us-east-1).
 * Evaluates the touched role or policy against the desired inventory, then alerts or remediates per the
 * account's mode, and publishes who, what, when and the action taken to SNS.
 */
import type { IAMClient } from '@aws-sdk/client-iam';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import {
  actorOf,
  attachChangeAuthors,
  type CloudTrailIamRecord,
  type DesiredInventory,
  describeAction,
  detectDrift,
  type DriftItem,
  type DriftScope,
  type LiveInventory,
  planRemediation,
  resourcesOf,
} from '../core/drift';
import { customerPolicyArn } from '../core/iam';
import { applyRemediationPlan, callAws, type JournalEntry, MemoryJournal, type PolicyVersionStore, readLivePolicy, readLiveRole, type RemediationResult } from '../io/iam';

/** The EventBridge envelope of a CloudTrail record. */
export interface CloudTrailEventBridgeEvent {
  readonly version?: string;
  readonly id?: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time?: string;
  readonly region?: string;
  readonly detail: CloudTrailIamRecord & { readonly errorCode?: string; readonly readOnly?: boolean; readonly responseElements?: Readonly<Record<string, unknown>> | null };
}

/** What the handler needs. */
export interface IamEventHandlerDeps {
  readonly iam: IAMClient;
  readonly sns: SNSClient;
  readonly topicArn: string;
  readonly loadDesired: () => Promise<DesiredInventory>;
  /** @default 'managed' */
  readonly scope?: DriftScope;
  /** @default - journal in the SNS message and the log only */
  readonly versionStore?: PolicyVersionStore;
  /** Structured log line (CloudWatch). @default console.log of JSON */
  readonly log?: (entry: Record<string, unknown>) => void;
}

/** What the handler did, returned to the Lambda runtime (and tests). */
export interface IamEventOutcome {
  /** `ignored`: not an IAM write, failed call, pipeline's own call; `clean`: no drift; `alerted`; `remediated`; `remediation-failed`. */
  readonly status: 'ignored' | 'clean' | 'alerted' | 'remediated' | 'remediation-failed';
  readonly reason?: string;
  readonly drift: readonly DriftItem[];
  readonly remediation?: RemediationResult;
  /** SNS message id, when one was published. */
  readonly messageId?: string;
}

/** SNS subject length limit. @see https://docs.aws.amazon.com/sns/latest/api/API_Publish.html */
export const MAX_SNS_SUBJECT_CHARS = 100;

const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';
const IAM_EVENT_SOURCE = 'iam.amazonaws.com';

function ignored(reason: string): IamEventOutcome {
  return { status: 'ignored', reason, drift: [] };
}

function touchedPolicyArn(detail: CloudTrailEventBridgeEvent['detail'], accountId: string): string | undefined {
  const { policyArn } = resourcesOf(detail);
  if (policyArn) return policyArn;
  const params = detail.requestParameters ?? {};
  if (detail.eventName === 'CreatePolicy' && typeof params.policyName === 'string') {
    return customerPolicyArn(accountId, params.policyName, typeof params.path === 'string' ? params.path : '/');
  }
  return undefined;
}

/** Handles one CloudTrail IAM event. Never throws for events it does not handle; AWS failures propagate (the DLQ keeps the event). */
export async function handleIamEvent(event: CloudTrailEventBridgeEvent, deps: IamEventHandlerDeps): Promise<IamEventOutcome> {
  const log = deps.log ?? ((entry) => console.log(JSON.stringify(entry)));
  const detail = event.detail;
  if (event['detail-type'] !== CLOUDTRAIL_DETAIL_TYPE || detail?.eventSource !== IAM_EVENT_SOURCE) return ignored('not an IAM API call from CloudTrail');
  if (detail.errorCode) return ignored(`the call failed (${detail.errorCode}): nothing changed`);
  if (detail.readOnly === true || /^(Get|List|Generate|Simulate)/.test(detail.eventName)) return ignored('read-only call');

  const desired = await deps.loadDesired();
  const actor = actorOf(detail);
  if (desired.pipelineRoleArns.includes(actor)) return ignored(`made by the pipeline role ${actor}`);
  const actorRole = /:role\/(?:.*\/)?([^/]+)$/.exec(actor)?.[1];
  if (actorRole && desired.protectedRolePrefixes.some((p) => actorRole.startsWith(p)) && !desired.roles.some((r) => r.name === actorRole)) {
    return ignored(`made by platform infrastructure role ${actor} (for example this Lambda remediating)`);
  }

  const { roleName } = resourcesOf(detail);
  const policyArn = roleName ? undefined : touchedPolicyArn(detail, desired.accountId);
  if (!roleName && !policyArn) {
    const what = `${detail.eventName} by ${actor}`;
    const messageId = await publish(deps, desired, detail, `IAM change in ${desired.account}: ${detail.eventName}`, { action: 'alerted', note: 'not a role or policy change: reported, not remediated', drift: [] });
    log({ message: 'iam change alerted', what });
    return { status: 'alerted', reason: 'not a role or policy change', drift: [], messageId };
  }

  const live: LiveInventory = {
    accountId: desired.accountId,
    roles: roleName ? [await readLiveRole(deps.iam, roleName)].filter((r) => r !== undefined) : [],
    policies: policyArn ? [await readLivePolicy(deps.iam, policyArn)].filter((p) => p !== undefined) : [],
    oidcProviders: [],
    readAt: new Date().toISOString(),
  };
  const only = roleName ? { roleNames: [roleName] } : { policyArns: [policyArn as string] };
  const report = detectDrift(desired, live, { scope: deps.scope ?? 'managed', only });
  const drift = attachChangeAuthors(report.drift, [detail]);
  if (drift.length === 0) {
    log({ message: 'no drift', eventName: detail.eventName, roleName, policyArn });
    return { status: 'clean', drift };
  }

  const what = `${detail.eventName} on ${roleName ? `role ${roleName}` : `policy ${(policyArn ?? '').split('/').pop()}`}`;
  if (desired.mode !== 'remediate') {
    const messageId = await publish(deps, desired, detail, `IAM drift in ${desired.account}: ${what}`, { action: 'alerted', drift });
    return { status: 'alerted', drift, messageId };
  }

  const plan = planRemediation({ ...report, drift }, desired, live);
  if (plan.actions.length === 0) {
    const skipped = plan.skipped.map((s) => `${s.drift.name} ${s.drift.attribute ?? s.drift.kind}: ${s.reason}`);
    const messageId = await publish(deps, desired, detail, `IAM drift in ${desired.account}: ${what}`, { action: 'alerted', note: 'nothing remediation may change', drift, skipped });
    return { status: 'alerted', reason: 'nothing remediation may change', drift, messageId };
  }
  const journal = new MemoryJournal();
  const remediation = await applyRemediationPlan(deps.iam, plan, desired, { journal, live, ...(deps.versionStore ? { versionStore: deps.versionStore } : {}) });
  for (const entry of journal.entries) log({ message: 'remediation journal', ...entry });
  const status = remediation.failed ? 'remediation-failed' : 'remediated';
  const messageId = await publish(deps, desired, detail, `IAM drift in ${desired.account}: ${what} (${status})`, {
    action: status,
    drift,
    remediation: {
      applied: remediation.applied.map((a) => describeAction(a.action)),
      ...(remediation.failed ? { failed: { action: describeAction(remediation.failed.action), error: remediation.failed.error } } : {}),
      rolledBack: remediation.rolledBack.map(describeAction),
      notApplied: remediation.notApplied.map(describeAction),
      skipped: plan.skipped.map((s) => `${s.drift.name} ${s.drift.attribute ?? s.drift.kind}: ${s.reason}`),
    },
    journal: journal.entries.filter((e: JournalEntry) => e.phase === 'before').map((e) => ({ description: e.description, replaced: e.action.replaced })),
  });
  return { status, drift, remediation, messageId };
}

async function publish(
  deps: IamEventHandlerDeps,
  desired: DesiredInventory,
  detail: CloudTrailEventBridgeEvent['detail'],
  subject: string,
  body: Record<string, unknown>,
): Promise<string | undefined> {
  const message = {
    account: desired.account,
    accountId: desired.accountId,
    who: actorOf(detail),
    what: detail.eventName,
    when: detail.eventTime,
    sourceIpAddress: detail.sourceIPAddress ?? null,
    requestParameters: detail.requestParameters ?? null,
    ...body,
  };
  const clipped = subject.length > MAX_SNS_SUBJECT_CHARS ? `${subject.slice(0, MAX_SNS_SUBJECT_CHARS - 3)}...` : subject;
  const response = await callAws('SNS', 'Publish', () =>
    deps.sns.send(new PublishCommand({ TopicArn: deps.topicArn, Subject: clipped, Message: JSON.stringify(message, null, 2) })),
  );
  return response.MessageId;
}
