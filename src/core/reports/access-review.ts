import { describeEdge, findAdminPaths, findHumanAccessWithoutMfa, findRolesWithoutBoundary, listExternalTrust, type AccessGraph, type AccessNode, type AdminPath, type TrustDetail } from '../access-graph';
import type { AnalyzerReport } from '../analyzer';
import type { ResolvedOrganization } from '../model';
import type { PolicyRecord } from '../registry';
import { mergeDecisions, type DecisionRow, type FlaggedItem } from './decisions';

/** Version of the access-review JSON (docs/reports.md). */
export const ACCESS_REVIEW_SCHEMA_VERSION = 1;
/** A role not used for this many days is flagged as unused (IAM Access Analyzer's default unused-access age is 90). */
export const DEFAULT_UNUSED_ROLE_DAYS = 90;

/** When a role was last used, as IAM's `RoleLastUsed` says. */
export interface RoleLastUsed {
  /** ISO time; null when IAM has no record (never used, or not within IAM's tracking period). */
  readonly lastUsedDate: string | null;
  /** @default - none */
  readonly region?: string;
}

/** A path to admin as the review shows it. */
export interface ReviewAdminPath {
  /** Label of the principal the path starts at. */
  readonly principal: string;
  readonly principalKind: AccessNode['kind'];
  /** ARN of the role holding admin (or opening the escalation). */
  readonly role: string;
  /** `has-admin` or `can-become` (escalation). */
  readonly via: 'has-admin' | 'can-become';
  /** Escalation path ids (`lambda-001`), when via escalation. */
  readonly escalations: readonly string[];
  /** One line per edge. */
  readonly steps: readonly string[];
}

/** A trust edge as the review shows it: the graph's trust detail without its statement. */
export interface ReviewTrust extends Omit<TrustDetail, 'statement'> {
  readonly role: string;
  readonly from: string;
  readonly fromKind: AccessNode['kind'];
}

/** A role of the review. */
export interface ReviewRole {
  readonly name: string;
  readonly arn: string;
  readonly owner: string;
  readonly file?: string;
  /** Boundary name, or null. */
  readonly boundary: string | null;
  /** From IAM; undefined when last use was not read (no credentials given). */
  readonly lastUsed?: RoleLastUsed;
  /** True/false when last use was read; null when not read. */
  readonly unused: boolean | null;
  /** Unused permissions from the analyzer result; null when no analyzer result covers the role. */
  readonly unusedPermissions: number | null;
}

/** A change of access since the previous review. */
export interface ReviewChange {
  readonly account: string;
  /** `role app`, `policy app-deploy`. */
  readonly subject: string;
  readonly reason: string;
  /** @default - unknown */
  readonly date?: string;
}

/** Changes since the previous review and where they come from. */
export interface ReviewChanges {
  /** `registry` (the policy record), `git` (history of accounts/) or `none` (no previous review to compare with). */
  readonly source: 'registry' | 'git' | 'none';
  /** Commit or date of the previous review. @default - none */
  readonly since?: string;
  readonly items: readonly ReviewChange[];
}

export interface AccountAccessReview {
  readonly account: string;
  readonly accountId: string;
  readonly owner: string;
  readonly adminPaths: readonly ReviewAdminPath[];
  readonly trust: readonly ReviewTrust[];
  readonly humanWithoutMfa: readonly ReviewTrust[];
  readonly rolesWithoutBoundary: readonly string[];
  readonly roles: readonly ReviewRole[];
}

