/**
 * EventBridge → Lambda: an IAM write call from CloudTrail ("AWS API Call via CloudTrail", us-east-1).
 * Evaluates the touched role or policy against the desired inventory, then alerts or remediates per the
 * account's mode, and publishes who, what, when and the action taken to SNS.
 */
import type { IAMClient } from '@aws-sdk/client-iam';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
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
  includesIamArn,
  type LiveInventory,
  planRemediation,
  resourcesOf,
} from '../core/drift';
import { ERROR_CODES, IamPlatformError } from '../core/errors';
import { boundAlertMessage } from '../io/iam/alert-message';
export { boundAlertMessage, MAX_SNS_MESSAGE_BYTES, SUMMARY_LIST_LIMIT } from '../io/iam/alert-message';
import { customerPolicyArn, isIamWriteEvent } from '../core/iam';
import {
  applyRemediationPlan,
  callAws,
  type JournalEntry,
  MemoryJournal,
  readLivePolicy,
  readLiveRole,
  type RemediationLock,
  type RemediationResult,
} from '../io/iam';
import type { PolicyRegistryStore } from '../io/registry/registry-store';

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
  readonly record?: PolicyRegistryStore;
  /** One remediation per account at a time (the DynamoDB lock when a table is configured). @default - no lock */
  readonly lock?: RemediationLock;
  /** Where the full alert record goes (the drift bucket), linked from the SNS message. @default - the message only (clipped to the SNS limit) */
  readonly records?: { readonly s3: S3Client; readonly bucket: string; readonly prefix?: string };
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks the shape of an EventBridge CloudTrail event before anything reads it; a null or malformed event
 * is rejected with an error naming what is wrong (the invocation fails and the DLQ keeps the event).
 */
export function validateIamEvent(event: unknown): asserts event is CloudTrailEventBridgeEvent {
  const problems: string[] = [];
  if (!isRecord(event)) {
    throw new IamPlatformError(ERROR_CODES.UNREADABLE_INPUT, `The drift Lambda received ${event === null ? 'null' : typeof event} instead of an EventBridge event: invoke it only from the module's EventBridge rule`);
  }
  if (typeof event['detail-type'] !== 'string') problems.push('"detail-type" is not a string');
  if (typeof event.source !== 'string') problems.push('"source" is not a string');
  const detail = event.detail;
  if (!isRecord(detail)) problems.push('"detail" is not an object');
  else {
    if (typeof detail.eventName !== 'string') problems.push('"detail.eventName" is not a string');
    if (typeof detail.eventTime !== 'string') problems.push('"detail.eventTime" is not a string');
    if (detail.eventSource !== undefined && typeof detail.eventSource !== 'string') problems.push('"detail.eventSource" is not a string');
    if (detail.userIdentity !== undefined && !isRecord(detail.userIdentity)) problems.push('"detail.userIdentity" is not an object');
    if (detail.requestParameters !== undefined && detail.requestParameters !== null && !isRecord(detail.requestParameters)) problems.push('"detail.requestParameters" is not an object');
  }
  if (problems.length > 0) {
    throw new IamPlatformError(ERROR_CODES.UNREADABLE_INPUT, `The drift Lambda received a malformed EventBridge event: ${problems.join('; ')}. Only "AWS API Call via CloudTrail" events from the module's rule are handled`);
  }
}

/**
 * Handles one CloudTrail IAM event. A malformed event is rejected (throws); events it does not handle are
 * ignored with a reason; AWS failures propagate (the DLQ keeps the event). Calls by every principal are
 * verified against the desired state, the platform's own roles included (by identity, never a name
 * prefix); calls by the pipeline's deploy role are verified and alerted, never remediated (the same apply
 * may still be publishing the desired state).
 */
