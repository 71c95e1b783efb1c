import { formatRemovedActionMessage } from './removed-action-message';
import { createFinding } from '../finding';
import type { LocatedStatement } from '../../policy';
import type { LintFinding } from '../types';
import type { ActionCatalog } from '../../catalog';
import { appliesToAllResources, grantsAction, isEveryAction, resolveAction, type CheckContext } from './check-context';

/** IAM actions that let a principal grant itself anything: a NotAction Allow that leaves them in is admin access. */
const SELF_GRANT_ACTIONS = ['iam:AttachRolePolicy', 'iam:PutRolePolicy', 'iam:AttachUserPolicy', 'iam:PutUserPolicy', 'iam:CreatePolicyVersion'];

/** True when a NotAction list leaves every self-granting IAM action allowed. */
function notActionLeavesSelfGrant(catalog: ActionCatalog, notActions: readonly string[]): boolean {
  return SELF_GRANT_ACTIONS.every((a) => !notActions.some((p) => grantsAction(catalog, p, a)));
}

/**
 * How a statement grants admin access, if it does: the path of the `*` Action element, or of NotAction.
 * Allow of `*` on every resource, or Allow NotAction on every resource that leaves IAM self-granting in.
 */
export function findAdminGrant(catalog: ActionCatalog, statement: LocatedStatement): { readonly path: string; readonly viaNotAction: boolean } | undefined {
  if (statement.effect !== 'Allow' || !appliesToAllResources(statement)) return undefined;
  const star = statement.actions?.find((a) => isEveryAction(a.value));
  if (star) return { path: star.path, viaNotAction: false };
  if (statement.notActions && notActionLeavesSelfGrant(catalog, statement.notActions.map((a) => a.value))) {
    return { path: `${statement.path}.NotAction`, viaNotAction: true };
  }
  return undefined;
}

/** unknown-service, unknown-action, wildcard-matches-nothing: every Action and NotAction string must mean something. */
export function checkActionNames(ctx: CheckContext): LintFinding[] {
  const out: LintFinding[] = [];
  for (const st of ctx.view.statements) {
    for (const el of [...(st.actions ?? []), ...(st.notActions ?? [])]) {
      const r = resolveAction(ctx.catalog, el.value);
      const removed = r.kind === 'unknown-service' || r.kind === 'unknown-action' || r.kind === 'no-match' ? ctx.catalog.awsNames?.describeRemovedAction(el.value) : undefined;
      if (removed !== undefined) {
        out.push(createFinding('removed-action', el.path, formatRemovedActionMessage(el.value, removed)));
      } else if (r.kind === 'unknown-service') {
        const suggestion = ctx.catalog.suggestAction(el.value);
        const service = ctx.catalog.suggestService(r.service);
        const hint = suggestion ? `; did you mean "${suggestion}"?` : service ? `; did you mean service "${service}"?` : ': check the service prefix in the Service Authorization Reference';
        out.push(createFinding('unknown-service', el.path, `Action "${el.value}": service "${r.service}" does not exist${hint}`));
      } else if (r.kind === 'unknown-action') {
        const suggestion = ctx.catalog.suggestAction(el.value);
        const hint = suggestion ? `; did you mean "${suggestion}"?` : `: list the service's actions with the Service Authorization Reference`;
        out.push(createFinding('unknown-action', el.path, `Action "${el.value}" does not exist${hint}`));
      } else if (r.kind === 'no-match') {
        out.push(createFinding('wildcard-matches-nothing', el.path, `Action pattern "${el.value}" matches no existing action: fix the pattern or remove it`));
      }
    }
  }
  return out;
}

/** admin-access, service-wildcard, not-action-allow, not-resource-allow. */
export function checkBroadGrants(ctx: CheckContext): LintFinding[] {
  const out: LintFinding[] = [];
  for (const st of ctx.view.statements) {
    if (st.effect !== 'Allow') continue;
    const admin = findAdminGrant(ctx.catalog, st);
    if (admin) {
      out.push(
        createFinding(
          'admin-access',
          admin.path,
          admin.viaNotAction
            ? `Allow NotAction on every resource grants every other action, including IAM self-granting (${SELF_GRANT_ACTIONS[0]}): this is administrator access. List the actions needed instead`
            : 'Allow of every action ("*") on every resource is administrator access: list the actions and resources needed',
        ),
      );
    }
    if (!admin) {
      for (const el of st.actions ?? []) {
        const v = el.value.trim();
        if (isEveryAction(v)) {
          out.push(createFinding('service-wildcard', el.path, `Allow of every action of every service ("${v}"): list the actions needed`));
        } else if (v.endsWith(':*') && !v.slice(0, -2).includes('*') && !v.slice(0, -2).includes('?')) {
          out.push(createFinding('service-wildcard', el.path, `Allow of every action of service "${v.slice(0, -2)}" ("${v}"), including permission changes and deletions: list the actions needed`));
        }
      }
      if (st.notActions) {
        out.push(createFinding('not-action-allow', `${st.path}.NotAction`, 'Allow with NotAction grants every action not listed, including actions AWS adds later: use Action with the actions needed'));
      }
    }
    if (st.notResources && !admin) {
      out.push(createFinding('not-resource-allow', `${st.path}.NotResource`, 'Allow with NotResource grants on every resource not listed, including resources created later: use Resource with the ARNs needed'));
    }
  }
  return out;
}
