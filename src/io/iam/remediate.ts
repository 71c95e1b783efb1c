/**
 * Applies a remediation plan to IAM, forward only: journal first (durably), one change at a time, each
 * re-checked against IAM right before its call; on a failure it stops and keeps every fix already made
 * (it never puts a drifted document back).
 */
import {
  AttachRolePolicyCommand,
  CreatePolicyVersionCommand,
  DeletePolicyVersionCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  type IAMClient,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  SetDefaultPolicyVersionCommand,
  TagRoleCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
} from '@aws-sdk/client-iam';
import {
  type DesiredInventory,
  describeAction,
  documentsEqual,
  type LiveInventory,
  type RemediationAction,
  type RemediationPlan,
  validateRemediationPlan,
} from '../../core/drift';
import { ERROR_CODES, IamPlatformError } from '../../core/errors';
import { callAws } from './errors';
import type { JournalEntry, JournalWriter } from './journal';
import { readLivePolicy, readLiveRole } from './read-live';
import { buildRemediationRecord } from '../../core/registry';
import type { PolicyRegistryStore } from '../registry/registry-store';

/** Options of {@link applyRemediationPlan}. */
export interface ApplyRemediationOptions {
  readonly journal: JournalWriter;
  /** The policy record: each replaced console value is recorded there (status rolled-back, source remediation) before it is changed. @default - journal only */
  readonly record?: PolicyRegistryStore;
  /** Live inventory the plan was made from (for role ARNs in the record). @default - ARNs without path */
  readonly live?: LiveInventory;
  /** Id of this run. @default - the current ISO time */
  readonly runId?: string;
  /**
   * Re-read each resource right before its change and skip the change when IAM no longer holds the value
   * the plan replaces (someone changed it since the plan). @default true
   */
  readonly recheck?: boolean;
}

/** A change that was made. */
export interface AppliedAction {
  readonly action: RemediationAction;
  /** Version created by `create-policy-version`. @default - none */
  readonly createdVersionId?: string;
}

/** What happened when a plan was applied. */
export interface RemediationResult {
  readonly runId: string;
  /** Where the journal is. */
  readonly journal: string;
  /** Changes made, all kept (also when a later one failed). */
  readonly applied: readonly AppliedAction[];
  /** The change that failed, with the error message; the run stopped there. @default - none */
  readonly failed?: { readonly action: RemediationAction; readonly error: string };
  /** Changes never attempted (after a failure): still open. */
  readonly notApplied: readonly RemediationAction[];
  /** Changes skipped because IAM changed since the plan (re-check before the call): still open. */
  readonly stale: readonly { readonly action: RemediationAction; readonly reason: string }[];
}

function roleArnFor(accountId: string, roleName: string, live: LiveInventory | undefined): string {
  return live?.roles.find((r) => r.name === roleName)?.arn ?? `arn:aws:iam::${accountId}:role/${roleName}`;
}

/** Where the replaced value of an action lives, for the policy record. */
function slotOf(action: RemediationAction, accountId: string, live: LiveInventory | undefined): { resourceArn: string; slot: string } {
  switch (action.type) {
    case 'delete-inline-policy':
    case 'put-inline-policy':
    case 'quarantine-role':
      return { resourceArn: roleArnFor(accountId, action.roleName, live), slot: `inline-policy:${action.policyName}` };
    case 'detach-policy':
    case 'attach-policy':
      return { resourceArn: roleArnFor(accountId, action.roleName, live), slot: `attachment:${action.policyArn}` };
    case 'update-trust-policy':
      return { resourceArn: roleArnFor(accountId, action.roleName, live), slot: 'trust-policy' };
    case 'put-boundary':
    case 'delete-boundary':
      return { resourceArn: roleArnFor(accountId, action.roleName, live), slot: 'permissions-boundary' };
    case 'update-max-session':
      return { resourceArn: roleArnFor(accountId, action.roleName, live), slot: 'max-session' };
    case 'tag-role':
    case 'untag-role':
      return { resourceArn: roleArnFor(accountId, action.roleName, live), slot: 'tags' };
    case 'set-default-policy-version':
    case 'create-policy-version':
      return { resourceArn: action.policyArn, slot: `policy-version:${action.replaced.versionId}` };
  }
}

