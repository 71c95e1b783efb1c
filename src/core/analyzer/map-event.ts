import { type AnalyzerCatalog, canonicalActionName } from './catalog-port';
import { API_VERSION_SUFFIX, EVENT_NAME_RENAMES, PERMISSIONLESS_CALLS, SERVICE_PREFIX_OVERRIDES } from './mapping-tables';

/** What an event (eventSource + eventName) means in IAM terms. */
export type EventMapping =
  /** The call needs these catalog actions (canonical names). */
  | { readonly kind: 'actions'; readonly actions: readonly string[] }
  /** The call needs no IAM permission (`sts:GetCallerIdentity`). */
  | { readonly kind: 'permissionless'; readonly action: string }
  /** No catalog action matches: reported as unmapped, never counted as used. `candidate` is what was tried. */
  | { readonly kind: 'unmapped'; readonly candidate: string };

const AMAZONAWS_SUFFIX = '.amazonaws.com';

/**
 * The IAM service prefix of an eventSource: the override table first, then the first label
 * (`ec2.amazonaws.com` → `ec2`), then the last label when only that is a catalog service
 * (`runtime.sagemaker` → `sagemaker`).
 */
export function mapEventSourceToPrefix(eventSource: string, catalog: AnalyzerCatalog): string {
  const host = eventSource.endsWith(AMAZONAWS_SUFFIX) ? eventSource.slice(0, -AMAZONAWS_SUFFIX.length) : eventSource;
  const override = SERVICE_PREFIX_OVERRIDES[host];
  if (override !== undefined) return override;
  const labels = host.split('.');
  const first = labels[0];
  if (labels.length > 1 && !catalog.hasService(first) && catalog.hasService(labels[labels.length - 1])) return labels[labels.length - 1];
  return first;
}

/**
 * Maps one CloudTrail event to the IAM actions it needs, using the tables in mapping-tables.ts and
 * checking every result against the catalog. Results are cached per distinct eventSource + eventName.
 */
export class EventMapper {
  private readonly cache = new Map<string, EventMapping>();

  constructor(private readonly catalog: AnalyzerCatalog) {}

  public map(eventSource: string, eventName: string): EventMapping {
    const key = `${eventSource}\u0000${eventName}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const mapping = mapEventToActions(eventSource, eventName, this.catalog);
    this.cache.set(key, mapping);
    return mapping;
  }
}

/** Maps an event without caching; see {@link EventMapper}. */
export function mapEventToActions(eventSource: string, eventName: string, catalog: AnalyzerCatalog): EventMapping {
  const prefix = mapEventSourceToPrefix(eventSource, catalog);
  const direct = `${prefix}:${eventName}`;
  if (PERMISSIONLESS_CALLS.has(direct)) return { kind: 'permissionless', action: direct };
  const renamed = EVENT_NAME_RENAMES[direct];
  if (renamed !== undefined) {
    const actions = renamed.map((name) => catalog.getAction(name));
    if (actions.every((a) => a !== undefined)) return { kind: 'actions', actions: actions.map((a) => canonicalActionName(a!)) };
    return { kind: 'unmapped', candidate: renamed.join(',') };
  }
  const exact = catalog.getAction(direct);
  if (exact !== undefined) return { kind: 'actions', actions: [canonicalActionName(exact)] };
  const versioned = API_VERSION_SUFFIX.exec(eventName);
  if (versioned !== null) {
    const base = `${prefix}:${versioned[1]}`;
    if (PERMISSIONLESS_CALLS.has(base)) return { kind: 'permissionless', action: base };
    const stripped = catalog.getAction(base);
    if (stripped !== undefined) return { kind: 'actions', actions: [canonicalActionName(stripped)] };
  }
  return { kind: 'unmapped', candidate: direct };
}
