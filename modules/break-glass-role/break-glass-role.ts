import { Construct } from 'constructs';
import { awsManagedPolicyArn } from '../../src/core/iam';
import { CrossAccountRole, type CrossAccountRoleProps } from '../cross-account-role';
import type { Role } from '../role';

/** MFA age accepted for break-glass sessions by default, in seconds. */
export const BREAK_GLASS_MFA_MAX_AGE_SECONDS = 900;
/** Why a break-glass role has no boundary unless one is given. */
export const BREAK_GLASS_BOUNDARY_OPT_OUT = 'break-glass access must keep working when the permission boundary itself is wrong';
/** Tag that marks a break-glass role: drift remediation never touches it. */
export const BREAK_GLASS_TAG = 'iam-platform:break-glass';

/** Props of {@link BreakGlassRole}. */
export interface BreakGlassRoleProps extends Omit<CrossAccountRoleProps, 'name' | 'managedPolicies'> {
  /** Role name. @default 'break-glass' */
  readonly name?: string;
  /** Managed policies. @default - AWS managed AdministratorAccess */
  readonly managedPolicies?: CrossAccountRoleProps['managedPolicies'];
}

/**
 * Emergency access: a human cross-account role with MFA no older than 15 minutes, administrator
 * policies and, unless a boundary is given, a written boundary opt-out. Tagged so automation leaves it alone.
 */
export class BreakGlassRole extends Construct {
  /** The underlying role. */
  public readonly role: Role;
  /** Role ARN (a Terraform reference). */
  public readonly arn: string;

  constructor(scope: Construct, id: string, props: BreakGlassRoleProps) {
    super(scope, id);
    const access = new CrossAccountRole(this, 'access', {
      ...props,
      name: props.name ?? 'break-glass',
      description: props.description ?? 'Emergency access; every use is reviewed',
      mfaMaxAgeSeconds: props.mfaMaxAgeSeconds ?? BREAK_GLASS_MFA_MAX_AGE_SECONDS,
      managedPolicies: props.managedPolicies ?? [{ name: 'AdministratorAccess', arn: awsManagedPolicyArn('AdministratorAccess') }],
      boundaryOptOutReason: props.permissionsBoundaryArn === undefined ? (props.boundaryOptOutReason ?? BREAK_GLASS_BOUNDARY_OPT_OUT) : props.boundaryOptOutReason,
      tags: { ...(props.tags ?? {}), [BREAK_GLASS_TAG]: 'true' },
    });
    this.role = access.role;
    this.arn = access.arn;
  }
}
