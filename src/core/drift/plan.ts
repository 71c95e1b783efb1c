/**
 * Remediation as data: which IAM calls restore the desired state, each with the live value it replaces,
 * so the executor can journal it first and every action can be undone.
 */
import { MAX_POLICY_VERSIONS, type PolicyDocumentJson } from '../policy';
import type { DriftItem, DriftReport } from './diff';
import type { DesiredInventory, LiveInventory, LivePolicy, LivePolicyVersion } from './inventory';
import { QUARANTINE_POLICY_DOCUMENT, QUARANTINE_POLICY_NAME, QUARANTINE_TAG_KEY } from './quarantine';
import { isAwsManagedPolicyArn } from './scope';
import { documentsEqual } from './documents';
import { iamNameKey } from './identity';

/** A stored policy version and its document, as journaled before it is replaced or pruned. */
export interface VersionSnapshot {
  readonly versionId: string;
  readonly document: PolicyDocumentJson;
}

/** One IAM change. `replaced` is the live value before the change (null when there was none). */
export type RemediationAction =
  | { readonly type: 'delete-inline-policy'; readonly roleName: string; readonly policyName: string; readonly replaced: PolicyDocumentJson }
  | { readonly type: 'put-inline-policy'; readonly roleName: string; readonly policyName: string; readonly document: PolicyDocumentJson; readonly replaced: PolicyDocumentJson | null }
  | { readonly type: 'detach-policy'; readonly roleName: string; readonly policyArn: string; readonly replaced: string }
  | { readonly type: 'attach-policy'; readonly roleName: string; readonly policyArn: string; readonly replaced: null }
  | { readonly type: 'update-trust-policy'; readonly roleName: string; readonly document: PolicyDocumentJson; readonly replaced: PolicyDocumentJson }
  | { readonly type: 'put-boundary'; readonly roleName: string; readonly boundaryArn: string; readonly replaced: string | null }
  | { readonly type: 'delete-boundary'; readonly roleName: string; readonly replaced: string }
  | { readonly type: 'update-max-session'; readonly roleName: string; readonly maxSessionDuration: number; readonly replaced: number }
  | { readonly type: 'tag-role'; readonly roleName: string; readonly tags: Readonly<Record<string, string>>; readonly replaced: Readonly<Record<string, string | null>> }
  | { readonly type: 'untag-role'; readonly roleName: string; readonly tagKeys: readonly string[]; readonly replaced: Readonly<Record<string, string>> }
  | { readonly type: 'set-default-policy-version'; readonly policyArn: string; readonly versionId: string; readonly replaced: VersionSnapshot }
  | {
      readonly type: 'create-policy-version';
      readonly policyArn: string;
      readonly document: PolicyDocumentJson;
      readonly replaced: VersionSnapshot;
      /** The oldest non-default version, deleted first because the policy holds {@link MAX_POLICY_VERSIONS}. @default - none pruned */
      readonly prune?: VersionSnapshot;
    }
  | {
      readonly type: 'quarantine-role';
      readonly roleName: string;
      readonly policyName: string;
      readonly document: PolicyDocumentJson;
      readonly tagKey: string;
      readonly tagValue: string;
      /** The role's inline policy of that name, if any. */
      readonly replaced: PolicyDocumentJson | null;
    };

/** A drift item remediation leaves alone, and why. */
export interface SkippedDrift {
  readonly drift: DriftItem;
  readonly reason: string;
}

/** What `iamctl remediate` will do (or did) for one account. */
export interface RemediationPlan {
  readonly account: string;
  readonly accountId: string;
  readonly actions: readonly RemediationAction[];
  readonly skipped: readonly SkippedDrift[];
}

/** Options of {@link planRemediation}. */
export interface PlanRemediationOptions {
  /** Value of the quarantine tag (an ISO time). @default the report's checkedAt */
  readonly quarantineTime?: string;
}

function versionNumber(id: string): number {
  const n = Number(id.replace(/^v/i, ''));
  return Number.isFinite(n) ? n : 0;
}

