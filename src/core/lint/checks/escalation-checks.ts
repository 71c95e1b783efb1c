import { arnMatchesTemplate, memoizeByCatalog, type ActionCatalog } from '../../catalog';
import { ESCALATION_PATHS, type EscalationPath } from '../escalation/escalation-paths';
import { conditionRestrictsTarget, notResourcesOpenTarget, resourcesOpenTarget } from '../escalation/target-match';
import { createFinding } from '../finding';
import { locateStatements, type LocatedStatement, type PolicyDocument, type PolicyElement } from '../../policy';
import type { LintFinding } from '../types';
import { grantedSet, grantsAction, type CheckContext } from './check-context';

const PASS_ROLE = 'iam:PassRole';

/** Actions of every path, canonical case, once. */
const PATH_ACTIONS: readonly string[] = [...new Set(ESCALATION_PATHS.flatMap((p) => p.actions))];
/** Lower-case → canonical, for the path actions. */
const PATH_ACTION_BY_LOWER: ReadonlyMap<string, string> = new Map(PATH_ACTIONS.map((a) => [a.toLowerCase(), a]));

/** Per catalog: Action element as written → the path actions it grants (canonical case). Bounded; rebuilt when full. */
const MAX_ELEMENT_PATH_ACTIONS = 20000;

/** The path actions one Action element grants, memoized: policies repeat their elements. */
const pathActionsOfElement: (catalog: ActionCatalog, element: string) => readonly string[] = memoizeByCatalog({ maxEntries: MAX_ELEMENT_PATH_ACTIONS }, (catalog, element) => {
  const set = grantedSet(catalog, element);
  const found: string[] = [];
  if (set === 'every' || set.size > PATH_ACTIONS.length) {
    for (const a of PATH_ACTIONS) if (set === 'every' || set.has(a.toLowerCase())) found.push(a);
  } else {
    for (const lower of set) {
      const a = PATH_ACTION_BY_LOWER.get(lower);
      if (a !== undefined && !found.includes(a)) found.push(a);
    }
  }
  return found;
});

/**
 * The path actions a statement grants (or denies), each with the element that does: one pass over its elements'
 * expanded sets instead of one catalog question per path action and element.
 */
function pathActionsOf(catalog: ActionCatalog, st: LocatedStatement): Map<string, string> {
  const out = new Map<string, string>();
  if (st.actions) {
    for (const el of st.actions) {
      for (const a of pathActionsOfElement(catalog, el.value)) if (!out.has(a)) out.set(a, el.path);
    }
  } else if (st.notActions) {
    for (const a of PATH_ACTIONS) if (!st.notActions.some((e) => grantsAction(catalog, e.value, a))) out.set(a, `${st.path}.NotAction`);
  }
  return out;
}

/** One Allow statement granting an action on an open target: where, and its conditions. */
interface Grant {
  readonly st: LocatedStatement;
  /** Path of the element granting the action (`$.Statement[1].Action[0]`, or the NotAction element). */
  readonly at: string;
}

/** One path that fires: the path and, per action, the element that grants it. */
export interface EscalationMatch {
  readonly path: EscalationPath;
  readonly grants: ReadonlyMap<string, string>;
}

function opensTarget(catalog: ActionCatalog, st: LocatedStatement, action: string): boolean {
  if (st.notResources) return notResourcesOpenTarget(catalog, action, st.notResources.map((r) => r.value));
  return resourcesOpenTarget(catalog, action, (st.resources ?? []).map((r) => r.value));
}

/**
 * The escalation paths a set of statements opens: the statements of one policy, or of every policy of one principal.
 * An action counts when an Allow statement grants it (Action or NotAction) on an open target (see target-match.ts)
 * without a condition that restricts the target, and no unconditional Deny takes it away from every target.
 * Of paths that fire, only the smallest are returned (iam-014 = iam-009 + sts:AssumeRole adds nothing).
 * Statements in `skip` (admin grants, reported by admin-access) are ignored.
 */
