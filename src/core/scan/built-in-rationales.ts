/**
 * Built-in rationales: scanner checks the gate accepts on its own, without a hand-written suppression, because
 * the document Terraform is told to create shows the check's concern answered. Each is judged on the resource's
 * own policy (never on a name) and shows in every report as a suppression with its id and its documentation
 * (docs/scan-gate.md), so a reviewer sees what was accepted and why.
 */
import type { ScannerResult } from './types';

/** A rationale the gate applies by itself. */
export interface BuiltInRationale {
  /** Stable id, shown in reports (`third-party-external-id`). */
  readonly id: string;
  /** The check it answers (`CKV_AWS_61`). */
  readonly check: string;
  /** Why the finding is accepted, as the reports show it. */
  readonly reason: string;
  /** Where it is documented (repo-relative file and anchor). */
  readonly documentation: string;
  /** Who answers for it. */
  readonly owner: string;
  /** True when the result is one the rationale accepts. */
  readonly accepts: (result: ScannerResult) => boolean;
}

/** The file that documents the built-in rationales. */
export const BUILT_IN_RATIONALES_DOC = 'docs/scan-gate.md';
/** Owner shown for a built-in rationale. */
export const BUILT_IN_RATIONALE_OWNER = 'iam-platform (built-in)';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const asList = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** Condition operators that pin `sts:ExternalId` to exact values (no wildcards, no IfExists: the key must be sent). */
const EXACT_STRING_OPERATORS = ['StringEquals'];

/** The `sts:ExternalId` values a statement requires (keys compared case-insensitively, as IAM does); empty when none. */
function requiredExternalIds(statement: Json): string[] {
  const condition = isObject(statement.Condition) ? statement.Condition : {};
  const values: string[] = [];
  for (const [operator, block] of Object.entries(condition)) {
    if (!EXACT_STRING_OPERATORS.includes(operator) || !isObject(block)) continue;
    for (const [key, value] of Object.entries(block)) {
      if (key.toLowerCase() !== 'sts:externalid') continue;
      for (const v of asList(value)) if (typeof v === 'string') values.push(v);
    }
  }
  return values;
}

/**
 * True when the trust policy lets other AWS accounts in only with an external id: it has at least one Allow
 * statement with an AWS principal, none of them is `*`, and every one requires `sts:ExternalId` with
 * `StringEquals` to non-empty values without wildcards. That is AWS's confused-deputy protection for a third party
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_third-party.html).
 */
export function requiresExternalIdForAccounts(trustPolicy: unknown): boolean {
  if (!isObject(trustPolicy)) return false;
  let accountStatements = 0;
  for (const statement of asList(trustPolicy.Statement)) {
    if (!isObject(statement) || statement.Effect !== 'Allow') continue;
    if (statement.NotPrincipal !== undefined) return false;
    const principal = statement.Principal;
    if (principal === '*') return false;
    const aws = isObject(principal) ? asList(principal.AWS) : [];
    if (aws.length === 0) continue;
    if (aws.some((p) => p === '*')) return false;
    accountStatements += 1;
    const ids = requiredExternalIds(statement);
    if (ids.length === 0 || ids.some((id) => id.length === 0 || /[*?]/.test(id) || id.includes('${'))) return false;
  }
  return accountStatements > 0;
}

/** Every built-in rationale, in the order the gate tries them. */
export const BUILT_IN_RATIONALES: readonly BuiltInRationale[] = [
  {
    id: 'third-party-external-id',
    check: 'CKV_AWS_61',
    reason:
      'Third-party trust with an external id: every statement that trusts another AWS account requires sts:ExternalId (StringEquals, exact values), AWS\'s confused-deputy protection for vendors; CKV_AWS_61 flags every account principal whatever its conditions.',
    documentation: `${BUILT_IN_RATIONALES_DOC}#third-party-external-id`,
    owner: BUILT_IN_RATIONALE_OWNER,
    accepts: (result) => result.resource.startsWith('aws_iam_role.') && requiresExternalIdForAccounts(result.trustPolicy),
  },
];

/** The built-in rationale that accepts a failed result, if any. */
export function findBuiltInRationale(result: ScannerResult, rationales: readonly BuiltInRationale[] = BUILT_IN_RATIONALES): BuiltInRationale | undefined {
  if (result.result !== 'failed') return undefined;
  return rationales.find((r) => r.check === result.checkId && r.accepts(result));
}