/** The access review: the documented JSON of `iamctl report access-review --format json`. */
export interface AccessReview {
  readonly schemaVersion: typeof ACCESS_REVIEW_SCHEMA_VERSION;
  readonly report: 'access-review';
  readonly organization: string;
  /** ISO time the review was made. */
  readonly generatedAt: string;
  /** Commit of accounts/ the review describes. @default - unknown */
  readonly commit?: string;
  readonly summary: {
    readonly accounts: number;
    readonly roles: number;
    readonly adminPaths: number;
    readonly externalTrust: number;
    readonly thirdPartyTrust: number;
    readonly humanWithoutMfa: number;
    readonly rolesWithoutBoundary: number;
    /** null when last use was not read. */
    readonly unusedRoles: number | null;
    /** null when no analyzer result was given. */
    readonly unusedPermissions: number | null;
    readonly changes: number;
    readonly openDecisions: number;
    readonly overdueDecisions: number;
  };
  readonly accounts: readonly AccountAccessReview[];
  /** Every third-party trust of the organization, with its external id. */
  readonly thirdPartyTrust: readonly (ReviewTrust & { readonly account: string })[];
  readonly changes: ReviewChanges;
  readonly decisions: readonly DecisionRow[];
  /** What the review could not see (no live read, AWS managed policies not evaluated, ...). */
  readonly notes: readonly string[];
}

/** Options of {@link buildAccessReview}. */
export interface BuildAccessReviewOptions {
  readonly org: ResolvedOrganization;
  readonly graph: AccessGraph;
  /** ISO time of the review. */
  readonly now: string;
  /** @default - unknown */
  readonly commit?: string;
  /** Last use per role ARN (lower-case keys). @default - not read */
  readonly lastUsed?: ReadonlyMap<string, RoleLastUsed>;
  /** @default DEFAULT_UNUSED_ROLE_DAYS */
  readonly unusedRoleDays?: number;
  /** Result of `iamctl analyze --format json`. @default - none */
  readonly analyzer?: AnalyzerReport;
  /** @default { source: 'none', items: [] } */
  readonly changes?: ReviewChanges;
  /** Decision rows of the previous review. @default - none */
  readonly previousDecisions?: readonly DecisionRow[];
  /** @default DEFAULT_DECISION_DUE_DAYS */
  readonly dueDays?: number;
}

function toReviewTrust(graph: AccessGraph, edge: AdminPath['edges'][number]): ReviewTrust {
  const t = edge.trust!;
  const from = graph.nodes.get(edge.from)!;
  return {
    role: graph.nodes.get(edge.to)!.label,
    from: from.label,
    fromKind: from.kind,
    kind: t.kind,
    requireMfa: t.requireMfa,
    ...(t.externalId ? { externalId: t.externalId } : {}),
    ...(t.conditions ? { conditions: t.conditions } : {}),
    crossAccount: t.crossAccount,
    external: t.external,
    federated: t.federated,
  };
}

function roleNameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/**
 * The weekly access review of an organization from its access graph: per account the paths to admin, the
 * cross-account, third-party and federated trust, human trust without MFA, roles without a boundary, last use and
 * unused permissions per role; for the organization the third-party trust, the changes since the previous review
 * and the decision table (flagged items merged with the previous review's decisions).
 */
