import { createAwsNames } from './aws-names';
import { arnMatchesTemplate } from './arn-pattern';
import { suggestClosest } from './suggest-name';
import type {
  ActionCatalog,
  ActionInfo,
  ActionResourceType,
  CatalogConditionKeyData,
  CatalogData,
  CatalogServiceData,
  ConditionKeyType,
  LazyCatalogServiceData,
  ResourceTypeMatch,
} from './types';
import { compileWildcard, hasWildcard } from './wildcard-pattern';

/** Most expansions a catalog keeps before it starts again with an empty cache (bounds memory on long runs). */
const MAX_CACHED_EXPANSIONS = 20000;

/**
 * Well-known wrong prefixes and the service they mean: CloudTrail event sources and console names that
 * differ from IAM prefixes (reference.md §11, trailscraper `cloudtrail.py`).
 */
const SERVICE_ALIASES: ReadonlyMap<string, string> = new Map([
  ['monitoring', 'cloudwatch'],
  ['email', 'ses'],
  ['appstream2', 'appstream'],
  ['streams.dynamodb', 'dynamodb'],
  ['tagging', 'tag'],
  ['mturk-requester', 'mechanicalturk'],
  ['cloudwatchlogs', 'logs'],
  ['cloudwatch-logs', 'logs'],
  ['eventbridge', 'events'],
  ['stepfunctions', 'states'],
  ['step-functions', 'states'],
  ['secrets-manager', 'secretsmanager'],
  ['parameterstore', 'ssm'],
  ['elb', 'elasticloadbalancing'],
  ['alb', 'elasticloadbalancing'],
  ['cognito', 'cognito-idp'],
  ['opensearch', 'es'],
  ['elasticsearch', 'es'],
]);

interface VariableKey {
  readonly pattern: RegExp;
  readonly type?: ConditionKeyType;
}

interface ConditionKeyIndex {
  /** Lower-case key → type ('' when untyped). */
  readonly exact: Map<string, string>;
  /** Lower-case key prefix (before ':') → keys with variables. */
  readonly variable: Map<string, VariableKey[]>;
}

const VARIABLE_MARKER = /\$\{[^}]*\}|<[^>]*>/g;

/** Turns a condition key with variables (`aws:RequestTag/${TagKey}`, `s3:ExistingObjectTag/<key>`) into an anchored regex. */
function compileVariableKey(key: string): RegExp {
  const parts = key.toLowerCase().split(VARIABLE_MARKER);
  const source = parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.+');
  return new RegExp(`^${source}$`);
}

/** Global keys are written `aws:PrincipalTag/tag-key` in the reference: the part after the slash is a variable. */
function normalizeGlobalKey(key: string): string {
  return key.replace(/\/tag-key$/i, '/${TagKey}');
}

function addConditionKey(index: ConditionKeyIndex, data: CatalogConditionKeyData): void {
  const key = normalizeGlobalKey(data.key);
  if (key.match(VARIABLE_MARKER)) {
    const prefix = key.slice(0, key.indexOf(':')).toLowerCase();
    const list = index.variable.get(prefix) ?? [];
    list.push({ pattern: compileVariableKey(key), type: data.type });
    index.variable.set(prefix, list);
  } else {
    index.exact.set(key.toLowerCase(), data.type ?? '');
  }
}

/** Looks a key up in an index; returns its type ('' when untyped) or undefined when absent. */
function lookUpConditionKey(index: ConditionKeyIndex, key: string): string | undefined {
  const lower = key.toLowerCase();
  const exact = index.exact.get(lower);
  if (exact !== undefined) return exact;
  const colon = lower.indexOf(':');
  const candidates = colon > 0 ? index.variable.get(lower.slice(0, colon)) : undefined;
  const hit = candidates?.find((c) => c.pattern.test(lower));
  return hit ? (hit.type ?? '') : undefined;
}

function createIndex(): ConditionKeyIndex {
  return { exact: new Map(), variable: new Map() };
}

