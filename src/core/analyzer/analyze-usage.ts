import type { ResolvedAccount, ResolvedOrganization, ResolvedRole, SourceRef } from '../model';
import type { AccessLevel, AnalyzerCatalog } from './catalog-port';
import type { PrincipalType } from './classify-event';
import { ActionExpander, type GrantedActions, type GrantedInput, type GrantingPolicy, computeGrantedActions } from './granted-permissions';
import { EventMapper } from './map-event';
import { ACCESS_LEVEL_RISK_ORDER, TAG_ON_CREATE_ACTIONS, UNOBSERVABLE_ACTIONS } from './mapping-tables';
import type { AnalyzerReport, DeniedAction, PolicyRecommendation, PrincipalReport, RoleRecommendation, UnmappedEvent, UsedAction } from './report';
import { tightenPolicyDocument } from './tighten-policy';
import { type SkippedSummary, type UsageSnapshot, accountOfArn } from './usage-aggregate';

/** A role (or user) of the model, with the policies that grant its permissions. */
export interface ManagedPrincipal {
  readonly arn: string;
  readonly type: PrincipalType;
  /** Account name in the model. */
  readonly account: string;
  /** Role name. */
  readonly name: string;
  /** The role's YAML file (relative to the repository root). */
  readonly file: string;
  readonly granted: GrantedInput;
  /** Where each identity policy is defined, by policy name, for recommendations. @default - unknown */
  readonly policyFiles?: Readonly<Record<string, string>>;
  /** JSON path of each inline policy inside its file, by policy name (`$.inlinePolicies.app`). @default - unknown */
  readonly policyPaths?: Readonly<Record<string, string>>;
  /** The org/OU role template the role comes from (its policies are shared by every matching account). @default - defined in the account */
  readonly template?: string;
}

/** Options of {@link principalsFromOrganization}. */
export interface PrincipalsFromOrganizationOptions {
  /** Only this account (name). @default - every account */
  readonly account?: string;
}

/** The role ARN IAM gives a role of the model. */
export function roleArn(account: ResolvedAccount, role: ResolvedRole): string {
  const path = role.path.endsWith('/') ? role.path : `${role.path}/`;
  return `arn:aws:iam::${account.id}:role${path.startsWith('/') ? path : `/${path}`}${role.name}`;
}

function fileOf(source: SourceRef): string {
  return source.file;
}

/**
 * The managed principals of the resolved model: each role with its inline and customer managed
 * policies, its boundary, and its AWS managed policies listed as not evaluated (their content is not
 * available offline; nothing is invented for them).
 */
export function principalsFromOrganization(org: ResolvedOrganization, options: PrincipalsFromOrganizationOptions = {}): ManagedPrincipal[] {
  const out: ManagedPrincipal[] = [];
  for (const account of org.accounts) {
    if (options.account !== undefined && account.name !== options.account) continue;
    const byName = new Map(account.policies.map((p) => [p.name, p]));
    for (const role of account.roles) {
      const identityPolicies: GrantingPolicy[] = [];
      const notEvaluated: string[] = [];
      const policyFiles: Record<string, string> = {};
      const policyPaths: Record<string, string> = {};
      for (const inline of role.inlinePolicies) {
        identityPolicies.push({ name: inline.name, kind: 'inline', document: inline.document.toJSON() });
        policyFiles[inline.name] = fileOf(inline.source);
        policyPaths[inline.name] = inline.source.path;
      }
      for (const ref of role.managedPolicies) {
        if (ref.kind === 'aws') {
          notEvaluated.push(`AWS managed policy ${ref.name}: its content is not available offline, so its grants are not counted`);
          continue;
        }
        const policy = byName.get(ref.name);
        if (policy === undefined) {
          notEvaluated.push(`customer managed policy ${ref.name}: not found in account ${account.name}`);
          continue;
        }
        identityPolicies.push({ name: policy.name, kind: 'customer', document: policy.document.toJSON() });
        policyFiles[policy.name] = fileOf(policy.source);
      }
      let boundary: GrantingPolicy | undefined;
      if (role.boundary.kind === 'default' && account.permissionBoundary !== undefined) {
        boundary = { name: account.permissionBoundary.name, kind: 'boundary', document: account.permissionBoundary.document.toJSON() };
      } else if (role.boundary.kind === 'named') {
        const policy = byName.get(role.boundary.name);
        if (policy !== undefined) boundary = { name: policy.name, kind: 'boundary', document: policy.document.toJSON() };
        else notEvaluated.push(`permission boundary ${role.boundary.name}: not found in account ${account.name}, so it is not applied`);
      }
      out.push({
        arn: roleArn(account, role),
        type: 'role',
        account: account.name,
        name: role.name,
        file: fileOf(role.source),
        granted: { identityPolicies, ...(boundary ? { boundary } : {}), notEvaluated },
        policyFiles,
        policyPaths,
        ...(role.template !== undefined ? { template: role.template } : {}),
      });
    }
  }
  return out;
}

