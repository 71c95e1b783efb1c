import { createFinding } from '../finding';
import { conditionsOn, hasConditionKey, type PolicyElement, type StatementView } from '../statement-view';
import type { LintFinding } from '../types';
import { grantsAction, type CheckContext } from './check-context';

/** Condition keys that narrow "any principal" down to an organization, an account or named principals. */
const PRINCIPAL_NARROWING_KEYS = ['aws:PrincipalOrgID', 'aws:PrincipalOrgPaths', 'aws:PrincipalAccount', 'aws:PrincipalArn', 'aws:SourceAccount', 'aws:SourceArn', 'aws:SourceOrgID'];

const ACCOUNT_ID = /^\d{12}$/;
const ROOT_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):root$/;
const ANY_ARN_ACCOUNT = /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):/;
const OIDC_PROVIDER_ARN = /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/(.+)$/;

/** The account an AWS principal belongs to, and whether it is the whole account (root or bare id). */
function principalAccount(value: string): { readonly account: string; readonly wholeAccount: boolean } | undefined {
  if (ACCOUNT_ID.test(value)) return { account: value, wholeAccount: true };
  const root = ROOT_ARN.exec(value);
  if (root) return { account: root[1], wholeAccount: true };
  const any = ANY_ARN_ACCOUNT.exec(value);
  return any ? { account: any[1], wholeAccount: false } : undefined;
}

function awsPrincipals(st: StatementView): readonly PolicyElement[] {
  return (st.principal?.entries ?? []).filter((e) => e.type === 'AWS');
}

/** trust-any-principal, trust-cross-account-without-mfa, trust-third-party-without-external-id, trust-oidc-unscoped. */
export function checkTrust(ctx: CheckContext): LintFinding[] {
  const out: LintFinding[] = [];
  const org = ctx.options.organizationAccountIds ? new Set(ctx.options.organizationAccountIds) : undefined;
  for (const st of ctx.view.statements) {
    if (st.effect !== 'Allow' || !st.principal) continue;
    const narrowed = PRINCIPAL_NARROWING_KEYS.some((k) => hasConditionKey(st, k));
    // Any principal.
    const anyElements: string[] = st.principal.isStar ? [st.principal.path] : awsPrincipals(st).filter((e) => e.value === '*').map((e) => e.path);
    if (!narrowed) {
      for (const path of anyElements) {
        out.push(createFinding('trust-any-principal', path, 'The role trusts every AWS principal ("*"), in every account: name the accounts or roles, or add an aws:PrincipalOrgID condition'));
      }
    }
    const assumesRole = st.actions === undefined || st.actions.some((a) => grantsAction(ctx.catalog, a.value, 'sts:AssumeRole'));
    const hasMfa = hasConditionKey(st, 'aws:MultiFactorAuthPresent') || hasConditionKey(st, 'aws:MultiFactorAuthAge');
    const hasExternalId = hasConditionKey(st, 'sts:ExternalId');
    const namesPrincipals = hasConditionKey(st, 'aws:PrincipalArn');
    const workload = st.sid !== undefined && (ctx.options.workloadTrustSids ?? []).includes(st.sid);
    if (assumesRole) {
      for (const el of awsPrincipals(st)) {
        const p = principalAccount(el.value);
        if (!p || p.account === ctx.options.accountId) continue;
        const thirdParty = org !== undefined && !org.has(p.account);
        if (thirdParty) {
          if (!hasExternalId) {
            out.push(createFinding('trust-third-party-without-external-id', el.path, `Account ${p.account} is outside the organization: a third party must present an sts:ExternalId (confused-deputy protection); add "StringEquals": {"sts:ExternalId": "<id the vendor gave you>"}`));
          }
        } else if (p.wholeAccount && !hasMfa && !hasExternalId && !namesPrincipals && !workload) {
          out.push(createFinding('trust-cross-account-without-mfa', el.path, `Every principal of account ${p.account}, people included, may assume the role without MFA: add "Bool": {"aws:MultiFactorAuthPresent": "true"}, or trust only named workload roles`));
        }
      }
    }
    for (const el of (st.principal.entries ?? []).filter((e) => e.type === 'Federated')) {
      const match = OIDC_PROVIDER_ARN.exec(el.value);
      if (match) out.push(...checkOidcScope(st, el, match[1]));
    }
  }
  return out;
}

type OidcKind = 'gitlab' | 'terraform-cloud' | 'github' | 'custom';

function oidcKind(host: string): OidcKind {
  const h = host.toLowerCase();
  if (h.includes('gitlab')) return 'gitlab';
  if (h === 'app.terraform.io' || h.includes('terraform')) return 'terraform-cloud';
  if (h.startsWith('token.actions.githubusercontent.com')) return 'github';
  return 'custom';
}

/** What a `sub` pattern must name, per issuer; undefined when the value is scoped enough. */
function subProblem(kind: OidcKind, value: string): string | undefined {
  if (/^\*+$/.test(value)) return 'matches every subject';
  switch (kind) {
    case 'gitlab':
      return /(^|:)project_path:[^*:]/.test(value) ? undefined : 'does not name a GitLab project (project_path:<group>/<project>:ref_type:branch:ref:<branch>)';
    case 'terraform-cloud':
      return /(^|:)organization:[^*:]+:/.test(value) && /:workspace:[^*:]/.test(value)
        ? undefined
        : 'does not name a Terraform Cloud organization and workspace (organization:<org>:project:<project>:workspace:<workspace>:run_phase:<phase>)';
    case 'github':
      return /^repo:[^*/]+\/[^*]/.test(value) ? undefined : 'does not name a GitHub repository (repo:<owner>/<repo>:...)';
    default:
      return undefined;
  }
}

function checkOidcScope(st: StatementView, principal: PolicyElement, host: string): LintFinding[] {
  const kind = oidcKind(host);
  const aud = conditionsOn(st, `${host}:aud`);
  const sub = conditionsOn(st, `${host}:sub`);
  const missing = [aud.length === 0 ? `"${host}:aud"` : undefined, sub.length === 0 ? `"${host}:sub"` : undefined].filter(Boolean);
  if (missing.length > 0) {
    return [
      createFinding(
        'trust-oidc-unscoped',
        principal.path,
        `OIDC trust of ${host} without a ${missing.join(' or ')} condition lets any token from the issuer assume the role: add StringEquals on ${host}:aud and StringLike on ${host}:sub`,
      ),
    ];
  }
  const out: LintFinding[] = [];
  for (const c of aud) {
    if (c.values.some((v) => /^\*+$/.test(v))) out.push(createFinding('trust-oidc-unscoped', c.path, `"${host}:aud" matches every audience: give the audience the issuer puts in its tokens`));
  }
  for (const c of sub) {
    const bad = c.values.map((v) => [v, subProblem(kind, v)] as const).filter(([, p]) => p !== undefined);
    if (bad.length > 0) out.push(createFinding('trust-oidc-unscoped', c.path, `"${host}:sub" value "${bad[0][0]}" ${bad[0][1]}`));
  }
  return out;
}
