/**
 * Types of the access diff: what one organization model grants compared with another, per account
 * and role, with a verdict. Plain data: the CLI renders it, the pipeline posts it, the record stores it.
 */
import type { AccessLevel } from '../catalog';
import type { PolicyDocumentJson } from '../policy';

/** Version of the JSON shape of {@link AccessDiff}; bumped when a field changes meaning or disappears. */
export const ACCESS_DIFF_SCHEMA_VERSION = 1;

/**
 * Outcome of a comparison, worst first:
 * `risky` (new escalation path, public or third-party trust, boundary removed),
 * `new-access` (something may be allowed that was not, including every comparison that cannot be decided),
 * `no-new-access` (every change only removes or narrows access, or changes nothing).
 */
export type AccessVerdict = 'no-new-access' | 'new-access' | 'risky';

/** Every verdict, from the mildest to the worst. */
export const ACCESS_VERDICTS: readonly AccessVerdict[] = ['no-new-access', 'new-access', 'risky'];

// ---------------------------------------------------------------------------------------------
// Input: the access model, what the diff compares (built from the resolved organization).
// ---------------------------------------------------------------------------------------------

/** A policy that grants permissions to a role. */
export interface RolePolicyAccess {
  /** `inline` (in the role), `customer` (a managed policy of the account) or `aws` (AWS managed, document unknown offline). */
  readonly kind: 'inline' | 'customer' | 'aws';
  /** Policy name (`consume-order-events`, `app-deploy`, `ReadOnlyAccess`). */
  readonly name: string;
  /** Its document. @default - unknown (AWS managed policies) */
  readonly document?: PolicyDocumentJson;
}

/** The permission boundary of a role. */
export interface BoundaryAccess {
  /** Policy name. */
  readonly name: string;
  /** Its document. @default - unknown */
  readonly document?: PolicyDocumentJson;
}

/** Who a trust statement lets in, as the platform classified it when it built the statement. */
export type TrustKind = 'human' | 'workload' | 'third-party' | 'service' | 'federation' | 'public' | 'organization';

/** One role, as the diff sees it. */
export interface RoleAccess {
  /** Role name. */
  readonly name: string;
  /** Role ARN. */
  readonly arn: string;
  /** Seconds. */
  readonly maxSessionDuration: number;
  /** The trust policy, built by the same builder the stacks use. */
  readonly trustPolicy: PolicyDocumentJson;
  /** Kind of the account trusts, by statement id (`AccountTrust0` → `human`), from the config. @default - derived from the document */
  readonly trustKinds?: { readonly [sid: string]: TrustKind };
  /** Inline and attached policies. */
  readonly policies: readonly RolePolicyAccess[];
  /** @default - no boundary */
  readonly boundary?: BoundaryAccess;
}

/** A customer managed policy of an account. */
export interface ManagedPolicyAccess {
  readonly name: string;
  readonly arn: string;
  readonly document: PolicyDocumentJson;
}

/** One account. */
export interface AccountAccess {
  readonly name: string;
  readonly id: string;
  /** OU folder name. */
  readonly ou: string;
  readonly roles: readonly RoleAccess[];
  readonly policies: readonly ManagedPolicyAccess[];
}

/** One service control policy. */
export interface ScpAccess {
  readonly name: string;
  readonly document: PolicyDocumentJson;
  /** `root`, `ou:<name>` or `account:<name>`. */
  readonly targets: readonly string[];
}

/** Everything the access diff compares, for one side. */
export interface AccessModel {
  /** 12-digit ids of the organization's accounts: a trusted account outside them is a third party. */
  readonly organizationAccountIds: readonly string[];
  readonly accounts: readonly AccountAccess[];
  readonly scps: readonly ScpAccess[];
}

// ---------------------------------------------------------------------------------------------
// Output.
// ---------------------------------------------------------------------------------------------

/** What a change does to access. `undecidable` counts as new access. */
export type ChangeEffect = 'grows' | 'narrows' | 'neutral' | 'undecidable';

/** Risk classes of an action (the linter's escalation paths; Cloudsplaining's exfiltration and exposure classes). */
export type RiskClass = 'privilege-escalation' | 'data-exfiltration' | 'resource-exposure';

/** One action of a permission change. */
export interface ActionEntry {
  /** `service:Name` in canonical case, or the pattern as written when the catalog does not know it. */
  readonly action: string;
  /** @default - unknown to the catalog */
  readonly accessLevel?: AccessLevel;
  readonly risks: readonly RiskClass[];
}

