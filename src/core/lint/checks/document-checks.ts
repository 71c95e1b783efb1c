import { hasWildcard, matchesWildcard } from '../../catalog';
import { MAX_MANAGED_POLICY_CHARS, MAX_S3_BUCKET_POLICY_CHARS, MAX_SCP_CHARS, MAX_TRUST_POLICY_CHARS, sizeLimitFor } from '../../policy';
import type { PolicyType } from '../../policy';
import { suggestClosest } from '../../catalog';
import { listConditionOperators, parseConditionOperator } from '../condition-operators';
import { createFinding } from '../finding';
import { Statement, type LocatedStatement, type PolicyElement } from '../../policy';
import type { LintFinding } from '../types';
import { resolveElementActions, type CheckContext, type ElementActions } from './check-context';

/** Actions a trust policy may contain (IAM rejects others in an assume-role policy). */
const TRUST_ACTIONS = new Set(
  ['sts:AssumeRole', 'sts:AssumeRoleWithSAML', 'sts:AssumeRoleWithWebIdentity', 'sts:TagSession', 'sts:SetSourceIdentity', 'sts:SetContext'].map((a) => a.toLowerCase()),
);

const ACTION_FORMAT = /^[A-Za-z0-9*?_.-]+:[^\s:]+$/;

/** The named constant of each type's size limit, for messages. */
const LIMIT_NAMES: Readonly<Record<PolicyType, string>> = {
  identity: `MAX_MANAGED_POLICY_CHARS (${MAX_MANAGED_POLICY_CHARS})`,
  boundary: `MAX_MANAGED_POLICY_CHARS (${MAX_MANAGED_POLICY_CHARS})`,
  trust: `MAX_TRUST_POLICY_CHARS (${MAX_TRUST_POLICY_CHARS}, adjustable to 4096)`,
  scp: `MAX_SCP_CHARS (${MAX_SCP_CHARS})`,
  resource: `MAX_S3_BUCKET_POLICY_CHARS (${MAX_S3_BUCKET_POLICY_CHARS}, the smallest common resource-policy limit)`,
};

const NONE: readonly PolicyElement[] = [];

function checkActionFormat(el: PolicyElement, type: PolicyType, out: LintFinding[]): void {
  const v = el.value.trim();
  if (v !== '*' && !ACTION_FORMAT.test(v)) {
    out.push(createFinding('invalid-document', el.path, `Action "${el.value}" is invalid: an action is "<service>:<action>" (s3:GetObject) or "*"`));
  } else if (type === 'trust' && v !== '*' && !hasWildcard(v) && !TRUST_ACTIONS.has(v.toLowerCase())) {
    out.push(createFinding('invalid-document', el.path, `Action "${el.value}" is not allowed in a trust policy: use sts:AssumeRole, sts:AssumeRoleWithWebIdentity, sts:AssumeRoleWithSAML, sts:TagSession, sts:SetSourceIdentity or sts:SetContext`));
  }
}

function checkResourceFormat(el: PolicyElement, out: LintFinding[]): void {
  if (el.value !== '*' && !el.value.startsWith('arn:')) {
    out.push(createFinding('invalid-document', el.path, `Resource "${el.value}" is invalid: a resource is an ARN ("arn:aws:s3:::bucket/*") or "*"`));
  }
}

/** invalid-document beyond structure: action and resource formats, condition operators, trust actions. */
export function checkElementFormats(ctx: Pick<CheckContext, 'view' | 'type'>): LintFinding[] {
  const out: LintFinding[] = [];
  for (const st of ctx.view.statements) {
    for (const el of st.actions ?? NONE) checkActionFormat(el, ctx.type, out);
    for (const el of st.notActions ?? NONE) checkActionFormat(el, ctx.type, out);
    for (const el of st.resources ?? NONE) checkResourceFormat(el, out);
    for (const el of st.notResources ?? NONE) checkResourceFormat(el, out);
    if (st.conditions.length === 0) continue;
    // Each operator block once, in order.
    const operators = new Map<string, readonly [string, string]>();
    for (const c of st.conditions) {
      const key = `${c.operator}\u0000${c.operatorPath}`;
      if (!operators.has(key)) operators.set(key, [c.operator, c.operatorPath]);
    }
    for (const [operator, path] of operators.values()) {
      if (parseConditionOperator(operator)) continue;
      const base = operator.replace(/^(ForAllValues|ForAnyValue):/, '').replace(/IfExists$/, '');
      const suggestion = suggestClosest(base, listConditionOperators());
      out.push(createFinding('invalid-document', path, `Condition operator "${operator}" does not exist${suggestion ? `; did you mean "${operator.replace(base, suggestion)}"?` : ''}`));
    }
  }
  return out;
}

