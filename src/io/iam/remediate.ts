/** Applies a remediation plan to IAM: journal first, one change at a time, roll back on failure. */
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
  invertAction,
  type LiveInventory,
  type RemediationAction,
  type RemediationPlan,
  validateRemediationPlan,
} from '../../core/drift';
import { ERROR_CODES, IamPlatformError } from '../../core/errors';
import { callAws } from './errors';
import type { JournalEntry, JournalWriter } from './journal';
import type { PolicyVersionStore } from './version-store';

/** Options of {@link applyRemediationPlan}. */
export interface ApplyRemediationOptions {
  readonly journal: JournalWriter;
  /** Durable copy of replaced documents. @default - journal only */
  readonly versionStore?: PolicyVersionStore;
  /** Live inventory the plan was made from (for role ARNs in the version store). @default - ARNs without path */
  readonly live?: LiveInventory;
  /** Id of this run. @default - the current ISO time */
  readonly runId?: string;
  /** Undo applied changes when a later one fails. @default true */
  readonly rollbackOnFailure?: boolean;
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
  /** Changes in effect at the end (empty after a rollback). */
  readonly applied: readonly AppliedAction[];
  /** The change that failed, with the error message. @default - none */
  readonly failed?: { readonly action: RemediationAction; readonly error: string };
  /** Changes never attempted. */
  readonly notApplied: readonly RemediationAction[];
  /** Changes made and then undone after the failure. */
  readonly rolledBack: readonly RemediationAction[];
  /** Changes made that could not be undone (see the journal). */
  readonly rollbackFailed: readonly { readonly action: RemediationAction; readonly error: string }[];
}

function roleArnFor(accountId: string, roleName: string, live: LiveInventory | undefined): string {
  return live?.roles.find((r) => r.name === roleName)?.arn ?? `arn:aws:iam::${accountId}:role/${roleName}`;
}

/** Where the replaced value of an action lives, for the version store. */
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
      try {
        await callAws('IAM', 'TagRole', () => iam.send(new TagRoleCommand({ RoleName: action.roleName, Tags: [{ Key: action.tagKey, Value: action.tagValue }] })));
      } catch (error) {
        // Keep the action whole: take the deny-all policy off again before reporting the failure.
        for (const undo of invertAction(action)) await executeAction(iam, undo);
        throw error;
      }
      return undefined;
    }
  }
}

async function undoAction(iam: IAMClient, applied: AppliedAction): Promise<void> {
  const { action, createdVersionId } = applied;
  for (const undo of invertAction(action, createdVersionId)) await executeAction(iam, undo);
  if (action.type === 'create-policy-version' && createdVersionId) {
    await callAws('IAM', 'DeletePolicyVersion', () => iam.send(new DeletePolicyVersionCommand({ PolicyArn: action.policyArn, VersionId: createdVersionId })));
  }
  if (action.type === 'quarantine-role') {
    await callAws('IAM', 'UntagRole', () => iam.send(new UntagRoleCommand({ RoleName: action.roleName, TagKeys: [action.tagKey] })));
  }
}

/**
 * Applies a plan. The plan is validated whole first (documents, sizes, protected roles), so a bad plan
 * changes nothing. Before each change the replaced value goes to the journal (and the version store);
 * a journal or store failure stops before the change. When a change fails, the changes already made are
 * undone in reverse order (unless `rollbackOnFailure` is false) and the result says what was done,
 * what failed, what was not attempted and what was rolled back.
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
  for (let i = 0; i < plan.actions.length; i++) {
    const action = plan.actions[i];
    let failure: string | undefined;
    try {
      await journal.append(entry(i, 'before', action));
      if (options.versionStore) {
        const { resourceArn, slot } = slotOf(action, plan.accountId, options.live);
        await options.versionStore.save({ account: plan.account, resourceArn, slot, value: action.replaced, recordedAt: new Date().toISOString(), runId, sequence: i });
        if (action.type === 'create-policy-version' && action.prune) {
          await options.versionStore.save({
            account: plan.account,
            resourceArn: action.policyArn,
            slot: `policy-version:${action.prune.versionId}`,
            value: action.prune.document,
            recordedAt: new Date().toISOString(),
            runId,
            sequence: i,
          });
        }
      }
      const createdVersionId = await executeAction(iam, action);
      applied.push({ action, ...(createdVersionId ? { createdVersionId } : {}) });
      await journal.append(entry(i, 'applied', action, createdVersionId ? { createdVersionId } : {}));
    } catch (error) {
      failure = (error as Error).message;
    }
    if (failure === undefined) continue;

    await journal.append(entry(i, 'failed', action, { error: failure })).catch(() => undefined);
    const rolledBack: RemediationAction[] = [];
    const rollbackFailed: { action: RemediationAction; error: string }[] = [];
    const kept: AppliedAction[] = [];
    if (options.rollbackOnFailure ?? true) {
      for (let j = applied.length - 1; j >= 0; j--) {
        const done = applied[j];
        const sequence = plan.actions.indexOf(done.action);
        try {
          await undoAction(iam, done);
          rolledBack.unshift(done.action);
          await journal.append(entry(sequence, 'rolled-back', done.action)).catch(() => undefined);
        } catch (error) {
          rollbackFailed.unshift({ action: done.action, error: (error as Error).message });
          kept.unshift(done);
          await journal.append(entry(sequence, 'rollback-failed', done.action, { error: (error as Error).message })).catch(() => undefined);
        }
      }
    } else {
      kept.push(...applied);
    }
    return { runId, journal: journal.location, applied: kept, failed: { action, error: failure }, notApplied: plan.actions.slice(i + 1), rolledBack, rollbackFailed };
  }
  return { runId, journal: journal.location, applied, notApplied: [], rolledBack: [], rollbackFailed: [] };
}

/** One paragraph saying what a remediation run did, for the CLI and SNS. */
export function describeRemediationResult(result: RemediationResult): string {
  const lines: string[] = [];
  if (!result.failed) {
    lines.push(`Applied ${result.applied.length} change(s). Journal: ${result.journal}`);
    for (const a of result.applied) lines.push(`  done: ${describeAction(a.action)}`);
    return lines.join('\n');
  }
  lines.push(`Remediation stopped: ${describeAction(result.failed.action)} failed: ${result.failed.error}`);
  for (const a of result.rolledBack) lines.push(`  rolled back: ${describeAction(a)}`);
  for (const a of result.rollbackFailed) lines.push(`  STILL APPLIED (rollback failed: ${a.error}): ${describeAction(a.action)}`);
  for (const a of result.notApplied) lines.push(`  not attempted: ${describeAction(a)}`);
  lines.push(`Journal (every replaced document): ${result.journal}`);
  return lines.join('\n');
}
