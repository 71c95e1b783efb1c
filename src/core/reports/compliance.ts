import type { AccessGraph } from '../access-graph';
import { findHumanAccessWithoutMfa } from '../access-graph';
import type { OrganizationLintFinding } from '../lint';
import type { ResolvedOrganization, RoleKind } from '../model';

/** Version of the compliance JSON (docs/reports.md). */
export const COMPLIANCE_SCHEMA_VERSION = 1;

/** One documented check of the compliance score. */
export interface ComplianceCheck {
  readonly id: string;
  readonly title: string;
  /** Points the check is worth; the weights of all checks add up to {@link MAX_COMPLIANCE_SCORE}. */
  readonly weight: number;
  /** Where its result comes from: the accounts/ model, or evidence (a file CI writes, or a live read). */
  readonly from: 'model' | 'evidence';
  /** How to fix a failing item. */
  readonly fix: string;
}

/** Score of an account with every check passing. */
export const MAX_COMPLIANCE_SCORE = 100;

/**
 * The checks and their weights (docs/reports.md, "Compliance score"). A failing check lowers the account's score by
 * its weight, once, however many items fail it.
 */
export const COMPLIANCE_CHECKS: readonly ComplianceCheck[] = [
  { id: 'boundary-coverage', title: 'Every role has a permission boundary', weight: 20, from: 'model', fix: 'Remove `permissionBoundary: none` from the role (the default boundary applies), or name a boundary policy of the account' },
  { id: 'human-mfa', title: 'Human trust requires MFA', weight: 20, from: 'model', fix: 'Set `requireMfa: true` (the default for kind: human) on the trust entry' },
  { id: 'no-long-lived-keys', title: 'No IAM user access keys', weight: 10, from: 'evidence', fix: 'Delete the access keys; use roles (OIDC federation for CI, SSO for people)' },
  { id: 'lint-clean', title: 'No lint errors (iamctl lint)', weight: 15, from: 'model', fix: 'Fix the finding, or suppress it next to the policy with a reason (lint.ignore)' },
  { id: 'scan-clean', title: 'No scanner findings (iamctl scan)', weight: 10, from: 'evidence', fix: 'Fix the Terraform finding, or add a reviewed exception' },
  { id: 'terraform-validate', title: 'Terraform validate passes (iamctl validate)', weight: 5, from: 'evidence', fix: 'Run iamctl validate and fix the stack' },
  { id: 'no-drift', title: 'No drift between accounts/ and IAM (iamctl drift)', weight: 10, from: 'evidence', fix: 'Run iamctl drift; restore the desired state (iamctl remediate) or bring the change into accounts/' },
  { id: 'config-rules', title: 'AWS Config IAM rules compliant', weight: 10, from: 'evidence', fix: 'Open the non-compliant resources in AWS Config and fix them through accounts/' },
];

/**
 * Role kinds whose written boundary opt-out is an accepted exception: break-glass must be able to repair IAM and the
 * boundary; the pipeline deployer creates the break-glass role, which the boundary would forbid (org.yaml says why).
 * Any other role without a boundary fails boundary-coverage.
 */
export const BOUNDARY_EXEMPT_KINDS: readonly RoleKind[] = ['break-glass', 'pipeline'];

/**
 * Evidence of the checks the model cannot decide, as CI writes it (docs/reports.md, "Evidence file"): per check id,
 * per account name, the failing items (empty: passed). A check or account that is absent is not evaluated.
 */
