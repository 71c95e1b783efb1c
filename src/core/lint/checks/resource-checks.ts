import { arnMatchesTemplate, hasWildcard } from '../../catalog';
import type { ActionInfo } from '../../catalog';
import { createFinding } from '../finding';
import type { LintFinding } from '../types';
import { resolveAction, type CheckContext } from './check-context';

/** Above this many actions in one statement the resource-type check is skipped (a `*`-like grant says nothing about types). */
const MAX_ACTIONS_FOR_TYPE_CHECK = 2000;

function isRestrictable(info: ActionInfo | undefined): boolean {
  return info !== undefined && info.resourceTypes.length > 0;
}

/** resource-star-for-restrictable: Resource `*` next to actions that could be scoped to ARNs. */
export function checkResourceStar(ctx: CheckContext): LintFinding[] {
  const out: LintFinding[] = [];
  for (const st of ctx.view.statements) {
    if (st.effect !== 'Allow' || ctx.adminStatements.has(st.index) || !st.actions) continue;
    const stars = (st.resources ?? []).filter((r) => r.value === '*');
    if (stars.length === 0) continue;
    const restrictable: string[] = [];
    for (const el of st.actions) {
      const v = el.value.trim();
      if (v === '*' || v.endsWith(':*')) continue;
      const r = resolveAction(ctx.catalog, v);
      if (r.kind !== 'ok') continue;
      const infos = r.actions.map((a) => ctx.catalog.getAction(a));
      if (infos.length > 0 && infos.every(isRestrictable)) restrictable.push(hasWildcard(v) ? v : r.actions[0]);
    }
    if (restrictable.length === 0) continue;
    const listed = restrictable.slice(0, 3).join(', ') + (restrictable.length > 3 ? ` and ${restrictable.length - 3} more` : '');
    for (const star of stars) {
      out.push(createFinding('resource-star-for-restrictable', star.path, `Resource "*" for ${listed}, which support resource-level permissions: list the ARNs (or split the statement)`));
    }
  }
  return out;
}

/** resource-type-mismatch: a Resource ARN that none of the statement's actions can act on. */
export function checkResourceTypes(ctx: CheckContext): LintFinding[] {
  const out: LintFinding[] = [];
  for (const st of ctx.view.statements) {
    if (!st.actions || !st.resources) continue;
    const infos = new Map<string, ActionInfo>();
    let tooBroad = false;
    for (const el of st.actions) {
      const r = resolveAction(ctx.catalog, el.value);
      if (r.kind === 'every') {
        tooBroad = true;
        break;
      }
      if (r.kind !== 'ok') continue;
      if (r.actions.length + infos.size > MAX_ACTIONS_FOR_TYPE_CHECK) {
        tooBroad = true;
        break;
      }
      for (const a of r.actions) {
        const info = ctx.catalog.getAction(a);
        if (info) infos.set(a, info);
      }
    }
    if (tooBroad || infos.size === 0) continue;
    const templates = new Map<string, string>(); // template → "action (type)" for messages
    for (const [name, info] of infos) {
      for (const rt of info.resourceTypes) for (const t of rt.arnPatterns) if (!templates.has(t)) templates.set(t, `${name} (${rt.name})`);
    }
    for (const res of st.resources) {
      if (res.value === '*' || !res.value.startsWith('arn:')) continue;
      const matches = [...templates.keys()].some((t) => arnMatchesTemplate(res.value, t));
      if (matches) continue;
      const names = [...infos.keys()];
      const expected = [...templates.entries()].slice(0, 2).map(([t, what]) => `${what}: ${t}`);
      const detail =
        templates.size === 0
          ? `${names.slice(0, 3).join(', ')} support only Resource "*"`
          : `it matches no resource type of ${names.length === 1 ? names[0] : `the ${names.length} actions`} (expected ${expected.join('; ')}${templates.size > 2 ? '; …' : ''})`;
      out.push(createFinding('resource-type-mismatch', res.path, `Resource "${res.value}" grants nothing: ${detail}. Fix the ARN or move it to a statement with matching actions`));
    }
  }
  return out;
}
