/**
 * `npx tsx scripts/data/refresh-aws-managed-policies.ts <iam-dataset git dir or checkout> [--documents] [--reference <label>=<iam_definition.json>]...`
 *
 * Refreshes src/core/catalog/data/aws-managed-policies.json and aws-service-principals.json from
 * iann0036/iam-dataset (MIT; its NOTICE credits Parliament, BSD-3): `aws/managedpolicies/<name>.json`.
 * - Managed policies: name, path and deprecated flag of every AWS managed policy (documents with --documents,
 *   minified, for the analyzer's granted set; off by default to keep the committed file compact).
 * - Service principals: every `<service>.amazonaws.com` (and `.amazonaws.com.cn`) string that AWS's own managed
 *   policies name (iam:AWSServiceName, iam:PassedToService, Principal.Service): AWS-written, so real.
 * - Removed actions: actions and services AWS's managed policies name but the action catalog no longer has
 *   (DeepRacer, DeepLens, ...): `removed-action` instead of "does not exist", with the evidence for each:
 *   - `reference`: an older Service Authorization Reference snapshot that still listed it (`--reference`, an
 *     `iam_definition.json` of duo-labs/parliament (BSD-3) or iann0036/iam-dataset (MIT); repeatable, oldest first);
 *   - `deprecatedOnly`: only managed policies AWS deprecated (no longer attachable) name it: a retired service.
 *   A service absent from the catalog is kept on any of these grounds or when a live policy names it. An action of a
 *   live service is kept when a live policy names it or a reference listed it; one named only by deprecated
 *   policies and listed by no reference (`s3:ListBuckets`) stays `unknown-action`: it never was an IAM action.
 * - Retired service principals: `*.amazonaws.com` strings only deprecated policies name (`crowd.amazonaws.com`).
 * The source commit and its date are recorded, like the action catalog's date. Unreadable entries are counted
 * and printed, never dropped silently. Never use z0ph/MAMIP (GPL-3.0) here.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadActionCatalog } from '../../src/io/catalog';

interface DatasetPolicy {
  readonly arn: string;
  readonly deprecated?: boolean;
  readonly document?: unknown;
}

const OUT_DIR = join(__dirname, '..', '..', 'src', 'core', 'catalog', 'data');
const SOURCE = 'iann0036/iam-dataset (MIT, Copyright (c) 2021 Ian Mckay; NOTICE: duo-labs/parliament, BSD-3-Clause)';
const PRINCIPAL = /\b[a-z0-9][a-z0-9.-]*\.amazonaws\.com(?:\.cn)?\b/g;

/** Every `aws/managedpolicies/*.json` as text, from a bare git dir (`git cat-file --batch`) or a checkout. */
function readPolicies(source: string): { readonly texts: Map<string, string>; readonly commit: string; readonly date: string; readonly missing: string[] } {
  const texts = new Map<string, string>();
  const missing: string[] = [];
  const checkout = join(source, 'aws', 'managedpolicies');
  if (existsSync(checkout)) {
    for (const f of readdirSync(checkout).filter((x) => x.endsWith('.json'))) texts.set(f, readFileSync(join(checkout, f), 'utf8'));
    const git = (args: string[]): string => execFileSync('git', ['-C', source, ...args], { encoding: 'utf8' }).trim();
    return { texts, commit: git(['rev-parse', 'HEAD']), date: git(['log', '-1', '--format=%cs']), missing };
  }
  const git = (args: string[], input?: string): string => execFileSync('git', ['--git-dir', source, ...args], { encoding: 'utf8', input, maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'ignore'] });
  const commit = git(['rev-parse', 'HEAD']).trim();
  const date = git(['log', '-1', '--format=%cs']).trim();
  const names = git(['ls-tree', '--name-only', 'HEAD', 'aws/managedpolicies/']).split('\n').filter((n) => n.endsWith('.json'));
  for (const n of names) {
    try {
      texts.set(n.slice('aws/managedpolicies/'.length), git(['show', `HEAD:${n}`]));
    } catch {
      missing.push(n); // large files of the mirror may be listed but absent
    }
  }
  return { texts, commit, date, missing };
}