/** Makes one IAM change. Returns the version id a create-policy-version made. */
export async function executeAction(iam: IAMClient, action: RemediationAction): Promise<string | undefined> {
  switch (action.type) {
    case 'delete-inline-policy':
      await callAws('IAM', 'DeleteRolePolicy', () => iam.send(new DeleteRolePolicyCommand({ RoleName: action.roleName, PolicyName: action.policyName })));
      return undefined;
    case 'put-inline-policy':
      await callAws('IAM', 'PutRolePolicy', () =>
        iam.send(new PutRolePolicyCommand({ RoleName: action.roleName, PolicyName: action.policyName, PolicyDocument: JSON.stringify(action.document) })),
      );
      return undefined;
    case 'detach-policy':
      await callAws('IAM', 'DetachRolePolicy', () => iam.send(new DetachRolePolicyCommand({ RoleName: action.roleName, PolicyArn: action.policyArn })));
      return undefined;
    case 'attach-policy':
      await callAws('IAM', 'AttachRolePolicy', () => iam.send(new AttachRolePolicyCommand({ RoleName: action.roleName, PolicyArn: action.policyArn })));
      return undefined;
    case 'update-trust-policy':
      await callAws('IAM', 'UpdateAssumeRolePolicy', () =>
        iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: action.roleName, PolicyDocument: JSON.stringify(action.document) })),
      );
      return undefined;
    case 'put-boundary':
      await callAws('IAM', 'PutRolePermissionsBoundary', () =>
        iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: action.roleName, PermissionsBoundary: action.boundaryArn })),
      );
      return undefined;
    case 'delete-boundary':
      await callAws('IAM', 'DeleteRolePermissionsBoundary', () => iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: action.roleName })));
      return undefined;
    case 'update-max-session':
      await callAws('IAM', 'UpdateRole', () => iam.send(new UpdateRoleCommand({ RoleName: action.roleName, MaxSessionDuration: action.maxSessionDuration })));
      return undefined;
    case 'tag-role':
      await callAws('IAM', 'TagRole', () =>
        iam.send(new TagRoleCommand({ RoleName: action.roleName, Tags: Object.entries(action.tags).map(([Key, Value]) => ({ Key, Value })) })),
      );
      return undefined;
    case 'untag-role':
      await callAws('IAM', 'UntagRole', () => iam.send(new UntagRoleCommand({ RoleName: action.roleName, TagKeys: [...action.tagKeys] })));
      return undefined;
    case 'set-default-policy-version':
      await callAws('IAM', 'SetDefaultPolicyVersion', () => iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: action.policyArn, VersionId: action.versionId })));
      return undefined;
    case 'create-policy-version': {
      const prune = action.prune;
      if (prune) {
        await callAws('IAM', 'DeletePolicyVersion', () => iam.send(new DeletePolicyVersionCommand({ PolicyArn: action.policyArn, VersionId: prune.versionId })));
      }
      const created = await callAws('IAM', 'CreatePolicyVersion', () =>
        iam.send(new CreatePolicyVersionCommand({ PolicyArn: action.policyArn, PolicyDocument: JSON.stringify(action.document), SetAsDefault: true })),
      );
      return created.PolicyVersion?.VersionId;
    }
    case 'quarantine-role': {
      await callAws('IAM', 'PutRolePolicy', () =>
        iam.send(new PutRolePolicyCommand({ RoleName: action.roleName, PolicyName: action.policyName, PolicyDocument: JSON.stringify(action.document) })),
      );
      // Forward only: when tagging fails, the deny-all policy stays (the role is contained, the failure reported).
      await callAws('IAM', 'TagRole', () => iam.send(new TagRoleCommand({ RoleName: action.roleName, Tags: [{ Key: action.tagKey, Value: action.tagValue }] })));
      return undefined;
    }
  }
}

function sameDocument(a: unknown, b: unknown): boolean {
  if (a === null || b === null || a === undefined || b === undefined) return (a ?? null) === (b ?? null);
  return documentsEqual(a as never, b as never);
}

/**
 * Re-reads the resource of one planned change and says why the change no longer applies (IAM no longer
 * holds the value the plan replaces), or undefined when it still does.
 */
export async function recheckAction(iam: IAMClient, action: RemediationAction): Promise<string | undefined> {
  const changed = 'changed since the plan was made: plan again';
  if (action.type === 'set-default-policy-version' || action.type === 'create-policy-version') {
    const policy = await readLivePolicy(iam, action.policyArn);
    if (!policy) return 'the policy no longer exists';
    return policy.defaultVersionId === action.replaced.versionId ? undefined : `its default version is ${policy.defaultVersionId}, not ${action.replaced.versionId}: ${changed}`;
  }
  const role = await readLiveRole(iam, action.roleName);
  if (!role) return 'the role no longer exists';
  switch (action.type) {
    case 'delete-inline-policy':
    case 'put-inline-policy':
    case 'quarantine-role': {
      const current = role.inlinePolicies.find((p) => p.name === action.policyName)?.document ?? null;
      return sameDocument(current, action.replaced) ? undefined : `inline policy ${action.policyName} ${changed}`;
    }
    case 'detach-policy':
      return role.managedPolicyArns.includes(action.policyArn) ? undefined : `${action.policyArn} is no longer attached`;
    case 'attach-policy':
      return role.managedPolicyArns.includes(action.policyArn) ? `${action.policyArn} is already attached` : undefined;
    case 'update-trust-policy':
      return sameDocument(role.trustPolicy, action.replaced) ? undefined : `the trust policy ${changed}`;
    case 'put-boundary':
    case 'delete-boundary':
      return (role.boundaryArn ?? null) === (action.replaced ?? null) ? undefined : `the permissions boundary ${changed}`;
    case 'update-max-session':
      return role.maxSessionDuration === undefined || role.maxSessionDuration === action.replaced ? undefined : `the max session duration ${changed}`;
    case 'tag-role':
      return Object.entries(action.replaced).every(([k, v]) => (role.tags[k] ?? null) === v) ? undefined : `tags ${Object.keys(action.replaced).join(', ')} ${changed}`;
    case 'untag-role':
      return Object.entries(action.replaced).every(([k, v]) => role.tags[k] === v) ? undefined : `tags ${action.tagKeys.join(', ')} ${changed}`;
  }
}

