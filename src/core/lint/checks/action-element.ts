/**
 * What the resource checks need to know about one Action element, computed once per element string and catalog:
 * policies repeat their action strings, so the catalog actions, their ARN templates and a matcher over them are
 * built on first sight instead of per statement.
 */
import { compileArnTemplateSet, hasWildcard, memoizeByCatalog, type ActionCatalog, type ActionInfo } from '../../catalog';
import { resolveAction } from './check-context';

/** One Action element's resource facts. */
export interface ActionElementResources {
  /** True for `*` and `*:*`. */
  readonly every: boolean;
  /** True when the element resolved to catalog actions (`ok`). */
  readonly ok: boolean;
  /** How many catalog actions it resolved to (0 unless `ok`). */
  readonly actionCount: number;
  /** The resolved actions the catalog describes, by canonical name, in resolution order. */
  readonly infos: readonly (readonly [string, ActionInfo])[];
  /** True when some policy ARN matches a resource type of some of its actions ({@link arnMatchesTemplate}). */
  readonly matchesArn: (policyArn: string) => boolean;
  /** The one action of a non-wildcard element that resolves to exactly one action; undefined otherwise. */
  readonly named?: ActionInfo;
  /** `service:Name` of {@link named}, and its lower-cased form. */
  readonly namedName?: string;
  readonly namedKey?: string;
  /**
   * For resource-star-for-restrictable: how messages list the element when every action it resolves to supports
   * resource-level permissions (the pattern as written, or the one action's canonical name); undefined otherwise.
   */
  readonly restrictableAs?: string;
}

/** Per catalog: element as written → its facts. Bounded; rebuilt when full. */
const MAX_ELEMENTS = 20000;

function computeElementResources(catalog: ActionCatalog, element: string): ActionElementResources {
  const r = resolveAction(catalog, element);
  if (r.kind !== 'ok') return { every: r.kind === 'every', ok: false, actionCount: 0, infos: [], matchesArn: () => false };
  const infos: (readonly [string, ActionInfo])[] = [];
  const templates = new Set<string>();
  for (const a of r.actions) {
    const info = catalog.getAction(a);
    if (!info) continue;
    infos.push([a, info]);
    for (const t of info.resourceTypes) for (const p of t.arnPatterns) templates.add(p);
  }
  const single = !element.includes('*') && !element.includes('?') && r.actions.length === 1;
  const named = single && infos.length === 1 ? infos[0][1] : undefined;
  const namedName = named ? `${named.service}:${named.name}` : undefined;
  // As checkResourceStar asked before: `*` and `svc:*` are left to the broad-grant rules.
  const v = element.trim();
  const restrictable = v !== '*' && !v.endsWith(':*') && r.actions.length > 0 && r.actions.every((a) => (catalog.getAction(a)?.resourceTypes.length ?? 0) > 0);
  return {
    every: false,
    ok: true,
    actionCount: r.actions.length,
    infos,
    matchesArn: compileArnTemplateSet([...templates]),
    ...(named && namedName ? { named, namedName, namedKey: namedName.toLowerCase() } : {}),
    ...(restrictable ? { restrictableAs: hasWildcard(v) ? v : r.actions[0] } : {}),
  };
}

/** The resource facts of one Action element as written, memoized per catalog. */
export const resolveElementResources: (catalog: ActionCatalog, element: string) => ActionElementResources = memoizeByCatalog({ maxEntries: MAX_ELEMENTS }, computeElementResources);
