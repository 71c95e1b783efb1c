/**
 * The organization security baseline (org.yaml `securityBaseline:`), in two places:
 * - stack `iam-security-baseline` in the security account (the delegated administrator): Security Hub
 *   with central configuration and cross-region aggregation, the organization external-access and
 *   unused-access analyzers, the organization Config aggregator and the IAM conformance pack;
 * - constructs added to the management stack `iam-organization`: the delegations (only the management
 *   account can make them) and the escalation alarms, which live next to the trail's log group and the
 *   IAM-change alert topic they use.
 * The security stack depends on the management stack (delegate first).
 */
import { Aspects, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { AccessAnalyzerDelegation, OrganizationAccessAnalyzers, describePlatformTrust } from '../modules/access-analyzer';
import { ConfigDelegation, OrganizationConfigAggregator } from '../modules/config-aggregator';
import { EscalationAlarms } from '../modules/escalation-alarms';
import { IamDashboard, MetricsSink } from '../modules/iam-dashboard';
import { IAM_EVENTS_REGION } from '../modules/drift-detection';
import { PolicyDocumentGuardrail } from '../modules/guardrails';
import { SecurityHubAdministrator, SecurityHubDelegation } from '../modules/security-hub';
import type { ResolvedAccount, ResolvedOrganization, ResolvedSecurityBaseline } from '../src/core/model';
import { MANAGED_BY } from './account-stack';
import { organizationStackId, type OrganizationStacks } from './organization-stack';
import { addAccountProvider, addStackBackend } from './stack-backend';

/** State name of the security-account stack: stack `iam-security-baseline`, workspace `<prefix>security-baseline`. */
export const SECURITY_BASELINE_STATE_NAME = 'security-baseline';

/** Props of {@link SecurityBaselineStack}. */
export interface SecurityBaselineStackProps {
  /** AWS partition. @default 'aws' */
  readonly partition?: string;
}

/** The security account of the baseline; throws an internal error when the model has none (callers check first). */
function securityAccountOf(org: ResolvedOrganization): { settings: ResolvedSecurityBaseline; account: ResolvedAccount } {
  const settings = org.securityBaseline;
  const account = org.accounts.find((a) => a.name === settings?.securityAccount);
  if (!settings || !account) throw new Error('SecurityBaselineStack needs org.securityBaseline with a resolved security account: check org.securityBaseline first');
  return { settings, account };
}

/** The security services in the delegated administrator (the security account). */
export class SecurityBaselineStack extends TerraformStack {
  /** The security account. */
  public readonly account: ResolvedAccount;
  public readonly settings: ResolvedSecurityBaseline;
  /** @default - none when securityHub is off */
  public readonly securityHub?: SecurityHubAdministrator;
  /** @default - none when accessAnalyzer is off */
  public readonly analyzers?: OrganizationAccessAnalyzers;
  /** @default - none when configAggregator is off */
  public readonly aggregator?: OrganizationConfigAggregator;

  constructor(scope: Construct, org: ResolvedOrganization, props: SecurityBaselineStackProps = {}) {
    const { settings, account } = securityAccountOf(org);
    super(scope, organizationStackId(account.backend, SECURITY_BASELINE_STATE_NAME));
    this.account = account;
    this.settings = settings;
    const region = account.regions[0] ?? org.defaultRegion;
    // The organization stacks' tag set, in the security account (stacks/organization-stack.ts organizationDefaultTags).
    const defaultTags = { ...account.tags, 'managed-by': MANAGED_BY, account: account.name, owner: account.owner, 'source-file': settings.source.file };
    addAccountProvider(this, { accountId: account.id, roleArn: account.deployRoleArn, region, defaultTags });
    addStackBackend(this, account.backend, SECURITY_BASELINE_STATE_NAME);

    if (settings.securityHub) {
      this.securityHub = new SecurityHubAdministrator(this, 'security-hub', { region, standards: settings.securityHub.standards, source: settings.securityHub.source, partition: props.partition });
    }
    if (settings.accessAnalyzer) {
      this.analyzers = new OrganizationAccessAnalyzers(this, 'access-analyzer', {
        unusedAccessAgeDays: settings.accessAnalyzer.unusedAccessAgeDays,
        trustedAccess: describePlatformTrust(org.accounts, props.partition),
        source: settings.accessAnalyzer.source,
      });
    }
    if (settings.configAggregator) {
      this.aggregator = new OrganizationConfigAggregator(this, 'config', { accountId: account.id, source: settings.configAggregator.source, partition: props.partition });
    }
    Aspects.of(this).add(new PolicyDocumentGuardrail());
  }
}

/**
 * Adds the baseline when org.yaml has `securityBaseline:` and the organization stacks exist: the
 * delegations and escalation alarms into the management stack, and the security-account stack.
 * Returns the security-account stack, or undefined.
 */
export function addSecurityBaseline(scope: Construct, org: ResolvedOrganization, stacks: OrganizationStacks | undefined, props: SecurityBaselineStackProps = {}): SecurityBaselineStack | undefined {
  const settings = org.securityBaseline;
  if (!settings || !stacks) return undefined;
  const management = stacks.organization;
  const adminAccountId = settings.securityAccountId;
  if (settings.securityHub) new SecurityHubDelegation(management, 'security-hub-delegation', { adminAccountId, source: settings.securityHub.source });
  if (settings.accessAnalyzer) new AccessAnalyzerDelegation(management, 'access-analyzer-delegation', { adminAccountId, source: settings.accessAnalyzer.source });
  if (settings.configAggregator) new ConfigDelegation(management, 'config-delegation', { adminAccountId, source: settings.configAggregator.source });
  const trail = management.settings.trail;
  const alerts = management.settings.alerts;
  let escalation: EscalationAlarms | undefined;
  if (settings.escalationAlarms && trail && alerts && management.trail && management.alerts) {
    escalation = new EscalationAlarms(management, 'escalation-alarms', {
      logGroupName: trail.logGroupName,
      topicArn: management.alerts.topic.arn,
      namespace: alerts.namespace,
      accessDeniedThreshold: settings.escalationAlarms.accessDeniedThreshold,
      source: settings.escalationAlarms.source,
      dependsOn: [management.trail.logGroup],
    });
  }
  const stack = new SecurityBaselineStack(scope, org, props);
  stack.addDependency(management);
  if (alerts && management.alerts) {
    // The IAM-change and escalation alarms of the management account, on one dashboard in the security account.
    const managementAccount = org.accounts.find((a) => a.id === org.organization?.managementAccountId);
    new IamDashboard(stack, 'iam-dashboard', {
      alarmAccountId: org.organization!.managementAccountId,
      region: managementAccount?.regions[0] ?? org.defaultRegion,
      namespace: alerts.namespace,
      alarms: [...management.alerts.alarms.map((a) => ({ name: a.id, metricName: a.metricName })), ...(escalation?.alarms ?? []).map((a) => ({ name: a.id, metricName: a.metricName }))],
      partition: props.partition,
      // Drift counts of every account with drift detection, shared to this account through the metrics sink.
      drift: { region: IAM_EVENTS_REGION, accounts: org.accounts.filter((a) => a.drift.enabled).map((a) => ({ name: a.name, id: a.id })) },
      source: alerts.source,
    });
    const sink = new MetricsSink(stack, 'metrics-sink', { region: IAM_EVENTS_REGION, sourceAccountIds: org.accounts.filter((a) => a.drift.enabled && a.id !== stack.account.id).map((a) => a.id) });
    // Known after the first apply; org.yaml securityBaseline.metricsSinkArn takes it, and the account stacks link to it.
    new TerraformOutput(stack, 'metrics-sink-arn', { value: sink.sink.arn, description: 'Copy into org.yaml securityBaseline.metricsSinkArn: each account with drift detection then links its IamPlatform metrics here' });
  }
  return stack;
}
