import { arnMatchesTemplate } from '../../catalog';
import type { ActionInfo } from '../../catalog';
import { createFinding } from '../finding';
import type { LocatedStatement, PolicyElement } from '../../policy';
import type { LintFinding } from '../types';
import { resolveElementResources } from './action-element';
import { resolveAction, type CheckContext } from './check-context';

/** Above this many actions in one statement the resource-type check is skipped (a `*`-like grant says nothing about types). */
const MAX_ACTIONS_FOR_TYPE_CHECK = 2000;

/** resource-star-for-restrictable: Resource `*` next to actions that could be scoped to ARNs. */
export function checkResourceStar(ctx: CheckContext): LintFinding[] {
  const out: LintFinding[] = [];
  for (const st of ctx.view.statements) {
    if (st.effect !== 'Allow' || ctx.adminStatements.has(st.index) || !st.actions) continue;
    const stars = (st.resources ?? []).filter((r) => r.value === '*');
    if (stars.length === 0) continue;
    const restrictable: string[] = [];
    for (const el of st.actions) {
      const as = resolveElementResources(ctx.catalog, el.value).restrictableAs;
      if (as !== undefined) restrictable.push(as);
    }
    if (restrictable.length === 0) continue;
    const listed = restrictable.slice(0, 3).join(', ') + (restrictable.length > 3 ? ` and ${restrictable.length - 3} more` : '');
    for (const star of stars) {
      out.push(createFinding('resource-star-for-restrictable', star.path, `Resource "*" for ${listed}, which support resource-level permissions: list the ARNs (or split the statement)`));
    }
  }
  return out;
}

/** Per action (by the name the statement resolved it to): its ARN templates with "action (type)" labels, built once. */
const templatesByAction = new WeakMap<ActionInfo, Map<string, readonly (readonly [string, string])[]>>();

function templatesOf(name: string, info: ActionInfo): readonly (readonly [string, string])[] {
  let byName = templatesByAction.get(info);
  if (!byName) templatesByAction.set(info, (byName = new Map()));
  let list = byName.get(name);
  if (!list) {
    list = info.resourceTypes.flatMap((rt) => rt.arnPatterns.map((t) => [t, `${name} (${rt.name})`] as const));
    byName.set(name, list);
  }
  return list;
}

/** The original per-statement algorithm, for statements with more than {@link MAX_ACTIONS_FOR_TYPE_CHECK} actions in all (rare). */
function checkStatementResourceTypes(ctx: CheckContext, st: LocatedStatement, out: LintFinding[]): void {
  const infos = new Map<string, ActionInfo>();
  for (const el of st.actions!) {
    const r = resolveAction(ctx.catalog, el.value);
    if (r.kind === 'every') return;
    if (r.kind !== 'ok') continue;
    if (r.actions.length + infos.size > MAX_ACTIONS_FOR_TYPE_CHECK) return;
    for (const a of r.actions) {
      const info = ctx.catalog.getAction(a);
      if (info) infos.set(a, info);
    }
  }
  if (infos.size === 0) return;
  const templates = new Map<string, string>();
  for (const [name, info] of infos) {
    for (const [t, what] of templatesOf(name, info)) if (!templates.has(t)) templates.set(t, what);
  }
  for (const res of st.resources!) {
    if (res.value === '*' || !res.value.startsWith('arn:')) continue;
    let matches = false;
    for (const t of templates.keys()) {
      if (arnMatchesTemplate(res.value, t)) {
        matches = true;
        break;
      }
    }
    if (!matches) out.push(describeTypeMismatch(res, infos, templates));
  }
}

function describeTypeMismatch(res: PolicyElement, infos: ReadonlyMap<string, ActionInfo>, templates: ReadonlyMap<string, string>): LintFinding {
  const names = [...infos.keys()];
  const expected = [...templates.entries()].slice(0, 2).map(([t, what]) => `${what}: ${t}`);
  const detail =
    templates.size === 0
      ? `${names.slice(0, 3).join(', ')} support only Resource "*"`
      : `it matches no resource type of ${names.length === 1 ? names[0] : `the ${names.length} actions`} (expected ${expected.join('; ')}${templates.size > 2 ? '; …' : ''})`;
  return createFinding('resource-type-mismatch', res.path, `Resource "${res.value}" grants nothing: ${detail}. Fix the ARN or move it to a statement with matching actions`);
}

/**
 * resource-type-mismatch: a Resource ARN that none of the statement's actions can act on. Each element's actions,
 * templates and matcher are built once per element string ({@link resolveElementResources}); the action and
 * template lists of a message are built only for a statement that has a finding.
 */
