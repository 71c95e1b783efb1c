import type { ActionCatalog } from '../../catalog';
import { matchesWildcard } from '../../catalog';
import type { ResolvedOrganization, ResolvedServiceControlPolicy } from '../../model';
import { parseConditionOperator } from '../condition-operators';
import { createFinding } from '../finding';
import { locateStatements, type ConditionEntry, type LocatedStatement } from '../../policy';
import type { LintFinding } from '../types';
import { grantsAction, type CheckContext } from './check-context';

/** Role the drift-detection module gives its Lambda (modules/drift-detection: `<prefix>-handler`, prefix iam-platform-drift). */
export const DRIFT_HANDLER_ROLE_NAME = 'iam-platform-drift-handler';

/**
 * Principal ARNs no real exemption should match: an unrelated role (with and without a path) and a
 * user. An exemption that matches one of them exempts (nearly) every principal.
 */
const EVERYONE_PROBES: readonly string[] = [
  'arn:aws:iam::111122223333:role/zz-unrelated-probe-7f3c',
  'arn:aws:iam::111122223333:role/zz-path/zz-unrelated-probe-7f3c',
  'arn:aws:iam::111122223333:user/zz-unrelated-probe-7f3c',
];

/** The aws:PrincipalArn conditions of a statement that exempt principals (negated Arn or String operators). */
export function principalExemptions(st: LocatedStatement): { readonly entry: ConditionEntry; readonly wildcards: boolean }[] {
  return st.conditions.flatMap((c) => {
    const op = parseConditionOperator(c.operator);
    if (c.key.toLowerCase() !== 'aws:principalarn' || !op?.negated || (op.family !== 'Arn' && op.family !== 'String')) return [];
    // ARN operators always take wildcards (ArnNotEquals = ArnNotLike); String ones only in the Like form.
    return [{ entry: c, wildcards: op.family === 'Arn' || /Like/.test(op.base) }];
  });
}

/** Whether an exemption value admits the principal ARN (IAM matches ARNs case-sensitively). */
export function exemptionMatches(value: string, wildcards: boolean, arn: string): boolean {
  return wildcards ? matchesWildcard(value, arn, false) : value === arn;
}

