import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { listPlatformConfigRuleNames } from '../../modules/drift-detection';
import { judgeConfigRules, readConfigRuleCompliance } from '../../src/io/reports';
import { type FakeConfigRule, type FakeConfigService, startFakeConfigService, PLATFORM_CONFIG_RULES } from './fake-config-service';

const RULES = PLATFORM_CONFIG_RULES;
const REGION = 'us-east-1';

function allCompliant(): Record<string, FakeConfigRule> {
  return Object.fromEntries(RULES.map((r) => [r, { compliance: 'COMPLIANT' } as FakeConfigRule]));
}

describe('AWS Config compliance of the platform rules (local fake of the JSON protocol)', () => {
  let fake: FakeConfigService;
  let config: ConfigServiceClient;
  beforeAll(async () => {
    fake = await startFakeConfigService();
    config = new ConfigServiceClient({ endpoint: fake.endpoint, region: REGION, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, maxAttempts: 1 });
  });
  afterAll(async () => {
    config.destroy();
    await fake.stop();
  });

  it('reads the rule names the drift module deploys', () => {
    expect(listPlatformConfigRuleNames()).toEqual(RULES);
  });

  it('passes when every rule is COMPLIANT, reading all rules in pages', async () => {
    fake.setRules(allCompliant());
    const states = await readConfigRuleCompliance(config, RULES);
    expect(states).toEqual(RULES.map((rule) => ({ rule, state: 'compliant' })));
    expect(judgeConfigRules(states, REGION)).toEqual({ items: [] });
    // Eight rules, three per page: three pages of one call naming all eight; no details asked
    expect(fake.requests.map((r) => [r.operation, r.body.NextToken ?? null])).toEqual([
      ['DescribeComplianceByConfigRule', null],
      ['DescribeComplianceByConfigRule', '3'],
      ['DescribeComplianceByConfigRule', '6'],
    ]);
    expect(fake.requests[0]!.body.ConfigRuleNames).toEqual(RULES);
  });

  it('fails with the rule and its non-compliant resources', async () => {
    fake.setRules({
      ...allCompliant(),
      'iam-platform-drift-iam-no-inline-policy-check': {
        compliance: 'NON_COMPLIANT',
        nonCompliant: [
          { resourceType: 'AWS::IAM::Role', resourceId: 'AROAEXAMPLEINLINE01', annotation: 'The role has an inline policy.' },
          { resourceType: 'AWS::IAM::User', resourceId: 'AIDAEXAMPLEINLINE02' },
        ],
      },
    });
    const verdict = judgeConfigRules(await readConfigRuleCompliance(config, RULES), REGION);
    expect(verdict).toEqual({
      items: [
        'rule iam-platform-drift-iam-no-inline-policy-check NON_COMPLIANT: AWS::IAM::Role AROAEXAMPLEINLINE01 (The role has an inline policy.)',
        'rule iam-platform-drift-iam-no-inline-policy-check NON_COMPLIANT: AWS::IAM::User AIDAEXAMPLEINLINE02',
      ],
    });
    const details = fake.requests.filter((r) => r.operation === 'GetComplianceDetailsByConfigRule');
    expect(details.map((r) => r.body)).toEqual([{ ConfigRuleName: 'iam-platform-drift-iam-no-inline-policy-check', ComplianceTypes: ['NON_COMPLIANT'], Limit: 100 }]);
  });

  it('lists at most 100 resources of a rule and says there are more', async () => {
    const many = Array.from({ length: 150 }, (_, i) => ({ resourceType: 'AWS::IAM::User', resourceId: `AIDA${String(i).padStart(4, '0')}` }));
    fake.setRules({ ...allCompliant(), 'iam-platform-drift-access-keys-rotated': { compliance: 'NON_COMPLIANT', nonCompliant: many } });
    const verdict = judgeConfigRules(await readConfigRuleCompliance(config, RULES), REGION);
    expect(verdict.items).toHaveLength(101);
    expect(verdict.items![0]).toBe('rule iam-platform-drift-access-keys-rotated NON_COMPLIANT: AWS::IAM::User AIDA0000');
    expect(verdict.items![99]).toBe('rule iam-platform-drift-access-keys-rotated NON_COMPLIANT: AWS::IAM::User AIDA0099');
    expect(verdict.items![100]).toBe('rule iam-platform-drift-access-keys-rotated: more non-compliant resources than the 100 listed (AWS Config counts 100+)');
    // One bounded page, not the whole list
    expect(fake.requests.filter((r) => r.operation === 'GetComplianceDetailsByConfigRule')).toHaveLength(1);
  });

  it('leaves the check not evaluated, with the reason, when a rule is missing in the account', async () => {
    const rules = allCompliant();
    delete rules['iam-platform-drift-desired-state'];
    fake.setRules(rules);
    const states = await readConfigRuleCompliance(config, RULES);
    expect(states.at(-1)).toEqual({ rule: 'iam-platform-drift-desired-state', state: 'missing' });
    expect(states.slice(0, 7).every((s) => s.state === 'compliant')).toBe(true);
    expect(judgeConfigRules(states, REGION)).toEqual({
      notEvaluated: "rule iam-platform-drift-desired-state is not in the account's AWS Config (us-east-1): deploy the account's stack with drift detection",
    });
  });

  it('leaves the check not evaluated when a rule is INSUFFICIENT_DATA', async () => {
    fake.setRules({ ...allCompliant(), 'iam-platform-drift-root-account-mfa-enabled': { compliance: 'INSUFFICIENT_DATA' } });
    expect(judgeConfigRules(await readConfigRuleCompliance(config, RULES), REGION)).toEqual({
      notEvaluated:
        'rule iam-platform-drift-root-account-mfa-enabled is INSUFFICIENT_DATA: AWS Config has no current evaluation (never evaluated, its Lambda fails to put evaluations, or every result is NOT_APPLICABLE)',
    });
  });

  it('fails on a NON_COMPLIANT rule and says which rules were not evaluated', async () => {
    const rules: Record<string, FakeConfigRule> = { ...allCompliant(), 'iam-platform-drift-iam-root-access-key-check': { compliance: 'NON_COMPLIANT', nonCompliant: [{ resourceType: 'AWS::::Account', resourceId: '510987654321' }] } };
    delete rules['iam-platform-drift-access-keys-rotated'];
    fake.setRules(rules);
    expect(judgeConfigRules(await readConfigRuleCompliance(config, RULES), REGION)).toEqual({
      items: ['rule iam-platform-drift-iam-root-access-key-check NON_COMPLIANT: AWS::::Account 510987654321'],
      notEvaluated: "rule iam-platform-drift-access-keys-rotated is not in the account's AWS Config (us-east-1): deploy the account's stack with drift detection",
    });
  });

  it('names the missing config: permission when AWS Config denies the read', async () => {
    fake.setRules(allCompliant());
    fake.deny(true);
    await expect(readConfigRuleCompliance(config, RULES)).rejects.toThrow(
      'AWS Config DescribeComplianceByConfigRule failed: User: arn:aws:sts::123456789012:assumed-role/reader/test is not authorized to perform: config:DescribeComplianceByConfigRule (AccessDeniedException). Fix: grant config:DescribeComplianceByConfigRule to the role that reads the account (--live-role)',
    );
  });

  it('throws a user error naming the call when AWS Config cannot be read', async () => {
    const down = new ConfigServiceClient({ endpoint: 'http://127.0.0.1:9', region: REGION, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, maxAttempts: 1 });
    await expect(readConfigRuleCompliance(down, RULES)).rejects.toThrow(/^AWS Config DescribeComplianceByConfigRule failed: .*Fix: the endpoint did not answer/);
    down.destroy();
  });
});
