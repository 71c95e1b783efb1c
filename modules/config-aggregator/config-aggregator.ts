import { ConfigConfigurationAggregator } from '@cdktf/provider-aws/lib/config-configuration-aggregator';
import { ConfigOrganizationConformancePack } from '@cdktf/provider-aws/lib/config-organization-conformance-pack';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { OrganizationsDelegatedAdministrator } from '@cdktf/provider-aws/lib/organizations-delegated-administrator';
import { Construct } from 'constructs';
import { awsManagedPolicyArn } from '../../src/core/iam';
import type { SourceRef } from '../../src/core/model';
import { IAM_EVENTS_REGION, IAM_MANAGED_CONFIG_RULES } from '../drift-detection';
import { markSource } from '../source-marker';

/** Service principals the security account is delegated administrator for: Config aggregation and organization conformance packs. */
export const CONFIG_SERVICE_PRINCIPALS: readonly string[] = ['config.amazonaws.com', 'config-multiaccountsetup.amazonaws.com'];
/** AWS managed policy of an organization aggregator's role. @see https://docs.aws.amazon.com/config/latest/developerguide/set-up-aggregator-cli.html */
export const CONFIG_ORGANIZATION_AGGREGATOR_POLICY = 'service-role/AWSConfigRoleForOrganizations';

/** Props of {@link ConfigDelegation}. */
export interface ConfigDelegationProps {
  /** Account that becomes the AWS Config delegated administrator (the security account). */
  readonly adminAccountId: string;
  /** Where the baseline is configured (org.yaml), for source markers. */
  readonly source: SourceRef;
}

/** Management-account side: the security account is delegated administrator of Config and its organization conformance packs. */
export class ConfigDelegation extends Construct {
  constructor(scope: Construct, id: string, props: ConfigDelegationProps) {
    super(scope, id);
    for (const principal of CONFIG_SERVICE_PRINCIPALS) {
      const delegation = new OrganizationsDelegatedAdministrator(this, principal.split('.')[0], { accountId: props.adminAccountId, servicePrincipal: principal });
      markSource(delegation, props.source);
    }
  }
}

/**
 * The conformance pack template: the IAM managed rules the drift module deploys per account
 * ({@link IAM_MANAGED_CONFIG_RULES}, one source), with the same parameters, as CloudFormation JSON
 * (a conformance pack template may be JSON or YAML).
 */
export function buildIamConformancePackTemplate(): string {
  const resources: Record<string, unknown> = {};
  for (const [identifier, rule] of Object.entries(IAM_MANAGED_CONFIG_RULES)) {
    const logicalId = identifier
      .toLowerCase()
      .split('_')
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join('');
    resources[logicalId] = {
      Type: 'AWS::Config::ConfigRule',
      Properties: {
        ConfigRuleName: identifier.toLowerCase().replace(/_/g, '-'),
        Source: { Owner: 'AWS', SourceIdentifier: identifier },
        ...(rule.params ? { InputParameters: { ...rule.params } } : {}),
        ...(rule.periodic ? { MaximumExecutionFrequency: 'TwentyFour_Hours' } : {}),
      },
    };
  }
  return JSON.stringify({ Resources: resources });
}

/** Props of {@link OrganizationConfigAggregator}. */
export interface OrganizationConfigAggregatorProps {
  /** Account id of the security account (the aggregator's home). */
  readonly accountId: string;
  /** Where the baseline is configured (org.yaml), for source markers. */
  readonly source: SourceRef;
  /** Name of the aggregator, its role and the conformance pack. @default 'iam-platform-organization' */
  readonly name?: string;
  /**
   * Region of the conformance pack: member accounts must record IAM there, and the drift module records
   * IAM's global resource types in {@link IAM_EVENTS_REGION} only. @default IAM_EVENTS_REGION
   */
  readonly conformancePackRegion?: string;
  /** AWS partition. @default 'aws' */
  readonly partition?: string;
}

/**
 * In the delegated administrator: an AWS Config aggregator over the whole organization and every region
 * (checkov CKV_AWS_121), with its service role, and an organization conformance pack of the drift
 * module's IAM rules in every account.
 */
export class OrganizationConfigAggregator extends Construct {
  public readonly aggregator: ConfigConfigurationAggregator;
  public readonly role: IamRole;
  public readonly conformancePack: ConfigOrganizationConformancePack;

  constructor(scope: Construct, id: string, props: OrganizationConfigAggregatorProps) {
    super(scope, id);
    const name = props.name ?? 'iam-platform-organization';
    // No permissions boundary: the platform boundary denies organizations:*, which the aggregator reads.
    this.role = new IamRole(this, 'role', {
      name: `${name}-config-aggregator`,
      description: 'AWS Config reads the organization to aggregate every account',
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'config.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': props.accountId } } },
        ],
      }),
    });
    markSource(this.role, props.source);
    const attachment = new IamRolePolicyAttachment(this, 'role-policy', { role: this.role.name, policyArn: awsManagedPolicyArn(CONFIG_ORGANIZATION_AGGREGATOR_POLICY, props.partition) });
    this.aggregator = new ConfigConfigurationAggregator(this, 'aggregator', {
      name,
      organizationAggregationSource: { allRegions: true, roleArn: this.role.arn },
      dependsOn: [attachment],
    });
    markSource(this.aggregator, props.source);
    this.conformancePack = new ConfigOrganizationConformancePack(this, 'iam-conformance-pack', {
      name: `${name}-iam`,
      region: props.conformancePackRegion ?? IAM_EVENTS_REGION,
      templateBody: buildIamConformancePackTemplate(),
    });
    markSource(this.conformancePack, props.source);
  }
}
