import { hasWildcard, matchesWildcard } from '../../catalog';
import { MAX_MANAGED_POLICY_CHARS, MAX_S3_BUCKET_POLICY_CHARS, MAX_SCP_CHARS, MAX_TRUST_POLICY_CHARS, sizeLimitFor } from '../../policy';
import type { PolicyType } from '../../policy';
import { suggestClosest } from '../../catalog';
import { listConditionOperators, parseConditionOperator } from '../condition-operators';
import { createFinding } from '../finding';
import { Statement, type LocatedStatement, type StatementJson } from '../../policy';
import type { LintFinding } from '../types';
import { expandElements, resolveAction, type CheckContext } from './check-context';

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

/** invalid-document beyond structure: action and resource formats, condition operators, trust actions. */
export function checkElementFormats(ctx: Pick<CheckContext, 'view' | 'type'>): LintFinding[] {
  const out: LintFinding[] = [];
  for (const st of ctx.view.statements) {
    for (const el of [...(st.actions ?? []), ...(st.notActions ?? [])]) {
      const v = el.value.trim();
      if (v !== '*' && !ACTION_FORMAT.test(v)) {
        out.push(createFinding('invalid-document', el.path, `Action "${el.value}" is invalid: an action is "<service>:<action>" (s3:GetObject) or "*"`));
      } else if (ctx.type === 'trust' && v !== '*' && !hasWildcard(v) && !TRUST_ACTIONS.has(v.toLowerCase())) {
        out.push(createFinding('invalid-document', el.path, `Action "${el.value}" is not allowed in a trust policy: use sts:AssumeRole, sts:AssumeRoleWithWebIdentity, sts:AssumeRoleWithSAML, sts:TagSession, sts:SetSourceIdentity or sts:SetContext`));
      }
    }
    for (const el of [...(st.resources ?? []), ...(st.notResources ?? [])]) {
      if (el.value !== '*' && !el.value.startsWith('arn:')) {
        out.push(createFinding('invalid-document', el.path, `Resource "${el.value}" is invalid: a resource is an ARN ("arn:aws:s3:::bucket/*") or "*"`));
      }
    }
    const operators = new Set(st.conditions.map((c) => [c.operator, c.operatorPath] as const).map(([o, p]) => `${o}\u0000${p}`));
    for (const entry of operators) {
      const [operator, path] = entry.split('\u0000');
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
  /** Lower-cased catalog actions of the Action list; undefined when it means every action. Computed on first need. */
  readonly actions: () => Set<string> | undefined;
  /** Lower-cased catalog actions of each Action element (empty when unknown); undefined for `*`. Computed on first need. */
  readonly perElement: () => readonly (readonly string[] | undefined)[];
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

function canonicalHead(st: LocatedStatement): string {
  // Only the parts the head keeps: canonicalizing Action and Resource (sorting them) was most of the cost.
  const { Effect, Principal, NotPrincipal, Condition } = st.statement.toJSON();
  const c = Statement.fromJson({ Effect, Principal, NotPrincipal, Condition } as StatementJson).toCanonical(true);
  return JSON.stringify([c.Effect, c.Principal, c.NotPrincipal, c.Condition, st.notActions ? 'NA' : 'A', st.notResources ? 'NR' : 'R']);
}

function coversValues(outer: readonly string[] | undefined, inner: readonly string[] | undefined, caseInsensitive: boolean): boolean {
  if (outer === undefined || inner === undefined) return outer === inner;
  return inner.every((i) => outer.some((o) => o === '*' || matchesWildcard(o, i, caseInsensitive)));
}

/** True when every request `inner` matches, `outer` matches too (same effect, principal and conditions). */
function covers(outer: Comparable, inner: Comparable): boolean {
  if (outer.head !== inner.head) return false;
  const oa = outer.st.actions?.map((a) => a.value);
  const ia = inner.st.actions?.map((a) => a.value);
  if (oa && ia) {
    const outerActions = outer.actions();
    const catalogCovered = outerActions === undefined || inner.perElement().every((expanded) => expanded !== undefined && expanded.length > 0 && expanded.every((x) => outerActions.has(x)));
    if (!catalogCovered && !coversValues(oa, ia, true)) return false;
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

/** redundant-statement: a statement equal to an earlier one, or contained in another. */
export function checkRedundantStatements(ctx: CheckContext): LintFinding[] {
  const list: Comparable[] = ctx.view.statements.map((st) => ({
    st,
    head: canonicalHead(st),
    actions: once(() => (st.actions ? expandElements(ctx.catalog, st.actions.map((a) => a.value)) : undefined)),
    perElement: once(() =>
      (st.actions ?? []).map((a) => {
        const r = resolveAction(ctx.catalog, a.value);
        return r.kind === 'every' ? undefined : r.kind === 'ok' ? r.actions.map((x) => x.toLowerCase()) : [];
      }),
    ),
  }));
  const out: LintFinding[] = [];
  const candidatesOf = indexCandidates(list);
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
