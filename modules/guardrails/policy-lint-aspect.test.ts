import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { AnnotationMetadataEntryType, Aspects, TerraformStack, Testing } from 'cdktf';
import { Role } from '../role';
import { buildTrustPolicy } from '../../src/core/iam';
import { PolicyDocument, Statement } from '../../src/core/policy';
import { loadActionCatalog } from '../../src/io/catalog';
import { PolicyLintAspect } from './policy-lint-aspect';

const ACCOUNT = '111122223333';
const source = { file: 'accounts/workloads/app-prod/roles/app.yaml', path: '$' };
const trust = buildTrustPolicy({ accounts: [], services: ['ecs-tasks.amazonaws.com'], oidc: [], saml: [] }, { accountId: ACCOUNT });
const catalog = loadActionCatalog();

function stackWithLint(): TerraformStack {
  const stack = new TerraformStack(Testing.app(), 'test');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  Aspects.of(stack).add(new PolicyLintAspect({ catalog }));
  return stack;
}

function roleWith(stack: TerraformStack, statements: Statement[], suppressions: { rule: string; reason: string }[] = []): Role {
  return new Role(stack, 'app', {
    name: 'app',
    accountId: ACCOUNT,
    assumeRolePolicy: trust,
    source,
    permissionsBoundaryArn: `arn:aws:iam::${ACCOUNT}:policy/boundary`,
    inlinePolicies: [{ name: 'read', document: new PolicyDocument({ statements }), source: { file: source.file, path: '$.inlinePolicies.read' } }],
    suppressions,
  } as ConstructorParameters<typeof Role>[2]);
}

describe('PolicyLintAspect', () => {
  it('stops the synth on an error-level finding, naming the file, the rule and the path', () => {
    // Given a role whose inline policy has a typo'd action
    const stack = stackWithLint();
    roleWith(stack, [new Statement({ actions: ['s3:GetObjekt'], resources: ['arn:aws:s3:::orders/*'] })]);
    // When the stack is fully synthesized, Then the lint error aborts it
    expect(() => Testing.fullSynth(stack)).toThrow(
      'accounts/workloads/app-prod/roles/app.yaml $.inlinePolicies.read.Statement[0].Action: inline policy "read" of role "app": [unknown-action] Action "s3:GetObjekt" does not exist; did you mean "s3:GetObject"?',
    );
  });

  it('annotates warnings without stopping the synth', () => {
    // Given a role with a service wildcard (a warning)
    const stack = stackWithLint();
    roleWith(stack, [new Statement({ actions: ['s3:*'], resources: ['arn:aws:s3:::orders', 'arn:aws:s3:::orders/*'] })]);
    // When synthesized, Then it passes and carries one warning annotation with file, rule and path
    expect(() => Testing.fullSynth(stack)).not.toThrow();
    const warnings = stack.node
      .findAll()
      .flatMap((c) => c.node.metadata)
      .filter((m) => m.type === AnnotationMetadataEntryType.WARN)
      .map((m) => String(m.data));
    expect(warnings).toContain(
      'accounts/workloads/app-prod/roles/app.yaml $.inlinePolicies.read.Statement[0].Action: inline policy "read" of role "app": [service-wildcard] Allow of every action of service "s3" ("s3:*"), including permission changes and deletions: list the actions needed',
    );
  });

  it('does not annotate suppressed findings', () => {
    // Given the same typo, suppressed next to the role with a reason
    const stack = stackWithLint();
    roleWith(stack, [new Statement({ actions: ['s3:GetObjekt'], resources: ['arn:aws:s3:::orders/*'] })], [{ rule: 'unknown-action', reason: 'test of suppression' }]);
    // When synthesized, Then nothing stops it
    expect(() => Testing.fullSynth(stack)).not.toThrow();
  });
});