export function buildAccessReview(options: BuildAccessReviewOptions): AccessReview {
  const { org, graph } = options;
  const today = options.now.slice(0, 10);
  const unusedDays = options.unusedRoleDays ?? DEFAULT_UNUSED_ROLE_DAYS;
  const cutoff = new Date(options.now).getTime() - unusedDays * 86_400_000;
  const adminPaths = findAdminPaths(graph);
  const external = listExternalTrust(graph);
  const noMfa = findHumanAccessWithoutMfa(graph);
  const noBoundary = new Set(findRolesWithoutBoundary(graph).map((n) => n.id));
  const unusedByArn = new Map<string, number>();
  for (const p of options.analyzer?.principals ?? []) if (p.managed) unusedByArn.set(p.arn.toLowerCase(), p.unused.length);
  const owners = new Map<string, string>();
  for (const n of graph.nodes.values()) if (n.kind === 'role') owners.set(n.id, n.owner ?? '');

  const items: FlaggedItem[] = [];
  const accounts: AccountAccessReview[] = org.accounts.map((account) => {
    const paths = adminPaths.filter((p) => p.accountId === account.id);
    const reviewPaths = paths.map((p): ReviewAdminPath => {
      const grant = p.edges[p.edges.length - 1];
      return {
        principal: p.principal.label,
        principalKind: p.principal.kind,
        role: graph.nodes.get(grant.from)!.label,
        via: grant.kind === 'can-become' ? 'can-become' : 'has-admin',
        escalations: (grant.escalations ?? []).map((e) => e.id),
        steps: p.edges.map((e) => describeEdge(graph, e)),
      };
    });
    const trust = external.filter((e) => graph.nodes.get(e.to)?.accountId === account.id).map((e) => toReviewTrust(graph, e));
    const humanWithoutMfa = noMfa.filter((x) => x.role.accountId === account.id).map((x) => toReviewTrust(graph, x.edge));
    const roles: ReviewRole[] = [...graph.nodes.values()]
      .filter((n) => n.kind === 'role' && n.accountId === account.id)
      .sort((a, b) => a.label.localeCompare(b.label))
      .map((n) => {
        const lastUsed = options.lastUsed?.get(n.id);
        // A role whose account was not read has no entry: not read (null), not unused.
        const unused = lastUsed === undefined ? null : lastUsed.lastUsedDate === null || new Date(lastUsed.lastUsedDate).getTime() < cutoff;
        return {
          name: roleNameOf(n.label),
          arn: n.label,
          owner: n.owner ?? account.owner,
          ...(n.file ? { file: n.file } : {}),
          boundary: n.boundary ?? null,
          ...(lastUsed ? { lastUsed } : {}),
          unused,
          unusedPermissions: unusedByArn.get(n.id) ?? null,
        };
      });
    const ownerOf = (arn: string) => owners.get(arn.toLowerCase()) || account.owner;
    // Flag the paths that start outside the role itself (a role that holds admin is flagged once, as its own path).
    for (const p of reviewPaths) {
      items.push({
        id: `admin-path:${account.name}:${p.principal}>${p.role}:${p.via}`.toLowerCase(),
        kind: 'admin-path',
        account: account.name,
        subject: p.role,
        finding: p.steps.join(' → '),
        owner: ownerOf(p.role),
      });
    }
    for (const t of trust.filter((x) => x.kind === 'third-party')) {
      items.push({ id: `third-party-trust:${t.from}>${t.role}`.toLowerCase(), kind: 'third-party-trust', account: account.name, subject: t.role, finding: `${t.from} (third party) can assume ${t.role}${t.externalId ? ` with external id ${t.externalId}` : ' without an external id'}`, owner: ownerOf(t.role) });
    }
    for (const t of humanWithoutMfa) {
      items.push({ id: `human-without-mfa:${t.from}>${t.role}`.toLowerCase(), kind: 'human-without-mfa', account: account.name, subject: t.role, finding: `people in ${t.from} can assume ${t.role} without MFA`, owner: ownerOf(t.role) });
    }
    for (const r of roles.filter((x) => noBoundary.has(x.arn.toLowerCase()))) {
      items.push({ id: `no-boundary:${r.arn}`.toLowerCase(), kind: 'no-boundary', account: account.name, subject: r.arn, finding: `${r.arn} has no permission boundary`, owner: r.owner });
    }
    for (const r of roles.filter((x) => x.unused === true)) {
      items.push({ id: `unused-role:${r.arn}`.toLowerCase(), kind: 'unused-role', account: account.name, subject: r.arn, finding: `${r.arn} not used ${r.lastUsed?.lastUsedDate ? `since ${r.lastUsed.lastUsedDate.slice(0, 10)}` : 'in IAM\'s record'} (threshold ${unusedDays} days)`, owner: r.owner });
    }
    return {
      account: account.name,
      accountId: account.id,
      owner: account.owner,
      adminPaths: reviewPaths,
      trust,
      humanWithoutMfa,
      rolesWithoutBoundary: roles.filter((x) => noBoundary.has(x.arn.toLowerCase())).map((x) => x.arn),
      roles,
    };
  });

  const decisions = mergeDecisions(items, options.previousDecisions ?? [], { today, ...(options.dueDays !== undefined ? { dueDays: options.dueDays } : {}) });
  const changes = options.changes ?? { source: 'none', items: [] };
  const thirdPartyTrust = accounts.flatMap((a) => a.trust.filter((t) => t.kind === 'third-party').map((t) => ({ ...t, account: a.account })));
  const allRoles = accounts.flatMap((a) => a.roles);
  const notEvaluated = [...new Set([...graph.nodes.values()].flatMap((n) => n.notEvaluated ?? []))].sort();
  const scpsNotEvaluated = [...new Set([...graph.nodes.values()].flatMap((n) => n.scpsNotEvaluated ?? []))].sort();
  const notes = [
    ...(options.lastUsed === undefined ? ['Last use of roles was not read (no --live): unused roles are not listed.'] : []),
    ...(options.analyzer === undefined ? ['No analyzer result given (--analyzer-result): unused permissions per role are not listed.'] : []),
    ...(changes.source === 'none' ? ['No previous review given (--previous): changes since the last review are not listed.'] : []),
    ...(notEvaluated.length > 0 ? [`AWS managed policies not evaluated for admin or escalation (their documents are not in the model): ${notEvaluated.join(', ')}.`] : []),
    ...(scpsNotEvaluated.length > 0 ? [`SCP Deny statements with conditions other than aws:PrincipalArn exemptions are not applied (the roles keep those actions here): ${scpsNotEvaluated.join(', ')}.`] : []),
    'Not evaluated: SCP allow lists (only SCP denies are read), resource policies, and conditions on the caller side of role-to-role edges (an edge may be narrower in AWS).',
  ];
  return {
    schemaVersion: ACCESS_REVIEW_SCHEMA_VERSION,
    report: 'access-review',
    organization: org.name,
    generatedAt: options.now,
    ...(options.commit ? { commit: options.commit } : {}),
    summary: {
      accounts: accounts.length,
      roles: allRoles.length,
      adminPaths: accounts.reduce((n, a) => n + a.adminPaths.length, 0),
      externalTrust: accounts.reduce((n, a) => n + a.trust.length, 0),
      thirdPartyTrust: thirdPartyTrust.length,
      humanWithoutMfa: accounts.reduce((n, a) => n + a.humanWithoutMfa.length, 0),
      rolesWithoutBoundary: accounts.reduce((n, a) => n + a.rolesWithoutBoundary.length, 0),
      unusedRoles: options.lastUsed === undefined ? null : allRoles.filter((r) => r.unused === true).length,
      unusedPermissions: options.analyzer === undefined ? null : allRoles.reduce((n, r) => n + (r.unusedPermissions ?? 0), 0),
      changes: changes.items.length,
      openDecisions: decisions.filter((d) => d.status === 'open').length,
      overdueDecisions: decisions.filter((d) => d.overdue).length,
    },
    accounts,
    thirdPartyTrust,
    changes,
    decisions,
    notes,
  };
}