/** Options of {@link analyzeUsage}. */
export interface AnalyzeUsageOptions {
  /** The aggregated events. */
  readonly snapshot: UsageSnapshot;
  readonly catalog: AnalyzerCatalog;
  /** Principals of the model (with their grants). */
  readonly principals: readonly ManagedPrincipal[];
  /** Warn when the observed window is shorter. @default 90 */
  readonly minDays?: number;
  /** The range asked for (--from/--to), reported as given. @default - none */
  readonly requested?: { readonly from?: string; readonly to?: string };
}

/** Default of --min-days: IAM Access Analyzer policy generation also looks at 90 days. */
export const DEFAULT_MIN_DAYS = 90;

const MS_PER_DAY = 86_400_000;
/** Roles named in one "not evaluated" warning before "and N more". */
const MAX_ROLES_PER_WARNING = 5;

interface PrincipalUsage {
  arn: string;
  type: PrincipalType;
  used: Map<string, { count: number; firstSeen: string; lastSeen: string }>;
  denied: Map<string, number>;
  unmapped: Map<string, { eventSource: string; eventName: string; count: number; denied: number }>;
}

function riskIndex(level: AccessLevel | undefined): number {
  const i = level === undefined ? -1 : (ACCESS_LEVEL_RISK_ORDER as readonly string[]).indexOf(level);
  return i < 0 ? ACCESS_LEVEL_RISK_ORDER.length : i;
}

/** Sorts actions by risk (Permissions management, Write, Tagging, Read, List), then by name. */
export function rankActionsByRisk(actions: readonly string[], catalog: AnalyzerCatalog): { action: string; accessLevel: AccessLevel }[] {
  return actions
    .map((action) => ({ action, accessLevel: catalog.getAction(action)?.accessLevel ?? ('Read' as AccessLevel), rank: riskIndex(catalog.getAction(action)?.accessLevel) }))
    .sort((a, b) => a.rank - b.rank || (a.action < b.action ? -1 : a.action > b.action ? 1 : 0))
    .map(({ action, accessLevel }) => ({ action, accessLevel }));
}

/**
 * Compares what each principal was granted with what CloudTrail shows it used. Pure: the snapshot,
 * the catalog and the principals come in; a report comes out.
 */
