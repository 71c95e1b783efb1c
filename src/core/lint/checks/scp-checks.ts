import { parseConditionOperator } from '../condition-operators';
import { createFinding } from '../finding';
import type { StatementView } from '../statement-view';
import type { LintFinding } from '../types';
import { grantsAction, type CheckContext } from './check-context';

/**
 * IAM changes the deployment pipeline makes (roles, policies, boundaries, OIDC providers). An SCP that denies
 * any of them must exempt the pipeline and break-glass roles (reference.md §4, aws-samples SCP examples).
 */
export const PIPELINE_IAM_ACTIONS: readonly string[] = [
  'iam:CreateRole',
  'iam:DeleteRole',
  'iam:UpdateRole',
  'iam:UpdateRoleDescription',
  'iam:UpdateAssumeRolePolicy',
  'iam:AttachRolePolicy',
  'iam:DetachRolePolicy',
  'iam:PutRolePolicy',
  'iam:DeleteRolePolicy',
  'iam:PutRolePermissionsBoundary',
  'iam:DeleteRolePermissionsBoundary',
  'iam:TagRole',
  'iam:UntagRole',
  'iam:CreatePolicy',
  'iam:DeletePolicy',
  'iam:CreatePolicyVersion',
  'iam:DeletePolicyVersion',
  'iam:SetDefaultPolicyVersion',
  'iam:TagPolicy',
  'iam:UntagPolicy',
  'iam:CreateOpenIDConnectProvider',
  'iam:DeleteOpenIDConnectProvider',
  'iam:UpdateOpenIDConnectProviderThumbprint',
];

/** True when a negated ARN/String condition on aws:PrincipalArn exempts some principals from the statement. */
function exemptsPrincipals(st: StatementView): boolean {
  return st.conditions.some((c) => {
    const op = parseConditionOperator(c.operator);
    return c.key.toLowerCase() === 'aws:principalarn' && op !== undefined && op.negated && (op.family === 'Arn' || op.family === 'String');
  });
}

/** scp-locks-out-pipeline: a Deny of pipeline IAM actions without an aws:PrincipalArn exemption. */
export function checkScpLockout(ctx: CheckContext): LintFinding[] {
  const out: LintFinding[] = [];
  for (const st of ctx.view.statements) {
    if (st.effect !== 'Deny' || exemptsPrincipals(st)) continue;
    let path: string | undefined;
    let denied: readonly string[] = [];
    for (const el of st.actions ?? []) {
      const hits = PIPELINE_IAM_ACTIONS.filter((a) => grantsAction(ctx.catalog, el.value, a));
      if (hits.length > 0) {
        path = el.path;
        denied = hits;
        break;
      }
    }
    if (!path && st.notActions) {
      denied = PIPELINE_IAM_ACTIONS.filter((a) => !st.notActions!.some((el) => grantsAction(ctx.catalog, el.value, a)));
      if (denied.length > 0) path = `${st.path}.NotAction`;
    }
    if (!path) continue;
    out.push(
      createFinding(
        'scp-locks-out-pipeline',
        path,
        `The SCP denies ${denied.slice(0, 3).join(', ')}${denied.length > 3 ? ` and ${denied.length - 3} more IAM changes` : ''} to every principal, the deployment pipeline and break-glass roles included: add "ArnNotLike": {"aws:PrincipalARN": ["arn:aws:iam::*:role/<pipeline-role>", "arn:aws:iam::*:role/<break-glass-role>"]}`,
      ),
    );
  }
  return out;
}
