/**
 * The example organization's security baseline: what accounts/org.yaml `securityBaseline:` makes, in
 * which stack and account. Expected values are written out from the accounts/ files and the AWS docs,
 * not read back from the modules.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing, type TerraformStack } from 'cdktf';
import { loadOrganization } from '../../src/config';
import { IamPlatformError } from '../../src/core/errors';
import { addOrganizationStacks } from '../../stacks/organization-stack';
import { addSecurityBaseline } from '../../stacks/security-baseline';
import { buildAccessDeniedWritePattern, buildEscalationPattern, listEscalationEventNames, MAX_FILTER_PATTERN_CHARS } from '../../modules/escalation-alarms';

type Resources = Record<string, Record<string, Record<string, unknown>>>;
interface Synthesized {
  readonly resource: Resources;
  readonly provider: { aws: { allowed_account_ids: string[]; region: string }[] };
}

const example = loadOrganization(join(__dirname, '..', '..'));
const app = Testing.app();
const organizationStacks = addOrganizationStacks(app, example);
const baseline = addSecurityBaseline(app, example, organizationStacks)!;

function synth(stack: TerraformStack): Synthesized {
  return JSON.parse(Testing.synth(stack)) as Synthesized;
}
const security = synth(baseline);
const management = synth(organizationStacks!.organization);
const values = (r: Resources, type: string) => Object.values(r[type] ?? {});

describe('security baseline of the example organization', () => {
  it('deploys the security services in the security account (310987654321), stack iam-security-baseline', () => {
    expect(baseline.node.id).toBe('iam-security-baseline');
    expect(security.provider.aws[0].allowed_account_ids).toEqual(['310987654321']);
    expect(baseline.dependencies).toContain(organizationStacks!.organization);
  });

  it('delegates Security Hub, Access Analyzer and Config to the security account from the management account', () => {
    expect(values(management.resource, 'aws_securityhub_organization_admin_account')).toEqual([expect.objectContaining({ admin_account_id: '310987654321' })]);
    const delegated = values(management.resource, 'aws_organizations_delegated_administrator').map((d) => `${d.account_id} ${d.service_principal}`).sort();
    expect(delegated).toEqual(['310987654321 access-analyzer.amazonaws.com', '310987654321 config-multiaccountsetup.amazonaws.com', '310987654321 config.amazonaws.com']);
  });

  it('enables CIS and FSBP in every account through one central policy, with findings of all regions aggregated', () => {
    const policy = values(security.resource, 'aws_securityhub_configuration_policy')[0] as { configuration_policy: { enabled_standard_arns: string[]; service_enabled: boolean } };
    expect(policy.configuration_policy.service_enabled).toBe(true);
    expect(policy.configuration_policy.enabled_standard_arns).toEqual([
      'arn:aws:securityhub:eu-west-1::standards/cis-aws-foundations-benchmark/v/3.0.0',
      'arn:aws:securityhub:eu-west-1::standards/aws-foundational-security-best-practices/v/1.0.0',
    ]);
    expect(values(security.resource, 'aws_securityhub_finding_aggregator')).toEqual([expect.objectContaining({ linking_mode: 'ALL_REGIONS' })]);
    expect(values(security.resource, 'aws_securityhub_organization_configuration')).toEqual([
      expect.objectContaining({ organization_configuration: { configuration_type: 'CENTRAL' } }),
    ]);
    expect(values(security.resource, 'aws_securityhub_configuration_policy_association')).toHaveLength(1);
  });

  it('has an organization external-access analyzer and an unused-access analyzer tracking 90 days', () => {
    const analyzers = values(security.resource, 'aws_accessanalyzer_analyzer').map((a) => [a.type, a.configuration ?? null]);
    expect(analyzers).toEqual([
      ['ORGANIZATION', null],
      ['ORGANIZATION_UNUSED_ACCESS', { unused_access: { unused_access_age: 90 } }],
    ]);
  });

  it("archives exactly the platform's own external trust, role by role and principal by principal", () => {
    const rules = values(security.resource, 'aws_accessanalyzer_archive_rule').map((r) => r.filter as { criteria: string; eq: string[] }[]);
    const described = rules.map((f) => `${f.find((c) => c.criteria === 'resource')!.eq[0]} ${f[2].criteria}=${f[2].eq.join(',')}`);
    // Datadog's account (accounts/workloads/app-prod/roles/datadog-integration.yaml) is outside the organization.
    expect(described).toContain('arn:aws:iam::530987654321:role/datadog-integration principal.AWS=arn:aws:iam::464622532012:root');
    expect(described).toContain('arn:aws:iam::530987654321:role/gitlab-deploy principal.Federated=arn:aws:iam::530987654321:oidc-provider/gitlab.com');
    // The auditor role trusts the security account, inside the organization: an organization analyzer never reports it.
    expect(described.some((d) => d.includes('role/auditor'))).toBe(false);
    expect(rules.every((f) => f[0].criteria === 'resourceType' && f[0].eq[0] === 'AWS::IAM::Role')).toBe(true);
  });

  it("aggregates Config over the organization and every region, and deploys drift's IAM rules as an organization conformance pack in us-east-1", () => {
    expect(values(security.resource, 'aws_config_configuration_aggregator')).toEqual([
      expect.objectContaining({ organization_aggregation_source: expect.objectContaining({ all_regions: true }) }),
    ]);
    const pack = values(security.resource, 'aws_config_organization_conformance_pack')[0] as { region: string; template_body: string };
    expect(pack.region).toBe('us-east-1');
    const template = JSON.parse(pack.template_body) as { Resources: Record<string, { Properties: { Source: { SourceIdentifier: string }; InputParameters?: Record<string, string> } }> };
    const rules = Object.values(template.Resources).map((r) => r.Properties.Source.SourceIdentifier).sort();
    expect(rules).toEqual([
      'ACCESS_KEYS_ROTATED',
      'IAM_NO_INLINE_POLICY_CHECK',
      'IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS',
      'IAM_ROOT_ACCESS_KEY_CHECK',
      'IAM_USER_NO_POLICIES_CHECK',
      'IAM_USER_UNUSED_CREDENTIALS_CHECK',
      'ROOT_ACCOUNT_MFA_ENABLED',
    ]);
    expect(Object.values(template.Resources).find((r) => r.Properties.Source.SourceIdentifier === 'ACCESS_KEYS_ROTATED')?.Properties.InputParameters).toEqual({ maxAccessKeyAge: '90' });
  });

  it('alarms on escalation calls and AccessDenied bursts on the trail log group, to the IAM-change topic', () => {
    const filters = values(management.resource, 'aws_cloudwatch_log_metric_filter').filter((f) => ['privilege-escalation-calls', 'iam-write-access-denied-burst'].includes(String(f.name)));
    expect(filters.map((f) => f.log_group_name)).toEqual(['/aws/cloudtrail/organization-trail', '/aws/cloudtrail/organization-trail']);
    const escalation = String(filters.find((f) => f.name === 'privilege-escalation-calls')!.pattern);
    for (const event of ['CreatePolicyVersion', 'SetDefaultPolicyVersion', 'AttachUserPolicy', 'PutRolePolicy', 'CreateAccessKey', 'CreateLoginProfile', 'UpdateLoginProfile', 'UpdateAssumeRolePolicy', 'AddUserToGroup']) {
      expect(escalation).toContain(`($.eventName="${event}")`);
    }
    expect(escalation).not.toContain('PassRole');
    const alarms = values(management.resource, 'aws_cloudwatch_metric_alarm').filter((a) => ['privilege-escalation-calls', 'iam-write-access-denied-burst'].includes(String(a.alarm_name)));
    expect(alarms.map((a) => [a.alarm_name, a.threshold, a.period]).sort()).toEqual([
      ['iam-write-access-denied-burst', 5, 300],
      ['privilege-escalation-calls', 1, 300],
    ]);
    for (const alarm of alarms) expect(alarm.alarm_actions).toEqual([expect.stringMatching(/^\$\{aws_sns_topic\.alerts_topic_[0-9A-F]+\.arn\}$/)]);
    expect(String(alarms.find((a) => a.alarm_name === 'privilege-escalation-calls')!.alarm_description)).toContain('Where: organization trail log group /aws/cloudtrail/organization-trail (every account and region)');
    expect(values(management.resource, 'aws_cloudwatch_query_definition').map((q) => q.name).sort()).toEqual(['iam-write-access-denied-burst', 'privilege-escalation-calls']);
  });
});

describe('escalation filter patterns', () => {
  it('match the CloudWatch Logs syntax written out by hand', () => {
    expect(buildEscalationPattern(['CreatePolicyVersion', 'AddUserToGroup'])).toBe('{($.eventSource="iam.amazonaws.com")&&(($.eventName="CreatePolicyVersion")||($.eventName="AddUserToGroup"))}');
    expect(buildAccessDeniedWritePattern()).toBe('{($.eventSource="iam.amazonaws.com")&&($.readOnly IS FALSE)&&(($.errorCode="AccessDenied")||($.errorCode="*UnauthorizedOperation"))}');
  });
  it("fit CloudWatch's 1024-character limit with every IAM action of the escalation table", () => {
    expect(buildEscalationPattern(listEscalationEventNames()).length).toBeLessThanOrEqual(MAX_FILTER_PATTERN_CHARS);
  });
});

describe('securityBaseline in org.yaml', () => {
  const BASE = join(__dirname, '..', 'fixtures', 'organization', 'base');
  function loadWith(extra: string, replace?: [string, string]): unknown {
    const dir = mkdtempSync(join(tmpdir(), 'iamp-baseline-'));
    try {
      cpSync(BASE, dir, { recursive: true });
      const file = join(dir, 'accounts', 'org.yaml');
      let text = readFileSync(file, 'utf8');
      if (replace) text = text.replace(replace[0], replace[1]);
      writeFileSync(file, `${text}\n${extra}`);
      return loadOrganization(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  function problems(fn: () => unknown): { path: string; message: string }[] {
    try {
      fn();
    } catch (error) {
      if (error instanceof IamPlatformError) return error.problems.map((p) => ({ path: p.path, message: p.message }));
      throw error;
    }
    throw new Error('expected the load to fail');
  }

  it('resolves the defaults: every service on, 90 days, threshold 5', () => {
    const org = loadWith('securityBaseline:\n  securityAccount: log-archive\n') as ReturnType<typeof loadOrganization>;
    expect(org.securityBaseline).toMatchObject({
      securityAccount: 'log-archive',
      securityHub: { standards: ['cis', 'fsbp'] },
      accessAnalyzer: { unusedAccessAgeDays: 90 },
      configAggregator: {},
      escalationAlarms: { accessDeniedThreshold: 5 },
    });
    expect(org.network).toBeUndefined();
  });

  it('names an unknown security account and the close match', () => {
    expect(problems(() => loadWith('securityBaseline:\n  securityAccount: log-archiv\n'))).toEqual([
      { path: '$.securityBaseline.securityAccount', message: 'unknown account "log-archiv": did you mean "log-archive"? (accounts: app-dev, app-prod, log-archive, management)' },
    ]);
  });

  it('asks for organization.alerts when the escalation alarms are on without them', () => {
    expect(problems(() => loadWith('securityBaseline:\n  securityAccount: log-archive\n', ['  alerts:\n    emails: [security-oncall@example.com]\n', '']))).toEqual([
      {
        path: '$.securityBaseline',
        message:
          "escalation alarms read the organization trail's log group and alert on the IAM-change topic: add organization.trail and organization.alerts, or set securityBaseline.escalationAlarms.enabled: false",
      },
    ]);
  });

  it('rejects an unused-access period above 365 days and a VPC CIDR outside /16–/24', () => {
    const found = problems(() => loadWith('securityBaseline:\n  securityAccount: log-archive\n  accessAnalyzer:\n    unusedAccessAgeDays: 400\nnetwork:\n  vpc:\n    cidr: 10.0.0.0/8\n'));
    expect(found).toEqual([
      { path: '$.securityBaseline.accessAnalyzer.unusedAccessAgeDays', message: 'the unused-access tracking period is 1 to 365 days (MAX_UNUSED_ACCESS_AGE_DAYS)' },
      { path: '$.network.vpc.cidr', message: 'expected an IPv4 CIDR from /16 to /24 (`10.64.0.0/24`)' },
    ]);
  });
});