export function analyzeUsage(options: AnalyzeUsageOptions): AnalyzerReport {
  const { snapshot, catalog } = options;
  const minDays = options.minDays ?? DEFAULT_MIN_DAYS;
  const mapper = new EventMapper(catalog);
  const expander = new ActionExpander(catalog);
  const unobservable = new Set(UNOBSERVABLE_ACTIONS.map((a) => a.toLowerCase()));
  const usage = new Map<string, PrincipalUsage>();
  let permissionless = 0;

  for (const row of snapshot.rows) {
    const key = row.principalArn.toLowerCase();
    let entry = usage.get(key);
    if (entry === undefined) {
      entry = { arn: row.principalArn, type: row.principalType, used: new Map(), denied: new Map(), unmapped: new Map() };
      usage.set(key, entry);
    }
    const mapping = mapper.map(row.eventSource, row.eventName);
    if (mapping.kind === 'permissionless') {
      permissionless += row.count;
      continue;
    }
    if (mapping.kind === 'unmapped') {
      const uKey = `${row.eventSource}\u0000${row.eventName}`;
      const u = entry.unmapped.get(uKey) ?? { eventSource: row.eventSource, eventName: row.eventName, count: 0, denied: 0 };
      u.count += row.count;
      if (row.outcome === 'denied') u.denied += row.count;
      entry.unmapped.set(uKey, u);
      continue;
    }
    for (const action of mapping.actions) {
      if (row.outcome === 'denied') {
        entry.denied.set(action, (entry.denied.get(action) ?? 0) + row.count);
        continue;
      }
      markUsed(entry, action, row.count, row.firstSeen, row.lastSeen);
      // Tag-on-create: the tagged calls also used the service's tagging action.
      const tagging = TAG_ON_CREATE_ACTIONS[action];
      if (tagging !== undefined && (row.withTags ?? 0) > 0) markUsed(entry, tagging, row.withTags ?? 0, row.firstSeen, row.lastSeen);
    }
  }

  const warnings: string[] = [];
  const principals: PrincipalReport[] = [];
  const recommendations: RoleRecommendation[] = [];
  const managedKeys = new Set<string>();
  const notEvaluatedBy = new Map<string, string[]>();

  // Accounts whose logs were read: a role of another account looks unused only because its logs are missing.
  const observedAccounts = new Set(snapshot.rows.map((r) => accountOfArn(r.principalArn)));
  const unobservedAccounts = new Map<string, number>();
  for (const managed of options.principals) {
    const key = managed.arn.toLowerCase();
    managedKeys.add(key);
    const observed = usage.get(key);
    const granted = computeGrantedActions(managed.granted, expander);
    const accountObserved = observedAccounts.has(accountOfArn(managed.arn));
    const report = buildPrincipalReport({ arn: managed.arn, type: managed.type, managed: true, account: managed.account, file: managed.file, granted, observed, catalog, unobservable, accountObserved });
    principals.push(report);
    for (const note of granted.notEvaluated) notEvaluatedBy.set(note, [...(notEvaluatedBy.get(note) ?? []), `${managed.account}/${managed.name}`]);
    if (accountObserved) recommendations.push(recommendForRole(managed, report, unobservable, expander));
    else unobservedAccounts.set(managed.account, (unobservedAccounts.get(managed.account) ?? 0) + 1);
  }
  for (const [account, roles] of [...unobservedAccounts.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    warnings.push(`no events of account ${account} were counted: its ${roles} role(s) are listed without recommendations (give its logs, or --account)`);
  }
  for (const [note, roles] of [...notEvaluatedBy.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const shown = roles.slice(0, MAX_ROLES_PER_WARNING).join(', ');
    const more = roles.length > MAX_ROLES_PER_WARNING ? ` … and ${roles.length - MAX_ROLES_PER_WARNING} more` : '';
    warnings.push(`${note} (${roles.length} role${roles.length === 1 ? '' : 's'}: ${shown}${more})`);
  }
  for (const [key, observed] of usage) {
    if (managedKeys.has(key)) continue;
    principals.push(buildPrincipalReport({ arn: observed.arn, type: observed.type, managed: false, observed, catalog, unobservable }));
  }
  principals.sort((a, b) => (a.managed !== b.managed ? (a.managed ? -1 : 1) : a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
  for (const p of principals) {
    if (p.root && p.used.length + p.denied.length > 0) {
      const calls = p.used.reduce((n, u) => n + u.count, 0) + p.denied.reduce((n, d) => n + d.count, 0);
      warnings.push(`root user used: ${p.arn} made ${calls} call(s); use roles instead of the root user`);
    }
  }

  const window = buildWindow(snapshot, minDays, options.requested);
  if (window.days < minDays) {
    warnings.unshift(
      `observation window is ${window.days} day(s), under --min-days ${minDays}: actions used less often than that are reported unused; widen the logs before removing permissions`,
    );
  }
  const skipped = addReason(snapshot.skipped, 'permissionless-call', permissionless);
  return { window, warnings, principals, recommendations, skipped, totals: { records: snapshot.recordsRead, files: snapshot.filesRead } };
}

function markUsed(entry: PrincipalUsage, action: string, count: number, firstSeen: string, lastSeen: string): void {
  const u = entry.used.get(action);
  if (u === undefined) {
    entry.used.set(action, { count, firstSeen, lastSeen });
    return;
  }
  u.count += count;
  if (firstSeen < u.firstSeen) u.firstSeen = firstSeen;
  if (lastSeen > u.lastSeen) u.lastSeen = lastSeen;
}

function addReason(skipped: SkippedSummary, reason: string, count: number): SkippedSummary {
  if (count === 0) return skipped;
  const reasons: Record<string, number> = { ...skipped.reasons, [reason]: (skipped.reasons[reason] ?? 0) + count };
  const sorted: Record<string, number> = {};
  for (const k of Object.keys(reasons).sort()) sorted[k] = reasons[k];
  return { ...skipped, records: skipped.records + count, reasons: sorted };
}

function buildWindow(snapshot: UsageSnapshot, minDays: number, requested?: { readonly from?: string; readonly to?: string }): AnalyzerReport['window'] {
  const from = snapshot.firstEventTime ?? null;
  const to = snapshot.lastEventTime ?? null;
  const days = from !== null && to !== null ? Math.round(((Date.parse(to) - Date.parse(from)) / MS_PER_DAY) * 10) / 10 : 0;
  return { from, to, days, ...(requested && (requested.from || requested.to) ? { requested } : {}), minDays };
}

interface BuildPrincipalInput {
  readonly arn: string;
  readonly type: PrincipalType;
  readonly managed: boolean;
  readonly account?: string;
  readonly file?: string;
  readonly granted?: GrantedActions;
  readonly observed?: PrincipalUsage;
  readonly catalog: AnalyzerCatalog;
  readonly unobservable: ReadonlySet<string>;
  /** False when no event of the principal's account was counted. @default true */
  readonly accountObserved?: boolean;
}

function byName<T extends { action: string }>(a: T, b: T): number {
  return a.action < b.action ? -1 : a.action > b.action ? 1 : 0;
}

function buildPrincipalReport(input: BuildPrincipalInput): PrincipalReport {
  const used: UsedAction[] = [...(input.observed?.used ?? new Map()).entries()].map(([action, u]) => ({ action, count: u.count, firstSeen: u.firstSeen, lastSeen: u.lastSeen })).sort(byName);
  const denied: DeniedAction[] = [...(input.observed?.denied ?? new Map()).entries()].map(([action, count]) => ({ action, count })).sort(byName);
  const unmapped: UnmappedEvent[] = [...(input.observed?.unmapped.values() ?? [])]
    .map((u) => ({ ...u }))
    .sort((a, b) => (a.eventSource + a.eventName < b.eventSource + b.eventName ? -1 : 1));
  const usedKeys = new Set(used.map((u) => u.action.toLowerCase()));
  const grantedActions = input.granted?.actions ?? [];
  const grantedKeys = new Set(grantedActions.map((a) => a.toLowerCase()));
  const notUsed = grantedActions.filter((a) => !usedKeys.has(a.toLowerCase()));
  const unobservable = notUsed.filter((a) => input.unobservable.has(a.toLowerCase()));
  const ranked = rankActionsByRisk(
    notUsed.filter((a) => !input.unobservable.has(a.toLowerCase())),
    input.catalog,
  );
  const complete = input.granted?.complete ?? false;
  return {
    arn: input.arn,
    type: input.type,
    managed: input.managed,
    ...(input.account !== undefined ? { account: input.account } : {}),
    ...(input.file !== undefined ? { file: input.file } : {}),
    granted: grantedActions.length,
    grantedComplete: input.managed && complete,
    notEvaluated: input.granted?.notEvaluated ?? [],
    used,
    unused: ranked.map((r) => r.action),
    unusedAccessLevels: ranked.map((r) => r.accessLevel),
    denied,
    unobservable,
    unmapped,
    usedNotGranted: input.managed && complete ? used.filter((u) => !grantedKeys.has(u.action.toLowerCase())).map((u) => u.action) : [],
    root: input.type === 'root',
    accountObserved: input.accountObserved ?? true,
  };
}

function recommendForRole(
  managed: ManagedPrincipal,
  report: PrincipalReport,
  unobservable: ReadonlySet<string>,
  expander: ActionExpander,
): RoleRecommendation {
  // Keep what was used and what CloudTrail cannot show; everything else granted goes.
  const keep = new Set<string>([...report.used.map((u) => u.action.toLowerCase()), ...unobservable]);
  const policies: PolicyRecommendation[] = [];
  for (const policy of managed.granted.identityPolicies) {
    if (policy.kind === 'boundary') continue;
    const result = tightenPolicyDocument(policy.document, keep, expander);
    const file = managed.policyFiles?.[policy.name];
    const path = managed.policyPaths?.[policy.name];
    policies.push({
      name: policy.name,
      kind: policy.kind,
      ...(file !== undefined ? { file } : {}),
      ...(path !== undefined ? { path } : {}),
      original: policy.document,
      tightened: result.document,
      removed: result.removed,
      size: result.document === null ? 0 : JSON.stringify(result.document).length,
      statementOrigins: result.origins,
    });
  }
  return { arn: managed.arn, account: managed.account, role: managed.name, file: managed.file, ...(managed.template !== undefined ? { template: managed.template } : {}), policies };
}
