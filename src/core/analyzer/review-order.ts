import type { AnalyzerReport, PrincipalReport } from './report';

/** Why a call deserves a reviewer's eye. */
export type SuspiciousCategory = 'logging' | 'organizations' | 'iam';

/**
 * Calls that tamper with logging and detection, with the organization, or with IAM (persistence
 * and escalation): flagged in reports whether they succeeded or were denied.
 * Sources: Stratus Red Team techniques (defense-evasion, persistence, privilege-escalation), the CIS
 * AWS Foundations Benchmark monitoring controls (CloudTrail, Config, organizations changes).
 * @see https://stratus-red-team.cloud/attack-techniques/AWS/
 */
export const SUSPICIOUS_ACTIONS: Readonly<Record<string, SuspiciousCategory>> = {
  'cloudtrail:StopLogging': 'logging',
  'cloudtrail:DeleteTrail': 'logging',
  'cloudtrail:UpdateTrail': 'logging',
  'cloudtrail:PutEventSelectors': 'logging',
  'cloudtrail:PutInsightSelectors': 'logging',
  'cloudtrail:DeleteEventDataStore': 'logging',
  'cloudtrail:StopEventDataStoreIngestion': 'logging',
  'logs:DeleteLogGroup': 'logging',
  'logs:DeleteLogStream': 'logging',
  'logs:DeleteSubscriptionFilter': 'logging',
  'ec2:DeleteFlowLogs': 'logging',
  'config:StopConfigurationRecorder': 'logging',
  'config:DeleteConfigurationRecorder': 'logging',
  'config:DeleteDeliveryChannel': 'logging',
  'guardduty:DeleteDetector': 'logging',
  'guardduty:UpdateDetector': 'logging',
  'securityhub:DisableSecurityHub': 'logging',
  'route53resolver:DeleteResolverQueryLogConfig': 'logging',
  'route53resolver:DisassociateResolverQueryLogConfig': 'logging',
  'bedrock:DeleteModelInvocationLoggingConfiguration': 'logging',
  'organizations:LeaveOrganization': 'organizations',
  'organizations:DeleteOrganization': 'organizations',
  'organizations:RemoveAccountFromOrganization': 'organizations',
  'organizations:DetachPolicy': 'organizations',
  'organizations:DeletePolicy': 'organizations',
  'organizations:UpdatePolicy': 'organizations',
  'organizations:DisablePolicyType': 'organizations',
  'organizations:InviteAccountToOrganization': 'organizations',
  'iam:CreateUser': 'iam',
  'iam:CreateAccessKey': 'iam',
  'iam:CreateLoginProfile': 'iam',
  'iam:UpdateLoginProfile': 'iam',
  'iam:AttachUserPolicy': 'iam',
  'iam:AttachRolePolicy': 'iam',
  'iam:AttachGroupPolicy': 'iam',
  'iam:PutUserPolicy': 'iam',
  'iam:PutRolePolicy': 'iam',
  'iam:PutGroupPolicy': 'iam',
  'iam:CreatePolicyVersion': 'iam',
  'iam:SetDefaultPolicyVersion': 'iam',
  'iam:UpdateAssumeRolePolicy': 'iam',
  'iam:AddUserToGroup': 'iam',
  'iam:DeleteRolePermissionsBoundary': 'iam',
  'iam:DeleteUserPermissionsBoundary': 'iam',
  'iam:CreateRole': 'iam',
  'sts:GetFederationToken': 'iam',
};

/** Access levels whose unused grants count as high risk. */
const HIGH_RISK_LEVELS: ReadonlySet<string> = new Set(['Permissions management', 'Write']);
/** Weights of the review score: a suspicious call outweighs a denial, which outweighs an unused grant. */
const WEIGHT_SUSPICIOUS = 100;
const WEIGHT_DENIED = 10;
const WEIGHT_UNUSED_HIGH_RISK = 1;

/** One flagged call of a principal. */
export interface SuspiciousCall {
  readonly action: string;
  readonly category: SuspiciousCategory;
  /** Calls that succeeded (or failed after authorization). */
  readonly used: number;
  /** Calls that were denied. */
  readonly denied: number;
}

/** A principal in review order, with what makes it interesting. */
export interface ReviewEntry {
  readonly principal: PrincipalReport;
  readonly suspicious: readonly SuspiciousCall[];
  /** Unused grants at the Permissions management or Write level. */
  readonly unusedHighRisk: number;
  /** Denied attempts (calls). */
  readonly deniedCalls: number;
  /** suspicious × 100 + distinct denied actions × 10 + unused high-risk grants. */
  readonly score: number;
  /** Nothing to show: no calls, no denials, no unused grants, no unmapped events. */
  readonly empty: boolean;
}

/** The flagged calls of one principal (used or denied), in table order. */
export function findSuspiciousCalls(principal: PrincipalReport): SuspiciousCall[] {
  const out = new Map<string, { action: string; category: SuspiciousCategory; used: number; denied: number }>();
  const entry = (action: string) => {
    const category = SUSPICIOUS_ACTIONS[action];
    if (category === undefined) return undefined;
    let e = out.get(action);
    if (e === undefined) {
      e = { action, category, used: 0, denied: 0 };
      out.set(action, e);
    }
    return e;
  };
  for (const u of principal.used) {
    const e = entry(u.action);
    if (e) e.used += u.count;
  }
  for (const d of principal.denied) {
    const e = entry(d.action);
    if (e) e.denied += d.count;
  }
  return [...out.values()].sort((a, b) => (a.action < b.action ? -1 : a.action > b.action ? 1 : 0));
}

/**
 * Orders principals for a reviewer: most suspicious calls, then denied attempts, then unused
 * high-risk grants; ties by ARN. Empty principals are marked so a report can fold them.
 */
export function orderPrincipalsForReview(report: AnalyzerReport): ReviewEntry[] {
  return report.principals
    .map((principal) => {
      const suspicious = findSuspiciousCalls(principal);
      const unusedHighRisk = principal.unusedAccessLevels.filter((l) => HIGH_RISK_LEVELS.has(l)).length;
      const deniedCalls = principal.denied.reduce((n, d) => n + d.count, 0);
      const score = suspicious.length * WEIGHT_SUSPICIOUS + principal.denied.length * WEIGHT_DENIED + unusedHighRisk * WEIGHT_UNUSED_HIGH_RISK;
      const empty = principal.used.length === 0 && principal.denied.length === 0 && principal.unused.length === 0 && principal.unmapped.length === 0;
      return { principal, suspicious, unusedHighRisk, deniedCalls, score, empty };
    })
    .sort((a, b) => b.score - a.score || (a.principal.arn < b.principal.arn ? -1 : a.principal.arn > b.principal.arn ? 1 : 0));
}
