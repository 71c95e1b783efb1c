/**
 * The access diff: compares two access models (base and head of a merge request) per account and role,
 * and says for each change whether it grows, narrows or cannot be decided, and which changes are risky.
 */
import type { ActionCatalog } from '../catalog';
import { PolicyDocument, type PolicyDocumentJson } from '../policy';
import { isAtLeastAsStrict } from './compare-conditions';
import { buildGrantSet, grantsBroadly, subtractGrants, type Grant, type GrantSet, type LabelledDocument } from './grant-set';
import { classifyActionRisks, DIFF_ESCALATION_PATHS, ESCALATING_AWS_MANAGED_POLICIES } from './risk-classes';
import { describePrincipal, listTrustPrincipals, type TrustEntry } from './trust-principals';
import {
  ACCESS_DIFF_SCHEMA_VERSION,
  type AccessChange,
  type AccessDiff,
  type AccessModel,
  type AccessVerdict,
  type AccountAccess,
  type AccountDiff,
  type ActionEntry,
  type ChangeEffect,
  type ChangeKind,
  type ChangeSubject,
  type PermissionDelta,
  type RoleAccess,
  type ScpAccess,
} from './types';

/** Options of {@link diffAccessModels}. */
export interface DiffAccessOptions {
  /** Expands action wildcards and gives access levels. */
  readonly catalog: ActionCatalog;
  /** Name of the base side (`origin/main`). @default 'base' */
  readonly baseLabel?: string;
  /** Name of the head side. @default 'head' */
  readonly headLabel?: string;
}

/** Name of the pseudo-account that holds SCP changes. */
export const ORGANIZATION_ENTRY = 'organization';

/** Trust kinds whose new or widened trust makes a change risky. */
const RISKY_TRUST_KINDS: readonly string[] = ['public', 'third-party'];

/** How many actions a reason names before it counts the rest. */
const ACTIONS_IN_REASON = 6;

interface Context {
  readonly catalog: ActionCatalog;
  readonly base: AccessModel;
  readonly head: AccessModel;
  /** Both sides have the same organization accounts (so trust classification cannot differ). */
  readonly sameOrganization: boolean;
}

function change(kind: ChangeKind, subject: ChangeSubject, effect: ChangeEffect, reason: string, extra: Partial<AccessChange> = {}): AccessChange {
  return { kind, subject, effect, risky: false, reason, ...extra };
}

function byLowerName<T extends { readonly name: string }>(items: readonly T[]): Map<string, T> {
  return new Map(items.map((i) => [i.name.toLowerCase(), i]));
}

function canonicalText(document: PolicyDocumentJson | undefined): string {
  return document === undefined ? '(unknown)' : JSON.stringify(PolicyDocument.fromJson(document).toCanonical({ ignoreSid: true }));
}

// --- permissions -------------------------------------------------------------------------------

function documentsOf(role: RoleAccess): LabelledDocument[] {
  return role.policies.filter((p) => p.document !== undefined).map((p) => ({ label: `${p.kind}:${p.name}`, document: p.document! }));
}

function toActionEntry(catalog: ActionCatalog, action: string): ActionEntry {
  const info = action === '*' ? undefined : catalog.getAction(action);
  return { action, ...(info ? { accessLevel: info.accessLevel } : {}), risks: classifyActionRisks(catalog, action) };
}

