import { documentsEqual } from './documents';
import { iamArnKey, iamNameKey } from './identity';
import type { DesiredInventory, DesiredOidcProvider, DesiredPolicy, DesiredRole, LiveInventory, LiveOidcProvider, LivePolicy, LiveRole } from './inventory';
import { isQuarantined } from './quarantine';
import { type DriftScope, isAwsOwnedRole, isPlatformResource, isProtectedRole } from './scope';

/** `unmanaged`: live but not desired (in scope); `missing`: desired but not live; `changed`: both, an attribute differs. */
export type DriftKind = 'unmanaged' | 'missing' | 'changed';

/** The IAM resource types drift detection compares. */
export type DriftResourceType = 'role' | 'policy' | 'oidc-provider';

/** Who made a change, from CloudTrail, when it is at hand. */
export interface ChangeAuthor {
  /** Principal ARN (the role session's issuer for assumed roles). */
  readonly actor: string;
  /** IAM API call (`PutRolePolicy`). */
  readonly eventName: string;
  /** ISO time of the call. */
  readonly eventTime: string;
  /** @default - unknown */
  readonly sourceIpAddress?: string;
}

/** One difference between desired and live. */
export interface DriftItem {
  readonly kind: DriftKind;
  readonly resourceType: DriftResourceType;
  /** Resource name (role or policy name, OIDC provider URL). */
  readonly name: string;
  readonly arn: string;
  /**
   * What differs, for `changed`: `trustPolicy`, `inlinePolicies.<name>`, `managedPolicies`,
   * `permissionsBoundary`, `maxSessionDuration`, `path`, `tags.<key>`, `defaultVersion`, `clientIds`,
   * `thumbprints`. Null for whole resources (`missing`, `unmanaged`).
   */
  readonly attribute: string | null;
  /** Desired value (null when the desired state has none). */
  readonly expected: unknown;
  /** Live value (null when IAM has none). */
  readonly actual: unknown;
  /** True when remediation will not touch the resource (break-glass, pipeline, platform infrastructure). */
  readonly protected: boolean;
  /** Who changed it, when CloudTrail data is at hand. @default - unknown */
  readonly changedBy?: ChangeAuthor;
}

/** Counts of a report, by kind and by resource type. */
export interface DriftSummary {
  readonly total: number;
  readonly changed: number;
  readonly missing: number;
  readonly unmanaged: number;
  /** Unmanaged roles already quarantined: contained, listed, not counted as drift. */
  readonly quarantined: number;
  readonly byResourceType: Readonly<Record<DriftResourceType, number>>;
}

/** The result of one drift check of one account. */
export interface DriftReport {
  readonly account: string;
  readonly accountId: string;
  /** ISO time of the check. */
  readonly checkedAt: string;
  readonly scope: DriftScope;
  readonly drift: readonly DriftItem[];
  /** Names of unmanaged roles already quarantined. */
  readonly quarantined: readonly string[];
  readonly summary: DriftSummary;
}

/** Options of {@link detectDrift}. */
export interface DetectDriftOptions {
  /** @default 'managed' */
  readonly scope?: DriftScope;
  /** Time of the check. @default - the live inventory's readAt */
  readonly checkedAt?: string;
  /**
   * Compare only these resources (the Lambda evaluates the one an event touched). Resources of the live
   * inventory outside this filter are ignored; desired ones outside it are not reported missing.
   * @default - every resource
   */
  readonly only?: { readonly roleNames?: readonly string[]; readonly policyArns?: readonly string[] };
  /** Compare OIDC providers (false when the live read skipped them). @default true */
  readonly compareOidcProviders?: boolean;
}

