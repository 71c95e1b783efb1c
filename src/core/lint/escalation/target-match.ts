/**
 * Whether a statement's Resource (or NotResource) and Condition leave an action's target open, as IAM evaluates them.
 *
 * Resource: a pattern is "broad" for an action when it matches arbitrary targets of the action: we fill each ARN
 * template of the action's resource types with two unrelated made-up names and test the pattern against both with
 * IAM's wildcard rules (`*` and `?` anywhere, inside segments too; case-sensitive). Partition, region and account
 * never narrow the target (every role of the own account is as good as every role anywhere), so those segments of
 * the pattern are treated as `*`. `arn:aws:iam::*:role/?*` and `arn:aws:iam::123456789012:role/*` are broad,
 * `arn:aws:iam::123456789012:role/app-*` is not. An action without resource types only matches `Resource: "*"`.
 */
import type { ActionCatalog } from '../../catalog';
import { compileWildcard, matchesWildcard } from '../../catalog';
import type { ConditionEntry } from '../../policy';
import { RESTRICTING_KEYS_BY_ACTION } from './escalation-paths';

/** Two made-up names: a pattern that matches both matches any name. */
const PROBE_NAMES = ['qz7-probe-a1', 'JK_Target.B2/x'];
const PROBE_ACCOUNT = '210987654321';

const probeCache = new WeakMap<ActionCatalog, Map<string, readonly string[]>>();
const patternCache = new Map<string, RegExp>();
const MAX_PATTERNS = 20000;

function fillTemplate(template: string, name: string): string {
  return template.replace(/\$\{([^}]+)\}/g, (_m, slot: string) => {
    const s = slot.toLowerCase();
    if (s === 'partition') return 'aws';
    if (s === 'region') return 'us-east-1';
    if (s === 'account' || s === 'accountid') return PROBE_ACCOUNT;
    return name;
  });
}

/** Made-up concrete targets of an action, per probe name: `[[arnsForName1], [arnsForName2]]` flattened by name. */
function probesOf(catalog: ActionCatalog, action: string): readonly string[] {
  let cache = probeCache.get(catalog);
  if (!cache) {
    cache = new Map();
    probeCache.set(catalog, cache);
  }
  const key = action.toLowerCase();
  let hit = cache.get(key);
  if (!hit) {
    const templates = (catalog.getAction(action)?.resourceTypes ?? []).flatMap((r) => r.arnPatterns);
    // `*` is the only "resource" of an action without resource types.
    hit = templates.length === 0 ? ['*'] : PROBE_NAMES.flatMap((n) => templates.map((t) => fillTemplate(t, n)));
    cache.set(key, hit);
  }
  return hit;
}

/** The pattern with partition, region and account made `*` (they never narrow the target). */
function normalizePattern(pattern: string): string {
  if (!pattern.startsWith('arn:')) return pattern;
  const parts = pattern.split(':');
  if (parts.length < 6) return pattern;
  for (const i of [1, 3, 4]) if (parts[i] !== '') parts[i] = '*';
  return parts.join(':');
}

function compiled(pattern: string): RegExp {
  let re = patternCache.get(pattern);
  if (!re) {
    re = compileWildcard(normalizePattern(pattern), false);
    if (patternCache.size >= MAX_PATTERNS) patternCache.clear();
    patternCache.set(pattern, re);
  }
  return re;
}

/** Line terminators, which the regex of compileWildcard does not let `*` or `?` match. */
const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;

/**
 * True when `text` matches the IAM wildcard `pattern` case-sensitively: the answer of
 * `compileWildcard(pattern, false).test(text)` without compiling (the greedy walk with one backtrack point).
 */
export function matchesGlob(pattern: string, text: string): boolean {
  if (LINE_TERMINATOR.test(text)) return compileWildcard(pattern, false).test(text);
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    const c = pattern.charCodeAt(p);
    if (p < pattern.length && c !== 42 && (c === 63 || c === text.charCodeAt(t))) {
      p++;
      t++;
    } else if (p < pattern.length && c === 42) {
      star = p++;
      mark = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern.charCodeAt(p) === 42) p++;
  return p === pattern.length;
}

/**
 * Per probe list (one per action): pattern → which probes it matches, as two bit masks (first name, second name),
 * bit t for template t. Policies name the same resources for many path actions; bounded.
 */
const maskCache = new WeakMap<readonly string[], Map<string, readonly [number, number]>>();
/** Templates per action that fit the masks; actions with more use the direct test. */
const MAX_MASK_TEMPLATES = 30;

