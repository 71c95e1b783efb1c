import type { IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';
import {
  MAX_MANAGED_POLICIES_PER_ROLE,
  MAX_ROLE_INLINE_POLICIES_CHARS,
  MAX_TRUST_POLICY_CHARS,
  sizeLimitFor,
  validatePolicyDocument,
} from '../../src/core/policy';
import { isGuardedConstruct, type ManagedPolicyFacts, type RoleFacts } from './facts';
import { isPolicyCarrier } from './policy-carrier';
import { joinSourcePath, reportGuardrailError } from './report';

/** Guardrail id of {@link PolicyDocumentGuardrail}. */
export const POLICY_DOCUMENT_RULE = 'policy-document';

/**
 * Every policy document is valid for its type (validatePolicyDocument) and within its AWS size limit:
 * managed and boundary policies 6,144 characters, trust policies 2,048, all inline policies of a role
 * together 10,240; and a role has at most 10 managed policies attached.
 */
export class PolicyDocumentGuardrail implements IAspect {
  public visit(node: IConstruct): void {
    if (isPolicyCarrier(node)) {
      for (const carried of node.carriedPolicies) {
        for (const problem of validatePolicyDocument(carried.document.toJSON(), { type: carried.type })) {
          reportGuardrailError(
            node,
            POLICY_DOCUMENT_RULE,
            carried.source,
            `${carried.description} is invalid: ${problem.message}`,
            joinSourcePath(carried.source.path, problem.path),
          );
        }
      }
    }
    if (!isGuardedConstruct(node)) return;
    const facts = node.guardrailFacts;
    if (facts.kind === 'role') this.checkRole(node, facts);
    else if (facts.kind === 'managed-policy') this.checkManagedPolicy(node, facts);
  }

  private checkManagedPolicy(node: IConstruct, facts: ManagedPolicyFacts): void {
    const size = facts.document.size();
    const limit = sizeLimitFor(facts.type);
    if (size <= limit) return;
    const what = facts.type === 'boundary' ? 'permission boundary policy' : 'managed policy';
    reportGuardrailError(
      node,
      POLICY_DOCUMENT_RULE,
      facts.source,
      `${what} "${facts.name}" is ${size} characters, over the AWS limit of ${limit} (whitespace not counted): split it by concern`,
    );
  }

  private checkRole(node: IConstruct, facts: RoleFacts): void {
    const trustSize = facts.assumeRolePolicy.size();
    if (trustSize > MAX_TRUST_POLICY_CHARS) {
      reportGuardrailError(
        node,
        POLICY_DOCUMENT_RULE,
        facts.source,
        `trust policy of role "${facts.name}" is ${trustSize} characters, over the default AWS limit of ${MAX_TRUST_POLICY_CHARS}: trust fewer principals per role or raise the quota`,
        joinSourcePath(facts.source.path, '$.trust'),
      );
    }
    const inlineSize = facts.inlinePolicies.reduce((sum, p) => sum + p.document.size(), 0);
    if (inlineSize > MAX_ROLE_INLINE_POLICIES_CHARS) {
      reportGuardrailError(
        node,
        POLICY_DOCUMENT_RULE,
        facts.source,
        `inline policies of role "${facts.name}" total ${inlineSize} characters, over the AWS limit of ${MAX_ROLE_INLINE_POLICIES_CHARS} per role: move statements into managed policies`,
      );
    }
    if (facts.managedPolicyCount > MAX_MANAGED_POLICIES_PER_ROLE) {
      reportGuardrailError(
        node,
        POLICY_DOCUMENT_RULE,
        facts.source,
        `role "${facts.name}" has ${facts.managedPolicyCount} managed policies attached, over the AWS default limit of ${MAX_MANAGED_POLICIES_PER_ROLE}: merge policies or raise the quota`,
      );
    }
  }
}