export function findEscalationPaths(catalog: ActionCatalog, statements: readonly LocatedStatement[], skip: ReadonlySet<LocatedStatement> = new Set()): EscalationMatch[] {
  const grants = new Map<string, Grant[]>();
  const denied = new Set<string>();
  for (const st of statements) {
    if (skip.has(st)) continue;
    for (const [action, at] of pathActionsOf(catalog, st)) {
      if (!opensTarget(catalog, st, action)) continue;
      if (st.effect === 'Deny') {
        if (st.conditions.length === 0) denied.add(action);
        continue;
      }
      const list = grants.get(action);
      if (list) list.push({ st, at });
      else grants.set(action, [{ st, at }]);
    }
  }
  if (grants.size === 0) return [];
  const fired: EscalationMatch[] = [];
  for (const path of ESCALATION_PATHS) {
    const at = new Map<string, string>();
    for (const action of path.actions) {
      if (denied.has(action)) break;
      const g = (grants.get(action) ?? []).find((x) => !conditionRestrictsTarget(x.st.conditions, action, path.passedTo));
      if (!g) break;
      at.set(action, g.at);
    }
    if (at.size === path.actions.length) fired.push({ path, grants: at });
  }
  const sets = fired.map((m) => new Set(m.path.actions));
  return fired.filter((_m, i) => !sets.some((other, j) => j !== i && other.size < sets[i].size && [...other].every((a) => sets[i].has(a))));
}

/** The message part naming the paths: `[iam-005 iam:PutRolePolicy], ...`. */
export function describeEscalationPaths(paths: readonly EscalationPath[]): string {
  const listed = paths.slice(0, 4).map((p) => `[${p.id} ${p.name}]`).join(', ');
  return listed + (paths.length > 4 ? ` and ${paths.length - 4} more paths` : '');
}

const FIX =
  'Scope the Resource to specific ARNs, or add a condition that restricts the target (iam:PassedToService, iam:PolicyARN, iam:PermissionsBoundary, aws:ResourceTag/...); aws:SecureTransport, aws:RequestedRegion and the like do not';

/**
 * privilege-escalation: every path of {@link ESCALATION_PATHS} the policy opens, one finding per statement
 * (at the element granting the first action of its first path), naming every path it opens and the first reference.
 */
export function checkPrivilegeEscalation(ctx: CheckContext): LintFinding[] {
  const skip = new Set(ctx.view.statements.filter((s) => ctx.adminStatements.has(s.index)));
  const matches = findEscalationPaths(ctx.catalog, ctx.view.statements, skip);
  const byStatement = new Map<string, { path: string; paths: EscalationPath[] }>();
  for (const m of matches) {
    const at = m.grants.get(m.path.actions[0])!;
    const statement = at.replace(/\.(Not)?Action(\[\d+\])?$/, '');
    const entry = byStatement.get(statement);
    if (!entry) byStatement.set(statement, { path: at, paths: [m.path] });
    else {
      entry.paths.push(m.path);
      if (elementIndex(at) < elementIndex(entry.path)) entry.path = at;
    }
  }
  return [...byStatement.values()].map(({ path, paths }) =>
    createFinding('privilege-escalation', path, `Privilege escalation: the policy grants ${describeEscalationPaths(paths)} on any target. ${FIX}. See ${paths[0].references[0] ?? 'docs/rules/privilege-escalation.md'}`),
  );
}

function elementIndex(path: string): number {
  const m = /\[(\d+)\]$/.exec(path);
  return m ? Number(m[1]) : -1;
}

/** ARN template of IAM roles (Service Authorization Reference, IAM resource type `role`). */
const ROLE_ARN_TEMPLATE = 'arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}';

/** True when some resource of the statement can be a role (so iam:PassRole in it can take effect). */
function mayNameRole(st: LocatedStatement): boolean {
  return st.notResources !== undefined || (st.resources ?? []).some((r) => arnMatchesTemplate(r.value, ROLE_ARN_TEMPLATE));
}

/**
 * A resource that does not narrow anything: `*`, every resource of a service in an account
 * (`arn:aws:lambda:*:123456789012:*`), or every IAM principal or policy of an account
 * (`arn:aws:iam::123456789012:role/*`, `arn:aws:iam::*:policy/*`).
 */