/** Service prefixes and `prefix:Action` names (lowercase) of one `iam_definition.json` snapshot. */
interface ReferenceSnapshot {
  readonly label: string;
  readonly services: Set<string>;
  readonly actions: Set<string>;
}

/** Reads a parliament/iam-dataset `iam_definition.json`: `[{ prefix, privileges: [{ privilege }] }]`. */
function readReference(spec: string): ReferenceSnapshot {
  const at = spec.indexOf('=');
  if (at <= 0) throw new Error(`--reference takes <label>=<iam_definition.json>, got "${spec}"`);
  const raw = JSON.parse(readFileSync(spec.slice(at + 1), 'utf8')) as { prefix: string; privileges?: { privilege: string }[] }[];
  const services = new Set<string>();
  const actions = new Set<string>();
  for (const s of raw) {
    services.add(s.prefix.toLowerCase());
    for (const p of s.privileges ?? []) actions.add(`${s.prefix}:${p.privilege}`.toLowerCase());
  }
  return { label: spec.slice(0, at), services, actions };
}

/** The Action and NotAction strings of a policy document. */
function actionsOf(document: unknown): string[] {
  const raw = (document as { Statement?: unknown } | undefined)?.Statement;
  const statements = (Array.isArray(raw) ? raw : raw ? [raw] : []) as Record<string, unknown>[];
  return statements.flatMap((st) => [st.Action, st.NotAction].flatMap((v) => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [])));
}

