import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { Construct } from 'constructs';
import type { LintSuppression, SourceRef } from '../../src/core/model';
import type { PolicyDocument } from '../../src/core/policy';
import type { GuardedConstruct, ManagedPolicyFacts } from '../guardrails/facts';
import type { CarriedPolicy, PolicyCarrier } from '../guardrails/policy-carrier';
import { markSource, withSourceTag } from '../source-marker';

/** Props of {@link ManagedPolicy}. */
export interface ManagedPolicyProps {
  /** Policy name, unique in the account (up to 128 characters). */
  readonly name: string;
  /** The policy document; emitted as a literal minified JSON string. */
  readonly document: PolicyDocument;
  /** The accounts/ file and path the policy came from. */
  readonly source: SourceRef;
  /** IAM path. @default '/' */
  readonly path?: string;
  /** Policy description. @default - none */
  readonly description?: string;
  /** Resource tags (the source tag is added). @default - none */
  readonly tags?: Readonly<Record<string, string>>;
  /** Lint findings accepted for this policy. @default - none */
  readonly suppressions?: readonly LintSuppression[];
  /** How the policy is used: `boundary` applies the boundary rules and wording. @default 'identity' */
  readonly usage?: 'identity' | 'boundary';
}

/** A customer managed policy (`aws_iam_policy`). Feature anchor: terraform-aws-iam `iam-policy`. */
export class ManagedPolicy extends Construct implements PolicyCarrier, GuardedConstruct {
  /** The Terraform resource. */
  public readonly resource: IamPolicy;
  /** The policy ARN (a Terraform reference). */
  public readonly arn: string;
  /** The policy name. */
  public readonly policyName: string;
  public readonly carriedPolicies: readonly CarriedPolicy[];
  public readonly guardrailFacts: ManagedPolicyFacts;

  constructor(scope: Construct, id: string, props: ManagedPolicyProps) {
    super(scope, id);
    const usage = props.usage ?? 'identity';
    const path = props.path ?? '/';
    this.policyName = props.name;
    this.resource = new IamPolicy(this, 'policy', {
      name: props.name,
      path,
      description: props.description,
      policy: props.document.toString(),
      tags: withSourceTag(props.tags, props.source),
    });
    markSource(this.resource, props.source);
    this.arn = this.resource.arn;
    const label = usage === 'boundary' ? 'permission boundary policy' : 'managed policy';
    this.carriedPolicies = [
      { document: props.document, type: usage, source: props.source, suppressions: props.suppressions ?? [], description: `${label} "${props.name}"` },
    ];
    this.guardrailFacts = { kind: 'managed-policy', name: props.name, path, source: props.source, document: props.document, type: usage };
  }
}
