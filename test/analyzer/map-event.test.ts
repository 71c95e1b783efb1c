import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type EventMapping,
  EVENT_NAME_RENAMES,
  KMS_CALLS_ON_BEHALF,
  SERVICE_PREFIX_OVERRIDES,
  TAG_ON_CREATE_ACTIONS,
  UNOBSERVABLE_ACTIONS,
  UNOBSERVABLE_NOTES,
  mapEventToActions,
} from '../../src/core/analyzer';
import { loadActionCatalog } from '../../src/io/catalog/load-action-catalog';

interface MappingCase {
  readonly name: string;
  readonly input: { readonly eventSource: string; readonly eventName: string };
  readonly expected: EventMapping;
}

const cases = JSON.parse(readFileSync(join(__dirname, '../fixtures/cloudtrail/mapping-cases.json'), 'utf8')) as MappingCase[];
const catalog = loadActionCatalog();

describe('mapEventToActions (data-driven: test/fixtures/cloudtrail/mapping-cases.json)', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(mapEventToActions(c.input.eventSource, c.input.eventName, catalog)).toEqual(c.expected);
  });
});

describe('mapping tables', () => {
  it('has one fixture case per prefix override and per rename', () => {
    const covered = new Set(cases.map((c) => `${c.input.eventSource}|${c.input.eventName}`));
    for (const host of Object.keys(SERVICE_PREFIX_OVERRIDES)) {
      expect(cases.some((c) => c.input.eventSource === `${host}.amazonaws.com`)).toBe(true);
    }
    for (const key of Object.keys(EVENT_NAME_RENAMES)) {
      const [service, name] = key.split(':');
      expect(covered.has(`${service}.amazonaws.com|${name}`)).toBe(true);
    }
  });

  it('names only actions the catalog knows, in their canonical case', () => {
    const unknown: string[] = [];
    for (const actions of Object.values(EVENT_NAME_RENAMES)) {
      for (const a of actions) if (catalog.getAction(a) === undefined || `${catalog.getAction(a)!.service}:${catalog.getAction(a)!.name}` !== a) unknown.push(a);
    }
    for (const a of UNOBSERVABLE_ACTIONS) if (catalog.getAction(a) === undefined) unknown.push(a);
    const canonical = (a: string) => catalog.getAction(a) !== undefined && `${catalog.getAction(a)!.service}:${catalog.getAction(a)!.name}` === a;
    for (const [create, tag] of Object.entries(TAG_ON_CREATE_ACTIONS)) for (const a of [create, tag]) if (!canonical(a)) unknown.push(a);
    for (const actions of Object.values(KMS_CALLS_ON_BEHALF)) for (const a of actions) if (!canonical(a)) unknown.push(a);
    for (const a of Object.keys(UNOBSERVABLE_NOTES)) if (!canonical(a) || !UNOBSERVABLE_ACTIONS.includes(a)) unknown.push(a);
    for (const prefix of Object.values(SERVICE_PREFIX_OVERRIDES)) if (!catalog.hasService(prefix)) unknown.push(`service ${prefix}`);
    expect(unknown).toEqual([]);
  });

  it('has a tagged call for every tag-on-create entry in the tag-on-create case', () => {
    const c = JSON.parse(readFileSync(join(__dirname, '../fixtures/cloudtrail/analyze-cases/tag-on-create.json'), 'utf8')) as { expected: { principals: { used: Record<string, number> }[] } };
    const used = c.expected.principals[0].used;
    for (const [create, tag] of Object.entries(TAG_ON_CREATE_ACTIONS)) {
      expect(used[create]).toBeGreaterThan(0);
      expect(used[tag]).toBeGreaterThan(0);
    }
  });
});