/** scp-exemption-matches-everyone: an aws:PrincipalArn exemption such as `arn:aws:iam::*:role/*` or `"*"`. */
export function checkScpExemptionBreadth(ctx: CheckContext): LintFinding[] {
  const out: LintFinding[] = [];
  for (const st of ctx.view.statements) {
    if (st.effect !== 'Deny') continue;
    for (const { entry, wildcards } of principalExemptions(st)) {
      entry.values.forEach((value, i) => {
        if (!EVERYONE_PROBES.some((probe) => exemptionMatches(value, wildcards, probe))) return;
        out.push(
          createFinding(
            'scp-exemption-matches-everyone',
            entry.values.length > 1 ? `${entry.path}[${i}]` : entry.path,
            `The exemption "${value}" (${entry.operator} ${entry.key}) matches every role or principal, so the Deny applies to nobody: name the exact roles the platform creates (arn:aws:iam::*:role/<path><name>)`,
          ),
        );
      });
    }
  }
  return out;
}

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
function exemptsPrincipals(st: LocatedStatement): boolean {
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

/** A role the platform creates that must keep its IAM writes under every SCP. */
export interface ProtectedPrincipal {
  /** Role ARN as IAM evaluates aws:PrincipalArn (path included). */
  readonly arn: string;
  /** What the role is, for the message (`deploy role`, `drift handler`, `break-glass role`). */
  readonly what: string;
  /** Account name. */
  readonly account: string;
  /** The IAM actions the role must keep. @default PIPELINE_IAM_ACTIONS */
  readonly actions?: readonly string[];
}

/** What a service credential's rotation role must keep (modules/service-credential). */
export const ROTATION_IAM_ACTIONS: readonly string[] = ['iam:CreateAccessKey', 'iam:DeleteAccessKey', 'iam:ListAccessKeys'];

/**
 * The roles that must never be denied the pipeline's IAM writes, derived from the resolved model: each
 * account's deploy role (and the Terraform Cloud apply role), its break-glass roles, and the drift
 * handler where drift detection remediates. The management account is left out (SCPs never apply to it).
 */
export function listProtectedPrincipals(org: ResolvedOrganization): ProtectedPrincipal[] {
  const management = org.organization?.managementAccountId;
  const out: ProtectedPrincipal[] = [];
  for (const account of org.accounts) {
    if (account.id === management) continue;
    out.push({ arn: account.deployRoleArn, what: 'deploy role', account: account.name });
    if (account.dynamicCredentials) out.push({ arn: account.dynamicCredentials.applyRoleArn, what: 'Terraform Cloud apply role', account: account.name });
    for (const role of account.roles.filter((r) => r.kind === 'break-glass')) {
      out.push({ arn: `arn:aws:iam::${account.id}:role${role.path}${role.name}`, what: 'break-glass role', account: account.name });
    }
    if (account.drift.enabled && account.drift.mode === 'remediate') out.push({ arn: `arn:aws:iam::${account.id}:role/${DRIFT_HANDLER_ROLE_NAME}`, what: 'drift handler', account: account.name });
    for (const credential of account.serviceCredentials ?? []) {
      out.push({ arn: credential.rotationRoleArn, what: `rotation role of service credential ${credential.userName}`, account: account.name, actions: ROTATION_IAM_ACTIONS });
    }
  }
  return out;
}

/** Whether the SCP is attached where it reaches the account (root, its OU or an OU above it, or the account itself). */
export function reachesAccount(scp: ResolvedServiceControlPolicy, account: { readonly name: string; readonly ou: string; readonly ouPath?: readonly string[] }): boolean {
  return scp.targets.some((t) => t.kind === 'root' || (t.kind === 'ou' && (t.name === account.ou || (account.ouPath ?? []).includes(t.name))) || (t.kind === 'account' && t.name === account.name));
}

/**
 * scp-locks-out-pipeline, against the resolved organization: an SCP statement that denies pipeline IAM
 * actions and whose exemptions do not admit a protected role of an account it reaches (a renamed deploy
 * role, a changed role path, a missing exemption). One finding per statement and kind of role.
 */
export function checkScpProtectedPrincipals(scp: ResolvedServiceControlPolicy, org: ResolvedOrganization, catalog: ActionCatalog, principals: readonly ProtectedPrincipal[]): LintFinding[] {
  const accounts = new Map(org.accounts.map((a) => [a.name, a]));
  const view = locateStatements(scp.document, '$.document');
  const out: LintFinding[] = [];
  for (const st of view.statements) {
    if (st.effect !== 'Deny') continue;
    const denies = (actions: readonly string[]) => (st.actions ?? []).some((el) => actions.some((a) => grantsAction(catalog, el.value, a)));
    const exemptions = principalExemptions(st);
    // No exemption at all is checkScpLockout's finding; conditions on other keys are not judged here.
    if (exemptions.length === 0 || st.conditions.length !== exemptions.length) continue;
    const lockedOut = new Map<string, ProtectedPrincipal[]>();
    for (const p of principals) {
      if (!denies(p.actions ?? PIPELINE_IAM_ACTIONS)) continue;
      const account = accounts.get(p.account);
      if (!account || !reachesAccount(scp, account)) continue;
      if (exemptions.some(({ entry, wildcards }) => entry.values.some((v) => exemptionMatches(v, wildcards, p.arn)))) continue;
      lockedOut.set(p.what, [...(lockedOut.get(p.what) ?? []), p]);
    }
    for (const [what, list] of lockedOut) {
      const first = list[0];
      out.push(
        createFinding(
          'scp-locks-out-pipeline',
          exemptions[0].entry.path,
          `SCP "${scp.name}" denies ${st.sid ?? `statement ${st.index}`}'s IAM changes to the ${what} ${first.arn} (account ${first.account}${list.length > 1 ? ` and ${list.length - 1} more` : ''}): no exemption matches it; add its exact ARN (arn:aws:iam::*:role${first.arn.slice(first.arn.indexOf(':role') + 5)}) or fix the role's name or path`,
        ),
      );
    }
  }
  return out;
}
