import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { Guardrails, isPolicyCarrier, ManagedPolicy, Role } from '../../modules';
import { buildTrustPolicy } from '../../src/core/iam';
import { PolicyDocument, Statement } from '../../src/core/policy';

const ACCOUNT = '111122223333';
const source = { file: 'accounts/ou/acct/roles/r.yaml', path: '$' };
const trust = buildTrustPolicy({ accounts: [], services: ['ec2.amazonaws.com'], oidc: [], saml: [] }, { accountId: ACCOUNT });

function stackWithGuardrails(): TerraformStack {
  const stack = new TerraformStack(Testing.app(), 'test');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  Guardrails.of(stack).requirePermissionBoundary().requireMfaForHumanCrossAccountTrust().requireValidPolicies().requireValidUniqueNames().requireTags({ requiredTags: ['owner'] });
  return stack;
}

describe('Guardrails facade', () => {
  it('fails fullSynth on a role created outside the modules without a boundary', () => {
    // Given a raw aws_iam_role with no boundary and no owner tag
    const stack = stackWithGuardrails();
    new IamRole(stack, 'raw', { name: 'raw', assumeRolePolicy: trust.toString() });
    // When the stack is fully synthesized, Then the guardrail errors abort it
    expect(() => Testing.fullSynth(stack)).toThrow(
      'construct test/raw: role "raw" has no permission boundary: give the account a default boundary, name one in the role\'s "boundary", or opt out with a written reason',
    );
  });

  it('passes a role with a boundary, tags and valid policies', () => {
    const stack = stackWithGuardrails();
    new Role(stack, 'ok', { name: 'ok', accountId: ACCOUNT, assumeRolePolicy: trust, source, permissionsBoundaryArn: 'arn:aws:iam::111122223333:policy/b', tags: { owner: 'me' } });
    expect(() => Testing.fullSynth(stack)).not.toThrow();
  });

  it('treats a cross-account trust without config as human and requires MFA', () => {
    const stack = stackWithGuardrails();
    const open = new PolicyDocument({ statements: [new Statement({ principal: { AWS: ['arn:aws:iam::999988887777:root'] }, actions: ['sts:AssumeRole'] })] });
    new Role(stack, 'x', { name: 'x', accountId: ACCOUNT, assumeRolePolicy: open, source, permissionsBoundaryArn: 'b', tags: { owner: 'me' } });
    expect(() => Testing.fullSynth(stack)).toThrow(
      'accounts/ou/acct/roles/r.yaml $.Statement[0]: role "x" lets principals from arn:aws:iam::999988887777:root assume it without MFA or an external id: human cross-account trust must require MFA',
    );
  });

  it('does not let kind: workload switch MFA off for a whole-account trust', () => {
    // Given a trust config that calls a whole other account (its root) a workload, without MFA
    const stack = stackWithGuardrails();
    const entry = { principals: ['999988887777'], kind: 'workload' as const, requireMfa: false, source: { file: 'accounts/ou/acct/roles/w.yaml', path: '$.trust.accounts[0]' } };
    const config = { accounts: [entry], services: [], oidc: [], saml: [] };
    new Role(stack, 'w', { name: 'w', accountId: ACCOUNT, assumeRolePolicy: buildTrustPolicy(config, { accountId: ACCOUNT }), trust: config, source, permissionsBoundaryArn: 'b', tags: { owner: 'me' } });
    // When the stack is fully synthesized, Then the guardrail names the declaration and the account
    expect(() => Testing.fullSynth(stack)).toThrow(
      'role "w" declares kind: workload but trusts the whole account 999988887777, people included, without MFA: name the workload roles (arn:aws:iam::<account>:role/<name>) or require MFA',
    );
  });

  it('accepts kind: workload for named roles of another account', () => {
    const stack = stackWithGuardrails();
    const entry = { principals: ['arn:aws:iam::999988887777:role/scanner'], kind: 'workload' as const, requireMfa: false, source: { file: 'accounts/ou/acct/roles/w.yaml', path: '$.trust.accounts[0]' } };
    const config = { accounts: [entry], services: [], oidc: [], saml: [] };
    new Role(stack, 'w', { name: 'w', accountId: ACCOUNT, assumeRolePolicy: buildTrustPolicy(config, { accountId: ACCOUNT }), trust: config, source, permissionsBoundaryArn: 'b', tags: { owner: 'me' } });
    expect(() => Testing.fullSynth(stack)).not.toThrow();
  });

  it('reports an invalid managed policy with the file and the path inside the document', () => {
    const stack = stackWithGuardrails();
    const noResource = new PolicyDocument({ statements: [new Statement({ actions: ['s3:GetObject'] })] });
    const policy = new ManagedPolicy(stack, 'p', { name: 'p', document: noResource, source: { file: 'accounts/policies/p.yaml', path: '$.document' }, tags: { owner: 'me' } });
    expect(isPolicyCarrier(policy)).toBe(true);
    expect(() => Testing.fullSynth(stack)).toThrow(
      'accounts/policies/p.yaml $.document.Statement[0].Resource: managed policy "p": [invalid-document] Resource is missing: every statement of this policy type needs Resource or NotResource',
    );
  });

  it('checks the aggregate inline size, the managed policy count and the role name of a role', () => {
    // Given a role with a 65-character name, 11 managed policies and 3 inline policies of ~4,000 characters each
    const stack = stackWithGuardrails();
    const big = new PolicyDocument({ statements: [new Statement({ actions: Array.from({ length: 400 }, (_, i) => `s3:A${i}`), resources: ['*'] })] });
    const name = 'r'.repeat(65);
    new Role(stack, 'r', {
      name,
      accountId: ACCOUNT,
      assumeRolePolicy: trust,
      source,
      permissionsBoundaryArn: 'b',
      tags: { owner: 'me' },
      inlinePolicies: ['a', 'b', 'c'].map((n) => ({ name: n, document: big, source })),
      managedPolicies: Array.from({ length: 11 }, (_, i) => ({ name: `p${i}`, arn: `arn:aws:iam::aws:policy/P${i}` })),
    });
    // When the stack is synthesized, Then each limit is reported with its number and the fix
    let message = '';
    try {
      Testing.fullSynth(stack);
    } catch (error) {
      message = (error as Error).message;
    }
    // 3 × 3,973 characters: the minified document, counted outside the code under test
    const size = 11919;
    expect(message).toContain(`accounts/ou/acct/roles/r.yaml $.inlinePolicies: role "${name}": [size-limit] The inline policies of role "${name}" total ${size} characters, over MAX_ROLE_INLINE_POLICIES_CHARS (10240): move some into managed policies`);
    expect(message).toContain(`accounts/ou/acct/roles/r.yaml $.managedPolicies: role "${name}": [size-limit] Role "${name}" attaches 11 managed policies, over MAX_MANAGED_POLICIES_PER_ROLE (10): merge some`);
    expect(message).toContain(`accounts/ou/acct/roles/r.yaml: role name "${name}" is 65 characters, over the AWS limit of 64: shorten it`);
  });
});
