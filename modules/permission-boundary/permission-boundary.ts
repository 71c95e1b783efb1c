import { Construct } from 'constructs';
import type { LintSuppression, SourceRef } from '../../src/core/model';
import type { PolicyDocument } from '../../src/core/policy';
import { ManagedPolicy } from '../managed-policy';

/** Props of {@link PermissionBoundary}. */
export interface PermissionBoundaryProps {
  /** Managed policy name (`iam-platform-boundary`). */
  readonly name: string;
  /** The boundary document: the most any role in the account may ever do. */
  readonly document: PolicyDocument;
  /** The file and path the boundary came from (org.yaml or ou.yaml). */
  readonly source: SourceRef;
  /** IAM path. @default '/' */
  readonly path?: string;
  /** @default 'Permission boundary of every role managed by iam-platform' */
  readonly description?: string;
  /** Resource tags. @default - none */
  readonly tags?: Readonly<Record<string, string>>;
  /** Lint findings accepted for the boundary. @default - none */
  readonly suppressions?: readonly LintSuppression[];
}

/** The managed policy attached to roles as their permissions boundary. */
export class PermissionBoundary extends Construct {
  /** The managed policy that holds the boundary (it carries the document for the checks). */
  public readonly policy: ManagedPolicy;
  /** Boundary ARN (a Terraform reference) for `permissions_boundary`. */
  public readonly arn: string;
  /** Boundary policy name. */
  public readonly boundaryName: string;

  constructor(scope: Construct, id: string, props: PermissionBoundaryProps) {
    super(scope, id);
    this.boundaryName = props.name;
    this.policy = new ManagedPolicy(this, 'policy', {
      name: props.name,
      document: props.document,
      source: props.source,
      path: props.path,
      description: props.description ?? 'Permission boundary of every role managed by iam-platform',
      tags: props.tags,
      suppressions: props.suppressions,
      usage: 'boundary',
    });
    this.arn = this.policy.arn;
  }
}