/** Groups grants by effect, resource and conditions. */
function groupGrants(catalog: ActionCatalog, grants: readonly Grant[]): PermissionDelta[] {
  const groups = new Map<string, { effect: 'Allow' | 'Deny'; resource: string; conditions?: Grant['conditions']; actions: Set<string>; patterns: Set<string>; policies: Set<string> }>();
  for (const g of grants) {
    const key = `${g.effect}|${g.resource}|${JSON.stringify(g.conditions ?? null)}`;
    const entry = groups.get(key) ?? { effect: g.effect, resource: g.resource, conditions: g.conditions, actions: new Set<string>(), patterns: new Set<string>(), policies: new Set<string>() };
    entry.actions.add(g.action);
    g.patterns.forEach((p) => entry.patterns.add(p));
    g.policies.forEach((p) => entry.policies.add(p));
    groups.set(key, entry);
  }
  return [...groups.values()]
    .map((g) => ({
      effect: g.effect,
      resource: g.resource,
      patterns: [...g.patterns].sort(),
      actions: [...g.actions].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())).map((a) => toActionEntry(catalog, a)),
      ...(g.conditions ? { conditions: g.conditions } : {}),
      policies: [...g.policies].sort(),
    }))
    .sort((a, b) => `${a.effect}${a.resource}`.localeCompare(`${b.effect}${b.resource}`));
}

/** `s3:GetObject, s3:PutObject` or `s3:* (5 actions: s3:AbortMultipartUpload, …)`. */
export function describeActions(delta: PermissionDelta): string {
  const names = delta.actions.map((a) => a.action);
  const written = delta.patterns.filter((p) => !names.some((n) => n.toLowerCase() === p.toLowerCase()));
  const listed = names.slice(0, ACTIONS_IN_REASON).join(', ') + (names.length > ACTIONS_IN_REASON ? `, … ${names.length - ACTIONS_IN_REASON} more` : '');
  if (written.length === 0) return listed;
  return `${delta.patterns.join(', ')} (${names.length} action${names.length === 1 ? '' : 's'}: ${listed})`;
}

function describeScope(delta: PermissionDelta): string {
  const conditions = delta.conditions ? ` when ${Object.entries(delta.conditions).map(([op, keys]) => Object.keys(keys).map((k) => `${op} ${k}`).join(', ')).join(', ')}` : '';
  return `on ${delta.resource}${conditions}`;
}

/** Permission changes between two grant sets, worded for `who` (`role app-worker`, `boundary of role x`). */
function diffGrantSets(ctx: Context, subject: ChangeSubject, who: string, before: GrantSet, after: GrantSet): AccessChange[] {
  const out: AccessChange[] = [];
  const added = subtractGrants(after, before);
  const removed = subtractGrants(before, after);
  for (const delta of groupGrants(ctx.catalog, added.missing)) {
    const allow = delta.effect === 'Allow';
    out.push(
      change(allow ? 'allow-added' : 'deny-added', subject, allow ? 'grows' : 'narrows', `${who} ${allow ? 'is newly allowed' : 'is newly denied'} ${describeActions(delta)} ${describeScope(delta)}`, {
        permissions: delta,
      }),
    );
  }
  for (const delta of groupGrants(ctx.catalog, added.undecidable)) {
    out.push(
      change(delta.effect === 'Allow' ? 'allow-added' : 'deny-added', subject, 'undecidable', `cannot be decided: ${who} has ${delta.effect} ${describeActions(delta)} ${describeScope(delta)} under conditions that differ from before`, {
        permissions: delta,
      }),
    );
  }
  for (const delta of groupGrants(ctx.catalog, removed.missing)) {
    const allow = delta.effect === 'Allow';
    out.push(
      change(allow ? 'allow-removed' : 'deny-removed', subject, allow ? 'narrows' : 'grows', `${who} ${allow ? 'is no longer allowed' : 'is no longer denied'} ${describeActions(delta)} ${describeScope(delta)}`, {
        permissions: delta,
      }),
    );
  }
  for (const delta of groupGrants(ctx.catalog, removed.undecidable)) {
    if (delta.effect === 'Deny') {
      out.push(change('deny-removed', subject, 'undecidable', `cannot be decided: ${who} has a Deny of ${describeActions(delta)} ${describeScope(delta)} under conditions that differ from before`, { permissions: delta }));
    }
  }
  for (const [key, statement] of after.opaque) {
    if (before.opaque.has(key)) continue;
    if (statement.effect === 'Allow') {
      out.push(change('statement-undecidable', subject, 'undecidable', `cannot be decided: ${who} gets an Allow statement with NotAction or NotResource (in ${[...statement.policies].join(', ')}); what it allows cannot be listed exactly`));
    } else {
      out.push(change('deny-added', subject, 'narrows', `${who} gets a Deny statement with NotAction or NotResource (in ${[...statement.policies].join(', ')})`));
    }
  }
  for (const [key, statement] of before.opaque) {
    if (after.opaque.has(key)) continue;
    if (statement.effect === 'Allow') out.push(change('allow-removed', subject, 'narrows', `${who} loses an Allow statement with NotAction or NotResource (from ${[...statement.policies].join(', ')})`));
    else out.push(change('deny-removed', subject, 'grows', `${who} loses a Deny statement with NotAction or NotResource (from ${[...statement.policies].join(', ')})`));
  }
  return out;
}