function sortedUnique(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const x = sortedUnique(a);
  const y = sortedUnique(b);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

function compareRole(desired: DesiredInventory, want: DesiredRole, have: LiveRole): DriftItem[] {
  const out: DriftItem[] = [];
  const isProtected = isProtectedRole(desired, want.name);
  const changed = (attribute: string, expected: unknown, actual: unknown): void => {
    out.push({ kind: 'changed', resourceType: 'role', name: want.name, arn: have.arn, attribute, expected, actual, protected: isProtected });
  };
  if (want.path !== have.path) changed('path', want.path, have.path);
  if (!documentsEqual(want.trustPolicy, have.trustPolicy)) changed('trustPolicy', want.trustPolicy, have.trustPolicy);

  const liveInline = new Map(have.inlinePolicies.map((p) => [p.name, p.document]));
  const wantInline = new Map(want.inlinePolicies.map((p) => [p.name, p.document]));
  for (const name of sortedUnique([...liveInline.keys(), ...wantInline.keys()])) {
    const expected = wantInline.get(name) ?? null;
    const actual = liveInline.get(name) ?? null;
    if (expected === null || actual === null || !documentsEqual(expected, actual)) changed(`inlinePolicies.${name}`, expected, actual);
  }

  if (!sameSet(want.managedPolicyArns, have.managedPolicyArns)) {
    changed('managedPolicies', sortedUnique(want.managedPolicyArns), sortedUnique(have.managedPolicyArns));
  }
  if ((want.boundaryArn ?? null) !== (have.boundaryArn ?? null)) changed('permissionsBoundary', want.boundaryArn ?? null, have.boundaryArn ?? null);
  if (have.maxSessionDuration !== undefined && have.maxSessionDuration !== want.maxSessionDuration) {
    changed('maxSessionDuration', want.maxSessionDuration, have.maxSessionDuration);
  }
  for (const key of Object.keys(want.tags).sort()) {
    if (have.tags[key] !== want.tags[key]) changed(`tags.${key}`, want.tags[key], have.tags[key] ?? null);
  }
  return out;
}

function comparePolicy(want: DesiredPolicy, have: LivePolicy): DriftItem[] {
  const out: DriftItem[] = [];
  const changed = (attribute: string, expected: unknown, actual: unknown): void => {
    out.push({ kind: 'changed', resourceType: 'policy', name: want.name, arn: have.arn, attribute, expected, actual, protected: false });
  };
  if (want.path !== have.path) changed('path', want.path, have.path);
  const live = have.versions.find((v) => v.versionId === have.defaultVersionId);
  if (!live || !documentsEqual(want.document, live.document)) changed('defaultVersion', want.document, live?.document ?? null);
  return out;
}

function normalizeIssuer(url: string): string {
  return url.replace(/^https?:\/\//, '').replace(/\/+$/, '');
}

function compareOidc(want: DesiredOidcProvider, have: LiveOidcProvider): DriftItem[] {
  const out: DriftItem[] = [];
  const name = normalizeIssuer(want.url);
  if (!sameSet(want.clientIds, have.clientIds)) {
    out.push({ kind: 'changed', resourceType: 'oidc-provider', name, arn: have.arn, attribute: 'clientIds', expected: sortedUnique(want.clientIds), actual: sortedUnique(have.clientIds), protected: false });
  }
  // AWS no longer needs thumbprints for well-known issuers and fills its own in: compare only when declared.
  if (want.thumbprints.length > 0 && !sameSet(want.thumbprints.map((t) => t.toLowerCase()), have.thumbprints.map((t) => t.toLowerCase()))) {
    out.push({ kind: 'changed', resourceType: 'oidc-provider', name, arn: have.arn, attribute: 'thumbprints', expected: sortedUnique(want.thumbprints), actual: sortedUnique(have.thumbprints), protected: false });
  }
  return out;
}

function summarize(drift: readonly DriftItem[], quarantined: number): DriftSummary {
  const count = (f: (d: DriftItem) => boolean): number => drift.filter(f).length;
  return {
    total: drift.length,
    changed: count((d) => d.kind === 'changed'),
    missing: count((d) => d.kind === 'missing'),
    unmanaged: count((d) => d.kind === 'unmanaged'),
    quarantined,
    byResourceType: {
      role: count((d) => d.resourceType === 'role'),
      policy: count((d) => d.resourceType === 'policy'),
      'oidc-provider': count((d) => d.resourceType === 'oidc-provider'),
    },
  };
}

/**
 * Compares the desired inventory of an account with its live IAM state. Pure: the caller reads IAM.
 * Documents are compared semantically; service-linked and Identity Center roles and AWS managed
 * policies are never resources. Items are sorted by resource type, name and attribute.
 */
export function detectDrift(desired: DesiredInventory, live: LiveInventory, options: DetectDriftOptions = {}): DriftReport {
  const scope = options.scope ?? 'managed';
  // IAM names are case-insensitive: `Break-Glass` in an event is the role `break-glass`.
  const roleFilter = options.only?.roleNames ? new Set(options.only.roleNames.map(iamNameKey)) : undefined;
  const policyFilter = options.only?.policyArns ? new Set(options.only.policyArns.map(iamArnKey)) : undefined;
  const filtered = options.only !== undefined;
  const wantRole = (name: string): boolean => (filtered ? roleFilter?.has(iamNameKey(name)) === true : true);
  const wantPolicy = (arn: string): boolean => (filtered ? policyFilter?.has(iamArnKey(arn)) === true : true);

  const drift: DriftItem[] = [];
  const quarantined: string[] = [];

  const liveRoles = new Map(live.roles.filter((r) => !isAwsOwnedRole(r.path)).map((r) => [iamNameKey(r.name), r]));
  const desiredRoles = new Map(desired.roles.map((r) => [iamNameKey(r.name), r]));
  for (const want of desired.roles) {
    if (!wantRole(want.name)) continue;
    const have = liveRoles.get(iamNameKey(want.name));
    if (!have) {
      drift.push({ kind: 'missing', resourceType: 'role', name: want.name, arn: want.arn, attribute: null, expected: want.arn, actual: null, protected: isProtectedRole(desired, want.name) });
    } else {
      drift.push(...compareRole(desired, want, have));
    }
  }
  for (const have of liveRoles.values()) {
    // Known by identity: a desired role, or a protected role outside the stack (the deploy role), by ARN.
    if (!wantRole(have.name) || desiredRoles.has(iamNameKey(have.name)) || isProtectedRole(desired, have.arn)) continue;
    if (scope === 'managed' && !isPlatformResource(desired, have.path, have.tags, have.name)) continue;
    if (isQuarantined(have)) {
      quarantined.push(have.name);
      continue;
    }
    drift.push({ kind: 'unmanaged', resourceType: 'role', name: have.name, arn: have.arn, attribute: null, expected: null, actual: have.arn, protected: false });
  }

  const livePolicies = new Map(live.policies.map((p) => [iamArnKey(p.arn), p]));
  const desiredPolicies = new Map(desired.policies.map((p) => [iamArnKey(p.arn), p]));
  for (const want of desired.policies) {
    if (!wantPolicy(want.arn)) continue;
    const have = livePolicies.get(iamArnKey(want.arn));
    if (!have) drift.push({ kind: 'missing', resourceType: 'policy', name: want.name, arn: want.arn, attribute: null, expected: want.arn, actual: null, protected: false });
    else drift.push(...comparePolicy(want, have));
  }
  for (const have of live.policies) {
    if (!wantPolicy(have.arn) || desiredPolicies.has(iamArnKey(have.arn))) continue;
    // Policy tags are not in GetAccountAuthorizationDetails: in managed scope, policies are the platform's by path.
    if (scope === 'managed' && !isPlatformResource(desired, have.path, undefined, have.name)) continue;
    drift.push({ kind: 'unmanaged', resourceType: 'policy', name: have.name, arn: have.arn, attribute: null, expected: null, actual: have.arn, protected: false });
  }

  if ((options.compareOidcProviders ?? true) && !filtered) {
    const liveOidc = new Map(live.oidcProviders.map((p) => [p.arn, p]));
    const desiredOidc = new Set(desired.oidcProviders.map((p) => p.arn));
    for (const want of desired.oidcProviders) {
      const have = liveOidc.get(want.arn);
      if (!have) drift.push({ kind: 'missing', resourceType: 'oidc-provider', name: normalizeIssuer(want.url), arn: want.arn, attribute: null, expected: want.arn, actual: null, protected: false });
      else drift.push(...compareOidc(want, have));
    }
    for (const have of live.oidcProviders) {
      if (desiredOidc.has(have.arn)) continue;
      if (scope === 'managed' && !isPlatformResource(desired, '/', have.tags)) continue;
      drift.push({ kind: 'unmanaged', resourceType: 'oidc-provider', name: normalizeIssuer(have.url), arn: have.arn, attribute: null, expected: null, actual: have.arn, protected: false });
    }
  }

  const order: Record<DriftResourceType, number> = { role: 0, policy: 1, 'oidc-provider': 2 };
  drift.sort((a, b) => order[a.resourceType] - order[b.resourceType] || a.name.localeCompare(b.name) || (a.attribute ?? '').localeCompare(b.attribute ?? ''));
  quarantined.sort();

  return {
    account: desired.account,
    accountId: desired.accountId,
    checkedAt: options.checkedAt ?? live.readAt,
    scope,
    drift,
    quarantined,
    summary: summarize(drift, quarantined.length),
  };
}