export interface ComplianceEvidence {
  readonly checks: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
  /** Where each result came from and when, per check id and account. @default - the results carry no provenance */
  readonly provenance?: Readonly<Record<string, Readonly<Record<string, EvidenceProvenance>>>>;
  /** Accepted exceptions per check id and account (e.g. rotated service-credential keys). @default - none */
  readonly exceptions?: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
  /** Why a check could not be evaluated in an account (a live read that failed or could not reach it). @default - none */
  readonly skipped?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** Where a check's result came from and when. */
export interface EvidenceProvenance {
  /** `accounts/ model`, `evidence file <path>`, `live IAM (ListUsers, ListAccessKeys) as <role>`, ... */
  readonly source: string;
  /** ISO time the evidence was read or written. */
  readonly at: string;
}

export interface CheckResult {
  readonly id: string;
  readonly title: string;
  readonly weight: number;
  readonly status: 'pass' | 'fail' | 'not-evaluated';
  /** Failing items, each with where and what. */
  readonly items: readonly string[];
  /** Accepted exceptions (written opt-outs of exempt kinds). */
  readonly exceptions: readonly string[];
  readonly fix: string;
  /** Where the result came from and when (absent when not evaluated). */
  readonly evidence?: EvidenceProvenance;
  /** Why the check was not evaluated (absent otherwise). */
  readonly reason?: string;
}

export interface AccountCompliance {
  readonly account: string;
  readonly accountId: string;
  /** MAX_COMPLIANCE_SCORE minus the weights of the failing checks. */
  readonly score: number;
  /** Points of the checks that could be evaluated (MAX_COMPLIANCE_SCORE minus those not evaluated). */
  readonly evaluated: number;
  readonly checks: readonly CheckResult[];
}

/** A stored past score (the trend). */
export interface ComplianceScorePoint {
  /** ISO time of the report. */
  readonly date: string;
  readonly organization: number;
  readonly accounts: Readonly<Record<string, number>>;
}

/** The compliance report: the documented JSON of `iamctl report compliance --format json`. */
export interface ComplianceReport {
  readonly schemaVersion: typeof COMPLIANCE_SCHEMA_VERSION;
  readonly report: 'compliance';
  readonly organization: string;
  readonly generatedAt: string;
  /** Mean of the account scores, one decimal. */
  readonly score: number;
  readonly checks: readonly ComplianceCheck[];
  readonly accounts: readonly AccountCompliance[];
  /** Past scores, oldest first, this report last. */
  readonly trend: readonly ComplianceScorePoint[];
}

/** Options of {@link scoreCompliance}. */
export interface ScoreComplianceOptions {
  readonly org: ResolvedOrganization;
  readonly graph: AccessGraph;
  /** `lintOrganization` findings. */
  readonly lintFindings: readonly OrganizationLintFinding[];
  readonly now: string;
  /** @default - no evidence: the evidence checks are not evaluated */
  readonly evidence?: ComplianceEvidence;
  /** Stored past scores, oldest first. @default - none */
  readonly history?: readonly ComplianceScorePoint[];
}

function roundOne(n: number): number {
  return Math.round(n * 10) / 10;
}

/**
 * Scores every account: `score = 100 − Σ weight(c)` over the checks c that fail in the account (docs/reports.md).
 * The organization's score is the mean of the account scores. The trend is the history plus this report (replacing
 * a stored point of the same time).
 */
export function scoreCompliance(options: ScoreComplianceOptions): ComplianceReport {
  const { org, graph } = options;
  const noMfa = findHumanAccessWithoutMfa(graph);
  const accounts = org.accounts.map((account): AccountCompliance => {
    const checks = COMPLIANCE_CHECKS.map((check): CheckResult => {
      let items: string[] = [];
      const exceptions: string[] = [];
      let evaluated = true;
      let evidence: EvidenceProvenance | undefined = { source: 'accounts/ model', at: options.now };
      let reason: string | undefined;
      if (check.id === 'boundary-coverage') {
        for (const role of account.roles) {
          const b = role.boundary;
          const missing = b.kind === 'none' || (b.kind === 'default' && !account.permissionBoundary) || (b.kind === 'named' && account.permissionBoundary?.name !== b.name && !account.policies.some((p) => p.name === b.name));
          if (!missing) continue;
          const where = `role ${role.name} (${role.source.file} ${role.source.path})`;
          if (b.kind === 'none' && BOUNDARY_EXEMPT_KINDS.includes(role.kind)) exceptions.push(`${where}: ${b.reason}`);
          else items.push(`${where} has no permission boundary`);
        }
      } else if (check.id === 'human-mfa') {
        items = noMfa
          .filter((x) => x.role.accountId === account.id)
          .map((x) => `${x.role.label}: people in ${graph.nodes.get(x.edge.from)?.label ?? x.edge.from} can assume it without MFA (${x.edge.source?.file ?? ''} ${x.edge.source?.path ?? ''})`.replace(/ \( \)$/, ''));
      } else if (check.id === 'lint-clean') {
        items = options.lintFindings.filter((f) => f.account === account.name && f.severity === 'error' && !f.suppressed).map((f) => `${f.file} ${f.path}: [${f.rule}] ${f.message}`);
      } else {
        const byAccount = options.evidence?.checks[check.id];
        const found = byAccount?.[account.name];
        evidence = options.evidence?.provenance?.[check.id]?.[account.name];
        if (found === undefined) {
          evaluated = false;
          evidence = undefined;
          reason = options.evidence?.skipped?.[check.id]?.[account.name] ?? 'no evidence for this account: pass --evidence, or --live where the check can be read live';
        } else {
          items = [...found];
          exceptions.push(...(options.evidence?.exceptions?.[check.id]?.[account.name] ?? []));
        }
      }
      const status = !evaluated ? 'not-evaluated' : items.length > 0 ? 'fail' : 'pass';
      return { id: check.id, title: check.title, weight: check.weight, status, items, exceptions, fix: check.fix, ...(evidence ? { evidence } : {}), ...(reason ? { reason } : {}) };
    });
    const failed = checks.filter((c) => c.status === 'fail').reduce((n, c) => n + c.weight, 0);
    const notEvaluated = checks.filter((c) => c.status === 'not-evaluated').reduce((n, c) => n + c.weight, 0);
    return { account: account.name, accountId: account.id, score: MAX_COMPLIANCE_SCORE - failed, evaluated: MAX_COMPLIANCE_SCORE - notEvaluated, checks };
  });
  const score = accounts.length === 0 ? MAX_COMPLIANCE_SCORE : roundOne(accounts.reduce((n, a) => n + a.score, 0) / accounts.length);
  const point: ComplianceScorePoint = { date: options.now, organization: score, accounts: Object.fromEntries(accounts.map((a) => [a.account, a.score])) };
  return {
    schemaVersion: COMPLIANCE_SCHEMA_VERSION,
    report: 'compliance',
    organization: org.name,
    generatedAt: options.now,
    score,
    checks: COMPLIANCE_CHECKS,
    accounts,
    // A point of the same time is replaced, so rendering one run in several formats stores it once.
    trend: [...(options.history ?? []).filter((p) => p.date !== options.now), point],
  };
}

/** Reads a compliance evidence value, returning the problems (path and rule) instead of throwing. */
export function parseComplianceEvidence(value: unknown): { evidence?: ComplianceEvidence; problems: string[] } {
  const problems: string[] = [];
  const checks = (value as { checks?: unknown } | null)?.checks;
  if (typeof checks !== 'object' || checks === null || Array.isArray(checks)) return { problems: ['$.checks must be an object: { "<check id>": { "<account>": ["failing item", ...] } }'] };
  const known = new Set(COMPLIANCE_CHECKS.filter((c) => c.from === 'evidence').map((c) => c.id));
  for (const [id, byAccount] of Object.entries(checks as Record<string, unknown>)) {
    if (!known.has(id)) {
      problems.push(`$.checks.${id} is not an evidence check: use one of ${[...known].join(', ')}`);
      continue;
    }
    if (typeof byAccount !== 'object' || byAccount === null || Array.isArray(byAccount)) {
      problems.push(`$.checks.${id} must map account names to arrays of failing items`);
      continue;
    }
    for (const [account, items] of Object.entries(byAccount as Record<string, unknown>)) {
      if (!Array.isArray(items) || items.some((i) => typeof i !== 'string')) problems.push(`$.checks.${id}.${account} must be an array of strings (failing items; [] when the check passed)`);
    }
  }
  return problems.length > 0 ? { problems } : { evidence: value as ComplianceEvidence, problems };
}

/**
 * Evidence from several sources, later ones first: a (check, account) result of a later source replaces an earlier
 * one, with its provenance and exceptions; a later source's skip does not hide an earlier result.
 */
export function mergeComplianceEvidence(...sources: readonly (ComplianceEvidence | undefined)[]): ComplianceEvidence {
  const checks: Record<string, Record<string, readonly string[]>> = {};
  const provenance: Record<string, Record<string, EvidenceProvenance>> = {};
  const exceptions: Record<string, Record<string, readonly string[]>> = {};
  const skipped: Record<string, Record<string, string>> = {};
  for (const source of sources) {
    if (!source) continue;
    for (const [id, byAccount] of Object.entries(source.checks)) {
      for (const [account, items] of Object.entries(byAccount)) {
        (checks[id] ??= {})[account] = items;
        const from = source.provenance?.[id]?.[account];
        if (from) (provenance[id] ??= {})[account] = from;
        else delete provenance[id]?.[account];
        (exceptions[id] ??= {})[account] = source.exceptions?.[id]?.[account] ?? [];
        delete skipped[id]?.[account];
      }
    }
    for (const [id, byAccount] of Object.entries(source.skipped ?? {})) {
      for (const [account, why] of Object.entries(byAccount)) if (checks[id]?.[account] === undefined) (skipped[id] ??= {})[account] = why;
    }
  }
  return { checks, provenance, exceptions, skipped };
}
