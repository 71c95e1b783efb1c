import { OrganizationsPolicy } from '@cdktf/provider-aws/lib/organizations-policy';
import { OrganizationsPolicyAttachment } from '@cdktf/provider-aws/lib/organizations-policy-attachment';
import { Construct } from 'constructs';
import type { LintSuppression, SourceRef } from '../../src/core/model';
import type { PolicyDocument } from '../../src/core/policy';
import type { CarriedPolicy, PolicyCarrier } from '../guardrails/policy-carrier';
import { markSource, withSourceTag } from '../source-marker';

/** One place an SCP is attached. */
export interface ServiceControlPolicyTarget {
  /** Stable name of the target for the logical id (`root`, `ou-workloads`, `account-app-prod`). */
  readonly key: string;
  /** Root, OU or account id (a literal or a Terraform reference from {@link OrganizationTargets}). */
  readonly targetId: string;
}

/** Props of {@link ServiceControlPolicy}. */
export interface ServiceControlPolicyProps {
  /** SCP name in AWS Organizations. */
  readonly name: string;
  /** The SCP document; emitted as a literal minified JSON string (the API strips whitespace anyway). */
  readonly document: PolicyDocument;
  /** Where to attach the SCP. */
  readonly targets: readonly ServiceControlPolicyTarget[];
  /** The accounts/scps/ file and path of the document, for messages. */
  readonly source: SourceRef;
  /** What the SCP prevents. @default - none */
  readonly description?: string;
  /** Lint findings accepted for this SCP. @default - none */
  readonly suppressions?: readonly LintSuppression[];
  /** Resource tags. @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * A service control policy (`aws_organizations_policy`, type SERVICE_CONTROL_POLICY) and one
 * `aws_organizations_policy_attachment` per target. Carries its document as type `scp`, so the
 * policy lint aspect and the policy document guardrail check it.
 */
export class ServiceControlPolicy extends Construct implements PolicyCarrier {
  /** The policy resource. */
  public readonly resource: OrganizationsPolicy;
  /** Attachments, by target key. */
  public readonly attachments: ReadonlyMap<string, OrganizationsPolicyAttachment>;
  public readonly carriedPolicies: readonly CarriedPolicy[];

  constructor(scope: Construct, id: string, props: ServiceControlPolicyProps) {
    super(scope, id);
    this.resource = new OrganizationsPolicy(this, 'policy', {
      name: props.name,
      description: props.description,
      type: 'SERVICE_CONTROL_POLICY',
      content: props.document.toString(),
      tags: withSourceTag(props.tags, props.source),
    });
    markSource(this.resource, props.source);
    const attachments = new Map<string, OrganizationsPolicyAttachment>();
    for (const target of props.targets) {
      if (attachments.has(target.key)) continue;
      attachments.set(target.key, new OrganizationsPolicyAttachment(this, `attach-${target.key}`, { policyId: this.resource.id, targetId: target.targetId }));
    }
    this.attachments = attachments;
    this.carriedPolicies = [{ document: props.document, type: 'scp', source: props.source, suppressions: props.suppressions ?? [], description: `service control policy "${props.name}"` }];
  }
}