function isBroadResource(resource: string): boolean {
  if (resource === '*') return true;
  if (/^arn:[^:]*:[^:]*:[^:]*:[^:]*:\*$/.test(resource)) return true;
  return /^arn:[^:]*:iam::[^:]*:(role|user|group|policy|instance-profile)\/\*$/.test(resource);
}

/** Resources the statement applies to without narrowing: any broad Resource element, or NotResource. */
function broadResourceElements(statement: LocatedStatement): readonly PolicyElement[] {
  if (statement.notResources) return [{ value: '*', path: `${statement.path}.NotResource` }];
  return (statement.resources ?? []).filter((r) => isBroadResource(r.value));
}

/** passrole-unconstrained: iam:PassRole granted on a broad resource, or without an iam:PassedToService condition. */
export function checkPassRole(ctx: CheckContext): LintFinding[] {
  const out: LintFinding[] = [];
  for (const st of ctx.view.statements) {
    if (st.effect !== 'Allow' || ctx.adminStatements.has(st.index)) continue;
    const grantingElement = (st.actions ?? []).find((el) => grantsAction(ctx.catalog, el.value, PASS_ROLE));
    const viaNotAction = st.notActions !== undefined && !st.notActions.some((el) => grantsAction(ctx.catalog, el.value, PASS_ROLE));
    const path = grantingElement?.path ?? (viaNotAction ? `${st.path}.NotAction` : undefined);
    if (!path || !mayNameRole(st)) continue;
    const broad = broadResourceElements(st);
    const scopedToService = st.statement.hasConditionKey('iam:PassedToService');
    if (broad.length > 0) {
      out.push(createFinding('passrole-unconstrained', path, `iam:PassRole on "${broad[0].value}" lets the holder hand any role to a service: list the role ARNs${scopedToService ? '' : ' and add an iam:PassedToService condition'}`));
    } else if (!scopedToService) {
      out.push(createFinding('passrole-unconstrained', path, 'iam:PassRole without an iam:PassedToService condition lets the roles be passed to any service: add "StringEquals": {"iam:PassedToService": "<service>.amazonaws.com"}'));
    }
  }
  return out;
}

/** One policy of a principal, for {@link checkPrincipalEscalation}. */
export interface PrincipalPolicy {
  /** How messages name it: `inline policy "deploy"`, `managed policy "ci-base"`. */
  readonly label: string;
  /** The document. */
  readonly document: PolicyDocument;
}

/**
 * privilege-escalation across the policies of one principal: paths that no single policy opens but the
 * policies together do (`iam:PassRole` in one, `lambda:CreateFunction` + `lambda:InvokeFunction` in another).
 * Paths a single policy opens are reported on that policy by {@link checkPrivilegeEscalation}, not here.
 */
export function checkPrincipalEscalation(catalog: ActionCatalog, principal: string, policies: readonly PrincipalPolicy[], path: string): LintFinding[] {
  if (policies.length < 2) return [];
  const views = policies.map((p, i) => locateStatements(p.document, `$policy${i}`));
  const alone = new Set(views.flatMap((v) => findEscalationPaths(catalog, v.statements).map((m) => m.path.id)));
  const together = findEscalationPaths(catalog, views.flatMap((v) => v.statements)).filter((m) => !alone.has(m.path.id));
  if (together.length === 0) return [];
  const involved = new Set(together.flatMap((m) => [...m.grants.values()].map((at) => Number(/^\$policy(\d+)/.exec(at)![1]))));
  const labels = [...involved].sort((a, b) => a - b).map((i) => policies[i].label);
  return [
    createFinding(
      'privilege-escalation',
      path,
      `Privilege escalation across the policies of ${principal}: ${labels.join(' and ')} together grant ${describeEscalationPaths(together.map((m) => m.path))} on any target. ${FIX}. See ${together[0].path.references[0] ?? 'docs/rules/privilege-escalation.md'}`,
    ),
  ];
}