function main(): void {
  const [source, ...flags] = process.argv.slice(2);
  if (!source) {
    process.stderr.write('usage: tsx scripts/data/refresh-aws-managed-policies.ts <iam-dataset git dir or checkout> [--documents] [--reference <label>=<iam_definition.json>]...\n');
    process.exit(2);
  }
  const withDocuments = flags.includes('--documents');
  const references = flags.flatMap((f, i) => (flags[i - 1] === '--reference' ? [readReference(f)] : []));
  const { texts, commit, date, missing } = readPolicies(source);
  const policies: { name: string; path?: string; deprecated?: true; document?: unknown }[] = [];
  /** Policies the data set keeps with `arn: null` and `deprecated: true`: AWS removed them (they cannot be attached). */
  const removed: string[] = [];
  /** Documents of the deprecated policies: what they name is evidence of retired services. */
  const deprecatedDocuments: unknown[] = [];
  const principals = new Set<string>();
  const deprecatedPrincipals = new Set<string>();
  const unreadable: string[] = [...missing];
  for (const [file, text] of [...texts].sort(([a], [b]) => (a < b ? -1 : 1))) {
    let p: DatasetPolicy;
    try {
      p = JSON.parse(text) as DatasetPolicy;
    } catch {
      unreadable.push(file);
      continue;
    }
    const m = /^arn:aws:iam::aws:policy(\/(?:.*\/)?)([^/]+)$/.exec(p.arn ?? '');
    if (!m) {
      if (p.arn === null && p.deprecated) {
        removed.push(file.replace(/\.json$/, ''));
        deprecatedDocuments.push(p.document);
        for (const s of JSON.stringify(p.document ?? {}).match(PRINCIPAL) ?? []) deprecatedPrincipals.add(s);
      } else unreadable.push(file);
      continue;
    }
    policies.push({ name: m[2], path: m[1], ...(p.deprecated ? { deprecated: true as const } : {}), ...(withDocuments ? { document: p.document } : {}) });
    for (const s of JSON.stringify(p.document ?? {}).match(PRINCIPAL) ?? []) principals.add(s);
  }
  // Removed actions: named (without wildcards) by AWS's own policies, absent from today's action catalog, with evidence.
  const catalog = loadActionCatalog();
  interface Evidence {
    live?: true;
    deprecatedOnly?: true;
    reference?: string;
  }
  const serviceEvidence = new Map<string, Evidence>();
  const actionEvidence = new Map<string, Evidence>();
  const note = (map: Map<string, Evidence>, name: string, live: boolean): void => {
    const e = map.get(name) ?? {};
    if (live) e.live = true;
    map.set(name, e);
  };
  const liveDocuments = policies.map((p) => {
    const text = texts.get(`${p.name}.json`);
    return text ? (JSON.parse(text) as DatasetPolicy).document : undefined;
  });
  for (const [documents, live] of [
    [liveDocuments, true],
    [deprecatedDocuments, false],
  ] as const) {
    for (const doc of documents) {
      for (const action of actionsOf(doc)) {
        const [service, name] = action.split(':');
        if (name === undefined) continue;
        if (!catalog.hasService(service)) note(serviceEvidence, service.toLowerCase(), live);
        else if (!/[*?]/.test(name) && !catalog.getAction(action)) note(actionEvidence, action, live);
      }
    }
  }
  /** The newest reference snapshot that listed a name (references are given oldest first). */
  const lastListed = (name: string, kind: 'services' | 'actions'): string | undefined => [...references].reverse().find((r) => r[kind].has(name.toLowerCase()))?.label;
  const evidence: Record<string, { reference?: string; deprecatedOnly?: true }> = {};
  const removedServices: string[] = [];
  const removedActions: string[] = [];
  for (const [service, e] of serviceEvidence) {
    const reference = lastListed(service, 'services');
    removedServices.push(service);
    evidence[service] = { ...(reference ? { reference } : {}), ...(e.live ? {} : { deprecatedOnly: true as const }) };
  }
  const skippedActions: string[] = [];
  for (const [action, e] of actionEvidence) {
    const reference = lastListed(action, 'actions');
    if (!e.live && !reference) {
      skippedActions.push(action); // never an IAM action as far as any snapshot shows: stays unknown-action
      continue;
    }
    removedActions.push(action);
    evidence[action.toLowerCase()] = { ...(reference ? { reference } : {}), ...(e.live ? {} : { deprecatedOnly: true as const }) };
  }
  const retiredPrincipals = [...deprecatedPrincipals].filter((p) => !principals.has(p)).sort();
  // Files the mirror lists but does not hold (large ones): the name is the file name; path and document unknown.
  for (const n of missing) policies.push({ name: n.replace(/^.*\//, '').replace(/\.json$/, '') });
  policies.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const provenance = { source: SOURCE, commit, date, unreadable: unreadable.length, withoutDocument: missing.length };
  writeFileSync(join(OUT_DIR, 'aws-managed-policies.json'), `${JSON.stringify({ ...provenance, policies, removed: removed.sort() })}\n`);
  writeFileSync(
    join(OUT_DIR, 'aws-removed-actions.json'),
    `${JSON.stringify({
      ...provenance,
      catalogDate: catalog.dataDate,
      references: references.map((r) => r.label),
      services: removedServices.sort(),
      actions: removedActions.sort(),
      evidence: Object.fromEntries(Object.entries(evidence).sort(([a], [b]) => (a < b ? -1 : 1))),
    })}\n`,
  );
  writeFileSync(join(OUT_DIR, 'aws-service-principals.json'), `${JSON.stringify({ ...provenance, principals: [...principals].sort(), retired: retiredPrincipals }, null, 0)}\n`);
  process.stdout.write(
    `${removedActions.length} removed actions, ${removedServices.length} removed services (${skippedActions.length} actions named only by deprecated policies and by no reference, left unknown: ${skippedActions.sort().join(', ') || 'none'}); ${retiredPrincipals.length} retired service principals; ${policies.length} managed policies (${missing.length} without a document: ${missing.join(', ') || 'none'}), ${removed.length} removed, ${principals.size} service principals from ${commit.slice(0, 7)} (${date}); ${unreadable.length} unreadable${unreadable.length ? `: ${unreadable.join(', ')}` : ''}\n`,
  );
}

main();