/** The non-default version to delete first when a policy is at the version limit: the oldest one. */
export function selectVersionToPrune(policy: LivePolicy): LivePolicyVersion | undefined {
  if (policy.versions.length < MAX_POLICY_VERSIONS) return undefined;
  const candidates = policy.versions.filter((v) => !v.isDefault);
  return [...candidates].sort((a, b) => {
    if (a.createDate && b.createDate && a.createDate !== b.createDate) return a.createDate < b.createDate ? -1 : 1;
    return versionNumber(a.versionId) - versionNumber(b.versionId);
  })[0];
}

/**
 * Turns a drift report into IAM changes. Protected roles (break-glass, pipeline, platform infrastructure),
 * missing resources (Terraform creates them) and attributes IAM cannot change in place (path) are skipped
 * with a reason. Unmanaged roles are quarantined, never deleted; unmanaged policies and OIDC providers are
 * reported only. Actions are ordered: policy versions, then per role trust, boundary, inline, attachments, tags.
 */
export function planRemediation(report: DriftReport, desired: DesiredInventory, live: LiveInventory, options: PlanRemediationOptions = {}): RemediationPlan {
  const skipped: SkippedDrift[] = [];
  const liveRoles = new Map(live.roles.map((r) => [iamNameKey(r.name), r]));
  const livePolicies = new Map(live.policies.map((p) => [p.arn, p]));
  const desiredRoles = new Map(desired.roles.map((r) => [iamNameKey(r.name), r]));
  const livePolicyArns = new Set(live.policies.map((p) => p.arn));
  const quarantineTime = options.quarantineTime ?? report.checkedAt;

  const policyActions: RemediationAction[] = [];
  const roleActions: RemediationAction[] = [];
  const quarantineActions: RemediationAction[] = [];

  for (const item of report.drift) {
    if (item.protected) {
      skipped.push({ drift: item, reason: 'protected role (break-glass, pipeline or deploy role): never remediated' });
      continue;
    }
    if (item.kind === 'missing') {
      skipped.push({ drift: item, reason: 'missing resources are created by the account stack: run the pipeline (terraform apply)' });
      continue;
    }
    if (item.attribute === 'path') {
      skipped.push({ drift: item, reason: 'IAM cannot change a path in place: recreate the resource through the pipeline' });
      continue;
    }
    if (item.resourceType === 'oidc-provider') {
      skipped.push({ drift: item, reason: 'OIDC providers are reported only: run the pipeline to restore them' });
      continue;
    }
    if (item.kind === 'unmanaged') {
      if (item.resourceType === 'policy') {
        skipped.push({ drift: item, reason: 'unmanaged policies are reported only: delete them or add them to accounts/' });
        continue;
      }
      const role = liveRoles.get(iamNameKey(item.name));
      if (!role) continue;
      const existing = role.inlinePolicies.find((p) => p.name === QUARANTINE_POLICY_NAME);
      quarantineActions.push({
        type: 'quarantine-role',
        roleName: role.name,
        policyName: QUARANTINE_POLICY_NAME,
        document: QUARANTINE_POLICY_DOCUMENT,
        tagKey: QUARANTINE_TAG_KEY,
        tagValue: quarantineTime,
        replaced: existing?.document ?? null,
      });
      continue;
    }

    if (item.resourceType === 'policy' && item.attribute === 'defaultVersion') {
      const policy = livePolicies.get(item.arn);
      const want = desired.policies.find((p) => p.arn === item.arn);
      if (!policy || !want) continue;
      const current = policy.versions.find((v) => v.versionId === policy.defaultVersionId);
      const replaced: VersionSnapshot = { versionId: policy.defaultVersionId, document: current?.document ?? { Statement: [] } };
      const match = policy.versions.find((v) => !v.isDefault && documentsEqual(v.document, want.document));
      if (match) {
        policyActions.push({ type: 'set-default-policy-version', policyArn: policy.arn, versionId: match.versionId, replaced });
      } else {
        const prune = selectVersionToPrune(policy);
        policyActions.push({
          type: 'create-policy-version',
          policyArn: policy.arn,
          document: want.document,
          replaced,
          ...(prune ? { prune: { versionId: prune.versionId, document: prune.document } } : {}),
        });
      }
      continue;
    }

    if (item.resourceType !== 'role') continue;
    const role = liveRoles.get(iamNameKey(item.name));
    const want = desiredRoles.get(iamNameKey(item.name));
    if (!role || !want) continue;
    const attribute = item.attribute ?? '';
    if (attribute === 'trustPolicy') {
      roleActions.push({ type: 'update-trust-policy', roleName: role.name, document: want.trustPolicy, replaced: role.trustPolicy });
    } else if (attribute === 'permissionsBoundary') {
      if (want.boundaryArn) roleActions.push({ type: 'put-boundary', roleName: role.name, boundaryArn: want.boundaryArn, replaced: role.boundaryArn ?? null });
      else if (role.boundaryArn) roleActions.push({ type: 'delete-boundary', roleName: role.name, replaced: role.boundaryArn });
    } else if (attribute.startsWith('inlinePolicies.')) {
      const policyName = attribute.slice('inlinePolicies.'.length);
      const wanted = want.inlinePolicies.find((p) => p.name === policyName);
      const current = role.inlinePolicies.find((p) => p.name === policyName);
      if (!wanted && current) roleActions.push({ type: 'delete-inline-policy', roleName: role.name, policyName, replaced: current.document });
      else if (wanted) roleActions.push({ type: 'put-inline-policy', roleName: role.name, policyName, document: wanted.document, replaced: current?.document ?? null });
    } else if (attribute === 'managedPolicies') {
      const wanted = new Set(want.managedPolicyArns);
      const current = new Set(role.managedPolicyArns);
      for (const arn of [...current].sort()) if (!wanted.has(arn)) roleActions.push({ type: 'detach-policy', roleName: role.name, policyArn: arn, replaced: arn });
      for (const arn of [...wanted].sort()) {
        if (current.has(arn)) continue;
        if (!isAwsManagedPolicyArn(arn) && !livePolicyArns.has(arn)) {
          skipped.push({ drift: item, reason: `cannot attach ${arn}: the policy does not exist; run the pipeline (terraform apply)` });
          continue;
        }
        roleActions.push({ type: 'attach-policy', roleName: role.name, policyArn: arn, replaced: null });
      }
    } else if (attribute === 'maxSessionDuration' && role.maxSessionDuration !== undefined) {
      roleActions.push({ type: 'update-max-session', roleName: role.name, maxSessionDuration: want.maxSessionDuration, replaced: role.maxSessionDuration });
    } else if (attribute.startsWith('tags.')) {
      const key = attribute.slice('tags.'.length);
      roleActions.push({ type: 'tag-role', roleName: role.name, tags: { [key]: want.tags[key] }, replaced: { [key]: role.tags[key] ?? null } });
    }
  }

  return { account: report.account, accountId: report.accountId, actions: [...policyActions, ...roleActions, ...quarantineActions], skipped };
}

