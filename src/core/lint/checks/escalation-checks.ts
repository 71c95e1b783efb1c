import { arnMatchesTemplate } from '../../catalog';
import { createFinding } from '../finding';
import { broadResourceElements, hasConditionKey, type StatementView } from '../statement-view';
import type { LintFinding } from '../types';
import { grantsAction, type CheckContext } from './check-context';

/**
 * Known privilege-escalation paths: each is a set of actions that together let a principal gain more
 * permissions than it was given (Rhino Security Labs' AWS privilege escalation methods; Cloudsplaining).
 */
export const ESCALATION_PATHS: readonly { readonly name: string; readonly actions: readonly string[] }[] = [
  { name: 'iam:CreatePolicyVersion (rewrite an attached policy)', actions: ['iam:CreatePolicyVersion'] },
  { name: 'iam:SetDefaultPolicyVersion (switch to a broader old version)', actions: ['iam:SetDefaultPolicyVersion'] },
  { name: 'iam:AttachUserPolicy', actions: ['iam:AttachUserPolicy'] },
  { name: 'iam:AttachGroupPolicy', actions: ['iam:AttachGroupPolicy'] },
  { name: 'iam:AttachRolePolicy', actions: ['iam:AttachRolePolicy'] },
  { name: 'iam:PutUserPolicy', actions: ['iam:PutUserPolicy'] },
  { name: 'iam:PutGroupPolicy', actions: ['iam:PutGroupPolicy'] },
  { name: 'iam:PutRolePolicy', actions: ['iam:PutRolePolicy'] },
  { name: 'iam:CreateAccessKey (keys for another user)', actions: ['iam:CreateAccessKey'] },
  { name: 'iam:CreateLoginProfile (console password for another user)', actions: ['iam:CreateLoginProfile'] },
  { name: 'iam:UpdateLoginProfile (reset another user\'s password)', actions: ['iam:UpdateLoginProfile'] },
  { name: 'iam:UpdateAssumeRolePolicy (trust yourself on a stronger role)', actions: ['iam:UpdateAssumeRolePolicy'] },
  { name: 'iam:AddUserToGroup', actions: ['iam:AddUserToGroup'] },
  { name: 'iam:PassRole + lambda:CreateFunction + lambda:InvokeFunction', actions: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'] },
  { name: 'iam:PassRole + lambda:CreateFunction + lambda:CreateEventSourceMapping', actions: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:CreateEventSourceMapping'] },
  { name: 'iam:PassRole + ec2:RunInstances', actions: ['iam:PassRole', 'ec2:RunInstances'] },
  { name: 'iam:PassRole + cloudformation:CreateStack', actions: ['iam:PassRole', 'cloudformation:CreateStack'] },
  { name: 'iam:PassRole + glue:CreateDevEndpoint', actions: ['iam:PassRole', 'glue:CreateDevEndpoint'] },
  {
    name: 'iam:PassRole + datapipeline:CreatePipeline + datapipeline:PutPipelineDefinition',
    actions: ['iam:PassRole', 'datapipeline:CreatePipeline', 'datapipeline:PutPipelineDefinition'],
  },
  { name: 'iam:PassRole + ssm:StartAutomationExecution', actions: ['iam:PassRole', 'ssm:StartAutomationExecution'] },
];

const PASS_ROLE = 'iam:PassRole';

/**
 * privilege-escalation: the actions of a path, all granted by Allow statements without a Condition on
 * broad resources (`*`, `role/*`, NotResource), and not taken away by an unconditional Deny on `*`.
 * One finding per Action element that grants a path's first action, naming every path it opens.
 */
export function checkPrivilegeEscalation(ctx: CheckContext): LintFinding[] {
  const granted = new Map<string, string>(); // lower-case action → path of the element granting it
  const denied = new Set<string>();
  const relevant = [...new Set(ESCALATION_PATHS.flatMap((p) => p.actions))];
  for (const st of ctx.view.statements) {
    if (ctx.adminStatements.has(st.index) || st.conditions.length > 0) continue;
    if (st.effect === 'Deny') {
      if (!(st.resources ?? []).some((r) => r.value === '*')) continue;
      for (const a of relevant) if ((st.actions ?? []).some((el) => grantsAction(ctx.catalog, el.value, a))) denied.add(a.toLowerCase());
      continue;
    }
    if (broadResourceElements(st).length === 0) continue;
    for (const a of relevant) {
      const lower = a.toLowerCase();
      if (granted.has(lower)) continue;
      const el = (st.actions ?? []).find((e) => grantsAction(ctx.catalog, e.value, a));
      if (el) granted.set(lower, el.path);
      else if (st.notActions && !st.notActions.some((e) => grantsAction(ctx.catalog, e.value, a))) granted.set(lower, `${st.path}.NotAction`);
    }
  }
  // One finding per statement: at its first element that opens a path, naming every path it opens.
  const byStatement = new Map<string, { path: string; names: string[] }>();
  for (const p of ESCALATION_PATHS) {
    const lower = p.actions.map((a) => a.toLowerCase());
    if (!lower.every((a) => granted.has(a) && !denied.has(a))) continue;
    const at = granted.get(lower[0])!;
    const statement = at.replace(/\.(Not)?Action(\[\d+\])?$/, '');
    const entry = byStatement.get(statement);
    if (!entry) byStatement.set(statement, { path: at, names: [p.name] });
    else {
      entry.names.push(p.name);
      if (elementIndex(at) < elementIndex(entry.path)) entry.path = at;
    }
  }
  return [...byStatement.values()].map(({ path, names }) => {
    const listed = names.slice(0, 4).map((n) => `[${n}]`).join(', ') + (names.length > 4 ? ` and ${names.length - 4} more paths` : '');
    return createFinding(
      'privilege-escalation',
      path,
      `Privilege escalation: the policy grants ${listed} on any resource without a condition. Scope the Resource to specific ARNs or add a condition (for iam:PassRole, iam:PassedToService)`,
    );
  });
}

function elementIndex(path: string): number {
  const m = /\[(\d+)\]$/.exec(path);
  return m ? Number(m[1]) : -1;
}

/** ARN template of IAM roles (Service Authorization Reference, IAM resource type `role`). */
const ROLE_ARN_TEMPLATE = 'arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}';

/** True when some resource of the statement can be a role (so iam:PassRole in it can take effect). */
function mayNameRole(st: StatementView): boolean {
  return st.notResources !== undefined || (st.resources ?? []).some((r) => arnMatchesTemplate(r.value, ROLE_ARN_TEMPLATE));
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
    const scopedToService = hasConditionKey(st, 'iam:PassedToService');
    if (broad.length > 0) {
      out.push(createFinding('passrole-unconstrained', path, `iam:PassRole on "${broad[0].value}" lets the holder hand any role to a service: list the role ARNs${scopedToService ? '' : ' and add an iam:PassedToService condition'}`));
    } else if (!scopedToService) {
      out.push(createFinding('passrole-unconstrained', path, 'iam:PassRole without an iam:PassedToService condition lets the roles be passed to any service: add "StringEquals": {"iam:PassedToService": "<service>.amazonaws.com"}'));
    }
  }
  return out;
}