function masksOf(probes: readonly string[], pattern: string): readonly [number, number] {
  let cache = maskCache.get(probes);
  if (!cache) maskCache.set(probes, (cache = new Map()));
  let hit = cache.get(pattern);
  if (!hit) {
    // Most patterns are seen once (policies name their own ARNs): a glob walk, not a regex to compile for one use.
    const glob = normalizePattern(pattern);
    const half = probes.length / 2;
    let a = 0;
    let b = 0;
    for (let t = 0; t < half; t++) {
      if (matchesGlob(glob, probes[t])) a |= 1 << t;
      if (matchesGlob(glob, probes[t + half])) b |= 1 << t;
    }
    hit = [a, b];
    if (cache.size >= MAX_PATTERNS) cache.clear();
    cache.set(pattern, hit);
  }
  return hit;
}

/** True when the pattern matches every made-up target of one probe name, for some resource type: i.e. any target. */
function matchesAnyTarget(probes: readonly string[], patterns: readonly string[]): boolean {
  if (probes.length === 1) return patterns.some((p) => compiled(p).test(probes[0]));
  if (probes.length / 2 <= MAX_MASK_TEMPLATES) {
    // Same answer as below: some template t whose first-name probe some pattern matches and whose second-name probe some pattern matches.
    let a = 0;
    let b = 0;
    for (const p of patterns) {
      const [pa, pb] = masksOf(probes, p);
      a |= pa;
      b |= pb;
    }
    return (a & b) !== 0;
  }
  const half = probes.length / 2;
  for (let t = 0; t < half; t++) {
    if (patterns.some((p) => compiled(p).test(probes[t])) && patterns.some((p) => compiled(p).test(probes[t + half]))) return true;
  }
  return false;
}

/** True when Resource leaves the action's target open (see the file comment). */
export function resourcesOpenTarget(catalog: ActionCatalog, action: string, resources: readonly string[]): boolean {
  return matchesAnyTarget(probesOf(catalog, action), resources);
}

/** True when NotResource leaves some arbitrary target of the action open (it excludes only what it lists). */
export function notResourcesOpenTarget(catalog: ActionCatalog, action: string, notResources: readonly string[]): boolean {
  const probes = probesOf(catalog, action);
  return probes.some((p) => !notResources.some((r) => compiled(r).test(p)));
}

const NEGATED = /Not|^Null$/;

/** Base operator without set prefix and IfExists (`ForAnyValue:StringLikeIfExists` → `StringLike`). */
function baseOperator(operator: string): string {
  return operator.replace(/^(ForAllValues|ForAnyValue):/i, '').replace(/IfExists$/i, '');
}

/** True for a value that matches everything (`*`, `?*`): it restricts nothing. */
function isWildcardOnly(value: string): boolean {
  return /^[*?]+$/.test(value.trim());
}

/** True for tag keys of the target resource: `aws:ResourceTag/x`, `iam:ResourceTag/x`, `<service>:ResourceTag/x`. */
function isTargetTagKey(key: string): boolean {
  return /^[a-z0-9-]+:resourcetag\//i.test(key);
}

/**
 * True when a condition of the statement restricts the target of the action for a path: a positive operator
 * (not `...Not...`, not `Null`) on a key that restricts the target, with some concrete (non-wildcard) value.
 * `iam:PassedToService` restricts a PassRole path when none of its values names a service the path passes to.
 * Keys that say nothing about the target (`aws:SecureTransport`, `aws:RequestedRegion`, MFA, source IP) never do.
 */
export function conditionRestrictsTarget(conditions: readonly ConditionEntry[], action: string, passedTo: readonly string[] | undefined): boolean {
  const lowerAction = action.toLowerCase();
  const keys = (RESTRICTING_KEYS_BY_ACTION[lowerAction] ?? []).map((k) => k.toLowerCase());
  for (const c of conditions) {
    if (NEGATED.test(baseOperator(c.operator))) continue;
    const values = c.values.filter((v) => !isWildcardOnly(v));
    if (values.length === 0 || values.length < c.values.length) continue;
    const key = c.key.toLowerCase();
    if (isTargetTagKey(key) || keys.includes(key)) return true;
    if (key === 'iam:passedtoservice' && lowerAction === 'iam:passrole' && passedTo !== undefined) {
      if (!values.some((v) => passedTo.some((s) => matchesWildcard(v, s)))) return true;
    }
  }
  return false;
}
