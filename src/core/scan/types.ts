/**
 * The scan gate's data model: what the scanners reported (mapped to stacks and accounts),
 * the reviewed suppressions, and the merged, suppressed, summarized result that every format renders.
 */

/** Severities, lowest first. */
export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Scanners the gate runs (`terraform` is `terraform validate`). */
export const SCANNER_NAMES = ['checkov', 'tfsec', 'terraform'] as const;
export type ScannerName = (typeof SCANNER_NAMES)[number];

/** Who reported a finding: a scanner, or the gate itself (`suppression-expired`, `suppression-unused`). */
export type FindingSource = ScannerName | 'iamctl';

/** Gate check ids raised by iamctl itself about the suppression file. */
export const GATE_CHECKS = {
  SUPPRESSION_EXPIRED: 'suppression-expired',
  SUPPRESSION_UNUSED: 'suppression-unused',
} as const;

export type FindingStatus = 'failed' | 'suppressed' | 'passed';

/** One check result of one scanner on one resource, mapped back to its stack and account. */
export interface ScannerResult {
  /** Scanner's check id (`CKV_AWS_62`, `AVD-AWS-0057`). */
  readonly checkId: string;
  readonly scanner: ScannerName;
  /** Check title (`Ensure IAM policies that allow full "*-*" administrative privileges are not created`). */
  readonly title: string;
  /** What is wrong on this resource. @default - the title */
  readonly message?: string;
  /** Severity the scanner gave, when it gave one. @default - from the gate's severity table */
  readonly severity?: Severity;
  /** Link explaining the check. @default - none */
  readonly guideline?: string;
  /** Resource address (`aws_iam_role.app_role_1A2B3C4D`). */
  readonly resource: string;
  /** Account name, from the stack folder (`iam-<account>`). */
  readonly account: string;
  /** Repo-relative path of the scanned cdk.tf.json. */
  readonly stackFile: string;
  /** Line of the resource in cdk.tf.json. @default - unknown */
  readonly stackLine?: number;
  /** Repo-relative accounts/ file the resource comes from. */
  readonly file: string;
  /** Line in that file. @default - unknown */
  readonly line?: number;
  /** Construct path (`iam-app-prod/roles/app/role`). @default - unknown */
  readonly constructPath?: string;
  /**
   * The role's trust policy as Terraform is told it (parsed `assume_role_policy`), on failed checks of an
   * `aws_iam_role`: what the built-in rationales judge (built-in-rationales.ts). @default - none
   */
  readonly trustPolicy?: unknown;
  readonly result: 'failed' | 'passed';
}

/** A reviewed suppression from scan-suppressions.yaml. */
export interface ScanSuppression {
  /** Exact check id (`CKV_AWS_61`). */
  readonly check: string;
  /** Glob on the resource address, optionally `account/address` (`*` and `?` do not cross `/`). */
  readonly resource: string;
  /** Why the finding is accepted: what a security reviewer read and agreed to. */
  readonly reason: string;
  /** Who answers for it (a person or team handle). */
  readonly owner: string;
  /** Last day the suppression applies (YYYY-MM-DD, inclusive). */
  readonly expires: string;
  /** Suppression file. */
  readonly file: string;
  /** 1-based line of the entry in that file. @default - unknown */
  readonly line?: number;
}

/** One row of the merged report. */
export interface ScanFinding {
  readonly checkId: string;
  readonly scanner: FindingSource;
  readonly severity: Severity;
  /** Resource address, or the suppression pattern for gate findings. */
  readonly resource: string;
  /** Account name. Empty for gate findings about the suppression file. */
  readonly account: string;
  /** Repo-relative file an engineer edits: the accounts/ file, or scan-suppressions.yaml for gate findings. */
  readonly file: string;
  /** Line in `file`. @default - unknown */
  readonly line?: number;
  /** Construct path. @default - unknown */
  readonly constructPath?: string;
  /** Scanned cdk.tf.json. @default - none (gate findings) */
  readonly stackFile?: string;
  /** Check title. */
  readonly title: string;
  /** What is wrong. */
  readonly message: string;
  /** Link explaining the check. @default - none */
  readonly guideline?: string;
  readonly status: FindingStatus;
  /** The suppression that silenced it, when suppressed. @default - none */
  readonly suppression?: {
    readonly reason: string;
    readonly owner: string;
    /** Last day it applies (YYYY-MM-DD); `never` for a built-in rationale. */
    readonly expires: string;
    /** The suppression file, or the documentation of a built-in rationale (`docs/scan-gate.md#<id>`). */
    readonly file: string;
    readonly line?: number;
    /** Id of the built-in rationale that accepted the finding (no hand-written entry). @default - a reviewed entry */
    readonly builtIn?: string;
  };
}

/** Counts for the report and the exit code. */
export interface ScanSummary {
  /** Failed findings not suppressed, by severity. */
  readonly failed: Readonly<Record<Severity, number>>;
  readonly failedTotal: number;
  readonly suppressed: number;
  readonly passed: number;
  /** Failed findings at or above the threshold (gate findings always count). */
  readonly blocking: number;
  /** The threshold used. */
  readonly failOn: Severity;
  readonly accounts: readonly string[];
  /** True when nothing blocks. */
  readonly clean: boolean;
}

/** The scanners that ran and their versions. */
export type ScannerVersions = Readonly<Partial<Record<ScannerName, { readonly version: string }>>>;

/** The whole result: the documented, stable JSON shape of `iamctl scan --format json`. */
export interface ScanReport {
  readonly findings: readonly ScanFinding[];
  readonly summary: ScanSummary;
  readonly scanners: ScannerVersions;
}
