import { TerraformResource, type IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';
import { findGuardedAncestor } from './facts';
import { constructSource } from './permission-boundary-guardrail';
import { reportGuardrailError } from './report';

/** Guardrail id of {@link RequiredTagsGuardrail}. */
export const REQUIRED_TAGS_RULE = 'required-tags';

/** Options of {@link RequiredTagsGuardrail}. */
export interface RequiredTagsGuardrailOptions {
  /** Tag keys every taggable resource must carry. */
  readonly requiredTags: readonly string[];
  /** Tags the provider adds to every resource (`default_tags`); they count as present. @default - none */
  readonly defaultTags?: Readonly<Record<string, string>>;
}

function resourceTags(node: TerraformResource): Readonly<Record<string, string>> | undefined {
  if (!('tagsInput' in node)) return undefined;
  const tags = (node as { tagsInput?: unknown }).tagsInput;
  return typeof tags === 'object' && tags !== null ? (tags as Record<string, string>) : {};
}

/** Every taggable resource carries the required tags, counting the provider's default tags. */
export class RequiredTagsGuardrail implements IAspect {
  private readonly options: RequiredTagsGuardrailOptions;

  constructor(options: RequiredTagsGuardrailOptions) {
    this.options = options;
  }

  public visit(node: IConstruct): void {
    if (this.options.requiredTags.length === 0 || !(node instanceof TerraformResource)) return;
    const tags = resourceTags(node);
    if (tags === undefined) return;
    const present = { ...(this.options.defaultTags ?? {}), ...tags };
    const missing = this.options.requiredTags.filter((key) => present[key] === undefined || present[key] === '');
    if (missing.length === 0) return;
    const guarded = findGuardedAncestor(node);
    const source = guarded?.guardrailFacts.source ?? constructSource(node);
    const facts = guarded?.guardrailFacts;
    const what = facts === undefined ? node.terraformResourceType : facts.kind === 'oidc-provider' ? `OIDC provider ${facts.url}` : `${facts.kind === 'role' ? 'role' : 'policy'} "${facts.name}"`;
    reportGuardrailError(
      node,
      REQUIRED_TAGS_RULE,
      source,
      `${what} is missing required tags ${missing.join(', ')}: add them to its tags or to the account's tags`,
      source.path,
    );
  }
}
