/**
 * `npx tsx scripts/data/refresh-aws-managed-policies.ts <iam-dataset git dir or checkout> [--documents]`
 *
 * Refreshes src/core/catalog/data/aws-managed-policies.json and aws-service-principals.json from
 * iann0036/iam-dataset (MIT; its NOTICE credits Parliament, BSD-3): `aws/managedpolicies/<name>.json`.
 * - Managed policies: name, path and deprecated flag of every AWS managed policy (documents with --documents,
 *   minified, for the analyzer's granted set; off by default to keep the committed file compact).
 * - Service principals: every `<service>.amazonaws.com` (and `.amazonaws.com.cn`) string that AWS's own managed
 *   policies name (iam:AWSServiceName, iam:PassedToService, Principal.Service): AWS-written, so real.
 * - Removed actions: actions and services AWS's live managed policies still name but the action catalog no longer
 *   has (DeepRacer, DeepLens, ...): `removed-action`, a warning, instead of "does not exist".
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

/** The Action and NotAction strings of a policy document. */
function actionsOf(document: unknown): string[] {
  const raw = (document as { Statement?: unknown } | undefined)?.Statement;
  const statements = (Array.isArray(raw) ? raw : raw ? [raw] : []) as Record<string, unknown>[];
  return statements.flatMap((st) => [st.Action, st.NotAction].flatMap((v) => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [])));
}

function main(): void {
  const [source, ...flags] = process.argv.slice(2);
  if (!source) {
    process.stderr.write('usage: tsx scripts/data/refresh-aws-managed-policies.ts <iam-dataset git dir or checkout> [--documents]\n');
    process.exit(2);
  }
  const withDocuments = flags.includes('--documents');
  const { texts, commit, date, missing } = readPolicies(source);
  const policies: { name: string; path?: string; deprecated?: true; document?: unknown }[] = [];
  /** Policies the data set keeps with `arn: null` and `deprecated: true`: AWS removed them (they cannot be attached). */
  const removed: string[] = [];
  const principals = new Set<string>();
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
      if (p.arn === null && p.deprecated) removed.push(file.replace(/\.json$/, ''));
      else unreadable.push(file);
      continue;
    }
    policies.push({ name: m[2], path: m[1], ...(p.deprecated ? { deprecated: true as const } : {}), ...(withDocuments ? { document: p.document } : {}) });
    for (const s of JSON.stringify(p.document ?? {}).match(PRINCIPAL) ?? []) principals.add(s);
  }
  // Removed actions: named (without wildcards) by AWS's own live policies, absent from today's action catalog.
  const catalog = loadActionCatalog();
  const removedActions = new Set<string>();
  const removedServices = new Set<string>();
  for (const p of policies) {
    const text = texts.get(`${p.name}.json`);
    const doc = text ? (JSON.parse(text) as DatasetPolicy).document : undefined;
    for (const action of actionsOf(doc)) {
      const [service, name] = action.split(':');
      if (name === undefined) continue;
      if (!catalog.hasService(service)) removedServices.add(service);
      else if (!/[*?]/.test(name) && !catalog.getAction(action)) removedActions.add(action);
    }
  }
  // Files the mirror lists but does not hold (large ones): the name is the file name; path and document unknown.
  for (const n of missing) policies.push({ name: n.replace(/^.*\//, '').replace(/\.json$/, '') });
  policies.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const provenance = { source: SOURCE, commit, date, unreadable: unreadable.length, withoutDocument: missing.length };
  writeFileSync(join(OUT_DIR, 'aws-managed-policies.json'), `${JSON.stringify({ ...provenance, policies, removed: removed.sort() })}\n`);
  writeFileSync(
    join(OUT_DIR, 'aws-removed-actions.json'),
    `${JSON.stringify({ ...provenance, catalogDate: catalog.dataDate, services: [...removedServices].sort(), actions: [...removedActions].sort() })}\n`,
  );
  writeFileSync(join(OUT_DIR, 'aws-service-principals.json'), `${JSON.stringify({ ...provenance, principals: [...principals].sort() }, null, 0)}\n`);
  process.stdout.write(
    `${removedActions.size} removed actions, ${removedServices.size} removed services; ${policies.length} managed policies (${missing.length} without a document: ${missing.join(', ') || 'none'}), ${removed.length} removed, ${principals.size} service principals from ${commit.slice(0, 7)} (${date}); ${unreadable.length} unreadable${unreadable.length ? `: ${unreadable.join(', ')}` : ''}\n`,
  );
}

main();
