/** AWS Config custom-rule verdicts for IAM roles and policies, from the same diff the CLI uses. */
import { detectDrift } from './diff';
import { type DesiredInventory, type LivePolicy, type LiveRole, MANAGED_BY_TAG_KEY, MANAGED_BY_TAG_VALUE } from './inventory';
import { isSameIamArn, isSameIamName } from './identity';
import { isAwsOwnedRole, isProtectedRole } from './scope';

/**
 * Longest annotation AWS Config accepts on an evaluation.
 * @see https://docs.aws.amazon.com/config/latest/APIReference/API_Evaluation.html
 */
export const MAX_CONFIG_ANNOTATION_CHARS = 256;

/** Config resource types the custom rule evaluates. */
export type ConfigIamResourceType = 'AWS::IAM::Role' | 'AWS::IAM::Policy';

/** Config's compliance values the rule reports. */
export type ComplianceType = 'COMPLIANT' | 'NON_COMPLIANT' | 'NOT_APPLICABLE';

/** One verdict, ready for PutEvaluations. */
export interface ComplianceEvaluation {
  readonly resourceType: ConfigIamResourceType;
  /** Config's resource id (role id `AROA…`, policy id `ANPA…`). */
  readonly resourceId: string;
  readonly resourceName: string;
  readonly compliance: ComplianceType;
  /** Why, at most {@link MAX_CONFIG_ANNOTATION_CHARS} characters. */
  readonly annotation: string;
}

function clip(text: string): string {
  return text.length <= MAX_CONFIG_ANNOTATION_CHARS ? text : `${text.slice(0, MAX_CONFIG_ANNOTATION_CHARS - 3)}...`;
}

function verdict(resourceType: ConfigIamResourceType, resourceId: string, resourceName: string, compliance: ComplianceType, annotation: string): ComplianceEvaluation {
  return { resourceType, resourceId, resourceName, compliance, annotation: clip(annotation) };
}

const EMPTY_LIVE = { accountId: '', roles: [], policies: [], oidcProviders: [], readAt: '' } as const;

/**
 * A role is NON_COMPLIANT when it lacks `managed-by=iam-platform` outside accounts/, when it is tagged but
 * not in the stack (unmanaged), or when it differs from the stack. Deleted and service-linked roles and the
 * deploy role (by ARN) are NOT_APPLICABLE; every other role, whatever its name, is evaluated.
 */
export function evaluateRoleCompliance(desired: DesiredInventory, role: LiveRole | undefined, resourceId: string, roleName: string): ComplianceEvaluation {
  const type = 'AWS::IAM::Role';
  if (!role) return verdict(type, resourceId, roleName, 'NOT_APPLICABLE', 'role no longer exists');
  if (isAwsOwnedRole(role.path)) return verdict(type, resourceId, roleName, 'NOT_APPLICABLE', 'AWS-owned role (service-linked or Identity Center)');
  const isDesired = desired.roles.some((r) => isSameIamName(r.name, role.name));
  // Only the deploy role lives outside the stack; it is known by its ARN, never by a name prefix.
  if (!isDesired && isProtectedRole(desired, role.arn)) return verdict(type, resourceId, roleName, 'NOT_APPLICABLE', 'the pipeline\'s deploy role (created at bootstrap, outside the stack)');
  if (!isDesired) {
    return role.tags[MANAGED_BY_TAG_KEY] === MANAGED_BY_TAG_VALUE
      ? verdict(type, resourceId, roleName, 'NON_COMPLIANT', 'tagged managed-by=iam-platform but not defined in accounts/ (unmanaged)')
      : verdict(type, resourceId, roleName, 'NON_COMPLIANT', `lacks the ${MANAGED_BY_TAG_KEY}=${MANAGED_BY_TAG_VALUE} tag: not managed by the platform`);
  }
  const report = detectDrift(desired, { ...EMPTY_LIVE, accountId: desired.accountId, roles: [role] }, { scope: 'account', only: { roleNames: [role.name] } });
  if (report.drift.length === 0) return verdict(type, resourceId, roleName, 'COMPLIANT', 'matches accounts/');
  return verdict(type, resourceId, roleName, 'NON_COMPLIANT', `differs from accounts/: ${report.drift.map((d) => d.attribute ?? d.kind).join(', ')}`);
}

/**
 * A customer managed policy is NON_COMPLIANT when its default version differs from accounts/, or when it is
 * not in accounts/ and lacks the managed-by tag (or has it: unmanaged).
 */
export function evaluatePolicyCompliance(
  desired: DesiredInventory,
  policy: LivePolicy | undefined,
  tags: Readonly<Record<string, string>>,
  resourceId: string,
  policyName: string,
): ComplianceEvaluation {
  const type = 'AWS::IAM::Policy';
  if (!policy) return verdict(type, resourceId, policyName, 'NOT_APPLICABLE', 'policy no longer exists');
  const isDesired = desired.policies.some((p) => isSameIamArn(p.arn, policy.arn));
  if (!isDesired) {
    return tags[MANAGED_BY_TAG_KEY] === MANAGED_BY_TAG_VALUE
      ? verdict(type, resourceId, policyName, 'NON_COMPLIANT', 'tagged managed-by=iam-platform but not defined in accounts/ (unmanaged)')
      : verdict(type, resourceId, policyName, 'NON_COMPLIANT', `lacks the ${MANAGED_BY_TAG_KEY}=${MANAGED_BY_TAG_VALUE} tag: not managed by the platform`);
  }
  const report = detectDrift(desired, { ...EMPTY_LIVE, accountId: desired.accountId, policies: [policy] }, { scope: 'account', only: { policyArns: [policy.arn] } });
  if (report.drift.length > 0) return verdict(type, resourceId, policyName, 'NON_COMPLIANT', `differs from accounts/: ${report.drift.map((d) => d.attribute ?? d.kind).join(', ')}`);
  if (tags[MANAGED_BY_TAG_KEY] !== MANAGED_BY_TAG_VALUE) return verdict(type, resourceId, policyName, 'NON_COMPLIANT', `lacks the ${MANAGED_BY_TAG_KEY}=${MANAGED_BY_TAG_VALUE} tag`);
  return verdict(type, resourceId, policyName, 'COMPLIANT', 'matches accounts/');
}