function escalationPaths(set: GrantSet): Set<string> {
  return new Set(DIFF_ESCALATION_PATHS.filter((p) => p.actions.every((a) => grantsBroadly(set, a))).map((p) => p.name));
}

// --- trust -------------------------------------------------------------------------------------

function trustEntries(model: AccessModel, role: RoleAccess): TrustEntry[] {
  return listTrustPrincipals(role.trustPolicy, { organizationAccountIds: model.organizationAccountIds, trustKinds: role.trustKinds });
}

function diffTrust(subject: ChangeSubject, before: readonly TrustEntry[], after: readonly TrustEntry[]): AccessChange[] {
  const out: AccessChange[] = [];
  const who = `role ${subject.name}`;
  for (const entry of after) {
    const previous = before.filter((b) => b.key === entry.key);
    const riskyKind = RISKY_TRUST_KINDS.includes(entry.principal.kind);
    if (previous.length === 0) {
      out.push(
        change('trust-added', subject, 'grows', `${who} newly trusts ${describePrincipal(entry.principal)}${riskyKind ? ` — ${entry.principal.kind} trust` : ''}`, { principal: entry.principal, risky: riskyKind }),
      );
      continue;
    }
    const actionsCovered = (b: TrustEntry): boolean => entry.principal.actions.every((a) => b.principal.actions.includes(a));
    if (previous.some((b) => JSON.stringify(b.conditions ?? null) === JSON.stringify(entry.conditions ?? null) && actionsCovered(b))) continue;
    const answers = previous.filter(actionsCovered).map((b) => isAtLeastAsStrict(b.conditions, entry.conditions));
    if (answers.includes('yes')) {
      out.push(change('trust-narrowed', subject, 'narrows', `${who} trusts ${describePrincipal(entry.principal)} under stricter conditions than before`, { principal: entry.principal }));
    } else if (answers.includes('unknown') || answers.length === 0) {
      out.push(
        change('trust-changed', subject, 'undecidable', `cannot be decided: ${who} trusts ${describePrincipal(entry.principal)} under conditions or actions that differ from before`, {
          principal: entry.principal,
          risky: riskyKind,
        }),
      );
    } else {
      out.push(change('trust-widened', subject, 'grows', `${who} trusts ${describePrincipal(entry.principal)} with fewer conditions than before`, { principal: entry.principal, risky: riskyKind }));
    }
  }
  for (const entry of before) {
    if (after.some((a) => a.key === entry.key)) continue;
    out.push(change('trust-removed', subject, 'narrows', `${who} no longer trusts ${describePrincipal(entry.principal)}`, { principal: entry.principal }));
  }
  return out;
}

// --- roles -------------------------------------------------------------------------------------

function roleSubject(role: RoleAccess): ChangeSubject {
  return { type: 'role', name: role.name, arn: role.arn };
}

