import type { SourceRef } from '../model';

/** What a node of the access graph stands for. */
export type AccessNodeKind =
  /** An IAM role (of the model, or read live). */
  | 'role'
  /** An account of the organization: any principal in it that its own policies let call sts:AssumeRole. */
  | 'account'
  /** An AWS account outside the organization (a vendor, a partner). */
  | 'external-account'
  /** A role or user ARN named in a trust policy that the graph knows nothing else about. */
  | 'principal'
  /** An AWS service principal (`lambda.amazonaws.com`). */
  | 'service'
  /** An OIDC identity provider (GitLab CI, Terraform Cloud). */
  | 'oidc'
  /** A SAML identity provider (the company's single sign-on). */
  | 'saml'
  /** Admin-equivalent access in one account: what escalation paths lead to. */
  | 'admin';

/** One node. Ids are lower-case (IAM names and ARNs compare case-insensitively). */
export interface AccessNode {
  /** `arn:aws:iam::111111111111:role/app` (lower-case), `account:<id>`, `service:<name>`, `oidc:<arn>`, `saml:<arn>`, `admin:<id>`. */
  readonly id: string;
  readonly kind: AccessNodeKind;
  /** How reports name it (original case). */
  readonly label: string;
  /** Account id the node lives in. @default - none (services) */
  readonly accountId?: string;
  /** Account name in the model. @default - none (outside the organization) */
  readonly account?: string;
  /** Roles: the accountable team. @default - none */
  readonly owner?: string;
  /** Roles: the role's file in accounts/. @default - none (live-only roles) */
  readonly file?: string;
  /** Roles: the permission boundary's name, or null when the role has none. @default - not a role */
  readonly boundary?: string | null;
  /** Roles: false for a role read live that the accounts/ model does not define. @default - not a role */
  readonly managed?: boolean;
  /** Roles: attached policies whose documents the graph does not know (AWS managed ones other than the known few). @default - none */
  readonly notEvaluated?: readonly string[];
  /** Roles: SCPs whose Deny statements apply to the role (they take those actions away in the graph). @default - none */
  readonly scps?: readonly string[];
  /** Roles: SCP Deny statements with conditions the graph cannot resolve for the role (`<scp> <sid>`; not applied). @default - none */
  readonly scpsNotEvaluated?: readonly string[];
}

/** Who a trust edge lets in, as the trust config (or the live trust policy) says. */
export interface TrustDetail {
  /** `human`, `workload` and `third-party` come from account trust; the others from their principal type. */
  readonly kind: 'human' | 'workload' | 'third-party' | 'service' | 'oidc' | 'saml';
  readonly requireMfa: boolean;
  /** `sts:ExternalId` the caller must pass. @default - none */
  readonly externalId?: string;
  /** The trust statement's Condition block. @default - unconditional */
  readonly conditions?: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
  /** Caller and role in different accounts. */
  readonly crossAccount: boolean;
  /** Caller outside the organization (third party, other AWS account). */
  readonly external: boolean;
  /** OIDC/SAML federation. */
  readonly federated: boolean;
  /** Trust statement id (`AccountTrust0`) or the live statement's index. */
  readonly statement: string;
}

/** An escalation path of the linter's table (src/core/lint/escalation) that the role's policies open. */
export interface EscalationDetail {
  /** `lambda-001`. */
  readonly id: string;
  readonly name: string;
  readonly actions: readonly string[];
  /** First reference of the path. @default - none */
  readonly reference?: string;
}

/** One edge. */
export interface AccessEdge {
  readonly from: string;
  readonly to: string;
  /**
   * `can-assume`: trust lets `from` assume `to`; `has-admin`: the role's policies grant admin access
   * (`*` on `*`, or an admin-equivalent AWS managed policy); `can-become`: an escalation path reaches admin.
   */
  readonly kind: 'can-assume' | 'has-admin' | 'can-become';
  /** can-assume only. @default - none */
  readonly trust?: TrustDetail;
  /** can-become only: every escalation path of the table the role's policies open (smallest ones). @default - none */
  readonly escalations?: readonly EscalationDetail[];
  /** has-admin: the policy that grants it (`inline policy "x"`, `aws:AdministratorAccess`). @default - none */
  readonly grantedBy?: string;
  /** Where the edge is written in accounts/. @default - live only */
  readonly source?: SourceRef;
}

/** The access graph: principals and who can assume or become whom. */
export interface AccessGraph {
  readonly nodes: ReadonlyMap<string, AccessNode>;
  readonly edges: readonly AccessEdge[];
}

/** One way to admin-equivalent access in an account: the edges from the principal to the account's admin node. */
export interface AdminPath {
  readonly account: string;
  readonly accountId: string;
  /** The principal the path starts at. */
  readonly principal: AccessNode;
  /** Edges in order, the last one ends at the admin node. */
  readonly edges: readonly AccessEdge[];
}

/** A human trust without MFA. */
export interface HumanAccessWithoutMfa {
  readonly role: AccessNode;
  readonly edge: AccessEdge;
}
