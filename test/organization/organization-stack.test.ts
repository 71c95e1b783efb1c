import { PolicyDocument } from '../../src/core/policy';
import { join } from 'node:path';
import { Cloudtrail } from '@cdktf/provider-aws/lib/cloudtrail';
import { OrganizationsPolicy } from '@cdktf/provider-aws/lib/organizations-policy';
import { App, Testing } from 'cdktf';
import { loadOrganization } from '../../src/config';
import type { ResolvedOrganization } from '../../src/core/model';
import { loadActionCatalog } from '../../src/io/catalog';
import { collectAnnotations } from '../../stacks/app';
import { EXAMPLE_ORG_ROOT } from '../support/example-org';
import { ORGANIZATION_STACK_NAME, OrganizationLogArchiveStack, OrganizationStack, addOrganizationStacks } from '../../stacks/organization-stack';

type Synth = {
  provider: { aws: Record<string, unknown>[] };
  terraform: { backend?: Record<string, unknown>; cloud?: Record<string, unknown> };
  resource: Record<string, Record<string, Record<string, unknown>>>;
};

const example = loadOrganization(EXAMPLE_ORG_ROOT);
const base = loadOrganization(join(__dirname, '..', 'fixtures', 'organization', 'base'));
const catalog = loadActionCatalog();

function build(org: ResolvedOrganization): OrganizationStack {
  return new OrganizationStack(Testing.app(), org, { catalog });
}

