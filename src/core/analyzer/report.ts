import type { PolicyDocumentJson } from '../policy';
import type { AccessLevel } from './catalog-port';
import type { PrincipalType } from './classify-event';
import type { SkippedSummary } from './usage-aggregate';

/**
 * The analyzer's result: the documented JSON shape of `iamctl analyze --format json`.
 *
 * Required by the issue: `window`, `principals[].{arn,type,granted,used,unused,denied,unobservable,unmapped}`,
 * `skipped.{files,records,reasons}`. Added fields are documented on each member.
 */
export interface AnalyzerReport {
  /** The observed window: first and last counted eventTime, and its length in days (one decimal). */
  readonly window: ObservationWindow;
  /** Added: warnings a reviewer must read (short window, root use, policies not evaluated). */
  readonly warnings: readonly string[];
  readonly principals: readonly PrincipalReport[];
  /** Added: tightened policies per role of the model whose account's events were read (see {@link RoleRecommendation}). */
  readonly recommendations: readonly RoleRecommendation[];
  readonly skipped: SkippedSummary;
  /** Added: records and files read, counted or not. */
  readonly totals: { readonly records: number; readonly files: number };
}

export interface ObservationWindow {
  /** ISO time of the first counted event; null when no event was counted. */
  readonly from: string | null;
  /** ISO time of the last counted event; null when no event was counted. */
  readonly to: string | null;
  /** Length in days, rounded to one decimal. */
  readonly days: number;
  /** Added: the range asked for with --from/--to, when given. */
  readonly requested?: { readonly from?: string; readonly to?: string };
  /** Added: the --min-days threshold the window was checked against. */
  readonly minDays: number;
}

export interface UsedAction {
  readonly action: string;
  readonly count: number;
  readonly firstSeen: string;
  readonly lastSeen: string;
}

export interface DeniedAction {
  readonly action: string;
  readonly count: number;
}

export interface UnmappedEvent {
  readonly eventSource: string;
  readonly eventName: string;
  readonly count: number;
  /** Added: how many of those calls were denied. */
  readonly denied: number;
}

export interface PrincipalReport {
  readonly arn: string;
  readonly type: PrincipalType;
  /** Added: false for principals seen in the logs that the accounts/ model does not define. */
  readonly managed: boolean;
  /** Added: account name in the model, when managed. */
  readonly account?: string;
  /** Added: the role's YAML file in accounts/, when managed. */
  readonly file?: string;
  /** Number of granted actions (0 for unmanaged principals, whose grants are unknown). */
  readonly granted: number;
  /** Added: false when some attached policy was not evaluated (AWS managed policies). */
  readonly grantedComplete: boolean;
  /** Added: policies that could not be evaluated, with why. */
  readonly notEvaluated: readonly string[];
  readonly used: readonly UsedAction[];
  /** Granted, not used, observable: most dangerous access level first (Permissions management, Write, Tagging, Read, List). */
  readonly unused: readonly string[];
  /** Added: access level of each unused action, same order as `unused`. */
  readonly unusedAccessLevels: readonly AccessLevel[];
  readonly denied: readonly DeniedAction[];
  /** Granted actions CloudTrail cannot show (data events, iam:PassRole) that were not seen: unknown, never unused. */
  readonly unobservable: readonly string[];
  readonly unmapped: readonly UnmappedEvent[];
  /** Added: used actions the evaluated policies do not grant (only when grantedComplete). */
  readonly usedNotGranted: readonly string[];
  /** Added: true for the account root user. */
  readonly root: boolean;
  /**
   * Added: false when no event of the principal's account was counted (its logs were not given):
   * then everything looks unused, so the role gets no recommendation.
   */
  readonly accountObserved: boolean;
}

/** One policy of a role, before and after tightening. */
export interface PolicyRecommendation {
  readonly name: string;
  /** `inline` policies can be rewritten in the role file; `customer` managed policies may be shared, so they are advisory. */
  readonly kind: 'inline' | 'customer';
  /** Where the policy is defined. */
  readonly file?: string;
  /** JSON path of the policy inside that file, when known. */
  readonly path?: string;
  readonly original: PolicyDocumentJson;
  /** The tightened document; null when no statement is left (the policy can be detached). */
  readonly tightened: PolicyDocumentJson | null;
  /** Actions the original granted that the tightened one does not. */
  readonly removed: readonly string[];
  /** Minified size of the tightened document. */
  readonly size: number;
  /** For each tightened statement, the indices of the original statements it came from (for in-place edits). */
  readonly statementOrigins: readonly (readonly number[])[];
}

export interface RoleRecommendation {
  readonly arn: string;
  readonly account: string;
  readonly role: string;
  /** The role's YAML file. */
  readonly file: string;
  /** The org/OU role template the role comes from, when it does: --write leaves template policies alone. */
  readonly template?: string;
  readonly policies: readonly PolicyRecommendation[];
}
