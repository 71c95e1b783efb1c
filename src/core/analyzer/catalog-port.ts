/**
 * The part of the action catalog (src/core/catalog) the analyzer uses. The analyzer depends on this
 * narrow port, so tests can pass a small in-memory catalog and the real catalog satisfies it as is.
 */
import type { AccessLevel, ActionCatalog, ActionInfo } from '../catalog';

export type { AccessLevel };

/** One action of the catalog (service prefix, canonical name, access level). */
export type CatalogActionInfo = Pick<ActionInfo, 'service' | 'name' | 'accessLevel'>;

/** Lookups the analyzer needs from the action catalog: `hasService`, `getAction`, `expandPattern`. */
export type AnalyzerCatalog = Pick<ActionCatalog, 'hasService' | 'getAction' | 'expandPattern'>;

/** The canonical `service:Action` name of a catalog action. */
export function canonicalActionName(info: CatalogActionInfo): string {
  return `${info.service}:${info.name}`;
}