function diffRole(ctx: Context, before: RoleAccess | undefined, after: RoleAccess): AccessChange[] {
  const subject = roleSubject(after);
  const who = `role ${after.name}`;
  const out: AccessChange[] = [];
  if (!before) out.push(change('role-added', subject, 'grows', `${who} is added`));
  const empty: RoleAccess = { name: after.name, arn: after.arn, maxSessionDuration: after.maxSessionDuration, trustPolicy: { Version: '2012-10-17', Statement: [] }, policies: [], boundary: after.boundary };
  const base = before ?? empty;

  out.push(...diffTrust(subject, before ? trustEntries(ctx.base, base) : [], trustEntries(ctx.head, after)));

  const beforeSet = buildGrantSet(ctx.catalog, documentsOf(base));
  const afterSet = buildGrantSet(ctx.catalog, documentsOf(after));
  out.push(...diffGrantSets(ctx, subject, who, beforeSet, afterSet));

  const beforeAws = new Set(base.policies.filter((p) => p.kind === 'aws').map((p) => p.name.toLowerCase()));
  for (const p of after.policies.filter((x) => x.kind === 'aws')) {
    if (beforeAws.has(p.name.toLowerCase())) continue;
    const escalating = ESCALATING_AWS_MANAGED_POLICIES.has(p.name.replace(/^.*\//, '').toLowerCase());
    out.push(
      change('managed-policy-attached', subject, 'grows', `${who} gets the AWS managed policy ${p.name}${escalating ? ', which includes privilege-escalation paths' : ' (its document is not in the repository)'}`, {
        risky: escalating,
        after: p.name,
      }),
    );
  }
  const afterAws = new Set(after.policies.filter((p) => p.kind === 'aws').map((p) => p.name.toLowerCase()));
  for (const p of base.policies.filter((x) => x.kind === 'aws')) {
    if (!afterAws.has(p.name.toLowerCase())) out.push(change('managed-policy-detached', subject, 'narrows', `${who} loses the AWS managed policy ${p.name}`, { before: p.name }));
  }

  const beforePaths = escalationPaths(beforeSet);
  for (const path of escalationPaths(afterSet)) {
    if (!beforePaths.has(path)) out.push(change('escalation-added', subject, 'grows', `${who} gains the privilege-escalation path [${path}]`, { risky: true, after: path }));
  }
  const afterPaths = escalationPaths(afterSet);
  for (const path of beforePaths) if (!afterPaths.has(path)) out.push(change('escalation-removed', subject, 'narrows', `${who} loses the privilege-escalation path [${path}]`, { before: path }));

  if (before) {
    out.push(...diffBoundary(ctx, subject, before, after));
    if (after.maxSessionDuration !== before.maxSessionDuration) {
      const longer = after.maxSessionDuration > before.maxSessionDuration;
      out.push(
        change('session-duration', subject, longer ? 'grows' : 'narrows', `${who} maximum session ${longer ? 'grows' : 'shrinks'} from ${before.maxSessionDuration} s to ${after.maxSessionDuration} s`, {
          before: before.maxSessionDuration,
          after: after.maxSessionDuration,
        }),
      );
    }
  }
  return out;
}

function diffBoundary(ctx: Context, subject: ChangeSubject, before: RoleAccess, after: RoleAccess): AccessChange[] {
  const who = `role ${subject.name}`;
  const b = before.boundary;
  const a = after.boundary;
  if (!b && !a) return [];
  if (b && !a) return [change('boundary-removed', subject, 'grows', `${who} loses its permission boundary ${b.name}`, { risky: true, before: b.name })];
  if (!b && a) return [change('boundary-set', subject, 'narrows', `${who} gets the permission boundary ${a.name}`, { after: a.name })];
  if (b!.name.toLowerCase() === a!.name.toLowerCase() && canonicalText(b!.document) === canonicalText(a!.document)) return [];
  const names = { before: b!.name, after: a!.name };
  if (b!.document === undefined || a!.document === undefined) {
    return [change('boundary-changed', subject, 'undecidable', `cannot be decided: ${who} boundary changes from ${b!.name} to ${a!.name}, and a document is unknown`, names)];
  }
  const changes = diffGrantSets(ctx, subject, `boundary of ${who}`, buildGrantSet(ctx.catalog, [{ label: `boundary:${b!.name}`, document: b!.document }]), buildGrantSet(ctx.catalog, [{ label: `boundary:${a!.name}`, document: a!.document }]));
  const effect = worstEffect(changes);
  const detail = changes.map((c) => c.reason).join('; ');
  const verb = effect === 'grows' ? 'widens' : effect === 'narrows' ? 'narrows' : effect === 'undecidable' ? 'changes (cannot be decided)' : 'changes without effect';
  return [change('boundary-changed', subject, effect, `${who} boundary ${verb}${b!.name === a!.name ? '' : ` (${b!.name} → ${a!.name})`}${detail ? `: ${detail}` : ''}`, names)];
}

function worstEffect(changes: readonly AccessChange[]): ChangeEffect {
  if (changes.some((c) => c.effect === 'undecidable')) return 'undecidable';
  if (changes.some((c) => c.effect === 'grows')) return 'grows';
  if (changes.some((c) => c.effect === 'narrows')) return 'narrows';
  return 'neutral';
}

function roleFingerprint(role: RoleAccess): string {
  return JSON.stringify({
    trust: canonicalText(role.trustPolicy),
    policies: role.policies.map((p) => `${p.kind}:${p.name.toLowerCase()}:${canonicalText(p.document)}`).sort(),
    boundary: role.boundary ? `${role.boundary.name.toLowerCase()}:${canonicalText(role.boundary.document)}` : null,
    session: role.maxSessionDuration,
  });
}

// --- accounts ----------------------------------------------------------------------------------

function diffAccount(ctx: Context, before: AccountAccess | undefined, after: AccountAccess | undefined): AccessChange[] {
  const out: AccessChange[] = [];
  const account = (after ?? before)!;
  const subject: ChangeSubject = { type: 'account', name: account.name };
  if (!after) return [change('account-removed', subject, 'narrows', `account ${account.name} and its ${before!.roles.length} roles are removed`)];
  if (!before) out.push(change('account-added', subject, 'grows', `account ${account.name} is added with ${after.roles.length} roles`));

  const beforeRoles = byLowerName(before?.roles ?? []);
  const afterRoles = byLowerName(after.roles);
  const added = after.roles.filter((r) => !beforeRoles.has(r.name.toLowerCase()));
  const removed = (before?.roles ?? []).filter((r) => !afterRoles.has(r.name.toLowerCase()));
  const renamedFrom = new Map<string, RoleAccess>();
  for (const role of added) {
    const twin = removed.find((r) => !renamedFrom.has(r.name) && roleFingerprint(r) === roleFingerprint(role));
    if (twin) renamedFrom.set(twin.name, role);
  }
  for (const [oldName, role] of renamedFrom) {
    out.push(change('role-renamed', roleSubject(role), 'neutral', `role ${oldName} is renamed ${role.name} (same trust, policies, boundary and session)`, { before: oldName, after: role.name }));
  }
  const renamedTo = new Set([...renamedFrom.values()].map((r) => r.name));
  for (const role of after.roles) {
    if (renamedTo.has(role.name)) continue;
    const previous = beforeRoles.get(role.name.toLowerCase());
    // An identical role (same documents, kinds and organization) cannot change access: skip the expansion.
    if (previous && ctx.sameOrganization && roleFingerprint(previous) === roleFingerprint(role) && JSON.stringify(previous.trustKinds ?? {}) === JSON.stringify(role.trustKinds ?? {})) continue;
    out.push(...diffRole(ctx, previous, role));
  }
  for (const role of removed) {
    if (renamedFrom.has(role.name)) continue;
    out.push(change('role-removed', roleSubject(role), 'narrows', `role ${role.name} is removed`));
  }

  const beforePolicies = byLowerName(before?.policies ?? []);
  const afterPolicies = byLowerName(after.policies);
  const addedPolicies = after.policies.filter((p) => !beforePolicies.has(p.name.toLowerCase()));
  const removedPolicies = (before?.policies ?? []).filter((p) => !afterPolicies.has(p.name.toLowerCase()));
  for (const p of addedPolicies) {
    const twin = removedPolicies.find((r) => canonicalText(r.document) === canonicalText(p.document));
    const subjectP: ChangeSubject = { type: 'policy', name: p.name, arn: p.arn };
    if (twin) out.push(change('policy-renamed', subjectP, 'neutral', `managed policy ${twin.name} is renamed ${p.name}`, { before: twin.name, after: p.name }));
    else out.push(change('policy-added', subjectP, 'neutral', `managed policy ${p.name} is added (its access is counted on the roles that attach it)`));
  }
  for (const p of removedPolicies) {
    if (addedPolicies.some((a) => canonicalText(a.document) === canonicalText(p.document))) continue;
    out.push(change('policy-removed', { type: 'policy', name: p.name, arn: p.arn }, 'neutral', `managed policy ${p.name} is removed`));
  }
  for (const p of after.policies) {
    const old = beforePolicies.get(p.name.toLowerCase());
    if (old && canonicalText(old.document) !== canonicalText(p.document)) {
      out.push(change('policy-changed', { type: 'policy', name: p.name, arn: p.arn }, 'neutral', `managed policy ${p.name} changes (its access is counted on the roles that attach it)`));
    }
  }
  return out;
}

// --- SCPs --------------------------------------------------------------------------------------

function onlyDenies(document: PolicyDocumentJson): boolean {
  return PolicyDocument.fromJson(document).statements.every((s) => s.effect === 'Deny');
}

function hasDeny(document: PolicyDocumentJson): boolean {
  return PolicyDocument.fromJson(document).statements.some((s) => s.effect === 'Deny');
}

function diffScps(ctx: Context): AccessChange[] {
  const out: AccessChange[] = [];
  const before = byLowerName(ctx.base.scps);
  const after = byLowerName(ctx.head.scps);
  const subjectOf = (s: ScpAccess): ChangeSubject => ({ type: 'scp', name: s.name });
  for (const scp of ctx.head.scps) {
    const old = before.get(scp.name.toLowerCase());
    if (!old) {
      const denies = onlyDenies(scp.document);
      out.push(
        change('scp-added', subjectOf(scp), denies ? 'narrows' : 'undecidable', denies ? `SCP ${scp.name} is added on ${scp.targets.join(', ')}` : `cannot be decided: SCP ${scp.name} with Allow statements is added on ${scp.targets.join(', ')}`),
      );
      continue;
    }
    if (canonicalText(old.document) !== canonicalText(scp.document)) {
      const changes = diffGrantSets(ctx, subjectOf(scp), `SCP ${scp.name}`, buildGrantSet(ctx.catalog, [{ label: `scp:${old.name}`, document: old.document }]), buildGrantSet(ctx.catalog, [{ label: `scp:${scp.name}`, document: scp.document }]));
      const effect = worstEffect(changes);
      out.push(change('scp-changed', subjectOf(scp), effect, `SCP ${scp.name} changes: ${changes.map((c) => c.reason).join('; ') || 'no effect on access'}`));
    }
    const oldTargets = new Set(old.targets);
    const newTargets = new Set(scp.targets);
    const denies = onlyDenies(scp.document);
    for (const t of scp.targets) {
      if (!oldTargets.has(t)) out.push(change('scp-target-added', subjectOf(scp), denies ? 'narrows' : 'undecidable', `SCP ${scp.name} now applies to ${t}`, { after: t }));
    }
    for (const t of old.targets) {
      if (!newTargets.has(t)) out.push(change('scp-target-removed', subjectOf(scp), hasDeny(old.document) ? 'grows' : 'undecidable', `SCP ${scp.name} no longer applies to ${t}`, { before: t }));
    }
  }
  for (const scp of ctx.base.scps) {
    if (after.has(scp.name.toLowerCase())) continue;
    out.push(
      change('scp-removed', subjectOf(scp), hasDeny(scp.document) ? 'grows' : 'undecidable', `SCP ${scp.name} is removed from ${scp.targets.join(', ')}${hasDeny(scp.document) ? ': its denies no longer apply' : ''}`),
    );
  }
  return out;
}

// --- verdict -----------------------------------------------------------------------------------

/** The verdict of some changes and the reasons that decided it. */
export function decideVerdict(changes: readonly AccessChange[]): { verdict: AccessVerdict; reasons: string[] } {
  const risky = changes.filter((c) => c.risky);
  if (risky.length > 0) return { verdict: 'risky', reasons: risky.map((c) => c.reason) };
  const growing = changes.filter((c) => c.effect === 'grows' || c.effect === 'undecidable');
  if (growing.length > 0) return { verdict: 'new-access', reasons: growing.map((c) => c.reason) };
  const narrowing = changes.filter((c) => c.effect === 'narrows');
  if (narrowing.length > 0) return { verdict: 'no-new-access', reasons: ['every change only removes or narrows access'] };
  return { verdict: 'no-new-access', reasons: changes.length > 0 ? ['the changes do not change access'] : [] };
}

const VERDICT_RANK: Record<AccessVerdict, number> = { 'no-new-access': 0, 'new-access': 1, risky: 2 };

/** The worse of two verdicts. */
export function worseVerdict(a: AccessVerdict, b: AccessVerdict): AccessVerdict {
  return VERDICT_RANK[a] >= VERDICT_RANK[b] ? a : b;
}

/** Compares two access models: every change per account (and `organization` for SCPs), each account's verdict and the overall one. */
export function diffAccessModels(base: AccessModel, head: AccessModel, options: DiffAccessOptions): AccessDiff {
  const sameOrganization = JSON.stringify([...base.organizationAccountIds].sort()) === JSON.stringify([...head.organizationAccountIds].sort());
  const ctx: Context = { catalog: options.catalog, base, head, sameOrganization };
  const accounts: AccountDiff[] = [];
  const names = [...new Set([...base.accounts, ...head.accounts].map((a) => a.name.toLowerCase()))].sort();
  const beforeAccounts = byLowerName(base.accounts);
  const afterAccounts = byLowerName(head.accounts);
  for (const name of names) {
    const before = beforeAccounts.get(name);
    const after = afterAccounts.get(name);
    const changes = diffAccount(ctx, before, after);
    if (changes.length === 0) continue;
    const { verdict, reasons } = decideVerdict(changes);
    accounts.push({ account: (after ?? before)!.name, accountId: (after ?? before)!.id, verdict, reasons, changes });
  }
  const scpChanges = diffScps(ctx);
  if (scpChanges.length > 0) {
    const { verdict, reasons } = decideVerdict(scpChanges);
    accounts.push({ account: ORGANIZATION_ENTRY, verdict, reasons, changes: scpChanges });
  }
  const all = accounts.flatMap((a) => a.changes);
  const verdict = accounts.reduce<AccessVerdict>((v, a) => worseVerdict(v, a.verdict), 'no-new-access');
  const reasons = accounts.filter((a) => a.verdict === verdict).flatMap((a) => a.reasons.map((r) => `${a.account}: ${r}`));
  return {
    schemaVersion: ACCESS_DIFF_SCHEMA_VERSION,
    base: options.baseLabel ?? 'base',
    head: options.headLabel ?? 'head',
    verdict,
    reasons: accounts.length === 0 ? ['no IAM change'] : reasons,
    accounts,
    summary: {
      accountsChanged: accounts.length,
      changes: all.length,
      grows: all.filter((c) => c.effect === 'grows').length,
      narrows: all.filter((c) => c.effect === 'narrows').length,
      undecidable: all.filter((c) => c.effect === 'undecidable').length,
      risky: all.filter((c) => c.risky).length,
    },
  };
}