/** The policy-record fields the review reads (src/core/registry PolicyRecord). */
export type RecordForReview = Pick<PolicyRecord, 'account' | 'resourceType' | 'resourceName' | 'commit' | 'status' | 'recordedAt' | 'events' | 'mergeRequest' | 'approver'>;

/**
 * Changes since the previous review from the policy record: every version whose last event is after `since`,
 * newest first, with its status, commit, merge request and approver.
 */
export function summarizeRecordedChanges(records: readonly RecordForReview[], since: string): ReviewChanges {
  const after = new Date(since).getTime();
  const lastEventAt = (r: RecordForReview) => r.events.reduce((latest, e) => (e.at > latest ? e.at : latest), r.recordedAt);
  const items = records
    .filter((r) => new Date(lastEventAt(r)).getTime() > after)
    .sort((a, b) => lastEventAt(b).localeCompare(lastEventAt(a)) || a.resourceName.localeCompare(b.resourceName))
    .map((r) => ({
      account: r.account,
      subject: `${r.resourceType} ${r.resourceName}`,
      reason: `${r.status} at commit ${r.commit.slice(0, 12)}${r.mergeRequest ? `, merge request ${r.mergeRequest}` : ''}${r.approver ? `, approved by ${r.approver}` : ''}`,
      date: lastEventAt(r),
    }));
  return { source: 'registry', since, items };
}
