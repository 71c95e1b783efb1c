/**
 * What the guardrail Aspects need to know about the constructs they check. The role, managed-policy
 * and OIDC modules expose these facts; the Aspects read them instead of reverse-engineering
 * Terraform attributes (tokens, JSON strings).
 */
import type { IConstruct } from 'constructs';
import type { SourceRef, TrustConfig } from '../../src/core/model';
import type { PolicyDocument } from '../../src/core/policy';

/** An inline policy of a role, as the guardrails see it. */
export interface InlinePolicyFacts {
  /** Inline policy name, unique in the role. */
  readonly name: string;
  readonly document: PolicyDocument;
  /** File and path of the policy. */
  readonly source: SourceRef;
}

/** Facts about one IAM role. */
export interface RoleFacts {
  readonly kind: 'role';
  /** Role name. */
  readonly name: string;
  /** IAM path. */
  readonly path: string;
  /** Account the role lives in (12 digits): decides what "cross-account" means. */
  readonly accountId: string;
  /** The role file and path. */
  readonly source: SourceRef;
  /** Permission boundary ARN (may be a Terraform token). @default - no boundary */
  readonly boundaryArn?: string;
  /** Written reason for having no boundary. @default - no opt-out */
  readonly boundaryOptOutReason?: string;
  /** The trust config the trust policy was built from. @default - unknown: checks read the document */
  readonly trust?: TrustConfig;
  /** The trust (assume-role) policy. */
  readonly assumeRolePolicy: PolicyDocument;
  readonly inlinePolicies: readonly InlinePolicyFacts[];
  /** Number of managed policies attached (the boundary is not an attachment). */
  readonly managedPolicyCount: number;
}

/** Facts about one customer managed policy (including a permission boundary policy). */
export interface ManagedPolicyFacts {
  readonly kind: 'managed-policy';
  /** Policy name. */
  readonly name: string;
  /** IAM path. */
  readonly path: string;
  /** The policy file and path. */
  readonly source: SourceRef;
  readonly document: PolicyDocument;
  /** `boundary` when the policy is used as a permission boundary. */
  readonly type: 'identity' | 'boundary';
}

/** Facts about one IAM OIDC identity provider. */
export interface OidcProviderFacts {
  readonly kind: 'oidc-provider';
  /** Issuer URL (`https://gitlab.com`). */
  readonly url: string;
  /** Where the provider was declared. */
  readonly source: SourceRef;
}

/** Facts a guarded construct exposes. */
export type GuardrailFacts = RoleFacts | ManagedPolicyFacts | OidcProviderFacts;

/** A construct that exposes facts for the guardrails. */
export interface GuardedConstruct extends IConstruct {
  readonly guardrailFacts: GuardrailFacts;
}

/** True for a construct that exposes guardrail facts. */
export function isGuardedConstruct(node: IConstruct): node is GuardedConstruct {
  const facts = (node as { guardrailFacts?: unknown }).guardrailFacts;
  return typeof facts === 'object' && facts !== null && typeof (facts as { kind?: unknown }).kind === 'string';
}

/** The nearest construct at or above `node` that exposes guardrail facts. @returns undefined when none */
export function findGuardedAncestor(node: IConstruct): GuardedConstruct | undefined {
  for (let current: IConstruct | undefined = node; current; current = current.node.scope) {
    if (isGuardedConstruct(current)) return current;
  }
  return undefined;
}
