/**
 * Identity of IAM resources: what makes two names or ARNs the same resource. IAM role, policy and user
 * names are unique case-insensitively in an account (`Break-Glass` and `break-glass` cannot both exist,
 * and IAM resolves either spelling to the one role), so every comparison of names goes through here.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-names
 */

/** The key two IAM names share when IAM treats them as the same name. */
export function iamNameKey(name: string): string {
  return name.toLowerCase();
}

/** True when IAM treats the two names as one (case-insensitive). */
export function isSameIamName(a: string, b: string): boolean {
  return iamNameKey(a) === iamNameKey(b);
}

const IAM_ARN = /^arn:([^:]+):iam::(\d{12}|aws):([a-z-]+)\/(.*)$/;

/**
 * The key of an IAM ARN: partition, account, resource type and the name's key. The path is left out
 * (a name is unique in the account whatever its path) so a role re-created on another path is still
 * the same identity for protection; other ARNs are returned as they are.
 */
export function iamArnKey(arn: string): string {
  const match = IAM_ARN.exec(arn);
  if (!match) return arn;
  const [, partition, account, type, rest] = match;
  const name = rest.slice(rest.lastIndexOf('/') + 1);
  return `arn:${partition}:iam::${account}:${type}/${iamNameKey(name)}`;
}

/** True when the two ARNs name the same IAM resource. */
export function isSameIamArn(a: string, b: string): boolean {
  return iamArnKey(a) === iamArnKey(b);
}

/** True when `arn` is one of `arns` (by {@link iamArnKey}). */
export function includesIamArn(arns: readonly string[], arn: string): boolean {
  const key = iamArnKey(arn);
  return arns.some((a) => iamArnKey(a) === key);
}

/** Name of the role in a role ARN (`arn:aws:iam::1:role/path/name` → `name`), or undefined for another ARN. */
export function roleNameOfArn(arn: string): string | undefined {
  const match = /^arn:[^:]+:iam::\d{12}:role\/(?:.*\/)?([^/]+)$/.exec(arn);
  return match?.[1];
}
