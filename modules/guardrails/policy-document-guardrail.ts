import type { IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';
import { checkRoleLimits, lintPolicyStructure } from '../../src/core/lint';
import { isGuardedConstruct } from './facts';
import { isPolicyCarrier } from './policy-carrier';
import { reportLintFinding, type SourcePositionFinder } from './report';

/** Options of {@link PolicyDocumentGuardrail}. */
export interface PolicyDocumentGuardrailOptions {
  /** Where a path is in its accounts/ file, so findings carry the element's line and column. @default - the document's start line */
  readonly locate?: SourcePositionFinder;
}

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
  constructor(private readonly options: PolicyDocumentGuardrailOptions = {}) {}

  public visit(node: IConstruct): void {
    if (isPolicyCarrier(node)) {
      for (const carried of node.carriedPolicies) {
        for (const finding of lintPolicyStructure(carried.document, { type: carried.type, suppressions: carried.suppressions })) reportLintFinding(node, carried, finding, this.options.locate);
      }
    }
    if (!isGuardedConstruct(node) || node.guardrailFacts.kind !== 'role') return;
    const facts = node.guardrailFacts;
    const findings = checkRoleLimits({ name: facts.name, path: '$', inlinePolicies: facts.inlinePolicies.map((p) => p.document), managedPolicyCount: facts.managedPolicyCount });
    for (const finding of findings) reportLintFinding(node, { source: facts.source, description: `role "${facts.name}"` }, finding, this.options.locate);
  }
}