export function checkResourceTypes(ctx: CheckContext): LintFinding[] {
  const out: LintFinding[] = [];
  for (const st of ctx.view.statements) {
    if (!st.actions || !st.resources) continue;
    const elements = st.actions.map((el) => resolveElementResources(ctx.catalog, el.value));
    let every = false;
    let actions = 0;
    let described = false;
    for (const e of elements) {
      if (e.every) every = true;
      actions += e.actionCount;
      described ||= e.infos.length > 0;
    }
    // `*` says nothing about types; over the bound, the original algorithm decides where it stops.
    if (every) continue;
    if (actions > MAX_ACTIONS_FOR_TYPE_CHECK) {
      checkStatementResourceTypes(ctx, st, out);
      continue;
    }
    if (!described) continue;
    let infos: Map<string, ActionInfo> | undefined;
    let templates: Map<string, string> | undefined;
    for (const res of st.resources) {
      if (res.value === '*' || !res.value.startsWith('arn:')) continue;
      if (elements.some((e) => e.matchesArn(res.value))) continue;
      if (!infos || !templates) {
        infos = new Map();
        for (const e of elements) for (const [a, info] of e.infos) infos.set(a, info);
        templates = new Map(); // template → "action (type)" for messages
        for (const [name, info] of infos) {
          for (const [t, what] of templatesOf(name, info)) if (!templates.has(t)) templates.set(t, what);
        }
      }
      out.push(describeTypeMismatch(res, infos, templates));
    }
  }
  return out;
}

/**
 * Actions that need every resource type the Service Authorization Reference marks required. For most actions the
 * marked types are alternatives (bedrock:InvokeModel takes a foundation model or an inference profile), so only
 * these are checked. @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html
 * (RunInstances: image, instance, network-interface, security-group, subnet; AttachVolume/DetachVolume: instance, volume)
 */
const ALL_REQUIRED_TYPES_ACTIONS: ReadonlySet<string> = new Set(['ec2:runinstances', 'ec2:attachvolume', 'ec2:detachvolume']);

/**
 * resource-type-mismatch per action, as IAM authorizes each action on its own resources:
 * - an action whose resource types none of its statement's Resources match (`s3:ListBucket` next to
 *   `s3:GetObject` on `bucket/*` only): that action is granted on nothing;
 * - an Allowed action that needs several resource types ({@link ALL_REQUIRED_TYPES_ACTIONS}, e.g.
 *   `ec2:RunInstances`: image, instance, network-interface, security-group, subnet) while the Allow statements
 *   granting it, together, name some of them only: AWS denies the call.
 * Only named actions are checked (wildcards cover many actions; `*` and NotResource satisfy every type).
 */
export function checkActionResourceTypes(ctx: CheckContext): LintFinding[] {
  const out: LintFinding[] = [];
  const allowed = new Map<string, { info: ActionInfo; path: string; resources: string[]; open: boolean }>();
  for (const st of ctx.view.statements) {
    if (!st.actions) continue;
    const resources = (st.resources ?? []).map((r) => r.value);
    const open = st.notResources !== undefined || resources.includes('*');
    const arns = resources.filter((r) => r.startsWith('arn:'));
    const elements = st.actions.map((el) => resolveElementResources(ctx.catalog, el.value));
    // Resources that match some type of some action of the statement (the others are reported per resource); computed on first need.
    let usableCache: string[] | undefined;
    const usable = (): string[] => (usableCache ??= arns.filter((r) => elements.some((e) => e.ok && e.actionCount <= MAX_ACTIONS_FOR_TYPE_CHECK && e.matchesArn(r))));
    for (let i = 0; i < st.actions.length; i++) {
      const el = st.actions[i];
      const element = elements[i];
      const info = element.named;
      if (!info || info.resourceTypes.length === 0) continue;
      const name = element.namedName!;
      if (!open && arns.length > 0) {
        // A named element's matcher is its one action's templates.
        const matched = arns.some((r) => element.matchesArn(r));
        if (!matched && usable().length > 0) {
          const types = info.resourceTypes.map((t) => t.name).join(', ');
          out.push(createFinding('resource-type-mismatch', el.path, `${name} is ${st.effect === 'Allow' ? 'granted' : 'denied'} on nothing here: none of the statement's Resources is a ${types} (${info.resourceTypes[0].arnPatterns[0]}). Add its ARN or move the action`));
          continue;
        }
      }
      if (st.effect !== 'Allow') continue;
      const key = element.namedKey!;
      let entry = allowed.get(key);
      if (!entry) allowed.set(key, (entry = { info, path: el.path, resources: [], open: false }));
      for (const r of arns) entry.resources.push(r);
      entry.open ||= open;
    }
  }
  for (const { info, path, resources, open } of allowed.values()) {
    const required = info.resourceTypes.filter((t) => t.required);
    if (open || required.length < 2 || !ALL_REQUIRED_TYPES_ACTIONS.has(`${info.service}:${info.name}`.toLowerCase())) continue;
    const missing = required.filter((t) => !t.arnPatterns.some((p) => resources.some((r) => arnMatchesTemplate(r, p))));
    if (missing.length === 0 || missing.length === required.length) continue;
    out.push(
      createFinding(
        'resource-type-mismatch',
        path,
        `${info.service}:${info.name} needs every one of its required resource types in Resource, and the policy names no ${missing.map((t) => t.name).join(', ')} (${missing[0].arnPatterns[0]}): AWS denies the call. Add those ARNs (or "*" for them)`,
      ),
    );
  }
  return out;
}