/** A claim of a federated identity provider (`gitlab.example.com:sub`, `app.terraform.io:aud`): the prefix is a host name. */
function isFederatedProviderKey(key: string): boolean {
  const colon = key.indexOf(':');
  if (colon <= 0 || colon === key.length - 1) return false;
  const prefix = key.slice(0, colon);
  return prefix.includes('.') && /^[a-z0-9.\-/${}]+$/i.test(prefix);
}

interface ServiceEntry {
  readonly prefix: string;
  readonly name: string;
  readonly actions: readonly ActionInfo[];
  readonly byLowerName: ReadonlyMap<string, ActionInfo>;
  readonly resourceTypes: readonly { readonly name: string; readonly arnPatterns: readonly string[] }[];
  /** Lower-case action name → lower-case condition keys of the action and its resource types. */
  readonly actionKeys: Map<string, ConditionKeyIndex>;
  readonly resourceTypeKeys: ReadonlyMap<string, readonly string[]>;
}

function buildService(data: CatalogServiceData): ServiceEntry {
  const prefix = data.prefix.toLowerCase();
  const resourceTypes = new Map<string, { readonly name: string; readonly arnPatterns: readonly string[] }>();
  const resourceTypeKeys = new Map<string, readonly string[]>();
  for (const rt of data.resourceTypes ?? []) {
    resourceTypes.set(rt.name.toLowerCase(), { name: rt.name, arnPatterns: Object.freeze([...rt.arnPatterns]) });
    resourceTypeKeys.set(rt.name.toLowerCase(), rt.conditionKeys ?? []);
  }
  const actions: ActionInfo[] = [];
  const byLowerName = new Map<string, ActionInfo>();
  for (const a of data.actions) {
    const types: ActionResourceType[] = (a.resourceTypes ?? []).map((r) => {
      const known = resourceTypes.get(r.name.toLowerCase());
      return Object.freeze({ name: known?.name ?? r.name, required: r.required, arnPatterns: known?.arnPatterns ?? [] });
    });
    const info: ActionInfo = Object.freeze({
      service: prefix,
      name: a.name,
      accessLevel: a.accessLevel,
      resourceTypes: Object.freeze(types),
      conditionKeys: Object.freeze([...(a.conditionKeys ?? [])]),
      dependentActions: Object.freeze([...(a.dependentActions ?? [])]),
    });
    actions.push(info);
    byLowerName.set(a.name.toLowerCase(), info);
  }
  actions.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  return {
    prefix,
    name: data.name ?? data.prefix,
    actions: Object.freeze(actions),
    byLowerName,
    resourceTypes: [...resourceTypes.values()],
    actionKeys: new Map(),
    resourceTypeKeys,
  };
}

function splitAction(action: string): { readonly service: string; readonly name: string } | undefined {
  const colon = action.indexOf(':');
  if (colon <= 0 || colon === action.length - 1) return undefined;
  return { service: action.slice(0, colon).toLowerCase(), name: action.slice(colon + 1) };
}

function toIsoDate(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString().slice(0, 10);
}

/**
 * Builds an {@link ActionCatalog} from plain data: maps for every lookup, wildcard expansions cached.
 * Services given as thunks are read on first use. Pure: the data comes from `loadActionCatalog()`
 * (src/io/catalog) or from a test.
 */
