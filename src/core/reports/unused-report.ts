import type { AccessLevel, AnalyzerReport } from '../analyzer';
import type { ResolvedOrganization } from '../model';
import type { PolicyDocumentJson } from '../policy';
import { canonicalJson } from '../registry';

/** Version of the unused-permissions JSON (docs/reports.md). */
export const UNUSED_REPORT_SCHEMA_VERSION = 1;

/**
 * Risk points of one unused permission by access level: what an attacker gains with it. Permissions management
 * rewrites access itself; Write changes resources; Tagging can defeat tag-based conditions; Read and List leak data
 * or reconnaissance. (Access levels of the Service Authorization Reference.)
 */
export const RISK_POINTS_BY_ACCESS_LEVEL: Readonly<Record<AccessLevel, number>> = { 'Permissions management': 10, Write: 5, Tagging: 3, Read: 2, List: 1 };

/** One line of a policy diff. */
export interface DiffLine {
  readonly op: ' ' | '-' | '+';
  readonly text: string;
}

/** The tightened policy of a role against today's file. */
export interface PolicyChange {
  readonly name: string;
  readonly kind: 'inline' | 'customer';
  readonly file?: string;
  /** Actions the tightened document removes. */
  readonly removed: readonly string[];
  /** True when today's document differs from the one the analyzer tightened (the diff is then against today's, shown for review only). */
  readonly stale: boolean;
  /** Unified lines: today's document (pretty JSON) to the tightened one; the tightened one empty when it can be detached. */
  readonly diff: readonly DiffLine[];
}

export interface UnusedRole {
  readonly arn: string;
  readonly account: string;
  readonly file?: string;
  readonly granted: number;
  /** Granted actions seen in the window. */
  readonly used: number;
  /** Granted, observable, not seen. */
  readonly unused: number;
  /** Granted, CloudTrail cannot show them (data events, iam:PassRole): unknown, never counted as removable. */
  readonly unobservable: number;
  /** Sum of RISK_POINTS_BY_ACCESS_LEVEL over the unused actions. */
  readonly risk: number;
  /** Unused actions by access level. */
  readonly unusedByLevel: Readonly<Partial<Record<AccessLevel, number>>>;
  /** Unused actions, most dangerous first. */
  readonly unusedActions: readonly string[];
  /** False when some attached policy was not evaluated (the counts are a lower bound). */
  readonly complete: boolean;
  readonly changes: readonly PolicyChange[];
}

/** The monthly unused-permissions report: the documented JSON of `iamctl report unused --format json`. */
export interface UnusedReport {
  readonly schemaVersion: typeof UNUSED_REPORT_SCHEMA_VERSION;
  readonly report: 'unused';
  readonly organization: string;
  readonly generatedAt: string;
  readonly window: AnalyzerReport['window'];
  readonly summary: { readonly roles: number; readonly granted: number; readonly used: number; readonly unobservable: number; readonly removable: number };
  /** Roles ranked by risk, then by unused count. */
  readonly roles: readonly UnusedRole[];
  /** Analyzer warnings (short window, accounts not observed) and what was left out. */
  readonly notes: readonly string[];
}

/** Line diff of two texts (longest common subsequence), as unified lines. */
export function diffLines(before: readonly string[], after: readonly string[]): DiffLine[] {
  const n = before.length;
  const m = after.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = before[i] === after[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (before[i] === after[j]) {
      out.push({ op: ' ', text: before[i] });
      i++;
      j++;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) out.push({ op: '-', text: before[i++] });
    else out.push({ op: '+', text: after[j++] });
  }
  while (i < n) out.push({ op: '-', text: before[i++] });
  while (j < m) out.push({ op: '+', text: after[j++] });
  return out;
}

function prettyLines(doc: PolicyDocumentJson | null): string[] {
  return doc === null ? [] : JSON.stringify(doc, null, 2).split('\n');
}

