import { createFinding } from '../finding';
import { conditionsOn, type ConditionEntry, type LocatedStatement, type PolicyElement } from '../../policy';
import type { LintFinding } from '../types';
import { grantsAction, type CheckContext } from './check-context';

/** Condition keys that narrow "any principal" down to an organization, an account or named principals. */
const PRINCIPAL_NARROWING_KEYS = ['aws:PrincipalOrgID', 'aws:PrincipalOrgPaths', 'aws:PrincipalAccount', 'aws:PrincipalArn', 'aws:SourceAccount', 'aws:SourceArn', 'aws:SourceOrgID', 'aws:SourceOrgPaths'];

/** Base operator without set prefix and IfExists (`ForAnyValue:StringLikeIfExists` → `StringLike`). */
function baseOperator(operator: string): string {
  return operator.replace(/^(ForAllValues|ForAnyValue):/i, '').replace(/IfExists$/i, '');
}

/** True for operators that admit what they list (not `StringNotLike`, `ArnNotEquals`, `Null`, ...). */
function isPositive(operator: string): boolean {
  const base = baseOperator(operator);
  return !/Not/.test(base) && base.toLowerCase() !== 'null';
}

/**
 * True when a condition value pins something: not only wildcards (`*`, `?*`), not an organization id of wildcards
 * (`o-*`), and for ARNs, not an account segment of wildcards (`arn:aws:iam::*:role/admin` is any account's role).
 */
function isConcreteValue(value: string): boolean {
  const v = value.trim();
  if (v === '' || /^[*?]+$/.test(v) || /^o-[*?]*$/.test(v)) return false;
  if (v.startsWith('arn:')) {
    const account = v.split(':')[4];
    if (account !== undefined && /^[*?]+$/.test(account)) return false;
  }
  return true;
}

/** True when a positive condition on one of the keys pins every one of its values. */
function restrictsBy(st: LocatedStatement, keys: readonly string[]): boolean {
  const wanted = new Set(keys.map((k) => k.toLowerCase()));
  return st.conditions.some((c) => wanted.has(c.key.toLowerCase()) && isPositive(c.operator) && c.values.length > 0 && c.values.every(isConcreteValue));
}

/**
 * How the statement requires MFA: `required` for `Bool aws:MultiFactorAuthPresent "true"` or a `NumericLessThan(Equals)`
 * on `aws:MultiFactorAuthAge` (both fail when the key is absent); `if-exists` when only `BoolIfExists` asks for it,
 * which admits requests without the key (long-term access keys); undefined otherwise (`"false"` is no MFA).
 */
function mfaRequirement(st: LocatedStatement): { readonly level: 'required' | 'if-exists'; readonly at?: ConditionEntry } | undefined {
  let ifExists: ConditionEntry | undefined;
  for (const c of conditionsOn(st, 'aws:MultiFactorAuthPresent')) {
    if (/^(ForAllValues|ForAnyValue):/i.test(c.operator) || baseOperator(c.operator) !== 'Bool') continue;
    if (c.values.length === 0 || !c.values.every((v) => v.trim().toLowerCase() === 'true')) continue;
    if (/IfExists$/.test(c.operator)) ifExists = c;
    else return { level: 'required', at: c };
  }
  for (const c of conditionsOn(st, 'aws:MultiFactorAuthAge')) {
    if (/^Numeric(LessThan|LessThanEquals)$/.test(c.operator)) return { level: 'required', at: c };
  }
  return ifExists ? { level: 'if-exists', at: ifExists } : undefined;
}

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

function awsPrincipals(st: LocatedStatement): readonly PolicyElement[] {
  return (st.principal?.entries ?? []).filter((e) => e.type === 'AWS');
}

