/** Which live resources drift detection looks at, and which remediation may change. */
import { PROTECTED_ROLE_KINDS } from './desired';
import { iamArnKey, iamNameKey, roleNameOfArn } from './identity';
import { type DesiredInventory, MANAGED_BY_TAG_KEY, MANAGED_BY_TAG_VALUE } from './inventory';

/**
 * `managed`: resources the platform owns (desired, tagged `managed-by=iam-platform`, or on a platform path).
 * `account`: every role and customer managed policy of the account.
 */
export type DriftScope = 'managed' | 'account';

/** Every accepted value of {@link DriftScope}. */
export const DRIFT_SCOPES: readonly DriftScope[] = ['managed', 'account'];

/**
 * Path prefixes of roles AWS owns: service-linked roles and IAM Identity Center roles. They are never
 * drift, in any scope (users cannot change them).
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html
 */
export const AWS_OWNED_ROLE_PATH_PREFIXES: readonly string[] = ['/aws-service-role/', '/aws-reserved/'];

/** True for service-linked and Identity Center roles. */
export function isAwsOwnedRole(path: string): boolean {
  return AWS_OWNED_ROLE_PATH_PREFIXES.some((prefix) => path.startsWith(prefix));
}

/** True for AWS managed policy ARNs (`arn:aws:iam::aws:policy/...`): never resources of the platform. */
export function isAwsManagedPolicyArn(arn: string): boolean {
  return /^arn:[^:]+:iam::aws:policy\//.test(arn);
}

/**
 * Name prefix of the roles and policies the platform's modules create. A live resource whose name claims
 * it (case-insensitively) is always in the managed scope, so `iam-platform-anything` that is not in the
 * stack is reported. The prefix only widens what is checked: it never exempts or protects anything.
 */
export const PLATFORM_NAME_PREFIX = 'iam-platform-';

/** True when a live resource's tags, path or a name claiming the platform's prefix put it in the platform's scope. */
export function isPlatformResource(desired: DesiredInventory, path: string, tags: Readonly<Record<string, string>> | undefined, name?: string): boolean {
  if (tags?.[MANAGED_BY_TAG_KEY] === MANAGED_BY_TAG_VALUE) return true;
  if (name !== undefined && iamNameKey(name).startsWith(PLATFORM_NAME_PREFIX)) return true;
  return desired.platformPathPrefixes.some((prefix) => path.startsWith(prefix));
}

/**
 * True for a role remediation must never change: one of the desired inventory's protected role ARNs
 * (break-glass, pipeline and deploy roles) or a desired role of a protected kind. By identity: the ARN
 * (or the name, which is unique in the account), compared case-insensitively as IAM does; never a prefix.
 */
export function isProtectedRole(desired: DesiredInventory, roleNameOrArn: string): boolean {
  if (roleNameOrArn.startsWith('arn:')) {
    const key = iamArnKey(roleNameOrArn);
    if (desired.protectedRoleArns.some((arn) => iamArnKey(arn) === key)) return true;
  } else {
    const key = iamNameKey(roleNameOrArn);
    if (desired.protectedRoleArns.some((arn) => iamNameKey(roleNameOfArn(arn) ?? '') === key)) return true;
  }
  const name = roleNameOrArn.startsWith('arn:') ? roleNameOfArn(roleNameOrArn) ?? '' : roleNameOrArn;
  const role = desired.roles.find((r) => iamNameKey(r.name) === iamNameKey(name));
  return role !== undefined && PROTECTED_ROLE_KINDS.includes(role.kind);
}
