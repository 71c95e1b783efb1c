import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Testing } from 'cdktf';
import {
  BreakGlassRole,
  CrossAccountRole,
  isPolicyCarrier,
  ManagedPolicy,
  OidcFederatedRole,
  OidcProvider,
  PermissionBoundary,
  Role,
  SOURCE_TAG_KEY,
} from '../../modules';
import { buildTrustPolicy } from '../../src/core/iam';
import { PolicyDocument, Statement } from '../../src/core/policy';

const ACCOUNT = '111122223333';
const roleSource = { file: 'accounts/ou/acct/roles/app.yaml', path: '$' };
const readS3 = new PolicyDocument({ statements: [new Statement({ effect: 'Allow', actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] })] });
const lambdaTrust = buildTrustPolicy({ accounts: [], services: ['lambda.amazonaws.com'], oidc: [], saml: [] }, { accountId: ACCOUNT });

function parse(json: string): { resource: Record<string, Record<string, Record<string, unknown>>> } {
  return JSON.parse(json) as { resource: Record<string, Record<string, Record<string, unknown>>> };
}

describe('ManagedPolicy and PermissionBoundary', () => {
  it('emit aws_iam_policy with a literal JSON policy and the source tag, and carry the document', () => {
    let carrier: unknown;
    const json = Testing.synthScope((scope) => {
      new ManagedPolicy(scope, 'p', { name: 'read', document: readS3, source: { file: 'accounts/policies/read.yaml', path: '$' }, path: '/app/' });
      const boundary = new PermissionBoundary(scope, 'b', { name: 'boundary', document: readS3, source: { file: 'accounts/org.yaml', path: '$.permissionBoundary' } });
      carrier = boundary.policy;
    });
    expect(json).toHaveResourceWithProperties(IamPolicy, {
      name: 'read',
      path: '/app/',
      policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}',
      tags: { [SOURCE_TAG_KEY]: 'accounts/policies/read.yaml' },
    });
    expect(json).toHaveResourceWithProperties(IamPolicy, { name: 'boundary', description: 'Permission boundary of every role managed by iam-platform' });
    expect(isPolicyCarrier(carrier)).toBe(true);
    expect((carrier as ManagedPolicy).carriedPolicies.map((c) => [c.type, c.description])).toEqual([['boundary', 'permission boundary policy "boundary"']]);
  });
});

