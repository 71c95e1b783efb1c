import * as path from 'node:path';
import { loadOrganization } from '../../src/config';
import { matchesWildcard } from '../../src/core/catalog';
import type { ResolvedServiceControlPolicy } from '../../src/core/model';

/**
 * What the example SCPs deny, evaluated as AWS does for a Deny statement (Action and Resource wildcards,
 * ArnNotLike / ArnNotEquals on aws:PrincipalArn, case-insensitive key). Issue 10, findings 1 and 6:
 * an account administrator could borrow the drift handler's role, and users, groups, SAML providers and
 * the drift-detection resources were not covered. Expected outcomes are written here per call.
 */
const REPO_ROOT = path.join(__dirname, '..', '..');
const ACCOUNT = '530987654321';
const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? (v as string[]) : [v as string]);

interface Call {
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
}

/** True when a statement of the SCP denies the call (no Allow logic: SCP allows come from FullAWSAccess). */
function denies(scp: ResolvedServiceControlPolicy, call: Call): boolean {
  const statements = list(scp.document.toJSON().Statement) as unknown as Record<string, unknown>[];
  return statements.some((st) => {
    if (st.Effect !== 'Deny') return false;
    if (!list(st.Action).some((a) => matchesWildcard(a, call.action))) return false;
    if (!list(st.Resource).some((r) => matchesWildcard(r, call.resource, false))) return false;
    const conditions = (st.Condition ?? {}) as Record<string, Record<string, unknown>>;
    return Object.entries(conditions).every(([operator, keys]) =>
      Object.entries(keys).every(([key, values]) => {
        if (key.toLowerCase() !== 'aws:principalarn' || !/^Arn(Not)?(Like|Equals)$/.test(operator)) throw new Error(`unexpected condition ${operator} ${key}`);
        const matched = list(values).some((v) => matchesWildcard(v, call.principal, false));
        return operator.startsWith('ArnNot') ? !matched : matched;
      }),
    );
  });
}

const org = loadOrganization(REPO_ROOT);
const scps = org.organization?.scps ?? [];
const deniedBy = (call: Call): string[] => scps.filter((s) => denies(s, call)).map((s) => s.name);

const role = (name: string): string => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const admin = role('platform-admin');
const pipeline = role('tfc-iam-apply');
const driftFunction = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:iam-platform-drift`;

describe('example SCPs', () => {
  it.each([
    ['iam:PassRole', role('iam-platform-drift-handler'), 'protect-drift-detection'],
    ['lambda:CreateFunction', `arn:aws:lambda:us-east-1:${ACCOUNT}:function:iam-platform-drift-evil`, 'protect-drift-detection'],
    ['lambda:UpdateFunctionCode', driftFunction, 'protect-drift-detection'],
    ['lambda:UpdateFunctionConfiguration', `${driftFunction}-config-rule`, 'protect-drift-detection'],
    ['events:DisableRule', `arn:aws:events:us-east-1:${ACCOUNT}:rule/iam-platform-drift-iam-calls`, 'protect-drift-detection'],
    ['events:RemoveTargets', `arn:aws:events:us-east-1:${ACCOUNT}:rule/iam-platform-drift-compliance-change`, 'protect-drift-detection'],
    ['s3:DeleteBucketPolicy', `arn:aws:s3:::iam-platform-drift-${ACCOUNT}-us-east-1`, 'protect-drift-detection'],
    ['s3:PutObject', `arn:aws:s3:::iam-platform-drift-${ACCOUNT}-us-east-1/desired/app-prod.json`, 'protect-drift-detection'],
    ['config:DeleteConfigRule', '*', 'protect-drift-detection'],
    ['sns:Unsubscribe', `arn:aws:sns:us-east-1:${ACCOUNT}:iam-platform-drift-alerts`, 'protect-drift-detection'],
    ['iam:CreateUser', `arn:aws:iam::${ACCOUNT}:user/backdoor`, 'protect-iam-platform'],
    ['iam:AddUserToGroup', `arn:aws:iam::${ACCOUNT}:group/admins`, 'protect-iam-platform'],
    ['iam:AttachGroupPolicy', `arn:aws:iam::${ACCOUNT}:group/admins`, 'protect-iam-platform'],
    ['iam:CreateSAMLProvider', `arn:aws:iam::${ACCOUNT}:saml-provider/evil`, 'protect-iam-platform'],
    ['iam:AddClientIDToOpenIDConnectProvider', `arn:aws:iam::${ACCOUNT}:oidc-provider/gitlab.com`, 'protect-iam-platform'],
    ['iam:DeleteLoginProfile', `arn:aws:iam::${ACCOUNT}:user/someone`, 'protect-iam-platform'],
    ['iam:AddRoleToInstanceProfile', `arn:aws:iam::${ACCOUNT}:instance-profile/web`, 'protect-iam-platform'],
    ['iam:CreateRole', role('iam-platform-backdoor'), 'protect-iam-platform'],
  ])('denies an account administrator %s on %s (%s)', (action, resource, scp) => {
    expect(deniedBy({ principal: admin, action, resource })).toContain(scp);
  });

  it('leaves those calls to the pipeline (the apply role and the bootstrap deploy role)', () => {
    for (const principal of [pipeline, role('iam-platform-deploy')]) {
      expect(deniedBy({ principal, action: 'iam:PassRole', resource: role('iam-platform-drift-handler') })).toEqual([]);
      expect(deniedBy({ principal, action: 'lambda:UpdateFunctionCode', resource: driftFunction })).toEqual([]);
      expect(deniedBy({ principal, action: 'iam:CreateRole', resource: role('app-worker') })).toEqual([]);
    }
  });

  it('does not exempt the application pipeline or the plan role from the IAM-write deny', () => {
    expect(deniedBy({ principal: role('gitlab-deploy'), action: 'iam:PutRolePolicy', resource: role('app-worker') })).toEqual(['protect-iam-platform']);
    expect(deniedBy({ principal: role('tfc-iam-plan'), action: 'iam:PutRolePolicy', resource: role('app-worker') })).toEqual(['protect-iam-platform']);
  });

  it('does not let the drift handler pass its own role or change its own function', () => {
    const handler = role('iam-platform-drift-handler');
    expect(deniedBy({ principal: handler, action: 'iam:PassRole', resource: handler })).toEqual(['protect-drift-detection']);
    expect(deniedBy({ principal: handler, action: 'lambda:UpdateFunctionCode', resource: driftFunction })).toEqual(['protect-drift-detection']);
  });

  it('names exact roles in every exemption: no role/* or * pattern', () => {
    for (const scp of scps) {
      for (const st of list(scp.document.toJSON().Statement) as unknown as Record<string, unknown>[]) {
        for (const keys of Object.values((st.Condition ?? {}) as Record<string, Record<string, unknown>>)) {
          for (const [key, values] of Object.entries(keys)) {
            if (key.toLowerCase() !== 'aws:principalarn') continue;
            for (const v of list(values)) expect({ scp: scp.name, v, ok: /^arn:aws:iam::\*:role\/[\w+=,.@-]+$/.test(v) }).toEqual({ scp: scp.name, v, ok: true });
          }
        }
      }
    }
  });
});