/** trust-any-principal, trust-cross-account-without-mfa, trust-third-party-without-external-id, trust-oidc-unscoped. */
export function checkTrust(ctx: CheckContext): LintFinding[] {
  const out: LintFinding[] = [];
  const org = ctx.options.organizationAccountIds ? new Set(ctx.options.organizationAccountIds) : undefined;
  for (const st of ctx.view.statements) {
    if (st.effect !== 'Allow' || !st.principal) continue;
    const narrowed = restrictsBy(st, PRINCIPAL_NARROWING_KEYS);
    // Any principal.
    const anyElements: string[] = st.principal.isStar ? [st.principal.path] : awsPrincipals(st).filter((e) => e.value === '*').map((e) => e.path);
    if (!narrowed) {
      for (const path of anyElements) {
        out.push(
          createFinding(
            'trust-any-principal',
            path,
            'The role trusts every AWS principal ("*"), in every account: name the accounts or roles, or add a condition that pins them (StringEquals aws:PrincipalOrgID "o-<id>", aws:PrincipalAccount, aws:PrincipalArn with a concrete account); wildcard values, Null checks and negated operators restrict nothing',
          ),
        );
      }
    }
    const assumesRole = st.actions === undefined || st.actions.some((a) => grantsAction(ctx.catalog, a.value, 'sts:AssumeRole'));
    const mfa = mfaRequirement(st);
    const hasExternalId = restrictsBy(st, ['sts:ExternalId']);
    const namesPrincipals = restrictsBy(st, ['aws:PrincipalArn']);
    // `kind: workload` in accounts/ never switches MFA off: a workload trust names its roles (then no MFA applies),
    // and a whole-account trust without MFA needs a suppression with a written reason.
    const workload = st.sid !== undefined && (ctx.options.workloadTrustSids ?? []).includes(st.sid);
    let warnedIfExists = false;
    if (assumesRole) {
      for (const el of awsPrincipals(st)) {
        const p = principalAccount(el.value);
        if (!p || p.account === ctx.options.accountId) continue;
        const thirdParty = org !== undefined && !org.has(p.account);
        if (thirdParty) {
          if (!hasExternalId) {
            out.push(createFinding('trust-third-party-without-external-id', el.path, `Account ${p.account} is outside the organization: a third party must present an sts:ExternalId (confused-deputy protection); add "StringEquals": {"sts:ExternalId": "<id the vendor gave you>"}`));
          }
        } else if (p.wholeAccount && mfa?.level !== 'required' && !hasExternalId && !namesPrincipals) {
          if (mfa?.level === 'if-exists') {
            if (!warnedIfExists) {
              warnedIfExists = true;
              out.push(
                createFinding(
                  'trust-cross-account-without-mfa',
                  mfa.at!.path,
                  `BoolIfExists on aws:MultiFactorAuthPresent admits requests that carry no such key: long-term access keys of IAM users in account ${p.account} assume the role without MFA. Use "Bool": {"aws:MultiFactorAuthPresent": "true"}`,
                  'warning',
                ),
              );
            }
          } else {
            const declared = workload ? ' (declared kind: workload, but the trust admits the whole account, its people included)' : '';
            out.push(
              createFinding(
                'trust-cross-account-without-mfa',
                el.path,
                `Every principal of account ${p.account}, people included, may assume the role without MFA${declared}: add "Bool": {"aws:MultiFactorAuthPresent": "true"}, trust only named workload roles, or suppress with a written reason`,
              ),
            );
          }
        }
      }
    }
    for (const el of (st.principal.entries ?? []).filter((e) => e.type === 'Federated')) {
      const match = OIDC_PROVIDER_ARN.exec(el.value);
      if (match) out.push(...checkOidcScope(st, el, match[1], ctx.options.deployRole ?? false));
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

const WILD = /[*?]/;

/** The value of one `name:<value>` field of a subject (up to the next `:`), or undefined. */
function subjectField(sub: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|:)${name}:([^:]*)`).exec(sub);
  return m ? m[1] : undefined;
}

/**
 * What a `sub` pattern must pin, per issuer; undefined when it is scoped enough (GitLab: the full project path).
 */
function subProblem(kind: OidcKind, value: string): string | undefined {
  if (/^[*?]+$/.test(value)) return 'matches every subject';
  switch (kind) {
    case 'gitlab': {
      const project = subjectField(value, 'project_path');
      if (project === undefined || project === '' || WILD.test(project) || !project.includes('/')) {
        return 'does not pin a full GitLab project path (project_path:<group>/<project>:ref_type:branch:ref:<branch>, no wildcard in the path)';
      }
      return undefined;
    }
    case 'terraform-cloud': {
      const org = subjectField(value, 'organization');
      const workspace = subjectField(value, 'workspace');
      return org && workspace && !WILD.test(org) && !WILD.test(workspace)
        ? undefined
        : 'does not pin a Terraform Cloud organization and workspace (organization:<org>:project:<project>:workspace:<workspace>:run_phase:<phase>, no wildcard in either)';
    }
    case 'github': {
      const m = /^repo:([^/:]+)\/([^:]+)/.exec(value);
      return m && !WILD.test(m[1]) && !WILD.test(m[2]) ? undefined : 'does not pin a GitHub repository (repo:<owner>/<repo>:...)';
    }
    default:
      return undefined;
  }
}

/**
 * For a deploy role: the GitLab ref a `sub` admits must be a protected one. AWS sees only the claim, so we ask for
 * an exact branch (`ref_type:branch:ref:main`) or a tag pattern with a literal prefix (`ref_type:tag:ref:v*`, which
 * GitLab can protect as a pattern). @returns the problem, or undefined
 */
function refProblem(value: string): string | undefined {
  const refType = subjectField(value, 'ref_type');
  const ref = /:ref:([^:]*)$/.exec(value)?.[1];
  if (refType === 'tag' && ref !== undefined && /^[^*?]+/.test(ref)) return undefined;
  if (refType === 'branch' && ref !== undefined && ref !== '' && !WILD.test(ref)) return undefined;
  return 'lets a deploy role be assumed from any ref: pin a protected branch (…:ref_type:branch:ref:main) or a protected tag pattern (…:ref_type:tag:ref:v*)';
}

function checkOidcScope(st: LocatedStatement, principal: PolicyElement, host: string, deployRole: boolean): LintFinding[] {
  const kind = oidcKind(host);
  const audAll = conditionsOn(st, `${host}:aud`);
  const subAll = conditionsOn(st, `${host}:sub`);
  // StringNotLike / StringNotEquals on sub or aud admit every value they do not list: they scope nothing.
  const aud = audAll.filter((c) => isPositive(c.operator));
  const sub = subAll.filter((c) => isPositive(c.operator));
  const out: LintFinding[] = [];
  for (const c of [...audAll, ...subAll].filter((x) => !isPositive(x.operator))) {
    out.push(createFinding('trust-oidc-unscoped', c.path, `${c.operator} on "${c.key}" admits every value it does not list: pin the allowed values with StringEquals or StringLike`));
  }
  const missing = [aud.length === 0 ? `"${host}:aud"` : undefined, sub.length === 0 ? `"${host}:sub"` : undefined].filter(Boolean);
  if (missing.length > 0) {
    out.push(
      createFinding(
        'trust-oidc-unscoped',
        principal.path,
        `OIDC trust of ${host} without a ${missing.join(' or ')} condition lets any token from the issuer assume the role: add StringEquals on ${host}:aud and StringLike on ${host}:sub`,
      ),
    );
    return out;
  }
  for (const c of aud) {
    if (c.values.some((v) => /^[*?]+$/.test(v))) out.push(createFinding('trust-oidc-unscoped', c.path, `"${host}:aud" matches every audience: give the audience the issuer puts in its tokens`));
  }
  for (const c of sub) {
    const bad = c.values.map((v) => [v, subProblem(kind, v)] as const).filter(([, p]) => p !== undefined);
    if (bad.length > 0) out.push(createFinding('trust-oidc-unscoped', c.path, `"${host}:sub" value "${bad[0][0]}" ${bad[0][1]}`));
    else if (deployRole && kind === 'gitlab') {
      // A warning: the ref's protection lives in GitLab, which the linter cannot see.
      const unpinned = c.values.find((v) => refProblem(v) !== undefined);
      if (unpinned !== undefined) out.push(createFinding('trust-oidc-unscoped', c.path, `"${host}:sub" value "${unpinned}" ${refProblem(unpinned)}`, 'warning'));
    }
  }
  return out;
}
