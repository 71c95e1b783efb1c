import { ERROR_CODES, IamPlatformError, formatProblem } from '../../src/core/errors';
import { parseSuppressions } from '../../src/core/scan';

function captureError(run: () => unknown): IamPlatformError {
  try {
    run();
  } catch (error) {
    if (error instanceof IamPlatformError) return error;
    throw error;
  }
  throw new Error('expected an IamPlatformError');
}

describe('parseSuppressions', () => {
  it('reads entries with their file and line; bare YAML dates stay YYYY-MM-DD strings', () => {
    const text = [
      '# reviewed exceptions',
      'suppressions:',
      '  - check: CKV_AWS_61',
      '    resource: audit/aws_iam_role.*',
      '    reason: Audit role trusts the security account root with an ExternalId',
      '    owner: platform-security',
      '    expires: 2027-05-31',
      '  - check: AVD-AWS-0057',
      '    resource: aws_iam_policy.read_*',
      '    reason: Describe actions only support Resource "*"',
      '    owner: platform',
      '    expires: "2027-01-15"',
    ].join('\n');

    expect(parseSuppressions(text, 'scan-suppressions.yaml')).toEqual([
      {
        check: 'CKV_AWS_61',
        resource: 'audit/aws_iam_role.*',
        reason: 'Audit role trusts the security account root with an ExternalId',
        owner: 'platform-security',
        expires: '2027-05-31',
        file: 'scan-suppressions.yaml',
        line: 3,
      },
      {
        check: 'AVD-AWS-0057',
        resource: 'aws_iam_policy.read_*',
        reason: 'Describe actions only support Resource "*"',
        owner: 'platform',
        expires: '2027-01-15',
        file: 'scan-suppressions.yaml',
        line: 8,
      },
    ]);
  });

  it('treats an empty file and an empty list as no suppressions', () => {
    expect(parseSuppressions('', 'scan-suppressions.yaml')).toEqual([]);
    expect(parseSuppressions('suppressions: []\n', 'scan-suppressions.yaml')).toEqual([]);
  });

  it('reports every problem with file, line and path', () => {
    const text = [
      'suppressions:',
      '  - check: CKV_AWS_61',
      '    resource: a/b/aws_iam_role.x',
      '    reason: too short',
      '    owner: sec',
      '    expires: 2027-02-30',
      '  - check: CKV_AWS_40',
      '    resource: aws_iam_user_policy_attachment.*',
      '    reason: Legacy deployer user kept until the OIDC migration',
      '    expires: 2027-01-01',
      '    ticket: SEC-12',
    ].join('\n');

    const error = captureError(() => parseSuppressions(text, 'scan-suppressions.yaml'));

    expect(error.code).toBe(ERROR_CODES.INVALID_CONFIG);
    expect(error.message).toBe('scan-suppressions.yaml has 5 problems: each suppression needs check, resource, reason, owner and expires (YYYY-MM-DD)');
    expect(error.problems.map(formatProblem)).toEqual([
      'scan-suppressions.yaml:3 $.suppressions[0].resource: resource is an address glob, optionally prefixed by one account name and "/"',
      'scan-suppressions.yaml:4 $.suppressions[0].reason: reason must say, in at least 20 characters, why a security reviewer accepts the finding',
      'scan-suppressions.yaml:6 $.suppressions[0].expires: expires must be a date written YYYY-MM-DD (quote it or leave it bare)',
      'scan-suppressions.yaml:7 $.suppressions[1].owner: required key "owner" is missing',
      'scan-suppressions.yaml:7 $.suppressions[1]: unknown keys ticket: allowed are check, resource, reason, owner, expires',
    ]);
  });

  it('reports YAML syntax errors with their line', () => {
    const error = captureError(() => parseSuppressions('suppressions:\n  - check: [unclosed\n', 'scan-suppressions.yaml'));

    expect(error.message).toBe('scan-suppressions.yaml is not valid YAML: fix the syntax error and rerun');
    expect(error.problems[0]).toMatchObject({ file: 'scan-suppressions.yaml', line: 3, path: '$' });
    expect(error.problems[0].message).toMatch(/^YAML syntax error: /);
  });
});
