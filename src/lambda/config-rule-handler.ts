/**
 * AWS Config custom rule (Lambda): IAM roles and customer managed policies are NON_COMPLIANT when they lack
 * the managed-by tag or differ from the desired inventory. Change notifications evaluate the one resource;
 * scheduled notifications evaluate every role and policy of the account.
 */
import { type ConfigServiceClient, type Evaluation, PutEvaluationsCommand } from '@aws-sdk/client-config-service';
import { type IAMClient, ListPolicyTagsCommand } from '@aws-sdk/client-iam';
import { type ComplianceEvaluation, type DesiredInventory, evaluatePolicyCompliance, evaluateRoleCompliance, isAwsOwnedRole } from '../core/drift';
import { ERROR_CODES, IamPlatformError } from '../core/errors';
import { callAws, readLiveInventory, readLivePolicy, readLiveRole } from '../io/iam';

/** The event AWS Config sends a custom Lambda rule. */
export interface ConfigRuleEvent {
  /** JSON: `{configurationItem?, messageType, notificationCreationTime}`. */
  readonly invokingEvent: string;
  readonly resultToken: string;
  readonly ruleParameters?: string;
  readonly eventLeftScope?: boolean;
  readonly configRuleName?: string;
  readonly accountId?: string;
}

/** The part of a configuration item the rule reads. */
interface ConfigurationItem {
  readonly resourceType: string;
  readonly resourceId: string;
  readonly resourceName?: string;
  readonly ARN?: string;
  readonly configurationItemStatus?: string;
  readonly configurationItemCaptureTime?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

interface InvokingEvent {
  readonly messageType: string;
  readonly configurationItem?: ConfigurationItem;
  readonly configurationItemSummary?: ConfigurationItem;
  readonly notificationCreationTime?: string;
}

/** What the handler needs. */
export interface ConfigRuleHandlerDeps {
  readonly iam: IAMClient;
  readonly config: ConfigServiceClient;
  readonly loadDesired: () => Promise<DesiredInventory>;
  /** Send PutEvaluations in test mode (Config checks but does not record; emulators support only this). @default false */
  readonly testMode?: boolean;
}

/** Evaluations per PutEvaluations call (Config API limit). @see https://docs.aws.amazon.com/config/latest/APIReference/API_PutEvaluations.html */
export const MAX_EVALUATIONS_PER_CALL = 100;

const DELETED_STATUSES = new Set(['ResourceDeleted', 'ResourceDeletedNotRecorded', 'ResourceNotRecorded']);

async function readPolicyTags(iam: IAMClient, policyArn: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  let marker: string | undefined;
  do {
    const page = await callAws('IAM', 'ListPolicyTags', () => iam.send(new ListPolicyTagsCommand({ PolicyArn: policyArn, Marker: marker })));
    for (const t of page.Tags ?? []) if (t.Key) out[t.Key] = t.Value ?? '';
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return out;
}

async function evaluateItem(item: ConfigurationItem, deps: ConfigRuleHandlerDeps, desired: DesiredInventory): Promise<ComplianceEvaluation | undefined> {
  const name = item.resourceName ?? item.resourceId;
  if (item.resourceType === 'AWS::IAM::Role') {
    if (item.configurationItemStatus && DELETED_STATUSES.has(item.configurationItemStatus)) return evaluateRoleCompliance(desired, undefined, item.resourceId, name);
    return evaluateRoleCompliance(desired, await readLiveRole(deps.iam, name), item.resourceId, name);
  }
  if (item.resourceType === 'AWS::IAM::Policy') {
    const arn = item.ARN;
    if (!arn || (item.configurationItemStatus && DELETED_STATUSES.has(item.configurationItemStatus))) {
      return evaluatePolicyCompliance(desired, undefined, {}, item.resourceId, name);
    }
    const policy = await readLivePolicy(deps.iam, arn);
    const tags = item.tags ?? (policy ? await readPolicyTags(deps.iam, arn) : {});
    return evaluatePolicyCompliance(desired, policy, tags, item.resourceId, name);
  }
  return undefined;
}

async function evaluateAccount(deps: ConfigRuleHandlerDeps, desired: DesiredInventory): Promise<ComplianceEvaluation[]> {
  const live = await readLiveInventory(deps.iam, { accountId: desired.accountId, includeOidcProviders: false });
  const out: ComplianceEvaluation[] = [];
  for (const role of live.roles) {
    if (isAwsOwnedRole(role.path)) continue;
    out.push(evaluateRoleCompliance(desired, role, role.id ?? role.name, role.name));
  }
  for (const policy of live.policies) {
    const tags = desired.policies.some((p) => p.arn === policy.arn) ? await readPolicyTags(deps.iam, policy.arn) : {};
    out.push(evaluatePolicyCompliance(desired, policy, tags, policy.id ?? policy.name, policy.name));
  }
  return out;
}

/** Handles one Config rule invocation and reports the verdicts with PutEvaluations. */
export async function handleConfigRuleEvent(event: ConfigRuleEvent, deps: ConfigRuleHandlerDeps): Promise<readonly ComplianceEvaluation[]> {
  let invoking: InvokingEvent;
  try {
    invoking = JSON.parse(event.invokingEvent) as InvokingEvent;
  } catch (error) {
    throw new IamPlatformError(ERROR_CODES.UNREADABLE_INPUT, `The Config rule event's invokingEvent is not JSON: ${(error as Error).message}`);
  }
  const desired = await deps.loadDesired();
  const orderingTimestamp = new Date(invoking.notificationCreationTime ?? Date.now());
  let evaluations: ComplianceEvaluation[];
  if (invoking.messageType === 'ScheduledNotification') {
    evaluations = await evaluateAccount(deps, desired);
  } else {
    const item = invoking.configurationItem ?? invoking.configurationItemSummary;
    if (!item) return [];
    const verdict = event.eventLeftScope ? undefined : await evaluateItem(item, deps, desired);
    evaluations = verdict ? [verdict] : [];
    if (event.eventLeftScope && (item.resourceType === 'AWS::IAM::Role' || item.resourceType === 'AWS::IAM::Policy')) {
      evaluations = [{ resourceType: item.resourceType, resourceId: item.resourceId, resourceName: item.resourceName ?? item.resourceId, compliance: 'NOT_APPLICABLE', annotation: 'left the rule scope' }];
    }
  }
  for (let i = 0; i < evaluations.length; i += MAX_EVALUATIONS_PER_CALL) {
    const batch: Evaluation[] = evaluations.slice(i, i + MAX_EVALUATIONS_PER_CALL).map((e) => ({
      ComplianceResourceType: e.resourceType,
      ComplianceResourceId: e.resourceId,
      ComplianceType: e.compliance,
      Annotation: e.annotation,
      OrderingTimestamp: orderingTimestamp,
    }));
    await callAws('Config', 'PutEvaluations', () => deps.config.send(new PutEvaluationsCommand({ Evaluations: batch, ResultToken: event.resultToken, ...(deps.testMode ? { TestMode: true } : {}) })));
  }
  return evaluations;
}
