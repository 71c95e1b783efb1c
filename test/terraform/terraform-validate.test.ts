import { PolicyDocument } from '../../src/core/policy';
/**
 * Real `terraform validate` (terraform on PATH, the AWS provider from `npm run setup:terraform`):
 * a role with every IAM policy variable form, and every stack of the example organization through
 * `iamctl validate --terraform`. Fails (never skips) when terraform or the provider is missing.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { Testing, TerraformStack } from 'cdktf';
import { COMMANDS } from '../../src/cli/commands';
import { runCli } from '../../src/cli/program';
import { locateTerraform, validateStack, type TerraformInstallation } from '../../src/io/terraform';
import { AccountStack } from '../../stacks';
import { captureOutput } from '../support/capture-output';
import { makeAccount, makeRole } from '../stacks/account-fixture';

const ROOT = path.resolve(__dirname, '../..');
const POLICY_VARIABLES = ['${aws:username}', '${aws:userid}', '${aws:PrincipalTag/team}', '${s3:prefix}', '${*}', '${?}', '${$}'];

describe('terraform validate on synthesized stacks', () => {
  let installation: TerraformInstallation;
  let tmp: string;

  beforeAll(() => {
    installation = locateTerraform({ root: ROOT });
    tmp = mkdtempSync(path.join(tmpdir(), 'iamctl-tf-validate-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  function writeStack(name: string, json: string): string {
    const dir = path.join(tmp, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'cdk.tf.json'), json);
    return dir;
  }

  it('validates a role that uses every IAM policy variable form', async () => {
    // Given an account stack whose role policy and trust use each policy variable
    const resources = POLICY_VARIABLES.map((v) => `arn:aws:s3:::bucket/${v}/*`);
    const account = makeAccount({
      roles: [makeRole('vars', { inlinePolicies: [{ name: 'vars', document: PolicyDocument.fromJson({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: resources }] }), source: { file: 'accounts/x.yaml', path: '$' } }] })],
    });
    const dir = writeStack('vars', Testing.synth(new AccountStack(Testing.app(), account)));
    // When terraform validates it
    const result = await validateStack(installation, { stackDir: dir });
    // Then it is valid
    expect(result.diagnostics).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('reports the interpolation error on the resource when a literal is not escaped (plain TerraformStack)', async () => {
    const stack = new TerraformStack(Testing.app(), 'plain');
    new IamRole(stack, 'x', { name: 'x', assumeRolePolicy: '{"Statement":[{"Condition":{"StringLike":{"aws:userid":"${aws:userid}"}}}]}' });
    const json = Testing.synth(stack).replace('"resource"', '"provider": { "aws": [{ "region": "us-east-1" }] },\n  "resource"');
    const result = await validateStack(installation, { stackDir: writeStack('plain', json) });
    expect(result.valid).toBe(false);
    expect(result.diagnostics.map((d) => [d.severity, d.summary, d.address])).toEqual([['error', 'Extra characters after interpolation expression', 'aws_iam_role.x']]);
  });

  it('iamctl validate --terraform: every stack of the example organization is valid (exit 0)', async () => {
    const output = captureOutput();
    const code = await runCli(['validate', '--terraform', '--format', 'json'], COMMANDS, { output, cwd: ROOT });
    const report = JSON.parse(output.stdout()) as { terraform: { stacks: Array<{ account: string; valid: boolean; errors: number }> } };
    expect(report.terraform.stacks.map((s) => [s.account, s.valid, s.errors])).toEqual(
      ['app-dev', 'app-prod', 'app-staging', 'data-prod', 'log-archive', 'management', 'organization', 'organization-log-archive', 'security', 'security-baseline', 'shared-services'].map((a) => [a, true, 0]),
    );
    expect(code).toBe(0);
  });
});
