/**
 * Names AWS defines outside the action catalog: AWS managed policies and service principals, so that
 * `aws:AmazonS3ReadOnlyAccesss` and `lamda.amazonaws.com` fail at lint instead of at apply.
 * Built from plain data (read by src/io/catalog from src/core/catalog/data/, refreshed by
 * scripts/data/refresh-aws-managed-policies.ts from iann0036/iam-dataset, MIT).
 */
import { suggestClosest } from './suggest-name';

/** The data the names are built from. */
export interface AwsNamesData {
  /** Where the data comes from (with its license). */
  readonly source: string;
  /** ISO date of the source snapshot. */
  readonly date: string;
  /** Live AWS managed policies: name and IAM path (`/`, `/job-function/`, `/service-role/`); path absent when unknown. */
  readonly policies: readonly { readonly name: string; readonly path?: string }[];
  /** Managed policies AWS removed (deprecated, no longer attachable). @default - none */
  readonly removed?: readonly string[];
  /** Service principals AWS's own policies name (`lambda.amazonaws.com`). */
  readonly principals: readonly string[];
  /** Service principals only deprecated AWS managed policies name (`crowd.amazonaws.com`): retired services. @default - none */
  readonly retiredPrincipals?: readonly string[];
  /**
   * Actions and services AWS's managed policies name that the action catalog no longer has (DeepRacer,
   * DeepLens, ...), with the catalog date they were compared against and the evidence per name. @default - none
   */
  readonly removedActions?: {
    readonly catalogDate: string;
    readonly services: readonly string[];
    readonly actions: readonly string[];
    /**
     * Per lowercase service prefix or action: the newest older reference snapshot that listed it, and whether only
     * deprecated managed policies name it. @default - no evidence beyond live policies naming it
     */
    readonly evidence?: Readonly<Record<string, RemovedActionEvidence>>;
  };
}

/** Why a name is believed removed, beyond its absence from the current reference. */
export interface RemovedActionEvidence {
  /** An older Service Authorization Reference snapshot that listed it (`duo-labs/parliament c7ea5b2 (2020-11-19)`). @default - none */
  readonly reference?: string;
  /** Only managed policies AWS deprecated name it. @default false */
  readonly deprecatedOnly?: boolean;
}

/** A removed action or service, as {@link AwsNames.describeRemovedAction} reports it. */
export interface RemovedAction extends RemovedActionEvidence {
  /** Date of the action catalog it is missing from. */
  readonly catalogDate: string;
  /** Date of the managed policy data. */
  readonly policiesDate: string;
  /** The whole service is gone (`service`), or this action of a live service (`action`). */
  readonly scope: 'service' | 'action';
  /** The service prefix, lowercase. */
  readonly service: string;
}

/** What a managed policy reference resolves to. */
export type ManagedPolicyLookup =
  | { readonly status: 'ok' }
  | { readonly status: 'removed' }
  | { readonly status: 'wrong-path'; readonly path: string }
  | { readonly status: 'unknown'; readonly suggestion?: string };

/** What a service principal resolves to. */
export type ServicePrincipalLookup = { readonly status: 'ok' } | { readonly status: 'retired' } | { readonly status: 'unknown'; readonly suggestion?: string };

/** Lookups over {@link AwsNamesData}. */
export interface AwsNames {
  /** ISO date of the data. */
  readonly date: string;
  /** Where the data comes from. */
  readonly source: string;
  /** A managed policy by `Name` or `path/Name` (`job-function/ViewOnlyAccess`); names are case-sensitive in ARNs. */
  lookUpManagedPolicy(reference: string): ManagedPolicyLookup;
  /** A service principal (`lambda.amazonaws.com`), case-insensitive. */
  lookUpServicePrincipal(principal: string): ServicePrincipalLookup;
  /**
   * The catalog date by which an action (or its whole service) was gone although AWS's managed policies still
   * name it; undefined when it is not one of those. Case-insensitive.
   */
  findRemovedAction(action: string): string | undefined;
  /** What {@link findRemovedAction} knows about an action, with its evidence; undefined when it is not removed. */
  describeRemovedAction(action: string): RemovedAction | undefined;
}

/**
 * Builds the lookups. Service principals are those of the data plus `<prefix>.amazonaws.com` for every service
 * prefix of the action catalog (the regular form; the data supplies the irregular ones such as `ecs-tasks`).
 */
export function createAwsNames(data: AwsNamesData, servicePrefixes: readonly string[] = []): AwsNames {
  const byName = new Map(data.policies.map((p) => [p.name, p]));
  const removed = new Set(data.removed ?? []);
  const principals = new Set([...data.principals.map((p) => p.toLowerCase()), ...servicePrefixes.map((s) => `${s.toLowerCase()}.amazonaws.com`)]);
  const policyNames = data.policies.map((p) => p.name);
  const removedActions = new Set((data.removedActions?.actions ?? []).map((a) => a.toLowerCase()));
  const removedServices = new Set((data.removedActions?.services ?? []).map((a) => a.toLowerCase()));
  const evidence = data.removedActions?.evidence ?? {};
  const retiredPrincipals = new Set((data.retiredPrincipals ?? []).map((p) => p.toLowerCase()));
  const describeRemovedAction = (action: string): RemovedAction | undefined => {
    const a = action.trim().toLowerCase();
    const service = a.slice(0, a.indexOf(':'));
    const scope = removedServices.has(service) ? 'service' : removedActions.has(a) ? 'action' : undefined;
    if (!scope || !data.removedActions) return undefined;
    const e = evidence[scope === 'service' ? service : a] ?? {};
    return { catalogDate: data.removedActions.catalogDate, policiesDate: data.date, scope, service, ...(e.reference ? { reference: e.reference } : {}), ...(e.deprecatedOnly ? { deprecatedOnly: true } : {}) };
  };
  return {
    date: data.date,
    source: data.source,
    lookUpManagedPolicy(reference) {
      const slash = reference.lastIndexOf('/');
      const name = reference.slice(slash + 1);
      const path = slash >= 0 ? `/${reference.slice(0, slash).replace(/^\/+/, '')}/` : undefined;
      const found = byName.get(name);
      if (!found) {
        if (removed.has(name)) return { status: 'removed' };
        return { status: 'unknown', suggestion: suggestClosest(name, policyNames) };
      }
      if (found.path !== undefined && path !== undefined && found.path !== path) return { status: 'wrong-path', path: found.path };
      if (found.path !== undefined && found.path !== '/' && path === undefined) return { status: 'wrong-path', path: found.path };
      return { status: 'ok' };
    },
    findRemovedAction(action) {
      return describeRemovedAction(action)?.catalogDate;
    },
    describeRemovedAction,
    lookUpServicePrincipal(principal) {
      const p = principal.trim().toLowerCase();
      if (principals.has(p)) return { status: 'ok' };
      if (retiredPrincipals.has(p)) return { status: 'retired' };
      return { status: 'unknown', suggestion: suggestClosest(p, principals) };
    },
  };
}