/**
 * Applies a plan, forward only. The plan is validated whole first (documents, sizes, protected roles), so a
 * bad plan changes nothing. Before each change the resource is re-read (a change IAM no longer needs, or
 * whose resource changed since the plan, is skipped as stale) and the replaced value is written durably
 * to the journal (and the policy record); a journal or store failure stops before the change. When a
 * change fails, the run stops: every change already made stays (none is undone, no drifted document is
 * put back) and the result says what was done, what failed and what is still open.
 */
export async function applyRemediationPlan(iam: IAMClient, plan: RemediationPlan, desired: DesiredInventory, options: ApplyRemediationOptions): Promise<RemediationResult> {
  const problems = validateRemediationPlan(plan, desired);
  if (problems.length > 0) {
    throw new IamPlatformError(
      ERROR_CODES.INVALID_CONFIG,
      `The remediation plan for ${plan.account} is not valid; nothing was changed:\n${problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`,
      { problems },
    );
  }
  const runId = options.runId ?? new Date().toISOString();
  const journal = options.journal;
  const recheck = options.recheck ?? true;
  const entry = (sequence: number, phase: JournalEntry['phase'], action: RemediationAction, extra: Partial<JournalEntry> = {}): JournalEntry => ({
    time: new Date().toISOString(),
    account: plan.account,
    accountId: plan.accountId,
    runId,
    sequence,
    phase,
    description: describeAction(action),
    action,
    ...extra,
  });

  const applied: AppliedAction[] = [];
  const stale: { action: RemediationAction; reason: string }[] = [];
  for (let i = 0; i < plan.actions.length; i++) {
    const action = plan.actions[i];
    let failure: string | undefined;
    try {
      const reason = recheck ? await recheckAction(iam, action) : undefined;
      if (reason !== undefined) {
        stale.push({ action, reason });
        await journal.append(entry(i, 'skipped', action, { error: reason }));
        continue;
      }
      await journal.append(entry(i, 'before', action));
      if (options.record) {
        // The policy record keeps the console value before it is replaced (history shows reverted console changes).
        const { resourceArn, slot } = slotOf(action, plan.accountId, options.live);
        const at = new Date().toISOString();
        const records = [buildRemediationRecord({ account: plan.account, resourceArn, slot, replaced: action.replaced, runId, sequence: i, at })];
        if (action.type === 'create-policy-version' && action.prune) {
          records.push(buildRemediationRecord({ account: plan.account, resourceArn: action.policyArn, slot: `policy-version:${action.prune.versionId}`, replaced: action.prune.document, runId, sequence: i, at }));
        }
        await options.record.put(records);
      }
      const createdVersionId = await executeAction(iam, action);
      applied.push({ action, ...(createdVersionId ? { createdVersionId } : {}) });
      await journal.append(entry(i, 'applied', action, createdVersionId ? { createdVersionId } : {}));
    } catch (error) {
      failure = (error as Error).message;
    }
    if (failure === undefined) continue;
    await journal.append(entry(i, 'failed', action, { error: failure })).catch(() => undefined);
    return { runId, journal: journal.location, applied, failed: { action, error: failure }, notApplied: plan.actions.slice(i + 1), stale };
  }
  return { runId, journal: journal.location, applied, notApplied: [], stale };
}

/** One paragraph saying what a remediation run did, for the CLI and SNS. */
export function describeRemediationResult(result: RemediationResult): string {
  const lines: string[] = [];
  if (!result.failed) {
    lines.push(`Applied ${result.applied.length} change(s). Journal: ${result.journal}`);
    for (const a of result.applied) lines.push(`  done: ${describeAction(a.action)}`);
    for (const s of result.stale) lines.push(`  still open (skipped: ${s.reason}): ${describeAction(s.action)}`);
    return lines.join('\n');
  }
  lines.push(`Remediation stopped: ${describeAction(result.failed.action)} failed: ${result.failed.error}`);
  for (const a of result.applied) lines.push(`  done (kept): ${describeAction(a.action)}`);
  for (const s of result.stale) lines.push(`  still open (skipped: ${s.reason}): ${describeAction(s.action)}`);
  lines.push(`  still open (failed): ${describeAction(result.failed.action)}`);
  for (const a of result.notApplied) lines.push(`  still open (not attempted): ${describeAction(a)}`);
  lines.push(`Journal (every replaced document): ${result.journal}`);
  return lines.join('\n');
}