/** size-limit: the whitespace-free size of the document against its type's limit. */
export function checkSize(ctx: Pick<CheckContext, 'view' | 'type'>, awsManaged = false): LintFinding[] {
  // AWS managed policies are AWS's own documents: the size quota binds the managed policies an account creates.
  if (awsManaged && (ctx.type === 'identity' || ctx.type === 'boundary')) return [];
  const size = ctx.view.document.size();
  const limit = sizeLimitFor(ctx.type);
  if (size <= limit) return [];
  return [
    createFinding(
      'size-limit',
      ctx.view.root,
      `The ${ctx.type} policy is ${size} characters without whitespace, over the AWS limit ${LIMIT_NAMES[ctx.type]}: split it by concern or use wildcards that match exactly the actions needed`,
    ),
  ];
}

/** duplicate-sid: every Sid after the first of its value. */
export function checkDuplicateSids(ctx: CheckContext): LintFinding[] {
  const seen = new Map<string, number>();
  const out: LintFinding[] = [];
  for (const st of ctx.view.statements) {
    if (st.sid === undefined || st.sid === '') continue;
    const first = seen.get(st.sid);
    if (first === undefined) seen.set(st.sid, st.index);
    else out.push(createFinding('duplicate-sid', `${st.path}.Sid`, `Sid "${st.sid}" is already used by Statement[${first}]: Sids must be unique in a policy`));
  }
  return out;
}

interface Comparable {
  readonly st: LocatedStatement;
  readonly head: string;
  /** What each Action element means (memoized per element string); undefined for NotAction statements. Computed on first need. */
  readonly elements: () => readonly ElementActions[] | undefined;
}

/** Computes a value on the first call only (most statements are never compared with another). */
function once<T>(compute: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = compute();
      done = true;
    }
    return value;
  };
}

/** The heads of statements without Principal, NotPrincipal and Condition, by effect and element shape (`AllowAR`). */
const PLAIN_HEADS: Readonly<Record<string, string>> = Object.fromEntries(
  ['Allow', 'Deny'].flatMap((effect) => ['A', 'NA'].flatMap((a) => ['R', 'NR'].map((r) => [`${effect}${a}${r}`, JSON.stringify([effect, null, null, null, a, r])]))),
);

/**
 * The part of a statement two statements must share for one to cover the other: effect, Principal, NotPrincipal and
 * Condition canonicalized, and whether it uses NotAction and NotResource. Exported for its equivalence test.
 */
export function computeCanonicalHead(st: LocatedStatement): string {
  // Only the parts the head keeps: canonicalizing Action and Resource (sorting them) was most of the cost.
  const { effect, principal, notPrincipal, conditions } = st.statement;
  // Most statements have no Principal and no Condition: their head is the effect and the element shape alone.
  if (principal === undefined && notPrincipal === undefined && conditions === undefined) return PLAIN_HEADS[`${effect}${st.notActions ? 'NA' : 'A'}${st.notResources ? 'NR' : 'R'}`];
  const c = new Statement({ effect, principal, notPrincipal, conditions }).toCanonical(true);
  return JSON.stringify([c.Effect, c.Principal, c.NotPrincipal, c.Condition, st.notActions ? 'NA' : 'A', st.notResources ? 'NR' : 'R']);
}