/** The conditions of a trust statement that matter to a reviewer. */
export interface TrustConditions {
  /** `aws:MultiFactorAuthPresent` is required. */
  readonly mfa: boolean;
  /** Largest `aws:MultiFactorAuthAge`, seconds. @default - none */
  readonly mfaMaxAgeSeconds?: number;
  /** `sts:ExternalId` is required. */
  readonly externalId: boolean;
  /** OIDC `sub` values allowed. */
  readonly subjects: readonly string[];
  /** `aws:PrincipalOrgID` values. */
  readonly organizationIds: readonly string[];
  /** Every other condition key, `operator key`. */
  readonly other: readonly string[];
}

/** One principal of a trust policy. */
export interface TrustPrincipal {
  /** `AWS`, `Service`, `Federated` or `*`. */
  readonly type: string;
  /** ARN, service name, provider ARN or `*`. */
  readonly value: string;
  readonly kind: TrustKind;
  /** `sts:AssumeRole`, `sts:AssumeRoleWithWebIdentity`… */
  readonly actions: readonly string[];
  readonly conditions: TrustConditions;
}

/** What changed. */
export type ChangeKind =
  | 'account-added'
  | 'account-removed'
  | 'role-added'
  | 'role-removed'
  | 'role-renamed'
  | 'policy-added'
  | 'policy-removed'
  | 'policy-renamed'
  | 'policy-changed'
  | 'trust-added'
  | 'trust-removed'
  | 'trust-widened'
  | 'trust-narrowed'
  | 'trust-changed'
  | 'allow-added'
  | 'allow-removed'
  | 'deny-added'
  | 'deny-removed'
  | 'statement-undecidable'
  | 'managed-policy-attached'
  | 'managed-policy-detached'
  | 'boundary-set'
  | 'boundary-changed'
  | 'boundary-removed'
  | 'session-duration'
  | 'escalation-added'
  | 'escalation-removed'
  | 'scp-added'
  | 'scp-removed'
  | 'scp-changed'
  | 'scp-target-added'
  | 'scp-target-removed';

/** What a change applies to. */
export interface ChangeSubject {
  readonly type: 'account' | 'role' | 'policy' | 'scp';
  readonly name: string;
  /** @default - none (SCPs, accounts) */
  readonly arn?: string;
}

/** Actions added or removed on one resource pattern under one set of conditions. */
export interface PermissionDelta {
  readonly effect: 'Allow' | 'Deny';
  /** Resource pattern (`arn:aws:s3:::shop-uploads/*`, `*`). */
  readonly resource: string;
  /** The patterns as written in the policies (`s3:*`), before expansion. */
  readonly patterns: readonly string[];
  /** The actions after expanding wildcards with the catalog, sorted. */
  readonly actions: readonly ActionEntry[];
  /** Condition block, canonical (operator → key → values). @default - unconditional */
  readonly conditions?: { readonly [operator: string]: { readonly [key: string]: readonly string[] } };
  /** Policies (`inline:x`, `customer:y`) the statements come from. */
  readonly policies: readonly string[];
}

/** One change, with its effect on access and the reason in words. */
export interface AccessChange {
  readonly kind: ChangeKind;
  readonly subject: ChangeSubject;
  readonly effect: ChangeEffect;
  /** True when the change alone makes the verdict `risky`. */
  readonly risky: boolean;
  /** One line a reviewer reads. */
  readonly reason: string;
  /** @default - not a permission change */
  readonly permissions?: PermissionDelta;
  /** @default - not a trust change */
  readonly principal?: TrustPrincipal;
  /** Previous value (role name, session seconds, boundary name). @default - none */
  readonly before?: string | number;
  /** New value. @default - none */
  readonly after?: string | number;
}

/** The changes of one account (or of the organization: SCPs), with its verdict. */
export interface AccountDiff {
  /** Account name, or `organization` for the SCPs. */
  readonly account: string;
  /** @default - none for the organization entry */
  readonly accountId?: string;
  readonly verdict: AccessVerdict;
  /** Why the verdict: the reasons of the changes that decided it. */
  readonly reasons: readonly string[];
  readonly changes: readonly AccessChange[];
}

/** The access diff of two organization models. */
export interface AccessDiff {
  readonly schemaVersion: typeof ACCESS_DIFF_SCHEMA_VERSION;
  /** What was compared (git refs, `work tree`). */
  readonly base: string;
  readonly head: string;
  readonly verdict: AccessVerdict;
  readonly reasons: readonly string[];
  /** Accounts with at least one change, by name; `organization` holds SCP changes. */
  readonly accounts: readonly AccountDiff[];
  readonly summary: {
    readonly accountsChanged: number;
    readonly changes: number;
    readonly grows: number;
    readonly narrows: number;
    readonly undecidable: number;
    readonly risky: number;
  };
}
