/**
 * What the first apply after an import would still change, found by comparing the account's stack
 * (its desired inventory, synthesized from the written files) with the live IAM that was read:
 * - `changes`: the drift engine's items other than platform tags, plus what the drift engine does not
 *   look at but Terraform does: statement ids of trust policies (the AWS provider compares Sids) and
 *   role descriptions;
 * - `platformTags`: the tags every resource of the stack gets (default tags, the source tag, a role's
 *   owner) that live IAM does not carry yet. Adding them is how the platform marks what it manages.
 */
import { detectDrift, iamNameKey, type DesiredInventory, type DriftItem, type LiveInventory } from '../drift';
import type { PolicyDocumentJson, StatementJson } from '../policy';
import { PLATFORM_TAG_KEYS, type ImportPlan } from './plan-import';

/** One resource that gets platform tags on the first apply. */
export interface PlatformTagAddition {
  readonly resourceType: DriftItem['resourceType'];
  readonly name: string;
  /** Tag keys added or set, sorted. */
  readonly keys: readonly string[];
}

/** The result of {@link compareImported}. */
export interface ImportComparison {
  readonly changes: readonly DriftItem[];
  readonly platformTags: readonly PlatformTagAddition[];
}

function sidsOf(document: PolicyDocumentJson): string[] {
  const statements = Array.isArray(document.Statement) ? (document.Statement as readonly StatementJson[]) : [document.Statement as StatementJson];
  return statements.map((s) => s.Sid ?? '').sort();
}

/** Compares the imported resources of `plan` in `desired` with `live`. */
export function compareImported(desired: DesiredInventory, live: LiveInventory, plan: ImportPlan): ImportComparison {
  const report = detectDrift(desired, live, { only: { roleNames: plan.imports.roles, policyArns: plan.imports.policies } });
  const tagKeys = new Set([...PLATFORM_TAG_KEYS, 'owner']);
  const changes: DriftItem[] = [];
  const tags = new Map<string, PlatformTagAddition>();
  for (const item of report.drift) {
    const key = item.attribute?.startsWith('tags.') ? item.attribute.slice('tags.'.length) : undefined;
    const added = key !== undefined && tagKeys.has(key) && (item.actual === null || item.actual === undefined || key === 'owner');
    if (!added || key === undefined) {
      changes.push(item);
      continue;
    }
    const id = `${item.resourceType}\u0000${item.name}`;
    const entry = tags.get(id) ?? { resourceType: item.resourceType, name: item.name, keys: [] };
    tags.set(id, { ...entry, keys: [...entry.keys, key].sort() });
  }
  const liveRoles = new Map(live.roles.map((r) => [iamNameKey(r.name), r]));
  const imported = new Set(plan.imports.roles.map(iamNameKey));
  for (const want of desired.roles) {
    const have = liveRoles.get(iamNameKey(want.name));
    if (!have || !imported.has(iamNameKey(want.name))) continue;
    const wantSids = sidsOf(want.trustPolicy);
    const haveSids = sidsOf(have.trustPolicy);
    if (JSON.stringify(wantSids) !== JSON.stringify(haveSids)) {
      changes.push({ kind: 'changed', resourceType: 'role', name: want.name, arn: want.arn, attribute: 'trustPolicy.Sid', expected: wantSids, actual: haveSids, protected: false });
    }
    if (have.description !== undefined && (want.description ?? '') !== have.description) {
      changes.push({ kind: 'changed', resourceType: 'role', name: want.name, arn: want.arn, attribute: 'description', expected: want.description ?? '', actual: have.description, protected: false });
    }
  }
  return { changes, platformTags: [...tags.values()] };
}
