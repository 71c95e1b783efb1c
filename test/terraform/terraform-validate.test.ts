import { PolicyDocument } from '../../src/core/policy';
/**
 * Real `terraform validate` (terraform on PATH, the AWS provider from `npm run setup:terraform`):
 * a role with every IAM policy variable form, and every stack of the example organization through
 * `iamctl validate --terraform`. Fails (never skips) when terraform or the provider is missing.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { Testing, TerraformStack } from 'cdktf';
import { COMMANDS } from '../../src/cli/commands';
import { runCli } from '../../src/cli/program';
import { loadOrganization } from '../../src/config';
import { loadActionCatalog } from '../../src/io/catalog/load-action-catalog';
import { readStacks, runTerraformValidate } from '../../src/io/scanners';
import { locateTerraform, validateStack, type TerraformInstallation } from '../../src/io/terraform';
import { AccountStack, synthesizeOrganization } from '../../stacks';
import { captureOutput } from '../support/capture-output';
import { makeAccount, makeRole } from '../stacks/account-fixture';

const ROOT = path.resolve(__dirname, '../..');
const FIXTURE_ORG = path.join(ROOT, 'test/fixtures/orgs/example');
/** Synth plus terraform validate of many stacks: about 90 s on an idle 2-core machine, over 120 s (jest's default here) when it is shared. */
const VALIDATE_ALL_TIMEOUT_MS = 600_000;
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

  it('a terraform validate diagnostic is a finding with stack, resource address, accounts/ file and line', async () => {
    // Given app-dev of the fixture organization, synthesized, with the escape of ${aws:userid} undone in its stack
    const outdir = path.join(tmp, 'fixture-out');
    synthesizeOrganization(loadOrganization(FIXTURE_ORG), { outdir, catalog: loadActionCatalog(), accounts: ['app-dev'] });
    const broken = path.join(tmp, 'broken-stacks');
    cpSync(path.join(outdir, 'stacks', 'iam-app-dev'), path.join(broken, 'iam-app-dev'), { recursive: true });
    const stackFile = path.join(broken, 'iam-app-dev', 'cdk.tf.json');
    writeFileSync(stackFile, readFileSync(stackFile, 'utf8').replace('$${aws:userid}', '${aws:userid}'));
    // When terraform validates it, as `iamctl validate --terraform` and the scan gate do (the accounts/ files are the fixture's)
    const run = await runTerraformValidate({ installation, stacks: readStacks({ cwd: FIXTURE_ORG, stacksDir: broken }) });
    // Then the one error names the stack, the inline policy and the line of `ssm-sessions:` in the role file
    expect(run.results.map((f) => [f.checkId, f.account, f.stackFile, f.resource.replace(/_[0-9A-F]{8}$/, ''), f.file, f.line])).toEqual([
      ['TF-VALIDATE-ERROR', 'app-dev', stackFile, 'aws_iam_role_policy.role-app-debug_inline-ssm-sessions', 'accounts/workloads/app-dev/roles/app-debug.yaml', 12],
    ]);
    expect(run.stacks.map((st) => [st.account, st.valid, st.errors])).toEqual([['app-dev', false, 1]]);
  }, VALIDATE_ALL_TIMEOUT_MS);

  it('iamctl validate --terraform: every stack of the example organization is valid (exit 0)', async () => {
    const output = captureOutput();
    const code = await runCli(['validate', '--terraform', '--format', 'json'], COMMANDS, { output, cwd: ROOT });
    const report = JSON.parse(output.stdout()) as { terraform: { stacks: Array<{ account: string; valid: boolean; errors: number }> } };
    expect(report.terraform.stacks.map((s) => [s.account, s.valid, s.errors])).toEqual(
      ['app-dev', 'app-prod', 'app-staging', 'data-prod', 'log-archive', 'management', 'organization', 'organization-log-archive', 'security', 'security-baseline', 'shared-services'].map((a) => [a, true, 0]),
    );
    expect(code).toBe(0);
  }, VALIDATE_ALL_TIMEOUT_MS);
});
