import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Testing } from 'cdktf';
import type { SourceMap } from '../../modules';
import { AccountStack, synthesizeOrganization } from '../../stacks';
import type { ResolvedAccount } from '../../src/core/model';
import { ACCOUNT_FILE, makeAccount, makeOrg, makeRole } from './account-fixture';

type TfJson = {
  terraform: Record<string, unknown>;
  resource: Record<string, Record<string, Record<string, unknown>>>;
};

function synth(account: ResolvedAccount): string {
  return Testing.synth(new AccountStack(Testing.app(), account));
}

describe('AccountStack', () => {
  it('adds drift detection in us-east-1 through a second provider when the account enables it', () => {
    // Given an account in eu-west-1 with drift detection enabled
    const tf = JSON.parse(synth(makeAccount({ drift: { mode: 'remediate', enabled: true } }))) as TfJson & { provider: { aws: Record<string, unknown>[] } };
    // Then a us-east-1 provider with the same deploy role and account pin carries the drift resources
    const aliased = tf.provider.aws.find((p) => p.alias === 'iam-events');
    expect(aliased).toMatchObject({ region: 'us-east-1', allowed_account_ids: ['111122223333'] });
    const functions = Object.values(tf.resource.aws_lambda_function ?? {});
    expect(functions.map((f) => f.provider)).toEqual(['aws.iam-events', 'aws.iam-events']);
    expect(Object.values(tf.resource.aws_config_config_rule ?? {}).length).toBeGreaterThan(0);
    // And its roles carry the account's permission boundary, like every role
    const driftRoles = Object.values(tf.resource.aws_iam_role).filter((r) => String(r.name).startsWith('iam-platform-drift-'));
    expect(driftRoles.length).toBe(2);
    const boundaryId = Object.keys(tf.resource.aws_iam_policy).find((id) => id.startsWith('boundary_'));
    for (const role of driftRoles) expect(role.permissions_boundary).toBe(`\${aws_iam_policy.${boundaryId}.arn}`);
  });

  it('adds no drift resources when drift detection is off, and no second provider in us-east-1', () => {
    const off = JSON.parse(synth(makeAccount())) as TfJson;
    expect(off.resource.aws_lambda_function).toBeUndefined();
    const east = JSON.parse(synth(makeAccount({ regions: ['us-east-1'], drift: { mode: 'alert', enabled: true } }))) as TfJson & { provider: { aws: Record<string, unknown>[] } };
    expect(east.provider.aws).toHaveLength(1);
    expect(Object.values(east.resource.aws_lambda_function ?? {}).map((f) => f.provider)).toEqual([undefined, undefined]);
  });

  it('configures the provider to assume the deploy role in the account only, with default tags', () => {
    const json = synth(makeAccount());
    expect(json).toHaveProviderWithProperties(AwsProvider, {
      region: 'eu-west-1',
      allowed_account_ids: ['111122223333'],
      assume_role: [{ role_arn: 'arn:aws:iam::111122223333:role/iam-platform-deploy', session_name: 'iam-platform' }],
      default_tags: [{ tags: { 'managed-by': 'iam-platform', account: 'app-prod', owner: 'team-app', 'source-file': ACCOUNT_FILE, 'cost-center': 'cc-42' } }],
    });
  });

  it('uses the local backend by default and never sets required_version', () => {
    const tf = JSON.parse(synth(makeAccount())) as TfJson;
    expect(tf.terraform.backend).toEqual({ local: { path: 'terraform.iam-app-prod.tfstate' } });
    expect(tf.terraform).not.toHaveProperty('required_version');
  });

  it('uses one Terraform Cloud workspace per account when the org names a TFC organization', () => {
    const account = makeAccount({ backend: { type: 'cloud', organization: 'acme', hostname: 'app.terraform.io', workspacePrefix: 'iam-', project: 'iam' } });
    const tf = JSON.parse(synth(account)) as TfJson;
    expect(tf.terraform.cloud).toEqual({ organization: 'acme', hostname: 'app.terraform.io', workspaces: { name: 'iam-app-prod', project: 'iam' } });
    expect(tf.terraform).not.toHaveProperty('backend');
  });

  it('uses S3 with a per-account key and native locking when asked', () => {
    const account = makeAccount({ backend: { type: 's3', bucket: 'acme-tfstate', keyPrefix: 'iam/', region: 'eu-west-1' } });
    const tf = JSON.parse(synth(account)) as TfJson;
    expect(tf.terraform.backend).toEqual({ s3: { bucket: 'acme-tfstate', key: 'iam/app-prod/terraform.tfstate', region: 'eu-west-1', encrypt: true, use_lockfile: true } });
  });

  it('creates the boundary and policies and wires roles to them by reference', () => {
    const role = makeRole('deployer', {
      managedPolicies: [
        { kind: 'customer', name: 'app-deploy', source: { file: 'accounts/workloads/app-prod/roles/deployer.yaml', path: '$.policies[0]' } },
        { kind: 'aws', name: 'job-function/ViewOnlyAccess', source: { file: 'accounts/workloads/app-prod/roles/deployer.yaml', path: '$.policies[1]' } },
      ],
    });
    const json = synth(makeAccount({ roles: [role] }));
    expect(json).toHaveResourceWithProperties(IamPolicy, { name: 'iam-platform-boundary' });
    expect(json).toHaveResourceWithProperties(IamPolicy, { name: 'app-deploy', tags: { 'iam-platform:source': 'accounts/workloads/app-prod/policies/app-deploy.yaml' } });
    expect(json).toHaveResourceWithProperties(IamRole, {
      name: 'deployer',
      permissions_boundary: expect.stringMatching(/^\$\{aws_iam_policy\.boundary_policy_[0-9A-F]+\.arn\}$/),
      tags: { owner: 'team-app', 'iam-platform:source': 'accounts/workloads/app-prod/roles/deployer.yaml' },
    });
    expect(json).toHaveResourceWithProperties(IamRolePolicyAttachment, { policy_arn: expect.stringMatching(/^\$\{aws_iam_policy\.policy-app-deploy_policy_[0-9A-F]+\.arn\}$/) });
    expect(json).toHaveResourceWithProperties(IamRolePolicyAttachment, { policy_arn: 'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess' });
  });

  it('keeps logical ids stable when roles are reordered', () => {
    const ids = (roles: ResolvedAccount['roles']) => Object.keys((JSON.parse(synth(makeAccount({ roles }))) as TfJson).resource.aws_iam_role).sort();
    expect(ids([makeRole('a'), makeRole('b')])).toEqual(ids([makeRole('b'), makeRole('a')]));
  });

  it('maps every resource address to its accounts/ file and path in sources.json', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'h3-stack-'));
    try {
      const result = synthesizeOrganization(makeOrg([makeAccount()]), { outdir: path.join(outdir, 'cdktf.out') });
      const tf = JSON.parse(fs.readFileSync(result.stacks[0].file, 'utf8')) as TfJson;
      const sources = JSON.parse(fs.readFileSync(result.stacks[0].sourcesFile ?? '', 'utf8')) as SourceMap;
      const addresses = Object.entries(tf.resource).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`));
      expect(Object.keys(sources.resources).sort()).toEqual(addresses.sort());
      expect(sources.stack).toBe('iam-app-prod');
      const role = addresses.find((a) => a.startsWith('aws_iam_role_policy.')) ?? '';
      expect(sources.resources[role]).toEqual({ file: 'accounts/workloads/app-prod/roles/app.yaml', path: '$.inline[0]' });
      expect(JSON.stringify(tf)).not.toContain('"overrides"');
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