export async function handleIamEvent(event: unknown, deps: IamEventHandlerDeps): Promise<IamEventOutcome> {
  validateIamEvent(event);
  const log = deps.log ?? ((entry) => console.log(JSON.stringify(entry)));
  const detail = event.detail;
  if (event['detail-type'] !== CLOUDTRAIL_DETAIL_TYPE || detail.eventSource !== IAM_EVENT_SOURCE) return ignored('not an IAM API call from CloudTrail');
  if (detail.errorCode) return ignored(`the call failed (${detail.errorCode}): nothing changed`);
  if (!isIamWriteEvent(detail.eventName)) return ignored(`${detail.eventName} changes nothing (not an IAM write call)`);

  const desired = await deps.loadDesired();
  const actor = actorOf(detail);
  const byPipeline = includesIamArn(desired.pipelineRoleArns, actor);

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
  if (desired.mode !== 'remediate' || byPipeline) {
    const note = byPipeline ? `made by the pipeline role ${actor}: verified and reported, not remediated` : undefined;
    const messageId = await publish(deps, desired, detail, `IAM drift in ${desired.account}: ${what}`, { action: 'alerted', ...(note ? { note } : {}), drift });
    return { status: 'alerted', ...(note ? { reason: note } : {}), drift, messageId };
  }

  const plan = planRemediation({ ...report, drift }, desired, live);
  if (plan.actions.length === 0) {
    const skipped = plan.skipped.map((s) => `${s.drift.name} ${s.drift.attribute ?? s.drift.kind}: ${s.reason}`);
    const messageId = await publish(deps, desired, detail, `IAM drift in ${desired.account}: ${what}`, { action: 'alerted', note: 'nothing remediation may change', drift, skipped });
    return { status: 'alerted', reason: 'nothing remediation may change', drift, messageId };
  }
  const journal = new MemoryJournal();
  const runId = new Date().toISOString();
  let held;
  try {
    held = deps.lock ? await deps.lock.acquire(desired.account, runId) : undefined;
  } catch (error) {
    const note = `not remediated: ${(error as Error).message}`;
    const messageId = await publish(deps, desired, detail, `IAM drift in ${desired.account}: ${what}`, { action: 'alerted', note, drift });
    return { status: 'alerted', reason: note, drift, messageId };
  }
  let remediation: RemediationResult;
  try {
    remediation = await applyRemediationPlan(deps.iam, plan, desired, { journal, live, runId, ...(deps.record ? { record: deps.record } : {}) });
  } finally {
    await held?.release();
  }
  for (const entry of journal.entries) log({ message: 'remediation journal', ...entry });
  const status = remediation.failed ? 'remediation-failed' : 'remediated';
  const messageId = await publish(deps, desired, detail, `IAM drift in ${desired.account}: ${what} (${status})`, {
    action: status,
    drift,
    remediation: {
      applied: remediation.applied.map((a) => describeAction(a.action)),
      ...(remediation.failed ? { failed: { action: describeAction(remediation.failed.action), error: remediation.failed.error } } : {}),
      stillOpen: [
        ...remediation.stale.map((a) => `${describeAction(a.action)} (skipped: ${a.reason})`),
        ...(remediation.failed ? [`${describeAction(remediation.failed.action)} (failed)`] : []),
        ...remediation.notApplied.map((a) => `${describeAction(a)} (not attempted)`),
      ],
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
  const record = {
    account: desired.account,
    accountId: desired.accountId,
    who: actorOf(detail),
    what: detail.eventName,
    when: detail.eventTime,
    sourceIpAddress: detail.sourceIPAddress ?? null,
    requestParameters: detail.requestParameters ?? null,
    ...body,
  };
  // The full record goes to the drift bucket first, so the alert can always link it.
  let fullRecord: string | undefined;
  if (deps.records) {
    const { s3, bucket } = deps.records;
    const key = `${deps.records.prefix ?? 'alerts/'}${desired.account}/${new Date().toISOString().replace(/[:.]/g, '-')}-${detail.eventName}.json`;
    await callAws('S3', 'PutObject', () => s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: JSON.stringify(record, null, 2), ContentType: 'application/json' })));
    fullRecord = `s3://${bucket}/${key}`;
  }
  const clipped = subject.length > MAX_SNS_SUBJECT_CHARS ? `${subject.slice(0, MAX_SNS_SUBJECT_CHARS - 3)}...` : subject;
  const response = await callAws('SNS', 'Publish', () => deps.sns.send(new PublishCommand({ TopicArn: deps.topicArn, Subject: clipped, Message: boundAlertMessage(record, fullRecord) })));
  return response.MessageId;
}