describe('OrganizationStack', () => {
  it('synthesizes iam-organization in the management account with the example SCPs, trail and alarms', () => {
    // Given the example organization
    const stack = build(example);
    // When the stack is synthesized
    const json = Testing.synth(stack);
    const synth = JSON.parse(json) as Synth;
    // Then it deploys with the management account's deploy role only
    expect(stack.node.id).toBe(ORGANIZATION_STACK_NAME);
    expect(synth.provider.aws).toEqual([
      expect.objectContaining({ region: 'eu-west-1', allowed_account_ids: ['210987654321'], assume_role: [{ role_arn: 'arn:aws:iam::210987654321:role/iam-platform-deploy', session_name: 'iam-platform' }] }),
    ]);
    expect(synth.terraform.backend).toEqual({ local: { path: 'terraform.iam-organization.tfstate' } });
    // And every SCP is attached where accounts/scps/ says: two to the root, three OUs for the other three
    expect(Object.values(synth.resource.aws_organizations_policy).map((p) => p.name)).toEqual([
      'deny-audit-tampering',
      'deny-iam-user-credentials',
      'protect-drift-detection',
      'protect-iam-platform',
      'restrict-break-glass-assume',
    ]);
    expect(Object.keys(synth.resource.aws_organizations_policy_attachment)).toHaveLength(2 + 3 * 3);
    // And the trail writes to the log-archive bucket with the log-archive key, by literal names
    expect(json).toHaveResourceWithProperties(Cloudtrail, {
      name: 'organization-trail',
      is_organization_trail: true,
      s3_bucket_name: 'acme-organization-trail-320987654321',
      kms_key_id: 'arn:aws:kms:eu-west-1:320987654321:alias/organization-trail',
    });
    expect(Object.keys(synth.resource.aws_cloudwatch_metric_alarm)).toHaveLength(3);
    expect(synth.resource.aws_s3_bucket).toBeUndefined();
    // And the example SCPs pass the lint aspect: no error or warning annotations
    expect(collectAnnotations(stack).filter((a) => a.level !== 'info')).toEqual([]);
  });

  it('puts the trail bucket and key in iam-organization-log-archive, deployed with the log-archive deploy role, applied first', () => {
    // Given the example organization
    const app = Testing.app();
    // When the organization stacks are added
    const stacks = addOrganizationStacks(app, example, { catalog });
    // Then there are two stacks and the management one depends on the log-archive one
    expect(stacks?.logArchive).toBeInstanceOf(OrganizationLogArchiveStack);
    expect(stacks?.organization.dependencies).toEqual([stacks?.logArchive]);
    const synth = JSON.parse(Testing.synth(stacks!.logArchive!)) as Synth;
    expect(stacks?.logArchive?.node.id).toBe('iam-organization-log-archive');
    expect(synth.provider.aws).toEqual([
      expect.objectContaining({ region: 'eu-west-1', allowed_account_ids: ['320987654321'], assume_role: [{ role_arn: 'arn:aws:iam::320987654321:role/iam-platform-deploy', session_name: 'iam-platform' }] }),
    ]);
    expect(synth.terraform.backend).toEqual({ local: { path: 'terraform.iam-organization-log-archive.tfstate' } });
    expect(Object.values(synth.resource.aws_s3_bucket).map((b) => b.bucket)).toEqual(['acme-organization-trail-320987654321-access-logs', 'acme-organization-trail-320987654321']);
    expect(Object.values(synth.resource.aws_kms_alias).map((a) => a.name)).toEqual(['alias/organization-trail']);
  });

  it('adds no stack when org.yaml has no organization section', () => {
    const { organization: _none, ...withoutSettings } = base;
    expect(addOrganizationStacks(Testing.app(), withoutSettings)).toBeUndefined();
  });

  it('uses the Terraform Cloud workspace <prefix>organization with the cloud backend', () => {
    const backend = { type: 'cloud' as const, organization: 'acme', hostname: 'app.terraform.io', project: 'iam', workspacePrefix: 'iam-' };
    const org = { ...base, accounts: base.accounts.map((a) => ({ ...a, backend })) };
    const stacks = addOrganizationStacks(Testing.app(), org, { catalog });
    const synth = JSON.parse(Testing.synth(stacks!.organization)) as Synth;
    expect(stacks?.organization.node.id).toBe('iam-organization');
    expect(synth.terraform.cloud).toEqual({ hostname: 'app.terraform.io', organization: 'acme', workspaces: { name: 'iam-organization', project: 'iam' } });
    const archive = JSON.parse(Testing.synth(stacks!.logArchive!)) as Synth;
    expect(archive.terraform.cloud).toEqual({ hostname: 'app.terraform.io', organization: 'acme', workspaces: { name: 'iam-organization-log-archive', project: 'iam' } });
  });

  it('warns when an SCP targets only the management account, which SCPs never affect', () => {
    const settings = base.organization!;
    const scp = { ...settings.scps[0], targets: [{ kind: 'account' as const, name: 'management', id: settings.managementAccountId }] };
    const stack = build({ ...base, organization: { ...settings, scps: [scp] } });
    Testing.synth(stack);
    expect(collectAnnotations(stack).filter((a) => a.level === 'warning').map((a) => a.message)).toEqual([
      'accounts/scps/deny-leave-organization.yaml:1 $.targets: service control policy "deny-leave-organization" targets only the management account (management), which SCPs never affect: attach it to OUs with member accounts or the root',
    ]);
  });

  it('warns too when the only OU targeted holds nothing but the management account, and not for an OU with members', () => {
    const settings = base.organization!;
    const managementOu = { ...settings.scps[0], name: 'management-ou-only', targets: [{ kind: 'ou' as const, name: 'management' }] };
    const workloads = { ...settings.scps[0], name: 'workloads', targets: [{ kind: 'ou' as const, name: 'workloads' }] };
    const stack = build({ ...base, organization: { ...settings, scps: [managementOu, workloads] } });
    Testing.synth(stack);
    const warnings = collectAnnotations(stack).filter((a) => a.level === 'warning').map((a) => a.message);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('service control policy "management-ou-only" targets only the management account (management)');
  });

  it('lints the SCPs: a deny of pipeline IAM actions without an exemption is an error annotation with the file', () => {
    // Given an SCP that denies iam:CreateRole to everyone
    const settings = base.organization!;
    const scp = { ...settings.scps[0], document: PolicyDocument.fromJson({ Version: '2012-10-17' as const, Statement: [{ Effect: 'Deny' as const, Action: 'iam:CreateRole', Resource: '*' }] }) };
    const stack = build({ ...base, organization: { ...settings, scps: [scp] } });
    // When the stack synthesizes
    Testing.synth(stack);
    // Then the lint aspect reports scp-locks-out-pipeline as an error at the SCP's file and path
    const errors = collectAnnotations(stack).filter((a) => a.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0].problem).toEqual(
      expect.objectContaining({ rule: 'lint/scp-locks-out-pipeline', file: 'accounts/scps/deny-leave-organization.yaml', path: '$.document.Statement[0].Action' }),
    );
    expect(Testing.synth(stack)).toHaveResource(OrganizationsPolicy);
  });

  it('needs the organization settings', () => {
    const { organization: _none, ...withoutSettings } = base;
    expect(() => new OrganizationStack(new App(), withoutSettings)).toThrow(
      'OrganizationStack needs org.organization with a resolved management account: check org.organization before creating the stack',
    );
  });
});