function coversValues(outer: readonly string[] | undefined, inner: readonly string[] | undefined, caseInsensitive: boolean): boolean {
  if (outer === undefined || inner === undefined) return outer === inner;
  return inner.every((i) => outer.some((o) => o === '*' || matchesWildcard(o, i, caseInsensitive)));
}

/** True when some element of `outer` grants the lower-cased action. */
function grantsAny(outer: readonly ElementActions[], action: string): boolean {
  for (const o of outer) if (o.set.has(action)) return true;
  return false;
}

/** True when every request `inner` matches, `outer` matches too (same effect, principal and conditions). */
function covers(outer: Comparable, inner: Comparable): boolean {
  if (outer.head !== inner.head) return false;
  const outerElements = outer.elements();
  const innerElements = inner.elements();
  if (outerElements && innerElements) {
    // Every catalog action of every inner element is granted by some outer element (or outer grants every action).
    const catalogCovered = outerElements.some((o) => o.every) || innerElements.every((e) => !e.every && e.list.length > 0 && e.list.every((x) => grantsAny(outerElements, x)));
    if (
      !catalogCovered &&
      !coversValues(
        outer.st.actions!.map((a) => a.value),
        inner.st.actions!.map((a) => a.value),
        true,
      )
    )
      return false;
  } else {
    // NotAction: equal lists only.
    const on = outer.st.notActions?.map((a) => a.value.toLowerCase()).sort();
    const inn = inner.st.notActions?.map((a) => a.value.toLowerCase()).sort();
    if (JSON.stringify(on) !== JSON.stringify(inn)) return false;
  }
  if (outer.st.notResources || inner.st.notResources) {
    return JSON.stringify(outer.st.notResources?.map((r) => r.value).sort()) === JSON.stringify(inner.st.notResources?.map((r) => r.value).sort());
  }
  return coversValues(
    outer.st.resources?.map((r) => r.value),
    inner.st.resources?.map((r) => r.value),
    false,
  );
}

/** The part of a resource pattern before its first wildcard: an outer pattern can only cover values that start with it. */
function literalPrefix(pattern: string): string {
  const star = pattern.search(/[*?]/);
  return star < 0 ? pattern : pattern.slice(0, star);
}

/** The key a statement is indexed under for its resources: NotResource lists and resource-less statements compare whole. */
function resourceShape(st: LocatedStatement): string | undefined {
  if (st.notResources) return `NR${JSON.stringify(st.notResources.map((r) => r.value).sort())}`;
  if (!st.resources) return 'NONE';
  return undefined;
}

/**
 * Up to this many statements, candidates are found by comparing each pair's keys directly ({@link scanCandidates});
 * above, through the index ({@link indexCandidates}). Both return the same candidates; the index pays off only
 * when a policy has many statements (building its maps cost more than the pairs of a typical 3-8 statement policy).
 */
const MAX_STATEMENTS_FOR_PAIR_SCAN = 32;

/**
 * Candidate outers of each statement, near-linear: statements are grouped by effect, principal, condition and
 * element shape (`head`), and within a group indexed by the literal prefixes of their resources; a statement can
 * only be covered by one that has a resource whose literal prefix starts its own first resource.
 */
function indexCandidates(list: readonly Comparable[]): (inner: Comparable) => readonly Comparable[] {
  const groups = new Map<string, Map<string, Comparable[]>>();
  for (const c of list) {
    let group = groups.get(c.head);
    if (!group) groups.set(c.head, (group = new Map()));
    const shape = resourceShape(c.st);
    const keys = shape !== undefined ? [shape] : [...new Set((c.st.resources ?? []).map((r) => `P${literalPrefix(r.value)}`))];
    for (const k of keys) {
      const bucket = group.get(k);
      if (bucket) bucket.push(c);
      else group.set(k, [c]);
    }
  }
  const prefixLengths = new Map<Map<string, Comparable[]>, number[]>();
  for (const group of groups.values()) {
    const lengths = new Set<number>();
    for (const k of group.keys()) if (k.startsWith('P')) lengths.add(k.length - 1);
    prefixLengths.set(group, [...lengths].sort((a, b) => a - b));
  }
  return (inner) => {
    const group = groups.get(inner.head);
    if (!group) return [];
    const shape = resourceShape(inner.st);
    if (shape !== undefined) return group.get(shape) ?? [];
    const first = inner.st.resources![0]?.value ?? '';
    const found = new Set<Comparable>();
    // Only the prefix lengths the group has: one lookup per distinct length, not one per character of the ARN.
    for (const n of prefixLengths.get(group) ?? []) {
      if (n > first.length) break;
      for (const c of group.get(`P${first.slice(0, n)}`) ?? []) found.add(c);
    }
    return [...found].sort((a, b) => a.st.index - b.st.index);
  };
}

