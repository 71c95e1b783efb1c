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
    expect(body.widgets.slice(1).map((w) => w.properties.metrics![0])).toEqual(
      ['IAMPolicyChanges', 'IAMChangesMissedByCIS', 'BreakGlassAssumeRole', 'PrivilegeEscalationCalls', 'IamWriteAccessDenied'].map((m) => ['CISBenchmark', m, { accountId: '210987654321', label: m }]),
    );
  });
});
