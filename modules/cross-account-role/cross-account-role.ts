import { Construct } from 'constructs';
import { buildTrustPolicy } from '../../src/core/iam';
import type { TrustConfig } from '../../src/core/model';
import { Role, type RoleProps } from '../role';

/** Longest MFA age accepted by default, in seconds (terraform-aws-iam uses 86400; we keep one hour). */
export const DEFAULT_MFA_MAX_AGE_SECONDS = 3600;

/** Props of {@link CrossAccountRole}: a role people in other accounts assume with MFA. */
export interface CrossAccountRoleProps extends Omit<RoleProps, 'assumeRolePolicy' | 'trust'> {
  /** Account ids (12 digits) or role/user ARNs allowed to assume the role. */
  readonly trustedPrincipals: readonly string[];
  /** Largest `aws:MultiFactorAuthAge`, in seconds. @default 3600 */
  readonly mfaMaxAgeSeconds?: number;
}

/**
 * A cross-account access role for humans: `sts:AssumeRole` from the trusted principals only with
 * `aws:MultiFactorAuthPresent = true` and `aws:MultiFactorAuthAge` below the limit. MFA cannot be turned off.
 */
export class CrossAccountRole extends Construct {
  /** The underlying role. */
  public readonly role: Role;
  /** Role ARN (a Terraform reference). */
  public readonly arn: string;

  constructor(scope: Construct, id: string, props: CrossAccountRoleProps) {
    super(scope, id);
    const { trustedPrincipals, mfaMaxAgeSeconds, ...roleProps } = props;
    const trust: TrustConfig = {
      accounts: [
        {
          principals: trustedPrincipals,
          kind: 'human',
          requireMfa: true,
          mfaMaxAgeSeconds: mfaMaxAgeSeconds ?? DEFAULT_MFA_MAX_AGE_SECONDS,
          source: { file: props.source.file, path: `${props.source.path}.trust` },
        },
      ],
      services: [],
      oidc: [],
      saml: [],
    };
    this.role = new Role(this, 'role', { ...roleProps, trust, assumeRolePolicy: buildTrustPolicy(trust, { accountId: props.accountId }) });
    this.arn = this.role.arn;
  }
}
