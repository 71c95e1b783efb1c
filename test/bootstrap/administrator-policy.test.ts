/**
 * docs/bootstrap-administrator-policy.json, the permissions the administrator who applies a bootstrap stack needs:
 * it passes our linter, and it allows every call the AWS provider makes to create, read, update and delete each
 * resource of every bootstrap stack of the example organization, on that resource's ARN.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadOrganization } from '../../src/config';
import { lintPolicy } from '../../src/core/lint';
import { loadActionCatalog } from '../../src/io/catalog/load-action-catalog';
import { synthesizeBootstrap } from '../../stacks';
import { copyCloudOrganization } from './support/cloud-org';

const POLICY_FILE = join(__dirname, '..', '..', 'docs', 'bootstrap-administrator-policy.json');

/**
 * IAM calls of the AWS provider's create, read, update and delete of each resource type (terraform-provider-aws
 * internal/service/iam: role.go, policy.go, openid_connect_provider.go, role_policy_attachment.go, role_policy.go).
 * A resource type missing here fails the test, so a new type in the bootstrap stack needs its permissions reviewed.
 */
const ACTIONS_BY_TYPE: Readonly<Record<string, readonly string[]>> = {
  aws_iam_role: [
    'iam:CreateRole', 'iam:GetRole', 'iam:DeleteRole', 'iam:UpdateAssumeRolePolicy', 'iam:UpdateRole', 'iam:UpdateRoleDescription', 'iam:TagRole', 'iam:UntagRole',
    'iam:ListRolePolicies', 'iam:ListAttachedRolePolicies', 'iam:ListInstanceProfilesForRole', 'iam:PutRolePermissionsBoundary', 'iam:DeleteRolePermissionsBoundary',
  ],
  aws_iam_policy: ['iam:CreatePolicy', 'iam:GetPolicy', 'iam:GetPolicyVersion', 'iam:ListPolicyVersions', 'iam:CreatePolicyVersion', 'iam:DeletePolicyVersion', 'iam:DeletePolicy', 'iam:TagPolicy', 'iam:UntagPolicy'],
  aws_iam_openid_connect_provider: [
    'iam:CreateOpenIDConnectProvider', 'iam:GetOpenIDConnectProvider', 'iam:DeleteOpenIDConnectProvider', 'iam:TagOpenIDConnectProvider', 'iam:UntagOpenIDConnectProvider',
    'iam:UpdateOpenIDConnectProviderThumbprint', 'iam:AddClientIDToOpenIDConnectProvider', 'iam:RemoveClientIDFromOpenIDConnectProvider',
  ],
  // Attach/detach authorize on the role.
  aws_iam_role_policy_attachment: ['iam:AttachRolePolicy', 'iam:DetachRolePolicy', 'iam:ListAttachedRolePolicies'],
  aws_iam_role_policy: ['iam:PutRolePolicy', 'iam:GetRolePolicy', 'iam:DeleteRolePolicy'],
};

interface Statement {
  readonly Effect: string;
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
}
type Resources = Record<string, Record<string, Record<string, unknown>>>;

const globToRegExp = (glob: string): RegExp => new RegExp(`^${glob.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');

function isAllowed(statements: readonly Statement[], action: string, arn: string): boolean {
  return statements.some((s) => s.Effect === 'Allow' && s.Action.some((a) => globToRegExp(a).test(action)) && s.Resource.some((r) => globToRegExp(r).test(arn)));
}

/** The ARN a resource's IAM calls authorize on (a role's for its attachments and inline policies). */
function authorizedArn(accountId: string, resources: Resources, type: string, body: Record<string, unknown>): string {
  const roleArn = (ref: string): string => {
    const name = /^\$\{aws_iam_role\.([^.]+)\.name\}$/.exec(ref)?.[1];
    const role = name ? resources.aws_iam_role?.[name] : undefined;
    return `arn:aws:iam::${accountId}:role${(role?.path as string | undefined) ?? '/'}${(role?.name as string | undefined) ?? ref}`;
  };
  switch (type) {
    case 'aws_iam_role':
      return `arn:aws:iam::${accountId}:role${(body.path as string | undefined) ?? '/'}${body.name as string}`;
    case 'aws_iam_policy':
      return `arn:aws:iam::${accountId}:policy${(body.path as string | undefined) ?? '/'}${body.name as string}`;
    case 'aws_iam_openid_connect_provider':
      return `arn:aws:iam::${accountId}:oidc-provider/${(body.url as string).replace(/^https:\/\//, '')}`;
    default:
      return roleArn(body.role as string);
  }
}

/** Every (action, ARN) the policy does not allow, for the resources of one stack. */
function uncovered(statements: readonly Statement[], accountId: string, resources: Resources): string[] {
  const out: string[] = [];
  for (const [type, named] of Object.entries(resources)) {
    const actions = ACTIONS_BY_TYPE[type];
    if (!actions) {
      out.push(`${type}: resource type without reviewed permissions`);
      continue;
    }
    for (const body of Object.values(named)) {
      const arn = authorizedArn(accountId, resources, type, body);
      for (const action of actions) if (!isAllowed(statements, action, arn)) out.push(`${action} on ${arn}`);
    }
  }
  return out;
}

describe('the bootstrap administrator policy', () => {
  const policy = JSON.parse(readFileSync(POLICY_FILE, 'utf8')) as { Statement: Statement[] };
  let root: string;
  let stacks: Array<{ accountId: string; resources: Resources }>;

  beforeAll(() => {
    root = copyCloudOrganization();
    const org = loadOrganization(root);
    const result = synthesizeBootstrap(org, { outdir: join(root, 'out') });
    stacks = org.accounts.map((account) => {
      const file = result.stacks.find((s) => s.stack === `iam-bootstrap-${account.name}`)!.file;
      return { accountId: account.id, resources: (JSON.parse(readFileSync(file, 'utf8')) as { resource: Resources }).resource };
    });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('passes the linter with no finding', () => {
    expect(lintPolicy(policy, { type: 'identity', catalog: loadActionCatalog() })).toEqual([]);
  });

  it('allows every call of every resource of every account\'s bootstrap stack, on its own ARN', () => {
    expect(stacks).toHaveLength(8);
    for (const stack of stacks) expect(uncovered(policy.Statement, stack.accountId, stack.resources)).toEqual([]);
  });

  it('the check bites: a missing action, a resource outside the policy and an unreviewed type are reported', () => {
    const statements = policy.Statement.map((s) => ({ ...s, Action: s.Action.filter((a) => a !== 'iam:TagRole') }));
    const resources: Resources = {
      aws_iam_role: { r: { name: 'tfc-iam-plan' }, other: { name: 'someone-else' } },
      aws_iam_user: { u: { name: 'x' } },
    };
    const problems = uncovered(statements, '111122223333', resources);
    expect(problems).toContain('iam:TagRole on arn:aws:iam::111122223333:role/tfc-iam-plan');
    expect(problems).toContain('iam:CreateRole on arn:aws:iam::111122223333:role/someone-else');
    expect(problems).toContain('aws_iam_user: resource type without reviewed permissions');
  });
});
