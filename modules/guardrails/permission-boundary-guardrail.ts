import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import type { IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';
import type { SourceRef } from '../../src/core/model';
import { findGuardedAncestor } from './facts';
import { reportGuardrailError } from './report';

/** Guardrail id of {@link PermissionBoundaryGuardrail}. */
export const PERMISSION_BOUNDARY_RULE = 'permission-boundary';

/** Where a resource created outside the platform's modules is reported. */
export function constructSource(node: IConstruct): SourceRef {
  return { file: `construct ${node.node.path}`, path: '$' };
}

/**
 * Every IAM role has a permission boundary, unless its role file opts out with a written reason.
 * Checks the `aws_iam_role` resources themselves, so roles created outside the modules are covered.
 */
export class PermissionBoundaryGuardrail implements IAspect {
  public visit(node: IConstruct): void {
    if (!(node instanceof IamRole)) return;
    if (node.permissionsBoundaryInput !== undefined && node.permissionsBoundaryInput !== '') return;
    const guarded = findGuardedAncestor(node);
    const facts = guarded?.guardrailFacts.kind === 'role' ? guarded.guardrailFacts : undefined;
    const reason = facts?.boundaryOptOutReason;
    if (reason !== undefined && reason.trim() !== '') return;
    const name = facts?.name ?? node.nameInput ?? node.node.id;
    const source = facts?.source ?? constructSource(node);
    const message =
      reason !== undefined
        ? `role "${name}" opts out of the permission boundary without a reason: write why the role needs no boundary`
        : `role "${name}" has no permission boundary: give the account a default boundary, name one in the role's "boundary", or opt out with a written reason`;
    reportGuardrailError(node, PERMISSION_BOUNDARY_RULE, source, message, source.path);
  }
}