/** Options of {@link buildUnusedReport}. */
export interface BuildUnusedReportOptions {
  /** Today's model (the accounts/ files the diff is against). */
  readonly org: ResolvedOrganization;
  /** Result of `iamctl analyze --format json`. */
  readonly analyzer: AnalyzerReport;
  readonly now: string;
}

/**
 * Per role of the model that the analyzer observed: granted vs used vs unobservable, the unused actions ranked by
 * risk, and the analyzer's tightened policies as a diff against today's accounts/ documents. The total of removable
 * permissions counts unused observable actions only (unobservable ones are unknown, not unused).
 */
export function buildUnusedReport(options: BuildUnusedReportOptions): UnusedReport {
  const { org, analyzer } = options;
  const recs = new Map(analyzer.recommendations.map((r) => [r.arn.toLowerCase(), r]));
  const roles: UnusedRole[] = [];
  for (const p of analyzer.principals) {
    if (!p.managed || p.granted === 0 || !p.accountObserved) continue;
    const byLevel: Partial<Record<AccessLevel, number>> = {};
    let risk = 0;
    p.unusedAccessLevels.forEach((level) => {
      byLevel[level] = (byLevel[level] ?? 0) + 1;
      risk += RISK_POINTS_BY_ACCESS_LEVEL[level] ?? 1;
    });
    const account = org.accounts.find((a) => a.name === p.account);
    const roleName = p.arn.slice(p.arn.lastIndexOf('/') + 1).toLowerCase();
    const role = account?.roles.find((r) => r.name.toLowerCase() === roleName);
    const changes: PolicyChange[] = (recs.get(p.arn.toLowerCase())?.policies ?? [])
      .filter((pol) => pol.removed.length > 0)
      .map((pol) => {
        const today =
          (pol.kind === 'inline' ? role?.inlinePolicies.find((x) => x.name === pol.name)?.document : account?.policies.find((x) => x.name === pol.name)?.document)?.toJSON();
        const base = today ?? pol.original;
        return {
          name: pol.name,
          kind: pol.kind,
          ...(pol.file ? { file: pol.file } : {}),
          removed: pol.removed,
          stale: today === undefined || canonicalJson(today) !== canonicalJson(pol.original),
          diff: diffLines(prettyLines(base), prettyLines(pol.tightened)),
        };
      });
    const usedGranted = p.used.filter((u) => !p.usedNotGranted.includes(u.action)).length;
    roles.push({
      arn: p.arn,
      account: p.account ?? '',
      ...(p.file ? { file: p.file } : {}),
      granted: p.granted,
      used: usedGranted,
      unused: p.unused.length,
      unobservable: p.unobservable.length,
      risk,
      unusedByLevel: byLevel,
      unusedActions: p.unused,
      complete: p.grantedComplete,
      changes,
    });
  }
  roles.sort((a, b) => b.risk - a.risk || b.unused - a.unused || a.arn.localeCompare(b.arn));
  const skippedRoles = analyzer.principals.filter((p) => p.managed && p.granted > 0 && !p.accountObserved).length;
  return {
    schemaVersion: UNUSED_REPORT_SCHEMA_VERSION,
    report: 'unused',
    organization: org.name,
    generatedAt: options.now,
    window: analyzer.window,
    summary: {
      roles: roles.length,
      granted: roles.reduce((n, r) => n + r.granted, 0),
      used: roles.reduce((n, r) => n + r.used, 0),
      unobservable: roles.reduce((n, r) => n + r.unobservable, 0),
      removable: roles.reduce((n, r) => n + r.unused, 0),
    },
    roles,
    notes: [
      ...analyzer.warnings,
      ...(skippedRoles > 0 ? [`${skippedRoles} roles left out: no event of their account was read, so everything would look unused.`] : []),
      ...(roles.some((r) => !r.complete) ? ['Roles marked incomplete attach policies the analyzer could not evaluate (AWS managed): their counts are a lower bound.'] : []),
    ],
  };
}