export function createActionCatalog(data: CatalogData): ActionCatalog {
  const sources = new Map<string, CatalogServiceData | LazyCatalogServiceData>();
  const names = new Map<string, string>();
  for (const s of data.services) {
    const prefix = s.prefix.toLowerCase();
    sources.set(prefix, s);
    names.set(prefix, s.name ?? s.prefix);
  }
  const loaded = new Map<string, ServiceEntry>();
  const allKeys = createIndex();
  const globalKeys = createIndex();
  for (const g of data.globalConditionKeys) {
    addConditionKey(globalKeys, g);
    addConditionKey(allKeys, g);
  }
  const keyOwners = new Map<string, readonly string[]>(
    Object.entries(data.conditionKeyOwners ?? {}).map(([k, v]) => [k.toLowerCase(), v.map((x) => x.toLowerCase())]),
  );
  const prefixes = Object.freeze([...sources.keys()].sort());
  let allActions: readonly string[] | undefined;
  const expansions = new Map<string, readonly string[]>();

  /** The service's entry, reading its data on first use; undefined for an unknown prefix. */
  const service = (prefix: string): ServiceEntry | undefined => {
    const hit = loaded.get(prefix);
    if (hit) return hit;
    const source = sources.get(prefix);
    if (!source) return undefined;
    const serviceData = 'load' in source ? { ...source.load(), prefix: source.prefix, name: source.name } : source;
    const entry = buildService(serviceData);
    for (const k of serviceData.conditionKeys ?? []) addConditionKey(allKeys, k);
    loaded.set(prefix, entry);
    return entry;
  };

  /** Makes sure the services that can define keys with this key's prefix are loaded. */
  const loadKeyOwners = (key: string): void => {
    const colon = key.indexOf(':');
    if (colon <= 0) return;
    const keyPrefix = key.slice(0, colon).toLowerCase();
    if (sources.has(keyPrefix)) service(keyPrefix);
    for (const owner of keyOwners.get(keyPrefix) ?? []) service(owner);
  };

  const qualified = (a: ActionInfo): string => `${a.service}:${a.name}`;

  const everyAction = (): readonly string[] => {
    if (!allActions) {
      const list: string[] = [];
      for (const p of prefixes) for (const a of service(p)!.actions) list.push(qualified(a));
      allActions = Object.freeze(list);
    }
    return allActions;
  };

  const expandUncached = (pattern: string): readonly string[] => {
    if (pattern === '*') return everyAction();
    const parts = splitAction(pattern);
    if (!parts) return [];
    const servicePattern = parts.service;
    const matchedServices = hasWildcard(servicePattern)
      ? prefixes.filter((p) => compileWildcard(servicePattern).test(p))
      : sources.has(servicePattern)
        ? [servicePattern]
        : [];
    const out: string[] = [];
    const namePattern = parts.name;
    if (!hasWildcard(namePattern)) {
      for (const p of matchedServices) {
        const a = service(p)!.byLowerName.get(namePattern.toLowerCase());
        if (a) out.push(qualified(a));
      }
      return out;
    }
    const regex = namePattern === '*' ? undefined : compileWildcard(namePattern);
    for (const p of matchedServices) {
      for (const a of service(p)!.actions) if (!regex || regex.test(a.name)) out.push(qualified(a));
    }
    return out;
  };

  /** Expansions by the pattern as written, before trimming and lower-casing (which allocate at every call). */
  const rawExpansions = new Map<string, readonly string[]>();
  const expandPattern = (pattern: string): readonly string[] => {
    const raw = rawExpansions.get(pattern);
    if (raw) return raw;
    const key = pattern.trim().toLowerCase();
    let result = expansions.get(key);
    if (!result) {
      result = Object.freeze(expandUncached(key));
      if (expansions.size >= MAX_CACHED_EXPANSIONS) expansions.clear();
      expansions.set(key, result);
    }
    if (rawExpansions.size >= MAX_CACHED_EXPANSIONS) rawExpansions.clear();
    rawExpansions.set(pattern, result);
    return result;
  };

  /** Answers by the string as asked (null: no such action): the linter asks about the same strings per check. */
  const actionLookups = new Map<string, ActionInfo | null>();
  const getAction = (action: string): ActionInfo | undefined => {
    const known = actionLookups.get(action);
    if (known !== undefined) return known ?? undefined;
    const parts = splitAction(action.trim());
    const info = parts ? service(parts.service)?.byLowerName.get(parts.name.toLowerCase()) : undefined;
    if (actionLookups.size >= MAX_CACHED_EXPANSIONS) actionLookups.clear();
    actionLookups.set(action, info ?? null);
    return info;
  };

  const keysOfAction = (entry: ServiceEntry, info: ActionInfo): ConditionKeyIndex => {
    const lower = info.name.toLowerCase();
    let index = entry.actionKeys.get(lower);
    if (!index) {
      index = createIndex();
      for (const k of info.conditionKeys) addConditionKey(index, { key: k });
      for (const rt of info.resourceTypes) {
        for (const k of entry.resourceTypeKeys.get(rt.name.toLowerCase()) ?? []) addConditionKey(index, { key: k });
      }
      entry.actionKeys.set(lower, index);
    }
    return index;
  };

  /** A federated provider claim: a host-like prefix that is not a service. */
  const isProviderClaim = (key: string): boolean => isFederatedProviderKey(key) && !sources.has(key.slice(0, key.indexOf(':')).toLowerCase());

  const suggestService = (prefix: string): string | undefined => {
    const lower = prefix.trim().toLowerCase();
    if (sources.has(lower)) return lower;
    const alias = SERVICE_ALIASES.get(lower);
    if (alias && sources.has(alias)) return alias;
    return suggestClosest(lower, prefixes);
  };

  const scanResourceTypes = (arn: string, candidates: readonly string[]): ResourceTypeMatch[] => {
    const out: ResourceTypeMatch[] = [];
    for (const p of candidates) {
      for (const rt of service(p)!.resourceTypes) {
        const hit = rt.arnPatterns.find((t) => arnMatchesTemplate(arn, t));
        if (hit) out.push({ service: p, name: rt.name, arnPattern: hit });
      }
    }
    return out;
  };

  return {
    version: data.version,
    dataDate: toIsoDate(data.dataDate),
    ...(data.awsNames ? { awsNames: createAwsNames(data.awsNames, prefixes) } : {}),
    hasService: (prefix) => sources.has(prefix.trim().toLowerCase()),
    listServices: () => prefixes,
    getServiceName: (prefix) => names.get(prefix.trim().toLowerCase()),
    getAction,
    listActions: (name) => service(name.trim().toLowerCase())?.actions ?? [],
    expandPattern,
    expandNotActions(patterns) {
      const excluded = new Set<string>();
      for (const p of patterns) for (const a of expandPattern(p)) excluded.add(a);
      return everyAction().filter((a) => !excluded.has(a));
    },
    isConditionKeyKnown(key, action) {
      if (lookUpConditionKey(globalKeys, key) !== undefined) return true;
      if (action !== undefined) {
        const info = getAction(action);
        if (!info) return false;
        return lookUpConditionKey(keysOfAction(service(info.service)!, info), key) !== undefined || isProviderClaim(key);
      }
      loadKeyOwners(key);
      return lookUpConditionKey(allKeys, key) !== undefined || isProviderClaim(key);
    },
    getConditionKeyType(key) {
      loadKeyOwners(key);
      const type = lookUpConditionKey(allKeys, key);
      if (type) return type;
      return type === undefined && isProviderClaim(key) ? 'String' : undefined;
    },
    suggestAction(action) {
      const parts = splitAction(action.trim());
      if (!parts) return undefined;
      const entry = service(parts.service) ?? service(suggestService(parts.service) ?? '');
      if (!entry) return undefined;
      const exact = entry.byLowerName.get(parts.name.toLowerCase());
      if (exact) return qualified(exact);
      const name = suggestClosest(
        parts.name,
        entry.actions.map((a) => a.name),
      );
      return name ? `${entry.prefix}:${name}` : undefined;
    },
    suggestService,
    findResourceTypesForArn(arn) {
      const servicePart = (arn.split(':')[2] ?? '').toLowerCase();
      const direct = sources.has(servicePart) ? scanResourceTypes(arn, [servicePart]) : [];
      // ARN service segments usually equal the IAM prefix; when not (or when wildcarded), search every service.
      return direct.length > 0 ? direct : scanResourceTypes(arn, prefixes);
    },
  };
}
