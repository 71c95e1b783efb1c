/**
 * The contract between the constructs that create IAM policies and the synth-time checks that read
 * them (guardrails, the policy linter): a construct that creates policies lists them, with where
 * they came from, as {@link CarriedPolicy} values. Checks never parse Terraform JSON back.
 */
import type { LintSuppression, SourceRef } from '../../src/core/model';
import type { PolicyDocument, PolicyType } from '../../src/core/policy';

/** One policy document a construct puts into Terraform. */
export interface CarriedPolicy {
  /** The document, exactly as it is emitted (minified JSON of `document.toJSON()`). */
  readonly document: PolicyDocument;
  /** What kind of document it is: decides the validation rules and the size limit. */
  readonly type: PolicyType;
  /** The accounts/ file and path the policy came from, for messages. */
  readonly source: SourceRef;
  /** Lint findings accepted next to the policy (`lint: { ignore: [...] }`). */
  readonly suppressions: readonly LintSuppression[];
  /** Human description for messages: `inline policy "s3-read" of role "app"`. */
  readonly description: string;
}

/** A construct that creates IAM policy documents and lists them for synth-time checks. */
export interface PolicyCarrier {
  /** Every policy document the construct emits. */
  readonly carriedPolicies: readonly CarriedPolicy[];
}

/** True for a construct (or any value) that lists the policies it carries. */
export function isPolicyCarrier(x: unknown): x is PolicyCarrier {
  return typeof x === 'object' && x !== null && Array.isArray((x as { carriedPolicies?: unknown }).carriedPolicies);
}
