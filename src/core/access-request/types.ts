/**
 * Types of self-service access requests and temporary grants: what an engineer asks for, the YAML
 * change that grants it, and the grants whose `expires` date has passed. Plain data.
 */
import type { StatementJson } from '../policy';

/** Which kind of access a request asks for. */
export type AccessRequestKind = 'permissions' | 'trust';

/** Fields every request has. */
interface AccessRequestBase {
  /** Accounts (names from accounts/) the request is for; the role must exist in each. */
  readonly accounts: readonly string[];
  /** Role name in those accounts. */
  readonly role: string;
  /** Why the access is needed (goes into the merge request description). */
  readonly justification: string;
  /** GitLab username of the requester. */
  readonly requester: string;
  /** Temporary access: `YYYY-MM-DD` (UTC), the grant ends at the start of that day. @default - permanent */
  readonly expires?: string;
}

/** Permissions for a role: one Allow statement with these actions on these resources. */
export interface PermissionsRequest extends AccessRequestBase {
  readonly kind: 'permissions';
  /** `service:Action` names as the catalog spells them. */
  readonly actions: readonly string[];
  /** Resource ARNs (placeholders like `{{account.id}}` allowed). */
  readonly resources: readonly string[];
}

/** Trust into an existing role for a principal (humans, MFA by default). */
export interface TrustRequest extends AccessRequestBase {
  readonly kind: 'trust';
  /** Account name, 12-digit id or role ARN that may assume the role. */
  readonly principal: string;
  /** Require MFA. @default true */
  readonly requireMfa?: boolean;
}

/** A validated access request. */
export type AccessRequest = PermissionsRequest | TrustRequest;

/** A statement as written into a role file: an IAM statement plus the platform's `expires`. */
export type RequestedStatement = StatementJson & { readonly expires?: string };

/** An account trust entry as written into a role file. */
export interface RequestedTrustEntry {
  readonly principals: readonly string[];
  readonly kind: 'human';
  /** Written only when false (true is the default for humans). @default - omitted */
  readonly requireMfa?: false;
  readonly expires?: string;
}

/** One change to a role file. */
export type RoleFileChange =
  | { readonly kind: 'add-statement'; readonly policyName: string; readonly statement: RequestedStatement }
  | { readonly kind: 'add-trust'; readonly entry: RequestedTrustEntry };

/** The change of one file the request makes. */
export interface AccessRequestFileEdit {
  readonly account: string;
  readonly role: string;
  /** Repository path of the role file (`accounts/workloads/app-dev/roles/app-debug.yaml`). */
  readonly file: string;
  readonly change: RoleFileChange;
}

/** What a request changes, before anything is written. */
export interface AccessRequestPlan {
  readonly request: AccessRequest;
  readonly edits: readonly AccessRequestFileEdit[];
  /** Branch name for the merge request (`access-request/<user>/<role>-<stamp>`). */
  readonly branch: string;
  /** Merge request title. */
  readonly title: string;
}

/** A problem with a request, by form field. */
export interface AccessRequestProblem {
  /** Form field name (`accounts`, `role`, `actions`, `resources[1]`, `principal`, `expires`). */
  readonly field: string;
  readonly message: string;
}

/** What a grant with `expires` is. */
export type GrantKind = 'role' | 'trust' | 'statement';

/** A grant with an expiry date. */
export interface ExpiringGrant {
  readonly kind: GrantKind;
  readonly account: string;
  readonly role: string;
  /** `YYYY-MM-DD`. */
  readonly expires: string;
  /** Whole days left before the grant ends, rounded down (negative once it has ended). */
  readonly daysLeft: number;
  /** Repository path of the file that holds it. */
  readonly file: string;
  /** JSON path of the grant in the file (`$.trust.accounts[1]`, `$.inlinePolicies.access-requests.Statement[0]`). */
  readonly path: string;
  /** Inline policy name (statements). @default - none */
  readonly policyName?: string;
  /** Index of the statement (statements) or of the trust entry (trust). @default - none */
  readonly index?: number;
  /** Role template the grant comes from: it is written in org.yaml or ou.yaml, not in an account file. @default - none */
  readonly template?: string;
  /** One line for people (`statement 0 of inline policy "x" of role "y" in app-dev`). */
  readonly description: string;
}