describe('Role', () => {
  it('emits the role, inline policies as aws_iam_role_policy and managed attachments', () => {
    let role: Role | undefined;
    const json = Testing.synthScope((scope) => {
      role = new Role(scope, 'r', {
        name: 'app',
        accountId: ACCOUNT,
        assumeRolePolicy: lambdaTrust,
        source: roleSource,
        path: '/svc/',
        maxSessionDuration: 7200,
        inlinePolicies: [{ name: 'read', document: readS3, source: { ...roleSource, path: '$.inline[0]' } }],
        managedPolicies: [{ name: 'ReadOnlyAccess', arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
        permissionsBoundaryArn: 'arn:aws:iam::111122223333:policy/boundary',
        tags: { team: 'app' },
      });
    });
    expect(json).toHaveResourceWithProperties(IamRole, {
      name: 'app',
      path: '/svc/',
      max_session_duration: 7200,
      permissions_boundary: 'arn:aws:iam::111122223333:policy/boundary',
      assume_role_policy: '{"Version":"2012-10-17","Statement":[{"Sid":"ServiceTrust","Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}',
      tags: { team: 'app', [SOURCE_TAG_KEY]: roleSource.file },
    });
    expect(json).toHaveResourceWithProperties(IamRolePolicy, { name: 'read', policy: readS3.toString() });
    expect(json).toHaveResourceWithProperties(IamRolePolicyAttachment, { policy_arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
    const roles = parse(json).resource.aws_iam_role;
    expect(Object.values(roles)[0]).not.toHaveProperty('inline_policy');
    expect(role?.carriedPolicies.map((c) => [c.type, c.description, c.source.path])).toEqual([
      ['trust', 'trust policy of role "app"', '$.trust'],
      ['identity', 'inline policy "read" of role "app"', '$.inline[0]'],
    ]);
  });

  it('keeps logical ids when inline policies are reordered', () => {
    const other = new PolicyDocument({ statements: [new Statement({ actions: ['sqs:SendMessage'], resources: ['*'] })] });
    const build = (order: string[]) =>
      Object.keys(
        parse(
          Testing.synthScope((scope) => {
            new Role(scope, 'r', {
              name: 'app',
              accountId: ACCOUNT,
              assumeRolePolicy: lambdaTrust,
              source: roleSource,
              inlinePolicies: order.map((name) => ({ name, document: name === 'a' ? readS3 : other, source: roleSource })),
            });
          }),
        ).resource.aws_iam_role_policy,
      ).sort();
    expect(build(['a', 'b'])).toEqual(build(['b', 'a']));
  });
});

describe('CrossAccountRole and BreakGlassRole', () => {
  it('require MFA with an age limit in the trust policy', () => {
    const json = Testing.synthScope((scope) => {
      new CrossAccountRole(scope, 'x', { name: 'admin', accountId: ACCOUNT, trustedPrincipals: ['999988887777'], source: roleSource, mfaMaxAgeSeconds: 1800 });
      new BreakGlassRole(scope, 'bg', { accountId: ACCOUNT, trustedPrincipals: ['arn:aws:iam::999988887777:role/security'], source: roleSource });
    });
    const roles = Object.values(parse(json).resource.aws_iam_role);
    const admin = roles.find((r) => r.name === 'admin');
    expect(JSON.parse(admin?.assume_role_policy as string)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AccountTrust0',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::999988887777:root' },
          Action: 'sts:AssumeRole',
          Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, NumericLessThan: { 'aws:MultiFactorAuthAge': '1800' } },
        },
      ],
    });
    const glass = roles.find((r) => r.name === 'break-glass');
    expect(glass?.tags).toEqual({ 'iam-platform:break-glass': 'true', [SOURCE_TAG_KEY]: roleSource.file });
    expect(glass?.assume_role_policy).toContain('"aws:MultiFactorAuthAge":"900"');
    expect(json).toHaveResourceWithProperties(IamRolePolicyAttachment, { policy_arn: 'arn:aws:iam::aws:policy/AdministratorAccess' });
  });
});

describe('OidcProvider and OidcFederatedRole', () => {
  it('create the provider and a web-identity role scoped by aud and sub that depends on it', () => {
    const json = Testing.synthScope((scope) => {
      const provider = new OidcProvider(scope, 'gitlab', { url: 'gitlab.com', clientIds: ['https://gitlab.com'], issuer: 'gitlab', accountId: ACCOUNT, source: roleSource });
      new OidcFederatedRole(scope, 'ci', { name: 'gitlab-deploy', accountId: ACCOUNT, provider, subjects: ['project_path:acme/iam:ref_type:branch:ref:main'], source: roleSource });
    });
    expect(json).toHaveResourceWithProperties(IamOpenidConnectProvider, { url: 'https://gitlab.com', client_id_list: ['https://gitlab.com'] });
    const role = Object.values(parse(json).resource.aws_iam_role)[0];
    expect(JSON.parse(role.assume_role_policy as string).Statement).toEqual([
      {
        Sid: 'OidcTrust0',
        Effect: 'Allow',
        Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/gitlab.com' },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { StringEquals: { 'gitlab.com:aud': 'https://gitlab.com' }, StringLike: { 'gitlab.com:sub': 'project_path:acme/iam:ref_type:branch:ref:main' } },
      },
    ]);
    expect(role.depends_on).toEqual([expect.stringMatching(/^aws_iam_openid_connect_provider\./)]);
  });

  it('uses the Terraform Cloud default audience', () => {
    const json = Testing.synthScope((scope) => {
      const provider = new OidcProvider(scope, 'tfc', { url: 'https://app.terraform.io', clientIds: ['aws.workload.identity'], issuer: 'terraform-cloud', accountId: ACCOUNT, source: roleSource });
      new OidcFederatedRole(scope, 'run', { name: 'tfc-run', accountId: ACCOUNT, provider, subjects: ['organization:acme:project:*:workspace:iam-*:run_phase:*'], source: roleSource });
    });
    expect(json).toContain('\\"app.terraform.io:aud\\":\\"aws.workload.identity\\"');
  });
});
