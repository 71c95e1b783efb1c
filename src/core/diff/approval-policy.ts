/**
 * Approval policy as code: which verdicts of the access diff need the security approval, and which
 * groups approve, per OU or account (`approval:` in accounts/org.yaml). Pure: the pipeline generates its
 * approval jobs from the result (scripts/ci/approval-jobs.ts).
 */
import { ORGANIZATION_ENTRY } from './diff-access';
import type { AccessDiff, AccessVerdict } from './types';

/** Who approves the changes of some OUs or accounts. */
export interface ApprovalScope {
  /** @default - none */
  readonly ous?: readonly string[];
  /** @default - none */
  readonly accounts?: readonly string[];
  readonly groups: readonly string[];
  /** @default - the policy's riskyGroups */
  readonly riskyGroups?: readonly string[];
}

/** The approval policy. */
export interface ApprovalPolicy {
  /** @default ['new-access', 'risky'] */
  readonly requiredFor?: readonly AccessVerdict[];
  readonly groups: readonly string[];
  readonly riskyGroups: readonly string[];
  /** @default - none */
  readonly scopes?: readonly ApprovalScope[];
}

/** Verdicts that need the security approval when the policy names none. */
export const DEFAULT_APPROVAL_VERDICTS: readonly AccessVerdict[] = ['new-access', 'risky'];

/** One approval the merge request needs. */
export interface RequiredApproval {
  /** `security` (first) or `second` (risky changes). */
  readonly stage: 'security' | 'second';
  /** Groups of which one member each must approve. */
  readonly groups: readonly string[];
  /** Accounts whose changes need it. */
  readonly accounts: readonly string[];
}

/** What the merge request needs. */
export interface ApprovalDecision {
  readonly verdict: AccessVerdict;
  readonly required: boolean;
  readonly approvals: readonly RequiredApproval[];
  /** One line: why approval is or is not needed. */
  readonly reason: string;
}

function scopeOf(policy: ApprovalPolicy, account: string, ou: string | undefined): ApprovalScope | undefined {
  const scopes = policy.scopes ?? [];
  return scopes.find((s) => (s.accounts ?? []).includes(account)) ?? (ou !== undefined ? scopes.find((s) => (s.ous ?? []).includes(ou)) : undefined);
}

/**
 * Decides the approvals a diff needs. `ouOf` maps an account name to its OU (head side, then base side).
 * SCP changes (the `organization` entry) are approved by the default groups.
 */
export function decideApprovals(diff: AccessDiff, policy: ApprovalPolicy, ouOf: (account: string) => string | undefined): ApprovalDecision {
  const requiredFor = policy.requiredFor ?? DEFAULT_APPROVAL_VERDICTS;
  const first = new Map<string, Set<string>>();
  const second = new Map<string, Set<string>>();
  const add = (map: Map<string, Set<string>>, groups: readonly string[], account: string): void => {
    for (const g of groups) map.set(g, (map.get(g) ?? new Set<string>()).add(account));
  };
  for (const entry of diff.accounts) {
    if (!requiredFor.includes(entry.verdict)) continue;
    const scope = entry.account === ORGANIZATION_ENTRY ? undefined : scopeOf(policy, entry.account, ouOf(entry.account));
    add(first, scope?.groups ?? policy.groups, entry.account);
    if (entry.verdict === 'risky') add(second, scope?.riskyGroups ?? policy.riskyGroups, entry.account);
  }
  const toApproval = (stage: RequiredApproval['stage'], map: Map<string, Set<string>>): RequiredApproval[] =>
    map.size === 0 ? [] : [{ stage, groups: [...map.keys()].sort(), accounts: [...new Set([...map.values()].flatMap((s) => [...s]))].sort() }];
  const approvals = [...toApproval('security', first), ...toApproval('second', second)];
  const required = approvals.length > 0;
  const reason = required
    ? `verdict ${diff.verdict}: approval by ${approvals.map((a) => a.groups.join(' + ')).join(', then ')} for ${approvals[0].accounts.join(', ')}`
    : `verdict ${diff.verdict}: no security approval needed (the policy requires it for ${requiredFor.join(', ')})`;
  return { verdict: diff.verdict, required, approvals, reason };
}

/** Variables of the GitLab `dotenv` report the access-diff job writes (later jobs read them). */
export const APPROVAL_DOTENV_VARIABLES = {
  verdict: 'IAM_ACCESS_VERDICT',
  securityApproval: 'IAM_SECURITY_APPROVAL',
  secondApproval: 'IAM_SECOND_APPROVAL',
  approverGroups: 'IAM_APPROVER_GROUPS',
  secondApproverGroups: 'IAM_SECOND_APPROVER_GROUPS',
  changedAccounts: 'IAM_CHANGED_ACCOUNTS',
  changedStacks: 'IAM_CHANGED_STACKS',
} as const;

/** The dotenv report: one `NAME=value` per line, values without spaces or quotes (GitLab's dotenv format). */
export function renderApprovalDotenv(diff: AccessDiff, decision: ApprovalDecision, changedStacks?: readonly string[]): string {
  const v = APPROVAL_DOTENV_VARIABLES;
  const stage = (s: RequiredApproval['stage']): RequiredApproval | undefined => decision.approvals.find((a) => a.stage === s);
  const clean = (values: readonly string[]): string => values.map((x) => x.replace(/[\s"'=,]+/g, '_')).join(',');
  return [
    `${v.verdict}=${diff.verdict}`,
    `${v.securityApproval}=${stage('security') ? 'required' : 'not-required'}`,
    `${v.secondApproval}=${stage('second') ? 'required' : 'not-required'}`,
    `${v.approverGroups}=${clean(stage('security')?.groups ?? [])}`,
    `${v.secondApproverGroups}=${clean(stage('second')?.groups ?? [])}`,
    `${v.changedAccounts}=${clean(diff.accounts.map((a) => a.account))}`,
    ...(changedStacks !== undefined ? [`${v.changedStacks}=${clean(changedStacks)}`] : []),
    '',
  ].join('\n');
}
