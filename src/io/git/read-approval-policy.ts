/**
 * Reads the approval policy (`approval:` of accounts/org.yaml) at a git ref. The pipeline reads it from the
 * merge request's target branch, so a merge request cannot loosen the rules that approve it.
 */
import { parse } from 'yaml';
import { approvalPolicySchema } from '../../config/schema';
import { ERROR_CODES, IamPlatformError } from '../../core/errors';
import type { ApprovalPolicy } from '../../core/diff';
import { resolveCommit, runGit } from './load-organization-at-ref';

/**
 * The policy when org.yaml has no `approval:`: new access and risky changes wait for whoever may deploy to the
 * protected `security-approval` environment, and risky ones also for `security-approval-second`.
 */
export const DEFAULT_APPROVAL_POLICY: ApprovalPolicy = {
  requiredFor: ['new-access', 'risky'],
  groups: ['deployers of environment security-approval'],
  riskyGroups: ['deployers of environment security-approval-second'],
};

/** Parses the `approval:` section of org.yaml text; {@link DEFAULT_APPROVAL_POLICY} when there is none. */
export function parseApprovalPolicy(text: string, file: string): ApprovalPolicy {
  let value: unknown;
  try {
    value = parse(text);
  } catch (error) {
    throw new IamPlatformError(ERROR_CODES.INVALID_CONFIG, `${file} is not valid YAML: ${(error as Error).message}`, { cause: error });
  }
  const approval = (value as { approval?: unknown } | null)?.approval;
  if (approval === undefined) return DEFAULT_APPROVAL_POLICY;
  const result = approvalPolicySchema.safeParse(approval);
  if (!result.success) {
    const problems = result.error.issues.map((i) => ({ file, path: `$.approval${i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}`, message: i.message }));
    throw new IamPlatformError(ERROR_CODES.INVALID_CONFIG, `${file}: invalid approval policy:\n${problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`, { problems });
  }
  return result.data;
}

/** The approval policy of `accounts/org.yaml` at `ref`. */
export function readApprovalPolicyAtRef(repoDir: string, ref: string, accountsDir = 'accounts'): ApprovalPolicy {
  const commit = resolveCommit(repoDir, ref);
  const file = `${accountsDir}/org.yaml`;
  const text = runGit(repoDir, ['show', `${commit}:${file}`]).toString('utf8');
  return parseApprovalPolicy(text, `${file} at ${ref}`);
}