/**
 * The actions that bring back what a completed one replaced, for `iamctl remediate --restore` (an operator's
 * choice; a failed remediation never undoes its fixes). Versions created get their id at apply time.
 */
export function invertAction(action: RemediationAction, createdVersionId?: string): RemediationAction[] {
  switch (action.type) {
    case 'delete-inline-policy':
      return [{ type: 'put-inline-policy', roleName: action.roleName, policyName: action.policyName, document: action.replaced, replaced: null }];
    case 'put-inline-policy':
      return action.replaced
        ? [{ type: 'put-inline-policy', roleName: action.roleName, policyName: action.policyName, document: action.replaced, replaced: action.document }]
        : [{ type: 'delete-inline-policy', roleName: action.roleName, policyName: action.policyName, replaced: action.document }];
    case 'detach-policy':
      return [{ type: 'attach-policy', roleName: action.roleName, policyArn: action.policyArn, replaced: null }];
    case 'attach-policy':
      return [{ type: 'detach-policy', roleName: action.roleName, policyArn: action.policyArn, replaced: action.policyArn }];
    case 'update-trust-policy':
      return [{ type: 'update-trust-policy', roleName: action.roleName, document: action.replaced, replaced: action.document }];
    case 'put-boundary':
      return action.replaced
        ? [{ type: 'put-boundary', roleName: action.roleName, boundaryArn: action.replaced, replaced: action.boundaryArn }]
        : [{ type: 'delete-boundary', roleName: action.roleName, replaced: action.boundaryArn }];
    case 'delete-boundary':
      return [{ type: 'put-boundary', roleName: action.roleName, boundaryArn: action.replaced, replaced: null }];
    case 'update-max-session':
      return [{ type: 'update-max-session', roleName: action.roleName, maxSessionDuration: action.replaced, replaced: action.maxSessionDuration }];
    case 'tag-role': {
      const restore = Object.fromEntries(Object.entries(action.replaced).filter((e): e is [string, string] => e[1] !== null));
      const absent = Object.entries(action.replaced).filter(([, v]) => v === null).map(([k]) => k);
      return [
        ...(Object.keys(restore).length > 0 ? [{ type: 'tag-role' as const, roleName: action.roleName, tags: restore, replaced: Object.fromEntries(Object.keys(restore).map((k) => [k, action.tags[k] ?? null])) }] : []),
        ...(absent.length > 0 ? [{ type: 'untag-role' as const, roleName: action.roleName, tagKeys: absent, replaced: Object.fromEntries(absent.map((k) => [k, action.tags[k] ?? ''])) }] : []),
      ];
    }
    case 'untag-role':
      return [{ type: 'tag-role', roleName: action.roleName, tags: { ...action.replaced }, replaced: Object.fromEntries(action.tagKeys.map((k) => [k, null])) }];
    case 'set-default-policy-version':
      return [{ type: 'set-default-policy-version', policyArn: action.policyArn, versionId: action.replaced.versionId, replaced: { versionId: action.versionId, document: action.replaced.document } }];
    case 'create-policy-version':
      return [
        {
          type: 'set-default-policy-version',
          policyArn: action.policyArn,
          versionId: action.replaced.versionId,
          replaced: { versionId: createdVersionId ?? 'unknown', document: action.document },
        },
      ];
    case 'quarantine-role':
      return [
        action.replaced
          ? { type: 'put-inline-policy', roleName: action.roleName, policyName: action.policyName, document: action.replaced, replaced: action.document }
          : { type: 'delete-inline-policy', roleName: action.roleName, policyName: action.policyName, replaced: action.document },
        { type: 'untag-role', roleName: action.roleName, tagKeys: [action.tagKey], replaced: { [action.tagKey]: action.tagValue } },
      ];
  }
}

