import { MAX_MANAGED_POLICIES_PER_ROLE, MAX_ROLE_INLINE_POLICIES_CHARS, type PolicyDocument } from '../../policy';
import { createFinding } from '../finding';
import type { LintFinding } from '../types';

/** What the role-level size rules need to know of a role. */
export interface RoleLimitsInput {
  /** Role name, for messages. */
  readonly name: string;
  /** JSON path of the role in its file (`$`). */
  readonly path: string;
  /** The role's inline policy documents. */
  readonly inlinePolicies: readonly PolicyDocument[];
  /** Number of managed policies attached (the boundary is not an attachment). */
  readonly managedPolicyCount: number;
}

/**
 * size-limit on a role's aggregates: all inline policies together, and the number of managed policies.
 * One function for `iamctl lint` and the synth guardrail, so both say the same.
 */
export function checkRoleLimits(role: RoleLimitsInput): LintFinding[] {
  const out: LintFinding[] = [];
  const inline = role.inlinePolicies.reduce((n, p) => n + p.size(), 0);
  if (inline > MAX_ROLE_INLINE_POLICIES_CHARS) {
    out.push(
      createFinding(
        'size-limit',
        `${role.path}.inlinePolicies`,
        `The inline policies of role "${role.name}" total ${inline} characters, over MAX_ROLE_INLINE_POLICIES_CHARS (${MAX_ROLE_INLINE_POLICIES_CHARS}): move some into managed policies`,
      ),
    );
  }
  if (role.managedPolicyCount > MAX_MANAGED_POLICIES_PER_ROLE) {
    out.push(
      createFinding(
        'size-limit',
        `${role.path}.managedPolicies`,
        `Role "${role.name}" attaches ${role.managedPolicyCount} managed policies, over MAX_MANAGED_POLICIES_PER_ROLE (${MAX_MANAGED_POLICIES_PER_ROLE}): merge some`,
      ),
    );
  }
  return out;
}