/**
 * The candidates {@link indexCandidates} returns, found pair by pair in statement order: the same head, and the
 * same resource shape key, or (for Resource lists) some resource whose literal prefix starts the inner's first
 * resource. Tested against the index (test/lint/redundancy-candidates.test.ts).
 */
function scanCandidates(list: readonly Comparable[]): (inner: Comparable) => readonly Comparable[] {
  const shapes = list.map((c) => resourceShape(c.st));
  const prefixes = list.map((c, i) => (shapes[i] === undefined ? (c.st.resources ?? []).map((r) => literalPrefix(r.value)) : []));
  return (inner) => {
    const innerShape = shapes[inner.st.index];
    const first = innerShape === undefined ? (inner.st.resources![0]?.value ?? '') : '';
    const out: Comparable[] = [];
    for (let i = 0; i < list.length; i++) {
      const c = list[i];
      if (c.head !== inner.head) continue;
      if (innerShape !== undefined ? shapes[i] === innerShape : shapes[i] === undefined && prefixes[i].some((p) => first.startsWith(p))) out.push(c);
    }
    return out;
  };
}

/** The candidate outers of each statement of the list (statement `i` of the view at position `i`). */
function findRedundancyCandidates(list: readonly Comparable[]): (inner: Comparable) => readonly Comparable[] {
  return list.length <= MAX_STATEMENTS_FOR_PAIR_SCAN ? scanCandidates(list) : indexCandidates(list);
}

/**
 * The candidate outers of every statement, as statement indexes, found by the pair scan or by the index; the
 * redundancy check picks one by the statement count. Exported for the test that both give the same candidates.
 */
export function listRedundancyCandidates(statements: readonly LocatedStatement[], method: 'scan' | 'index'): number[][] {
  const list: Comparable[] = statements.map((st) => ({ st, head: computeCanonicalHead(st), elements: () => undefined }));
  const candidatesOf = method === 'scan' ? scanCandidates(list) : indexCandidates(list);
  return list.map((inner) => candidatesOf(inner).map((c) => c.st.index));
}

/** redundant-statement: a statement equal to an earlier one, or contained in another. */
export function checkRedundantStatements(ctx: CheckContext): LintFinding[] {
  if (ctx.view.statements.length < 2) return [];
  const list: Comparable[] = ctx.view.statements.map((st) => ({
    st,
    head: computeCanonicalHead(st),
    elements: once(() => st.actions?.map((a) => resolveElementActions(ctx.catalog, a.value))),
  }));
  const out: LintFinding[] = [];
  const candidatesOf = findRedundancyCandidates(list);
  for (const inner of list) {
    for (const outer of candidatesOf(inner)) {
      if (outer === inner || !covers(outer, inner)) continue;
      const mutual = covers(inner, outer);
      if (mutual && outer.st.index > inner.st.index) continue; // of two equal statements, the later one is redundant
      const label = `Statement[${outer.st.index}]${outer.st.sid ? ` ("${outer.st.sid}")` : ''}`;
      out.push(
        createFinding('redundant-statement', inner.st.path, mutual ? `The statement repeats ${label}: remove one` : `Everything this statement allows or denies, ${label} already does: remove it or narrow ${label}`),
      );
      break;
    }
  }
  return out;
}