/** One line describing an action, for plans and journals. */
export function describeAction(action: RemediationAction): string {
  switch (action.type) {
    case 'delete-inline-policy':
      return `delete inline policy ${action.policyName} from role ${action.roleName}`;
    case 'put-inline-policy':
      return `${action.replaced ? 'restore' : 'put'} inline policy ${action.policyName} on role ${action.roleName}`;
    case 'detach-policy':
      return `detach ${action.policyArn} from role ${action.roleName}`;
    case 'attach-policy':
      return `attach ${action.policyArn} to role ${action.roleName}`;
    case 'update-trust-policy':
      return `restore the trust policy of role ${action.roleName}`;
    case 'put-boundary':
      return `set permissions boundary ${action.boundaryArn} on role ${action.roleName}`;
    case 'delete-boundary':
      return `remove permissions boundary ${action.replaced} from role ${action.roleName}`;
    case 'update-max-session':
      return `set max session duration of role ${action.roleName} to ${action.maxSessionDuration} s`;
    case 'tag-role':
      return `tag role ${action.roleName} with ${Object.entries(action.tags).map(([k, v]) => `${k}=${v}`).join(', ')}`;
    case 'untag-role':
      return `remove tag(s) ${action.tagKeys.join(', ')} from role ${action.roleName}`;
    case 'set-default-policy-version':
      return `set version ${action.versionId} of ${action.policyArn} as default (was ${action.replaced.versionId})`;
    case 'create-policy-version':
      return `create a default version of ${action.policyArn} with the desired document${action.prune ? ` (pruning ${action.prune.versionId} at the ${MAX_POLICY_VERSIONS}-version limit)` : ''}`;
    case 'quarantine-role':
      return `quarantine unmanaged role ${action.roleName} (deny-all inline policy ${action.policyName}, tag ${action.tagKey})`;
  }
}
