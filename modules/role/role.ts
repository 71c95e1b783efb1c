import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { LintSuppression, SourceRef, TrustConfig } from '../../src/core/model';
import type { PolicyDocument } from '../../src/core/policy';
import type { GuardedConstruct, RoleFacts } from '../guardrails/facts';
import type { CarriedPolicy, PolicyCarrier } from '../guardrails/policy-carrier';
import { markSource, withSourceTag } from '../source-marker';

/** Default role session length, in seconds (IAM CreateRole default). */
export const DEFAULT_MAX_SESSION_SECONDS = 3600;

/** An inline policy of a {@link Role}, emitted as an `aws_iam_role_policy`. */
export interface RoleInlinePolicy {
  /** Policy name, unique in the role. */
  readonly name: string;
  /** The document; emitted as a literal minified JSON string. */
  readonly document: PolicyDocument;
  /** File and path of the policy. */
  readonly source: SourceRef;
  /** Lint findings accepted for this policy only. @default - none (the role's suppressions still apply) */
  readonly suppressions?: readonly LintSuppression[];
}

/** A managed policy attached to a {@link Role} through `aws_iam_role_policy_attachment`. */
export interface RoleManagedPolicyAttachment {
  /** Policy name: the attachment's logical id is derived from it, so it stays stable across reorders. */
  readonly name: string;
  /** Policy ARN: a literal for AWS managed policies, a Terraform reference for policies in the stack. */
  readonly arn: string;
}

/** Props of {@link Role}. Feature anchor: terraform-aws-iam v6 `iam-role`. */
export interface RoleProps {
  /** Role name, unique in the account (up to 64 characters). */
  readonly name: string;
  /** Account the role is created in (12 digits). */
  readonly accountId: string;
  /** Trust policy, built by `buildTrustPolicy` from the role's trust config. */
  readonly assumeRolePolicy: PolicyDocument;
  /** The role file and path. */
  readonly source: SourceRef;
  /** The trust config the trust policy was built from; lets guardrails tell humans from workloads. @default - unknown: every cross-account statement is treated as human */
  readonly trust?: TrustConfig;
  /** Role description. @default - none */
  readonly description?: string;
  /** IAM path. @default '/' */
  readonly path?: string;
  /** Longest session, in seconds (3600 to 43200). @default 3600 */
  readonly maxSessionDuration?: number;
  /** Inline policies. @default - none */
  readonly inlinePolicies?: readonly RoleInlinePolicy[];
  /** Managed policies to attach. @default - none */
  readonly managedPolicies?: readonly RoleManagedPolicyAttachment[];
  /** Permissions boundary ARN. @default - no permissions boundary (then `boundaryOptOutReason` is required by the guardrail) */
  readonly permissionsBoundaryArn?: string;
  /** Written reason for having no permissions boundary. @default - no opt-out */
  readonly boundaryOptOutReason?: string;
  /** Resource tags (the source tag is added). @default - none */
  readonly tags?: Readonly<Record<string, string>>;
  /** Lint findings accepted for the role's trust and inline policies. @default - none */
  readonly suppressions?: readonly LintSuppression[];
  /** Resources the role must be created after (an OIDC provider its trust names by ARN). @default - none */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/** Logical id for a named child, made unique so a duplicate name reaches the name guardrail instead of crashing. */
function uniqueId(prefix: string, name: string, used: Set<string>): string {
  let id = `${prefix}-${name}`;
  for (let n = 2; used.has(id); n += 1) id = `${prefix}-${name}-${n}`;
  used.add(id);
  return id;
}

/**
 * An IAM role with its trust policy, inline policies (`aws_iam_role_policy`, not the deprecated
 * `inline_policy` block), managed policy attachments, permissions boundary, session length, path and tags.
 */
export class Role extends Construct implements PolicyCarrier, GuardedConstruct {
  /** The `aws_iam_role` resource. */
  public readonly resource: IamRole;
  /** Role name. */
  public readonly roleName: string;
  /** The inline policy resources, by policy name. */
  public readonly inlinePolicyResources: ReadonlyMap<string, IamRolePolicy>;
  /** The attachment resources, by policy name. */
  public readonly attachments: ReadonlyMap<string, IamRolePolicyAttachment>;
  public readonly carriedPolicies: readonly CarriedPolicy[];
  public readonly guardrailFacts: RoleFacts;

  constructor(scope: Construct, id: string, props: RoleProps) {
    super(scope, id);
    const path = props.path ?? '/';
    const suppressions = props.suppressions ?? [];
    this.roleName = props.name;
    this.resource = new IamRole(this, 'role', {
      name: props.name,
      path,
      description: props.description,
      assumeRolePolicy: props.assumeRolePolicy.toString(),
      maxSessionDuration: props.maxSessionDuration ?? DEFAULT_MAX_SESSION_SECONDS,
      permissionsBoundary: props.permissionsBoundaryArn,
      tags: withSourceTag(props.tags, props.source),
      dependsOn: props.dependsOn ? [...props.dependsOn] : undefined,
    });
    markSource(this.resource, props.source);
    // One name token for every child: cdktf captures a stack trace per token it creates.
    const roleNameRef = this.resource.name;

    const used = new Set<string>();
    const inline = new Map<string, IamRolePolicy>();
    for (const policy of props.inlinePolicies ?? []) {
      const resource = new IamRolePolicy(this, uniqueId('inline', policy.name, used), {
        name: policy.name,
        role: roleNameRef,
        policy: policy.document.toString(),
      });
      markSource(resource, policy.source);
      inline.set(policy.name, resource);
    }
    this.inlinePolicyResources = inline;

    const attachments = new Map<string, IamRolePolicyAttachment>();
    for (const managed of props.managedPolicies ?? []) {
      const resource = new IamRolePolicyAttachment(this, uniqueId('attach', managed.name, used), { role: roleNameRef, policyArn: managed.arn });
      markSource(resource, props.source);
      attachments.set(managed.name, resource);
    }
    this.attachments = attachments;

    this.carriedPolicies = [
      // No spread of the source: the loader computes `line` lazily and the trust has its own line.
      { document: props.assumeRolePolicy, type: 'trust', source: { file: props.source.file, path: `${props.source.path}.trust` }, suppressions, description: `trust policy of role "${props.name}"` },
      ...(props.inlinePolicies ?? []).map(
        (policy): CarriedPolicy => ({
          document: policy.document,
          type: 'identity',
          source: policy.source,
          suppressions: [...suppressions, ...(policy.suppressions ?? [])],
          description: `inline policy "${policy.name}" of role "${props.name}"`,
        }),
      ),
    ];
    this.guardrailFacts = {
      kind: 'role',
      name: props.name,
      path,
      accountId: props.accountId,
      source: props.source,
      boundaryArn: props.permissionsBoundaryArn,
      boundaryOptOutReason: props.boundaryOptOutReason,
      trust: props.trust,
      assumeRolePolicy: props.assumeRolePolicy,
      inlinePolicies: (props.inlinePolicies ?? []).map((p) => ({ name: p.name, document: p.document, source: p.source })),
      managedPolicyCount: (props.managedPolicies ?? []).length,
    };
  }

  /** Role ARN (a Terraform reference). */
  public get arn(): string {
    return this.resource.arn;
  }
}
