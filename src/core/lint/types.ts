import type { ActionCatalog } from '../catalog';
import type { LintSuppression } from '../model';
import type { PolicyType } from '../policy';

/** How bad a finding is. `--fail-on` compares against it. */
export type LintSeverity = 'error' | 'warning' | 'info';

/** Severities from worst to mildest. */
export const LINT_SEVERITIES: readonly LintSeverity[] = ['error', 'warning', 'info'];

/** One problem the linter found in one policy document. */
export interface LintFinding {
  /** Stable kebab-case rule id (`admin-access`). */
  readonly rule: string;
  /** Severity of the rule. */
  readonly severity: LintSeverity;
  /** JSON path of the offending element inside the document (`$.Statement[1].Action[0]`). */
  readonly path: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
  /** Present when a suppression next to the policy accepts the finding. @default - not suppressed */
  readonly suppressed?: { readonly reason: string };
}

/** Options of `lintPolicy`. */
export interface LintOptions {
  /** Kind of document: decides which rules apply and the size limit. */
  readonly type: PolicyType;
  /** The IAM action catalog. */
  readonly catalog: ActionCatalog;
  /** Findings accepted next to the policy (`lint: { ignore: [{ rule, reason }] }`); the reason is required. @default - none */
  readonly suppressions?: readonly LintSuppression[];
  /** JSON path of the document inside its file, prefixed to every finding's path. @default '$' */
  readonly path?: string;
  /** Account the policy lives in: trusts of this account are not cross-account. @default - unknown */
  readonly accountId?: string;
  /**
   * Account ids of the organization: a trusted account outside this list is a third party, which must give
   * an `sts:ExternalId`. @default - unknown: `trust-third-party-without-external-id` cannot tell and stays silent
   */
  readonly organizationAccountIds?: readonly string[];
  /**
   * The policy is the trust of a deploy role (`kind: pipeline` in accounts/): an OIDC `sub` must also pin a
   * protected ref (GitLab `ref_type:branch:ref:main`). @default false
   */
  readonly deployRole?: boolean;
  /**
   * Sids of trust statements declared as workload (machine) access in accounts/ (`kind: workload`):
   * they name the declaration in messages; they never switch `trust-cross-account-without-mfa` off (a workload
   * trust names its roles; a whole-account trust without MFA needs a suppression with a reason). @default - none
   */
  readonly workloadTrustSids?: readonly string[];
  /**
   * The document is an AWS managed policy (`arn:aws:iam::aws:policy/...`). AWS writes and stores these itself: the
   * managed policy size quota (MAX_MANAGED_POLICY_CHARS) binds the policies an account creates, and 83 of AWS's
   * own exceed it (ReadOnlyAccess among them), so the document size limit is not applied to them.
   * @default false
   */
  readonly awsManaged?: boolean;
}

/** A rule of the registry. */
export interface LintRule {
  /** Stable kebab-case id. */
  readonly id: string;
  /** Severity of its findings. */
  readonly severity: LintSeverity;
  /** One line: what the rule finds. */
  readonly description: string;
  /** Policy types the rule runs on. */
  readonly appliesTo: readonly PolicyType[];
  /** Repository-relative path of the rule's documentation page. */
  readonly docs: string;
}

/** A finding of organization-level linting: where in accounts/ it is. */
export interface OrganizationLintFinding extends LintFinding {
  /** Repository-relative file the policy (or role) is defined in. */
  readonly file: string;
  /** Account name. */
  readonly account: string;
  /** Which policy: `inline policy "s3-read" of role "app"`, `trust policy of role "app"`. */
  readonly policy: string;
  /**
   * 1-based line in `file` where the policy document (or the role) starts: the YAML locator of the loader gives
   * lines of config paths, not of elements inside a document. @default - unknown
   */
  readonly line?: number;
}
