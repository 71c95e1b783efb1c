import { Aspects } from 'cdktf';
import type { IConstruct } from 'constructs';
import { HumanTrustMfaGuardrail } from './human-trust-mfa-guardrail';
import { NameGuardrail } from './name-guardrail';
import { PermissionBoundaryGuardrail } from './permission-boundary-guardrail';
import { PolicyDocumentGuardrail } from './policy-document-guardrail';
import { RequiredTagsGuardrail, type RequiredTagsGuardrailOptions } from './required-tags-guardrail';

/**
 * Facade over the guardrail Aspects, in the style of aws-cdk's `PermissionsBoundary.of(scope)`:
 * `Guardrails.of(stack).requirePermissionBoundary()`. Each call adds one Aspect to the scope;
 * violations become error annotations that stop the synth.
 */
export class Guardrails {
  /** The guardrails of a scope (usually an account stack). */
  public static of(scope: IConstruct): Guardrails {
    return new Guardrails(scope);
  }

  private constructor(private readonly scope: IConstruct) {}

  /** Every role has a permission boundary or a written opt-out. */
  public requirePermissionBoundary(): this {
    Aspects.of(this.scope).add(new PermissionBoundaryGuardrail());
    return this;
  }

  /** Every trust that lets humans in from another account requires MFA. */
  public requireMfaForHumanCrossAccountTrust(): this {
    Aspects.of(this.scope).add(new HumanTrustMfaGuardrail());
    return this;
  }

  /** Every policy document is valid and within its AWS size limit. */
  public requireValidPolicies(): this {
    Aspects.of(this.scope).add(new PolicyDocumentGuardrail());
    return this;
  }

  /** Names and paths are valid and unique in the scope. */
  public requireValidUniqueNames(): this {
    Aspects.of(this.scope).add(new NameGuardrail());
    return this;
  }

  /** Every taggable resource carries the required tags. */
  public requireTags(options: RequiredTagsGuardrailOptions): this {
    Aspects.of(this.scope).add(new RequiredTagsGuardrail(options));
    return this;
  }
}
