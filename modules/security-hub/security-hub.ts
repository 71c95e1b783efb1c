import { DataAwsOrganizationsOrganization } from '@cdktf/provider-aws/lib/data-aws-organizations-organization';
import { SecurityhubAccount } from '@cdktf/provider-aws/lib/securityhub-account';
import { SecurityhubConfigurationPolicy } from '@cdktf/provider-aws/lib/securityhub-configuration-policy';
import { SecurityhubConfigurationPolicyAssociation } from '@cdktf/provider-aws/lib/securityhub-configuration-policy-association';
import { SecurityhubFindingAggregator } from '@cdktf/provider-aws/lib/securityhub-finding-aggregator';
import { SecurityhubOrganizationAdminAccount } from '@cdktf/provider-aws/lib/securityhub-organization-admin-account';
import { SecurityhubOrganizationConfiguration } from '@cdktf/provider-aws/lib/securityhub-organization-configuration';
import { Construct } from 'constructs';
import type { SecurityHubStandardKey, SourceRef } from '../../src/core/model';
import { markSource } from '../source-marker';

/**
 * The Security Hub standards the baseline can enable, by config key: standard ARN path (the ARN is
 * `arn:<partition>:securityhub:<region>::<path>`) and name. @see https://docs.aws.amazon.com/securityhub/latest/userguide/standards-reference.html
 */
export const SECURITY_HUB_STANDARDS: Readonly<Record<SecurityHubStandardKey, { readonly path: string; readonly name: string }>> = {
  cis: { path: 'standards/cis-aws-foundations-benchmark/v/3.0.0', name: 'CIS AWS Foundations Benchmark v3.0.0' },
  fsbp: { path: 'standards/aws-foundational-security-best-practices/v/1.0.0', name: 'AWS Foundational Security Best Practices v1.0.0' },
};

/** ARN of a Security Hub standard in a region. */
export function buildStandardArn(key: SecurityHubStandardKey, region: string, partition = 'aws'): string {
  return `arn:${partition}:securityhub:${region}::${SECURITY_HUB_STANDARDS[key].path}`;
}

/** Props of {@link SecurityHubDelegation}. */
export interface SecurityHubDelegationProps {
  /** Account that becomes the Security Hub delegated administrator (the security account). */
  readonly adminAccountId: string;
  /** Where the baseline is configured (org.yaml), for source markers. */
  readonly source: SourceRef;
}

/**
 * Management-account side: enables Security Hub in the management account and makes the security
 * account the organization's Security Hub administrator (EnableOrganizationAdminAccount). Needs trusted
 * access for securityhub.amazonaws.com in AWS Organizations (the organization resource is outside this repo).
 */
export class SecurityHubDelegation extends Construct {
  /** The delegation. */
  public readonly adminAccount: SecurityhubOrganizationAdminAccount;

  constructor(scope: Construct, id: string, props: SecurityHubDelegationProps) {
    super(scope, id);
    const account = new SecurityhubAccount(this, 'account', { enableDefaultStandards: false, autoEnableControls: true });
    this.adminAccount = new SecurityhubOrganizationAdminAccount(this, 'admin-account', { adminAccountId: props.adminAccountId, dependsOn: [account] });
    markSource(this.adminAccount, props.source);
  }
}

/** Props of {@link SecurityHubAdministrator}. */
export interface SecurityHubAdministratorProps {
  /** Home region of the administrator (the aggregation region). */
  readonly region: string;
  /** Standards every account gets. */
  readonly standards: readonly SecurityHubStandardKey[];
  /** Where the baseline is configured (org.yaml), for source markers. */
  readonly source: SourceRef;
  /** Name of the central configuration policy. @default 'iam-platform-security-baseline' */
  readonly policyName?: string;
  /** AWS partition. @default 'aws' */
  readonly partition?: string;
}

/**
 * Security-account side, with central configuration: findings of every region aggregated into the home
 * region (a finding aggregator, which central configuration requires), and one configuration policy,
 * associated with the organization root, that enables Security Hub and the chosen standards in every
 * account, including accounts that join later (the root association is inherited).
 */
export class SecurityHubAdministrator extends Construct {
  /** Cross-region finding aggregation (ALL_REGIONS). */
  public readonly aggregator: SecurityhubFindingAggregator;
  /** The policy every account of the organization gets. */
  public readonly policy: SecurityhubConfigurationPolicy;
  /** Standard ARNs the policy enables. */
  public readonly standardArns: readonly string[];

  constructor(scope: Construct, id: string, props: SecurityHubAdministratorProps) {
    super(scope, id);
    const partition = props.partition ?? 'aws';
    this.standardArns = props.standards.map((k) => buildStandardArn(k, props.region, partition));
    const account = new SecurityhubAccount(this, 'account', { enableDefaultStandards: false, autoEnableControls: true });
    this.aggregator = new SecurityhubFindingAggregator(this, 'aggregator', { linkingMode: 'ALL_REGIONS', dependsOn: [account] });
    markSource(this.aggregator, props.source);
    const configuration = new SecurityhubOrganizationConfiguration(this, 'organization-configuration', {
      // Central configuration: the policy below decides, so the local auto-enable switches are off.
      autoEnable: false,
      autoEnableStandards: 'NONE',
      organizationConfiguration: { configurationType: 'CENTRAL' },
      dependsOn: [this.aggregator],
    });
    markSource(configuration, props.source);
    this.policy = new SecurityhubConfigurationPolicy(this, 'policy', {
      name: props.policyName ?? 'iam-platform-security-baseline',
      description: `Security Hub on, with ${props.standards.map((k) => SECURITY_HUB_STANDARDS[k].name).join(' and ')}, in every account`,
      configurationPolicy: {
        serviceEnabled: true,
        enabledStandardArns: [...this.standardArns],
        securityControlsConfiguration: { disabledControlIdentifiers: [] },
      },
      dependsOn: [configuration],
    });
    markSource(this.policy, props.source);
    const organization = new DataAwsOrganizationsOrganization(this, 'organization', {});
    new SecurityhubConfigurationPolicyAssociation(this, 'root-association', { targetId: organization.roots.get(0).id, policyId: this.policy.id });
  }
}
