/**
 * The two inventories drift detection compares: the desired one (built from the resolved
 * accounts/ model, published as a JSON artifact for the Lambda) and the live one (read from IAM).
 * Both are plain JSON data so they can be written to S3, journaled and compared in tests.
 */
import type { PolicyDocumentJson } from '../policy';

/** Version of the desired-inventory JSON artifact; bump on breaking changes. */
export const DESIRED_INVENTORY_SCHEMA_VERSION = 2;

/** The tag every resource the platform manages carries (provider default_tags). */
export const MANAGED_BY_TAG_KEY = 'managed-by';
/** Value of {@link MANAGED_BY_TAG_KEY}. */
export const MANAGED_BY_TAG_VALUE = 'iam-platform';

/** A named policy document (inline policy of a role). */
export interface NamedDocument {
  /** Policy name. */
  readonly name: string;
  /** The document, decoded. */
  readonly document: PolicyDocumentJson;
}

/** What a role should look like. */
export interface DesiredRole {
  readonly name: string;
  /** IAM path (`/`, `/platform/`). */
  readonly path: string;
  readonly arn: string;
  /** Role kind from the model (`platform` for roles the modules create): `break-glass` and `pipeline` roles are never remediated. */
  readonly kind: string;
  /** Description Terraform sets. @default - none */
  readonly description?: string;
  /** Seconds. */
  readonly maxSessionDuration: number;
  readonly trustPolicy: PolicyDocumentJson;
  readonly inlinePolicies: readonly NamedDocument[];
  /** ARNs of the attached managed policies (customer and AWS managed). */
  readonly managedPolicyArns: readonly string[];
  /** ARN of the permissions boundary. @default - no boundary */
  readonly boundaryArn?: string;
  /** Tags the role must carry, as AWS holds them (`tags_all`: provider default tags under resource tags; extra live tags are not drift). */
  readonly tags: Readonly<Record<string, string>>;
}

/** A customer managed policy the platform creates (including the permission boundary). */
export interface DesiredPolicy {
  readonly name: string;
  readonly path: string;
  readonly arn: string;
  /** Document of the default version. */
  readonly document: PolicyDocumentJson;
  /** Tags as AWS holds them (`tags_all`). @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}

/** An IAM OIDC identity provider the platform creates. */
export interface DesiredOidcProvider {
  readonly arn: string;
  /** Issuer URL (`https://gitlab.com`). */
  readonly url: string;
  readonly clientIds: readonly string[];
  readonly thumbprints: readonly string[];
  /** Tags as AWS holds them (`tags_all`). @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}

/** The desired IAM state of one account. Published as `<account>.json` for the drift Lambda. */
export interface DesiredInventory {
  /** {@link DESIRED_INVENTORY_SCHEMA_VERSION}. */
  readonly schemaVersion: number;
  /** Account name (`app-prod`). */
  readonly account: string;
  readonly accountId: string;
  /** `alert` or `remediate`: what the drift Lambda does. */
  readonly mode: 'alert' | 'remediate';
  readonly roles: readonly DesiredRole[];
  readonly policies: readonly DesiredPolicy[];
  readonly oidcProviders: readonly DesiredOidcProvider[];
  /** Role ARNs the pipeline runs as (the deploy role that applies the stack). */
  readonly pipelineRoleArns: readonly string[];
  /**
   * ARNs of the roles remediation never changes: break-glass and pipeline roles of the stack, and the deploy
   * role (created at bootstrap, outside the stack: never reported unmanaged). Identity by ARN, name compared
   * case-insensitively; never by a name prefix.
   */
  readonly protectedRoleArns: readonly string[];
  /** IAM path prefixes that put a resource in the platform's scope even without the managed-by tag. */
  readonly platformPathPrefixes: readonly string[];
}

/** One stored version of a managed policy. */
export interface LivePolicyVersion {
  /** `v1`, `v2`, … */
  readonly versionId: string;
  readonly isDefault: boolean;
  readonly document: PolicyDocumentJson;
  /** ISO date. @default - unknown (then version numbers order the versions) */
  readonly createDate?: string;
}

/** A role as IAM reports it. */
export interface LiveRole {
  /** Role id (`AROA...`), AWS Config's resource id. @default - not read */
  readonly id?: string;
  readonly name: string;
  readonly path: string;
  readonly arn: string;
  readonly trustPolicy: PolicyDocumentJson;
  readonly inlinePolicies: readonly NamedDocument[];
  readonly managedPolicyArns: readonly string[];
  /** @default - no boundary */
  readonly boundaryArn?: string;
  /** Seconds. @default - not read (then not compared) */
  readonly maxSessionDuration?: number;
  readonly tags: Readonly<Record<string, string>>;
  /** Role description. @default - not read */
  readonly description?: string;
}

/** A customer managed policy as IAM reports it, with every stored version. */
export interface LivePolicy {
  /** Policy id (`ANPA...`), AWS Config's resource id. @default - not read */
  readonly id?: string;
  readonly name: string;
  readonly path: string;
  readonly arn: string;
  readonly defaultVersionId: string;
  readonly versions: readonly LivePolicyVersion[];
  /** Policy description. @default - not read */
  readonly description?: string;
  /** Policy tags. @default - not read */
  readonly tags?: Readonly<Record<string, string>>;
}

/** An OIDC provider as IAM reports it. */
export interface LiveOidcProvider {
  readonly arn: string;
  /** Issuer URL as IAM stores it (without scheme). */
  readonly url: string;
  readonly clientIds: readonly string[];
  readonly thumbprints: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
}

/** The live IAM state of one account, or of the part of it that was read. */
export interface LiveInventory {
  readonly accountId: string;
  readonly roles: readonly LiveRole[];
  /** Customer managed policies only (AWS managed policies are never resources of the platform). */
  readonly policies: readonly LivePolicy[];
  readonly oidcProviders: readonly LiveOidcProvider[];
  /** ISO time the read finished. */
  readonly readAt: string;
}
