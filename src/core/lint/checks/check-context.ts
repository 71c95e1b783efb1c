import { memoizeByCatalog, type ActionCatalog } from '../../catalog';
import type { PolicyType } from '../../policy';
import type { LocatedDocument, LocatedStatement } from '../../policy';
import type { LintOptions } from '../types';

/** What every check gets: the document view, its type, the catalog and the caller's options. */
export interface CheckContext {
  readonly view: LocatedDocument;
  readonly type: PolicyType;
  readonly catalog: ActionCatalog;
  readonly options: LintOptions;
  /** Indexes of statements that grant admin access: narrower grant rules skip them (one finding, not ten). */
  readonly adminStatements: ReadonlySet<number>;
}

/** How one Action/NotAction string resolves against the catalog. */
export type ActionResolution =
  | { readonly kind: 'malformed' }
  | { readonly kind: 'unknown-service'; readonly service: string }
  | { readonly kind: 'unknown-action' }
  | { readonly kind: 'no-match' }
  | { readonly kind: 'ok'; readonly actions: readonly string[] }
  /** `*` or `*:*`: every action. Not expanded, so a policy with `*` does not read all 456 services. */
  | { readonly kind: 'every' };

/** True for the action strings that mean every action: `*` and `*:*`. */
export function isEveryAction(value: string): boolean {
  const v = value.trim();
  return v === '*' || v === '*:*';
}

/** Service part of an action string, lower-cased (`s3` of `S3:GetObject`); undefined when there is no colon. */
export function serviceOf(action: string): string | undefined {
  const colon = action.indexOf(':');
  return colon > 0 ? action.slice(0, colon).toLowerCase() : undefined;
}

/** Per catalog: resolutions by the action string as written. Every check resolves the same elements; bounded. */
const MAX_RESOLUTIONS = 20000;

/** Resolves an action string: which catalog actions it means, or why it means none. */
export const resolveAction: (catalog: ActionCatalog, action: string) => ActionResolution = memoizeByCatalog({ maxEntries: MAX_RESOLUTIONS }, resolveUncached);

function resolveUncached(catalog: ActionCatalog, action: string): ActionResolution {
  const value = action.trim();
  if (isEveryAction(value)) return { kind: 'every' };
  const colon = value.indexOf(':');
  if (colon <= 0 || colon === value.length - 1) return { kind: 'malformed' };
  const service = value.slice(0, colon);
  const name = value.slice(colon + 1);
  const serviceWild = service.includes('*') || service.includes('?');
  if (!serviceWild && !catalog.hasService(service)) return { kind: 'unknown-service', service };
  const actions = catalog.expandPattern(value);
  if (actions.length > 0) return { kind: 'ok', actions };
  return name.includes('*') || name.includes('?') || serviceWild ? { kind: 'no-match' } : { kind: 'unknown-action' };
}

/** Per catalog: lower-cased element → lower-cased actions it grants ('every' for `*`). Bounded; rebuilt when full. */
const MAX_GRANT_CACHE = 20000;

export const grantedSet: (catalog: ActionCatalog, element: string) => ReadonlySet<string> | 'every' = memoizeByCatalog(
  { maxEntries: MAX_GRANT_CACHE, keyOf: (element: string) => element.trim().toLowerCase() },
  (catalog, element) => {
    const r = resolveAction(catalog, element);
    return r.kind === 'every' ? 'every' : new Set(r.kind === 'ok' ? r.actions.map((a) => a.toLowerCase()) : []);
  },
);

/** True when an action element means the given action (case-insensitive). */
export function grantsAction(catalog: ActionCatalog, element: string, action: string): boolean {
  const set = grantedSet(catalog, element);
  return set === 'every' || set.has(action.toLowerCase());
}

/** What one Action/NotAction element means, lower-cased: {@link resolveAction}'s answer in the form comparisons use. */
export interface ElementActions {
  /** True for `*` and `*:*` (not expanded). */
  readonly every: boolean;
  /** The lower-cased catalog actions it resolves to, in the catalog's order; empty when it resolves to none (or `every`). */
  readonly list: readonly string[];
  /** The same actions as a set. */
  readonly set: ReadonlySet<string>;
}

/** Per catalog: element as written → its lower-cased actions. Policies repeat elements; bounded, rebuilt when full. */
const MAX_ELEMENT_CACHE = 20000;

/** The lower-cased catalog actions of one element as written, memoized (the same answer as {@link resolveAction}). */
export const resolveElementActions: (catalog: ActionCatalog, element: string) => ElementActions = memoizeByCatalog({ maxEntries: MAX_ELEMENT_CACHE }, (catalog, element) => {
  const r = resolveAction(catalog, element);
  const list = r.kind === 'ok' ? r.actions.map((a) => a.toLowerCase()) : [];
  return { every: r.kind === 'every', list, set: new Set(list) };
});

/** Lower-cased catalog actions of an element list; undefined when some element means every action. */
export function expandElements(catalog: ActionCatalog, values: readonly string[]): Set<string> | undefined {
  const out = new Set<string>();
  for (const v of values) {
    const r = resolveElementActions(catalog, v);
    if (r.every) return undefined;
    for (const a of r.list) out.add(a);
  }
  return out;
}

/** True when the statement applies to every resource: a `*` Resource element, or NotResource. */
export function appliesToAllResources(statement: LocatedStatement): boolean {
  return statement.notResources !== undefined || (statement.resources ?? []).some((r) => r.value === '*');
}

/** Label of a statement for messages: `Statement[2] ("AllowS3")`. */
export function describeStatement(statement: LocatedStatement): string {
  return `Statement[${statement.index}]${statement.sid ? ` ("${statement.sid}")` : ''}`;
}
