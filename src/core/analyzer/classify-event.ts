import {
  DENIED_ERROR_CODES,
  DENIED_ERROR_CODE_SUFFIXES,
  EXCLUDED_IDENTITY_TYPES,
  SERVICE_LINKED_ROLE_PATH,
} from './mapping-tables';

/** Kind of IAM principal the analyzer groups events by. */
export type PrincipalType = 'role' | 'user' | 'root';

/** Who made a call: the IAM principal whose permissions were used. */
export interface EventPrincipal {
  /** Role ARN (`sessionIssuer.arn`), user ARN, or `arn:aws:iam::<account>:root`. */
  readonly arn: string;
  readonly type: PrincipalType;
}

/** The principal of an event, or why the event is excluded from the analysis. */
export type PrincipalClassification =
  | { readonly kind: 'principal'; readonly principal: EventPrincipal }
  | { readonly kind: 'excluded'; readonly reason: string };

/** Options of {@link classifyPrincipal}. */
export interface ClassifyPrincipalOptions {
  /** Keep service-linked roles (`/aws-service-role/`) instead of excluding them. @default false */
  readonly includeServiceLinkedRoles?: boolean;
}

interface UserIdentityLike {
  readonly type?: unknown;
  readonly arn?: unknown;
  readonly accountId?: unknown;
  readonly sessionContext?: { readonly sessionIssuer?: { readonly arn?: unknown; readonly type?: unknown } };
}

function typeOfIssuer(issuerType: unknown, arn: string): PrincipalType {
  if (issuerType === 'Root' || arn.endsWith(':root')) return 'root';
  if (issuerType === 'IAMUser' || arn.includes(':user/')) return 'user';
  return 'role';
}

/**
 * Finds whose permissions an event used: roles by `sessionContext.sessionIssuer.arn`, users by
 * `userIdentity.arn`, federated users by the IAM user that issued them, root as root.
 * AWS service identities, other accounts' principals, federation calls and service-linked roles are
 * excluded with a reason. Returns `missing-field:...` reasons for records without the needed fields.
 */
export function classifyPrincipal(userIdentity: unknown, options: ClassifyPrincipalOptions = {}): PrincipalClassification {
  if (typeof userIdentity !== 'object' || userIdentity === null) return { kind: 'excluded', reason: 'missing-field:userIdentity' };
  const identity = userIdentity as UserIdentityLike;
  const type = identity.type;
  if (typeof type !== 'string') return { kind: 'excluded', reason: 'missing-field:userIdentity.type' };
  const excluded = EXCLUDED_IDENTITY_TYPES[type];
  if (excluded !== undefined) return { kind: 'excluded', reason: excluded };
  if (type === 'AssumedRole' || type === 'FederatedUser') {
    const issuer = identity.sessionContext?.sessionIssuer;
    const arn = issuer?.arn;
    if (typeof arn !== 'string' || arn === '') return { kind: 'excluded', reason: 'missing-field:userIdentity.sessionContext.sessionIssuer.arn' };
    if (!options.includeServiceLinkedRoles && arn.includes(SERVICE_LINKED_ROLE_PATH)) return { kind: 'excluded', reason: 'service-linked-role' };
    return { kind: 'principal', principal: { arn, type: typeOfIssuer(issuer?.type, arn) } };
  }
  if (type === 'IAMUser' || type === 'Root') {
    const arn = identity.arn;
    if (typeof arn === 'string' && arn !== '') return { kind: 'principal', principal: { arn, type: type === 'Root' ? 'root' : 'user' } };
    if (type === 'Root' && typeof identity.accountId === 'string') {
      return { kind: 'principal', principal: { arn: `arn:aws:iam::${identity.accountId}:root`, type: 'root' } };
    }
    return { kind: 'excluded', reason: 'missing-field:userIdentity.arn' };
  }
  return { kind: 'excluded', reason: 'unknown-identity' };
}

/** True when an errorCode says the call was refused by a policy: the attempt is `denied`, never `used`. */
export function isDeniedErrorCode(errorCode: string): boolean {
  if (DENIED_ERROR_CODES.has(errorCode)) return true;
  return DENIED_ERROR_CODE_SUFFIXES.some((suffix) => errorCode.endsWith(suffix));
}
