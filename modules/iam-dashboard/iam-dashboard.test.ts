import { join } from 'node:path';
import { Testing } from 'cdktf';
import { loadOrganization } from '../../src/config';
import { addOrganizationStacks } from '../../stacks/organization-stack';
import { addSecurityBaseline } from '../../stacks/security-baseline';

/** The example organization's dashboard: values written out from accounts/org.yaml and the alarm modules' names. */
describe('IAM dashboard in the security account', () => {
  const org = loadOrganization(join(__dirname, '..', '..', 'test', 'fixtures', 'orgs', 'example'));
  const app = Testing.app();
  const baseline = addSecurityBaseline(app, org, addOrganizationStacks(app, org))!;
  const synthesized = JSON.parse(Testing.synth(baseline)) as { resource: Record<string, Record<string, { dashboard_name: string; dashboard_body: string }>> };
  const dashboards = Object.values(synthesized.resource.aws_cloudwatch_dashboard ?? {});

  it('shows every IAM-change and escalation alarm of the management account, and the metric behind each', () => {
    expect(dashboards.map((d) => d.dashboard_name)).toEqual(['iam-platform']);
    const body = JSON.parse(dashboards[0].dashboard_body) as { widgets: { type: string; properties: { alarms?: string[]; metrics?: unknown[][] } }[] };
    const alarm = (name: string) => `arn:aws:cloudwatch:eu-west-1:210987654321:alarm:${name}`;
    expect(body.widgets[0].properties.alarms).toEqual([
      alarm('cis-iam-policy-changes'),
      alarm('iam-changes-missed-by-cis'),
      alarm('break-glass-assume-role'),
      alarm('privilege-escalation-calls'),
      alarm('iam-write-access-denied-burst'),
    ]);
    expect(body.widgets.slice(1, -2).map((w) => w.properties.metrics![0])).toEqual(
      ['IAMPolicyChanges', 'IAMChangesMissedByCIS', 'BreakGlassAssumeRole', 'PrivilegeEscalationCalls', 'IamWriteAccessDenied'].map((m) => ['CISBenchmark', m, { accountId: '210987654321', label: m }]),
    );
  });

  it('draws drift items and remediation failures of every account with drift detection, read from the account that published them', () => {
    const body = JSON.parse(dashboards[0].dashboard_body) as { widgets: { properties: { title: string; region?: string; metrics?: unknown[][] } }[] };
    // The eight example accounts (all have drift detection by default), ids from their account.yaml files.
    const accounts: [string, string][] = [
      ['app-dev', '510987654321'],
      ['app-prod', '530987654321'],
      ['app-staging', '520987654321'],
      ['data-prod', '540987654321'],
      ['log-archive', '320987654321'],
      ['management', '210987654321'],
      ['security', '310987654321'],
      ['shared-services', '410987654321'],
    ];
    const [drift, failures] = body.widgets.slice(-2);
    expect(drift.properties.region).toBe('us-east-1');
    expect(drift.properties.metrics).toEqual(accounts.map(([name, id]) => ['IamPlatform', 'DriftItems', 'Account', name, { accountId: id, label: name }]));
    expect(failures.properties.metrics).toEqual(accounts.map(([name, id]) => ['IamPlatform', 'RemediationFailures', 'Account', name, { accountId: id, label: name }]));
  });

  it('lets the other seven accounts link their metrics, and only metrics, to a sink in us-east-1', () => {
    const sinks = Object.values((synthesized.resource as Record<string, Record<string, Record<string, unknown>>>).aws_oam_sink ?? {});
    const policies = Object.values((synthesized.resource as Record<string, Record<string, Record<string, string>>>).aws_oam_sink_policy ?? {});
    expect(sinks).toEqual([{ name: 'iam-platform', region: 'us-east-1' }]);
    expect(policies).toHaveLength(1);
    expect(policies[0].region).toBe('us-east-1');
    expect(JSON.parse(policies[0].policy)).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'OrganizationAccountsLinkMetrics',
          Effect: 'Allow',
          Principal: { AWS: ['210987654321', '320987654321', '410987654321', '510987654321', '520987654321', '530987654321', '540987654321'] },
          Action: ['oam:CreateLink', 'oam:UpdateLink'],
          Resource: '*',
          Condition: { 'ForAllValues:StringEquals': { 'oam:ResourceTypes': 'AWS::CloudWatch::Metric' } },
        },
      ],
    });
  });
});
