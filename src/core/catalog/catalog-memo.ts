import type { ActionCatalog } from './types';

/** Options of {@link memoizeByCatalog}. */
export interface CatalogMemoOptions<A> {
  /** Entries per catalog before its memo is emptied and refilled (keeps memory flat on unbounded inputs). */
  readonly maxEntries: number;
  /** The memo key of an argument. @default - the argument itself */
  readonly keyOf?: (arg: A) => string;
}

/**
 * A memo of answers computed from a catalog: per catalog (held weakly) and key, bounded by
 * {@link CatalogMemoOptions.maxEntries}. Policies repeat their elements, so each check asks the same few keys.
 */
export function memoizeByCatalog<V, A extends string = string>(options: CatalogMemoOptions<A>, compute: (catalog: ActionCatalog, arg: A) => V): (catalog: ActionCatalog, arg: A) => V {
  const byCatalog = new WeakMap<ActionCatalog, Map<string, V>>();
  const keyOf = options.keyOf;
  return (catalog, arg) => {
    let memo = byCatalog.get(catalog);
    if (!memo) byCatalog.set(catalog, (memo = new Map()));
    const key = keyOf ? keyOf(arg) : arg;
    let hit = memo.get(key);
    if (hit === undefined) {
      hit = compute(catalog, arg);
      if (memo.size >= options.maxEntries) memo.clear();
      memo.set(key, hit);
    }
    return hit;
  };
}
