/**
 * The ONE list of guardrails applied to every account stack. To add a guardrail, append a factory
 * to ACCOUNT_GUARDRAILS; each factory builds a fresh Aspect per stack (Aspects may keep per-stack state).
 */
import { Aspects, type IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';
import {
  HumanTrustMfaGuardrail,
  NameGuardrail,
  PermissionBoundaryGuardrail,
  PolicyDocumentGuardrail,
  RequiredTagsGuardrail,
  type SourcePositionFinder,
} from '../modules/guardrails';
import { PolicyLintAspect } from '../modules/guardrails/policy-lint-aspect';
import type { ActionCatalog } from '../src/core/catalog';
import type { ResolvedAccount } from '../src/core/model';

/** What a guardrail factory may use to configure its Aspect. */
export interface GuardrailContext {
  /** The account the stack deploys. */
  readonly account: ResolvedAccount;
  /** Tags the stack's provider adds to every resource (`default_tags`). */
  readonly defaultTags: Readonly<Record<string, string>>;
  /** Account ids of the whole organization (to tell its own accounts from third parties). */
  readonly organizationAccountIds: readonly string[];
  /** IAM action catalog, for guardrails that need it (policy lint). @default - none: such guardrails are skipped */
  readonly catalog?: ActionCatalog;
  /** Where a path is in its accounts/ file, so policy findings carry the element's line and column. @default - the document's start line */
  readonly locate?: SourcePositionFinder;
}

/** Builds one guardrail Aspect for one account stack, or undefined when the context lacks what it needs. */
export type GuardrailFactory = (context: GuardrailContext) => IAspect | undefined;

/** Guardrails applied to every account stack, in order. */
export const ACCOUNT_GUARDRAILS: readonly GuardrailFactory[] = [
  () => new PermissionBoundaryGuardrail(),
  () => new HumanTrustMfaGuardrail(),
  (context) => new PolicyDocumentGuardrail({ locate: context.locate }),
  () => new NameGuardrail(),
  (context) => new RequiredTagsGuardrail({ requiredTags: context.account.requiredTags, defaultTags: context.defaultTags }),
  (context) => (context.catalog ? new PolicyLintAspect({ catalog: context.catalog, organizationAccountIds: context.organizationAccountIds, locate: context.locate }) : undefined),
];

/** Adds every account guardrail to the stack as an Aspect. */
export function applyGuardrails(stack: IConstruct, context: GuardrailContext): void {
  for (const build of ACCOUNT_GUARDRAILS) {
    const aspect = build(context);
    if (aspect) Aspects.of(stack).add(aspect);
  }
}
