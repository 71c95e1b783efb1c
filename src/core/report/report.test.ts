import { buildJUnitXml } from './junit';
import { buildSarifLog } from './sarif';

describe('buildJUnitXml', () => {
  it('counts failures and skips per suite and escapes XML', () => {
    const xml = buildJUnitXml([
      {
        name: 'iam-app-prod',
        cases: [
          { name: 'CKV_AWS_62 aws_iam_policy.admin', className: 'accounts/a.yaml', failure: { message: 'admin <*:*> & more', type: 'high' } },
          { name: 'CKV_AWS_60 aws_iam_role.r', className: 'accounts/a.yaml', skipped: 'suppressed: "vendor" role' },
          { name: 'CKV_AWS_1 aws_iam_role.r', className: 'accounts/a.yaml' },
        ],
      },
    ]);
    expect(xml).toContain('<testsuites tests="3" failures="1" errors="0" skipped="1">');
    expect(xml).toContain('<testsuite name="iam-app-prod" tests="3" failures="1" errors="0" skipped="1">');
    expect(xml).toContain('message="admin &lt;*:*&gt; &amp; more"');
    expect(xml).toContain('<skipped message="suppressed: &quot;vendor&quot; role"/>');
    expect(xml).toContain('<testcase name="CKV_AWS_1 aws_iam_role.r" classname="accounts/a.yaml" time="0.000"/>');
  });
});

describe('buildSarifLog', () => {
  it('indexes rules, adds unlisted ones, and carries locations and suppressions', () => {
    const log = buildSarifLog({
      toolName: 'iamctl',
      toolVersion: '0.1.0',
      rules: [{ id: 'admin-access', shortDescription: 'Allow * on *', defaultLevel: 'error' }],
      results: [
        { ruleId: 'admin-access', level: 'error', message: 'm1', file: 'accounts/x.yaml', line: 3, logicalLocation: '$.Statement[0]' },
        { ruleId: 'other', level: 'note', message: 'm2', suppression: { reason: 'accepted' } },
      ],
    }) as { runs: { tool: { driver: { rules: { id: string }[] } }; results: Record<string, unknown>[] }[] };
    expect(log.runs[0].tool.driver.rules.map((r) => r.id)).toEqual(['admin-access', 'other']);
    expect(log.runs[0].results[0]).toEqual({
      ruleId: 'admin-access',
      ruleIndex: 0,
      level: 'error',
      message: { text: 'm1' },
      locations: [
        { physicalLocation: { artifactLocation: { uri: 'accounts/x.yaml' }, region: { startLine: 3 } }, logicalLocations: [{ fullyQualifiedName: '$.Statement[0]' }] },
      ],
    });
    expect(log.runs[0].results[1]).toMatchObject({ ruleIndex: 1, suppressions: [{ kind: 'external', justification: 'accepted' }] });
  });
});
