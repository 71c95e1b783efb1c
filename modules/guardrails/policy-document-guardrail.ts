import type { IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';
import { checkRoleLimits, lintPolicyStructure } from '../../src/core/lint';
import { isGuardedConstruct } from './facts';
import { isPolicyCarrier } from './policy-carrier';
import { reportLintFinding } from './report';

/** Guardrail id of {@link PolicyDocumentGuardrail}. */
export const POLICY_DOCUMENT_RULE = 'policy-document';

/**
 * Every policy document a construct carries is valid for its type and within its AWS size limit, and a role's
 * inline policies together and its managed policy count stay within the role limits. The findings are the
 * linter's own (`lintPolicyStructure`, `checkRoleLimits`: one rule engine, one message per problem), reported
 * as `lint/<rule>` errors. These rules need no action catalog, so they run in every stack; the documents
 * themselves were validated once, by the config loader or when built.
 */
export class PolicyDocumentGuardrail implements IAspect {
  public visit(node: IConstruct): void {
    if (isPolicyCarrier(node)) {
      for (const carried of node.carriedPolicies) {
        for (const finding of lintPolicyStructure(carried.document, { type: carried.type, suppressions: carried.suppressions })) reportLintFinding(node, carried, finding);
      }
    }
    if (!isGuardedConstruct(node) || node.guardrailFacts.kind !== 'role') return;
    const facts = node.guardrailFacts;
    const findings = checkRoleLimits({ name: facts.name, path: '$', inlinePolicies: facts.inlinePolicies.map((p) => p.document), managedPolicyCount: facts.managedPolicyCount });
    for (const finding of findings) reportLintFinding(node, { source: facts.source, description: `role "${facts.name}"` }, finding);
  }
}
