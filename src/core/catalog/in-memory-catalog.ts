import { createActionCatalog } from './action-catalog';
import type { AccessLevel, ActionCatalog, CatalogResourceTypeData, CatalogServiceData } from './types';

/** One action in the shorthand of {@link buildInMemoryCatalog}: an access level, or the level and resource type names (`*` suffix = required). */
export type InMemoryActionSpec = AccessLevel | { readonly level: AccessLevel; readonly resources?: readonly string[]; readonly conditionKeys?: readonly string[] };

/** Shorthand spec of a small catalog for unit tests. */
export interface InMemoryCatalogSpec {
  /** Service prefix → action name → spec. */
  readonly actions: { readonly [service: string]: { readonly [action: string]: InMemoryActionSpec } };
  /** Service prefix → resource type name → ARN template. @default - none */
  readonly resourceTypes?: { readonly [service: string]: { readonly [name: string]: string } };
  /** Condition keys with their types, service and global alike (`aws:SourceIp: IPAddress`). @default - none */
  readonly conditionKeys?: { readonly [key: string]: string };
  /** Data date. @default '2026-01-01' */
  readonly dataDate?: string;
}

/** Builds a small catalog from a shorthand spec, for unit tests of code that takes an {@link ActionCatalog}. */
export function buildInMemoryCatalog(spec: InMemoryCatalogSpec): ActionCatalog {
  const keys = Object.entries(spec.conditionKeys ?? {});
  const services: CatalogServiceData[] = Object.entries(spec.actions).map(([prefix, actions]) => {
    const resourceTypes: CatalogResourceTypeData[] = Object.entries(spec.resourceTypes?.[prefix] ?? {}).map(([name, arn]) => ({ name, arnPatterns: [arn] }));
    return {
      prefix,
      actions: Object.entries(actions).map(([name, a]) => {
        const level = typeof a === 'string' ? a : a.level;
        const resources = typeof a === 'string' ? [] : (a.resources ?? []);
        return {
          name,
          accessLevel: level,
          resourceTypes: resources.map((r) => ({ name: r.replace(/\*$/, ''), required: r.endsWith('*') })),
          conditionKeys: typeof a === 'string' ? [] : a.conditionKeys,
        };
      }),
      resourceTypes,
      conditionKeys: keys.filter(([k]) => k.toLowerCase().startsWith(`${prefix.toLowerCase()}:`)).map(([key, type]) => ({ key, type })),
    };
  });
  return createActionCatalog({
    version: 'in-memory',
    dataDate: spec.dataDate ?? '2026-01-01',
    services,
    globalConditionKeys: keys.filter(([k]) => k.toLowerCase().startsWith('aws:')).map(([key, type]) => ({ key, type })),
  });
}
