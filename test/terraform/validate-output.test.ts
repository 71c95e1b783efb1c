/** Pure parts of the terraform validate scanner: the output parser and the line → address index. */
import { mapTerraformDiagnostic, mapWithConcurrency, TERRAFORM_ERROR_CHECK } from '../../src/io/scanners';
import type { StackInfo } from '../../src/io/scanners';
import { addressAtLine, indexStackBlocks, parseValidateOutput, stripBackend } from '../../src/io/terraform';

// A stack as cdktf writes it (JSON.stringify(config, null, 2)); line numbers are in the comments.
const STACK = JSON.stringify(
  {
    provider: { aws: [{ region: 'eu-west-1' }] }, // provider.aws: lines 3-7
    resource: {
      aws_iam_role: { app: { name: 'app', assume_role_policy: '{}' } }, // lines 11-14
      aws_iam_role_policy: { app_inline: { name: 'x', policy: '{"a":"${aws:userid}"}', role: 'app' } }, // lines 17-21
    },
    terraform: { backend: { local: { path: 'terraform.iam-x.tfstate' } } },
  },
  null,
  2,
);

describe('indexStackBlocks', () => {
  it('finds the line range of each resource and provider block', () => {
    expect(STACK.split('\n')[10]).toBe('      "app": {');
    expect(indexStackBlocks(STACK)).toEqual([
      { address: 'provider.aws', start: 3, end: 7 },
      { address: 'aws_iam_role.app', start: 11, end: 14 },
      { address: 'aws_iam_role_policy.app_inline', start: 17, end: 21 },
    ]);
    expect(addressAtLine(indexStackBlocks(STACK), 18)).toBe('aws_iam_role_policy.app_inline');
    expect(addressAtLine(indexStackBlocks(STACK), 8)).toBeUndefined();
  });
});

describe('parseValidateOutput', () => {
  // The shape of `terraform validate -json` (format_version 1.0), written by hand.
  const output = JSON.stringify({
    format_version: '1.0',
    valid: false,
    error_count: 1,
    warning_count: 1,
    diagnostics: [
      { severity: 'warning', summary: 'Provider development overrides are in effect', detail: 'The following provider development overrides are set in the CLI configuration' },
      {
        severity: 'error',
        summary: 'Extra characters after interpolation expression',
        detail: 'Expected a closing brace to end the interpolation expression, but found extra characters.',
        range: { filename: 'cdk.tf.json', start: { line: 18, column: 20, byte: 400 }, end: { line: 18, column: 21, byte: 401 } },
      },
      { severity: 'warning', summary: 'Argument is deprecated', detail: '', range: { filename: 'cdk.tf.json', start: { line: 11, column: 1, byte: 1 } } },
    ],
  });

  it('drops the dev-overrides warning and locates each diagnostic', () => {
    expect(parseValidateOutput(output, STACK)).toEqual({
      valid: false,
      diagnostics: [
        {
          severity: 'error',
          summary: 'Extra characters after interpolation expression',
          detail: 'Expected a closing brace to end the interpolation expression, but found extra characters.',
          filename: 'cdk.tf.json',
          line: 18,
          address: 'aws_iam_role_policy.app_inline',
        },
        { severity: 'warning', summary: 'Argument is deprecated', filename: 'cdk.tf.json', line: 11, address: 'aws_iam_role.app' },
      ],
    });
  });

  it('rejects text that is not validate output', () => {
    expect(() => parseValidateOutput('{"format_version":"1.0"}', STACK)).toThrow('no "valid" and "diagnostics" in the output');
  });

  it('maps a diagnostic to a finding on the accounts/ file of the resource', () => {
    const stack: StackInfo = {
      account: 'app-dev',
      absPath: '/x/iam-app-dev/cdk.tf.json',
      stackFile: 'cdktf.out/stacks/iam-app-dev/cdk.tf.json',
      accountFile: 'accounts/workloads/app-dev/account.yaml',
      resources: new Map([['aws_iam_role_policy.app_inline', { address: 'aws_iam_role_policy.app_inline', file: 'accounts/workloads/app-dev/roles/app.yaml', line: 12, constructPath: 'iam-app-dev/role-app/inline' }]]),
      addressesByName: new Map(),
    };
    const [diagnostic] = parseValidateOutput(output, STACK).diagnostics;
    expect(mapTerraformDiagnostic(diagnostic, stack)).toEqual({
      checkId: TERRAFORM_ERROR_CHECK,
      scanner: 'terraform',
      title: 'Extra characters after interpolation expression',
      message: 'Extra characters after interpolation expression: Expected a closing brace to end the interpolation expression, but found extra characters.',
      severity: 'critical',
      guideline: 'https://developer.hashicorp.com/terraform/cli/commands/validate',
      resource: 'aws_iam_role_policy.app_inline',
      account: 'app-dev',
      stackFile: 'cdktf.out/stacks/iam-app-dev/cdk.tf.json',
      stackLine: 18,
      file: 'accounts/workloads/app-dev/roles/app.yaml',
      line: 12,
      constructPath: 'iam-app-dev/role-app/inline',
      result: 'failed',
    });
  });
});

describe('stripBackend', () => {
  it('removes only terraform.backend', () => {
    expect(stripBackend({ terraform: { backend: { local: {} }, required_providers: { aws: {} } }, resource: { a: 1 } })).toEqual({ terraform: { required_providers: { aws: {} } }, resource: { a: 1 } });
  });
});

describe('mapWithConcurrency', () => {
  it('never runs more than the limit at once and keeps the order', async () => {
    let running = 0;
    let peak = 0;
    const out = await mapWithConcurrency([5, 1, 4, 2, 3], 2, async (n) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, n * 5));
      running -= 1;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
  });
});
