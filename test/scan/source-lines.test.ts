/**
 * Scan findings name the accounts/ file and the line where the offending value is written: the role file, the
 * policy file, the role template in org.yaml or ou.yaml. The stacks are synthesized from the fixture copy of the
 * example organization (test/fixtures/orgs/example); every expected file and line below was read off those YAML
 * files by hand, not computed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadOrganization } from '../../src/config';
import { loadActionCatalog } from '../../src/io/catalog/load-action-catalog';
import { mapCheckovRecords, mapTerraformDiagnostic, mapTfsecResults, readStacks, type StackInfo } from '../../src/io/scanners';
import { synthesizeOrganization } from '../../stacks';

const ORG = path.resolve(__dirname, '../fixtures/orgs/example');

describe('scan findings map to the file and line of the offending value', () => {
  let outdir: string;
  let stacks: readonly StackInfo[];

  beforeAll(() => {
    outdir = mkdtempSync(path.join(tmpdir(), 'iamctl-source-lines-'));
    synthesizeOrganization(loadOrganization(ORG), { outdir: path.join(outdir, 'out'), catalog: loadActionCatalog() });
    stacks = readStacks({ cwd: ORG, stacksDir: path.join(outdir, 'out', 'stacks') });
  }, 120_000);

  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  const stackOf = (account: string): StackInfo => stacks.find((s) => s.account === account) as StackInfo;
  /** The synthesized address whose name starts with the construct id (cdktf appends a hash). */
  const addressOf = (account: string, type: string, idPrefix: string): string => {
    const found = [...stackOf(account).resources.keys()].filter((a) => a.startsWith(`${type}.${idPrefix}`));
    if (found.length !== 1) throw new Error(`expected one ${type}.${idPrefix}* in ${account}, found ${found.join(', ') || 'none'}`);
    return found[0];
  };
  /** What checkov's record of a failed check on the resource maps to. */
  const checkovFinding = (account: string, address: string) => {
    const stack = stackOf(account);
    const [result] = mapCheckovRecords(
      { version: 'test', failed: [{ check_id: 'CKV_TEST', check_name: 'test', check_result: { result: 'FAILED' }, file_abs_path: stack.absPath, file_path: '/cdk.tf.json', resource: address }], passed: [], parsingErrors: [] },
      stacks,
      path.dirname(stack.absPath),
    );
    return { file: result.file, line: result.line };
  };

  it.each([
    // [account, resource type, construct id prefix, file, line] — lines read off the YAML files
    ['app-prod', 'aws_iam_role', 'role-datadog-integration_role_', 'accounts/workloads/app-prod/roles/datadog-integration.yaml', 14], // trust:
    ['app-prod', 'aws_iam_role_policy', 'role-datadog-integration_inline-datadog-read_', 'accounts/workloads/app-prod/roles/datadog-integration.yaml', 20], // datadog-read:
    ['app-dev', 'aws_iam_role_policy', 'role-app-debug_inline-ssm-sessions_', 'accounts/workloads/app-dev/roles/app-debug.yaml', 12], // ssm-sessions:
    ['app-dev', 'aws_iam_role', 'role-auditor_role_', 'accounts/org.yaml', 47], // the auditor template's trust:
    ['app-dev', 'aws_iam_role_policy_attachment', 'role-auditor_attach-aws-SecurityAudit_', 'accounts/org.yaml', 53], // - aws:SecurityAudit
    ['app-dev', 'aws_iam_role_policy_attachment', 'role-auditor_attach-aws-job-function-ViewOnlyAccess_', 'accounts/org.yaml', 54], // - aws:job-function/ViewOnlyAccess
    ['app-dev', 'aws_iam_role_policy', 'role-developer-readonly_inline-read-app-logs_', 'accounts/workloads/ou.yaml', 26], // read-app-logs: in the OU template
    ['app-dev', 'aws_iam_role_policy_attachment', 'role-app-api-task_attach-app-uploads-rw_', 'accounts/workloads/ou.yaml', 48], // managedPolicies: [app-orders-table-rw, app-uploads-rw]
    ['app-dev', 'aws_iam_policy', 'policy-app-deploy_policy_', 'accounts/policies/app-deploy.yaml', 7], // document:
  ])('%s %s.%s* → %s:%d', (account, type, idPrefix, file, line) => {
    expect(checkovFinding(account, addressOf(account, type, idPrefix))).toEqual({ file, line });
  });

  it('tfsec and terraform validate results on the same resource name the same file and line; passed checks carry no line', () => {
    const stack = stackOf('app-prod');
    const address = addressOf('app-prod', 'aws_iam_role_policy', 'role-datadog-integration_inline-datadog-read_');
    const tfsec = mapTfsecResults(
      [
        { rule_id: 'AVD-AWS-0057', long_id: 'aws-iam-no-policy-wildcards', rule_description: 'd', description: 'd', severity: 'HIGH', resource: address, location: { filename: stack.absPath, start_line: 3 } },
        { rule_id: 'AVD-AWS-0057', long_id: 'aws-iam-no-policy-wildcards', rule_description: 'd', description: 'd', severity: 'HIGH', status: 1, resource: address, location: { filename: stack.absPath, start_line: 3 } },
      ],
      stacks,
    );
    expect(tfsec.map((r) => [r.result, r.file, r.line])).toEqual([
      ['failed', 'accounts/workloads/app-prod/roles/datadog-integration.yaml', 20],
      ['passed', 'accounts/workloads/app-prod/roles/datadog-integration.yaml', undefined],
    ]);
    const terraform = mapTerraformDiagnostic({ severity: 'error', summary: 'Extra characters after interpolation expression', line: 3, address }, stack);
    expect([terraform.file, terraform.line]).toEqual(['accounts/workloads/app-prod/roles/datadog-integration.yaml', 20]);
  });

  it('a failed role check carries the trust policy Terraform is told, for the built-in rationales', () => {
    const stack = stackOf('app-prod');
    const address = addressOf('app-prod', 'aws_iam_role', 'role-datadog-integration_role_');
    const [result] = mapCheckovRecords(
      { version: 'test', failed: [{ check_id: 'CKV_AWS_61', check_name: 't', check_result: { result: 'FAILED' }, file_abs_path: stack.absPath, file_path: '/cdk.tf.json', resource: address }], passed: [], parsingErrors: [] },
      stacks,
      path.dirname(stack.absPath),
    );
    expect(result.trustPolicy).toMatchObject({
      Statement: [expect.objectContaining({ Principal: { AWS: 'arn:aws:iam::464622532012:root' }, Condition: expect.objectContaining({ StringEquals: expect.objectContaining({ 'sts:ExternalId': '3f1c2a9be07d4e8c9a5b6d7e8f901234' }) }) })],
    });
  });
});
