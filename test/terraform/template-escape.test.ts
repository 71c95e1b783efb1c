import { PolicyDocument } from '../../src/core/policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Testing, TerraformStack } from 'cdktf';
import { AccountStack } from '../../stacks';
import { PlatformStack } from '../../stacks/platform-stack';
import { escapeTerraformTemplate } from '../../stacks/terraform-template-escape';
import { makeAccount, makeRole } from '../stacks/account-fixture';

type TfJson = { resource: Record<string, Record<string, Record<string, unknown>>> };

class BareStack extends PlatformStack {}

/** Every IAM policy variable form the escape must keep literal (issue 9). */
const POLICY_VARIABLES = ['${aws:username}', '${aws:userid}', '${aws:PrincipalTag/team}', '${s3:prefix}', '${*}', '${?}', '${$}'] as const;

describe('escapeTerraformTemplate', () => {
  const cases: ReadonlyArray<readonly [string, string]> = [
    ['arn:aws:s3:::home/${aws:username}/*', 'arn:aws:s3:::home/$${aws:username}/*'],
    ['%{ if x }', '%%{ if x }'],
    ['${*}${?}${$}', '$${*}$${?}$${$}'],
    ['no template here {}', 'no template here {}'],
    ['$${already}', '$$${already}'],
    ['a ${TfToken[TOKEN.12]} and ${aws:userid}', 'a ${TfToken[TOKEN.12]} and $${aws:userid}'],
  ];
  it.each(cases)('escapes %j as %j', (input, expected) => {
    expect(escapeTerraformTemplate(input)).toBe(expected);
  });
});

describe('PlatformStack', () => {
  it('escapes literal policy variables and keeps references as interpolations', () => {
    // Given a role whose ARN is referenced inside a policy that also holds a policy variable
    const stack = new BareStack(Testing.app(), 'escape');
    const role = new IamRole(stack, 'x', { name: 'x', assumeRolePolicy: '{"Statement":[{"Condition":{"StringLike":{"aws:userid":"${aws:userid}"}}}]}', description: 'team ${aws:PrincipalTag/team}', tags: { note: '%{ literal }' } });
    new IamRolePolicy(stack, 'p', { role: role.name, name: 'p', policy: `{"Resource":"${role.arn}/\${aws:username}"}` });
    // When it is synthesized
    const tf = JSON.parse(Testing.synth(stack)) as TfJson;
    // Then the literals are escaped and the reference is not
    expect(tf.resource.aws_iam_role_policy.p.policy).toBe('{"Resource":"${aws_iam_role.x.arn}/$${aws:username}"}');
    expect(tf.resource.aws_iam_role_policy.p.role).toBe('${aws_iam_role.x.name}');
    expect(tf.resource.aws_iam_role.x.assume_role_policy).toBe('{"Statement":[{"Condition":{"StringLike":{"aws:userid":"$${aws:userid}"}}}]}');
    expect(tf.resource.aws_iam_role.x.description).toBe('team $${aws:PrincipalTag/team}');
    expect(tf.resource.aws_iam_role.x.tags).toEqual({ note: '%%{ literal }' });
  });

  it('escapes every policy variable form in an account stack role, and synthesizing twice does not escape twice', () => {
    // Given an account with a role whose inline policy uses every policy variable form
    const resources = POLICY_VARIABLES.map((v) => `arn:aws:s3:::bucket/${v}/*`);
    const account = makeAccount({
      roles: [makeRole('vars', { inlinePolicies: [{ name: 'vars', document: PolicyDocument.fromJson({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: resources }] }), source: { file: 'accounts/x.yaml', path: '$' } }] })],
    });
    const stack = new AccountStack(Testing.app(), account);
    // When it is synthesized (twice: the escape wraps each element once)
    Testing.synth(stack);
    const tf = JSON.parse(Testing.synth(stack)) as TfJson;
    // Then the inline policy holds each variable as $${...}
    const policy = Object.values(tf.resource.aws_iam_role_policy).find((p) => String(p.name) === 'vars');
    expect(policy).toBeDefined();
    const document = JSON.parse(String(policy?.policy)) as { Statement: Array<{ Resource: string[] }> };
    expect(document.Statement[0].Resource).toEqual([
      'arn:aws:s3:::bucket/$${aws:username}/*',
      'arn:aws:s3:::bucket/$${aws:userid}/*',
      'arn:aws:s3:::bucket/$${aws:PrincipalTag/team}/*',
      'arn:aws:s3:::bucket/$${s3:prefix}/*',
      'arn:aws:s3:::bucket/$${*}/*',
      'arn:aws:s3:::bucket/$${?}/*',
      'arn:aws:s3:::bucket/$${$}/*',
    ]);
  });

  it('is what a plain TerraformStack lacks (the test above would fail without it)', () => {
    const stack = new TerraformStack(Testing.app(), 'plain');
    new IamRole(stack, 'x', { name: 'x', assumeRolePolicy: '{}', description: '${aws:username}' });
    const tf = JSON.parse(Testing.synth(stack)) as TfJson;
    expect(tf.resource.aws_iam_role.x.description).toBe('${aws:username}');
  });
});
