import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { Fn, type TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { awsManagedPolicyArn } from '../../src/core/iam';
import { customerManagedKeyConfig } from '../customer-managed-key';
import type { SourceRef } from '../../src/core/model';
import { markSource } from '../source-marker';
import { splitCidr } from './subnet-cidrs';

/**
 * Services the platform Lambdas call that have interface VPC endpoints (`com.amazonaws.<region>.<name>`).
 * S3 is a gateway endpoint ({@link GATEWAY_ENDPOINT_SERVICES}); IAM has none (see {@link IamEgress}).
 */
export const INTERFACE_ENDPOINT_SERVICES: readonly string[] = ['config', 'cloudtrail', 'sns', 'sts', 'secretsmanager', 'kms', 'logs'];
/** Gateway endpoints (route-table entries, no ENI). */
export const GATEWAY_ENDPOINT_SERVICES: readonly string[] = ['s3'];
/** HTTPS: every AWS API the Lambdas call. */
export const HTTPS_PORT = 443;
/** VPC flow-log retention, in days (checkov CKV_AWS_338: at least a year). */
export const FLOW_LOG_RETENTION_DAYS = 365;
/** The VPC is cut in four equal blocks: up to three private subnets and one public subnet for the NAT gateway. */
const SUBNET_SPLIT_BITS = 2;

/**
 * How the Lambdas reach IAM, whose API is a global endpoint (iam.amazonaws.com) without a VPC endpoint:
 * - `nat-gateway`: a NAT gateway in a public subnet; the Lambda security group gets one extra rule, HTTPS to
 *   any address, because IAM's addresses are not published as a prefix list. Every other AWS API resolves to
 *   its interface endpoint (private DNS), so in practice only IAM calls leave the VPC.
 * - `none`: no route out; only for functions that never call IAM.
 */
export type IamEgress = 'nat-gateway' | 'none';

/** Props of {@link LambdaNetwork}. */
export interface LambdaNetworkProps {
  /** Prefix of every name (`iam-platform-rotation`). */
  readonly namePrefix: string;
  /** IPv4 CIDR of the VPC, /16 to /24. */
  readonly cidr: string;
  /** Private subnets, one per availability zone (2 or 3). */
  readonly availabilityZones: number;
  /** Region of the endpoints (the provider's). */
  readonly region: string;
  /** Account id (flow-log key policy). */
  readonly accountId: string;
  /** Where the network is configured (org.yaml), for source markers. */
  readonly source: SourceRef;
  /** How IAM is reached. @default 'nat-gateway' */
  readonly iamEgress?: IamEgress;
  /** Interface endpoints to create. @default INTERFACE_ENDPOINT_SERVICES */
  readonly interfaceEndpoints?: readonly string[];
  /** Gateway endpoints to create (add `dynamodb` for the drift module's policy-version table). @default GATEWAY_ENDPOINT_SERVICES */
  readonly gatewayEndpoints?: readonly string[];
  /** Provider to deploy with (the drift module's us-east-1 alias). @default - the stack's default provider */
  readonly provider?: TerraformProvider;
  /** AWS partition. @default 'aws' */
  readonly partition?: string;
  /** Permission boundary of the flow-log delivery role (the account's default boundary, which the guardrails require). @default - none */
  readonly permissionsBoundaryArn?: string;
}

/**
 * A VPC for the platform Lambdas: private subnets, a security group whose egress goes only to the VPC
 * endpoints (interface endpoints by security group, S3 by its prefix list) plus, with `nat-gateway`, HTTPS
 * out for IAM; the endpoints; flow logs to a KMS-encrypted log group; the default security group closed.
 * Pass {@link LambdaNetwork.vpcConfig} to a Lambda.
 */
export class LambdaNetwork extends Construct {
  public readonly vpc: Vpc;
  public readonly privateSubnets: readonly Subnet[];
  /** Security group of the Lambdas. */
  public readonly lambdaSecurityGroup: SecurityGroup;
  /** Security group of the interface endpoints (HTTPS from the Lambdas only). */
  public readonly endpointSecurityGroup: SecurityGroup;
  /** The endpoints, by service name. */
  public readonly endpoints: ReadonlyMap<string, VpcEndpoint>;
  /** `vpc_config` of a Lambda in this network. */
  public readonly vpcConfig: { readonly subnetIds: string[]; readonly securityGroupIds: string[] };
  private readonly partition: string;
  private readonly provider?: TerraformProvider;

  constructor(scope: Construct, id: string, props: LambdaNetworkProps) {
    super(scope, id);
    const partition = props.partition ?? 'aws';
    this.partition = partition;
    this.provider = props.provider;
    const prefix = props.namePrefix;
    const common = props.provider ? { provider: props.provider } : {};
    const blocks = splitCidr(props.cidr, SUBNET_SPLIT_BITS);
    if (props.availabilityZones < 2 || props.availabilityZones > blocks.length - 1) {
      throw new Error(`availabilityZones must be 2 or 3 (got ${props.availabilityZones}): the schema allows no other value`);
    }
    this.vpc = new Vpc(this, 'vpc', { ...common, cidrBlock: props.cidr, enableDnsHostnames: true, enableDnsSupport: true, tags: { Name: prefix } });
    markSource(this.vpc, props.source);
    // checkov CKV2_AWS_12: the default security group allows nothing.
    new DefaultSecurityGroup(this, 'default-security-group', { ...common, vpcId: this.vpc.id });

    const zones = new DataAwsAvailabilityZones(this, 'zones', { ...common, state: 'available' });
    const routes = new RouteTable(this, 'private-routes', { ...common, vpcId: this.vpc.id, tags: { Name: `${prefix}-private` } });
    this.privateSubnets = Array.from({ length: props.availabilityZones }, (_, i) => {
      const subnet = new Subnet(this, `private-${i}`, { ...common,
        vpcId: this.vpc.id,
        cidrBlock: blocks[i],
        availabilityZone: Fn.element(zones.names, i),
        mapPublicIpOnLaunch: false,
        tags: { Name: `${prefix}-private-${i}` },
      });
      new RouteTableAssociation(this, `private-${i}-routes`, { ...common, subnetId: subnet.id, routeTableId: routes.id });
      return subnet;
    });

    this.lambdaSecurityGroup = new SecurityGroup(this, 'lambda-security-group', { ...common,
      name: `${prefix}-lambda`,
      description: 'Platform Lambdas: no ingress; egress to the VPC endpoints only (and IAM, which has none)',
      vpcId: this.vpc.id,
    });
    this.endpointSecurityGroup = new SecurityGroup(this, 'endpoint-security-group', { ...common,
      name: `${prefix}-endpoints`,
      description: 'Interface VPC endpoints: HTTPS from the platform Lambdas only',
      vpcId: this.vpc.id,
    });
    new VpcSecurityGroupIngressRule(this, 'endpoints-from-lambdas', { ...common,
      securityGroupId: this.endpointSecurityGroup.id,
      referencedSecurityGroupId: this.lambdaSecurityGroup.id,
      ipProtocol: 'tcp',
      fromPort: HTTPS_PORT,
      toPort: HTTPS_PORT,
      description: 'HTTPS from the platform Lambdas',
    });
    new VpcSecurityGroupEgressRule(this, 'lambdas-to-endpoints', { ...common,
      securityGroupId: this.lambdaSecurityGroup.id,
      referencedSecurityGroupId: this.endpointSecurityGroup.id,
      ipProtocol: 'tcp',
      fromPort: HTTPS_PORT,
      toPort: HTTPS_PORT,
      description: 'HTTPS to the interface VPC endpoints',
    });

    const endpoints = new Map<string, VpcEndpoint>();
    for (const service of props.interfaceEndpoints ?? INTERFACE_ENDPOINT_SERVICES) {
      endpoints.set(
        service,
        new VpcEndpoint(this, `endpoint-${service}`, { ...common,
          vpcId: this.vpc.id,
          serviceName: `com.amazonaws.${props.region}.${service}`,
          vpcEndpointType: 'Interface',
          privateDnsEnabled: true,
          subnetIds: this.privateSubnets.map((s) => s.id),
          securityGroupIds: [this.endpointSecurityGroup.id],
          tags: { Name: `${prefix}-${service}` },
        }),
      );
    }
    for (const service of props.gatewayEndpoints ?? GATEWAY_ENDPOINT_SERVICES) {
      const endpoint = new VpcEndpoint(this, `endpoint-${service}`, { ...common,
        vpcId: this.vpc.id,
        serviceName: `com.amazonaws.${props.region}.${service}`,
        vpcEndpointType: 'Gateway',
        routeTableIds: [routes.id],
        tags: { Name: `${prefix}-${service}` },
      });
      endpoints.set(service, endpoint);
      new VpcSecurityGroupEgressRule(this, `lambdas-to-${service}`, { ...common,
        securityGroupId: this.lambdaSecurityGroup.id,
        prefixListId: endpoint.prefixListId,
        ipProtocol: 'tcp',
        fromPort: HTTPS_PORT,
        toPort: HTTPS_PORT,
        description: `HTTPS to the ${service} gateway endpoint`,
      });
    }
    this.endpoints = endpoints;

    if ((props.iamEgress ?? 'nat-gateway') === 'nat-gateway') {
      const gateway = new InternetGateway(this, 'internet-gateway', { ...common, vpcId: this.vpc.id, tags: { Name: prefix } });
      const publicSubnet = new Subnet(this, 'public', { ...common,
        vpcId: this.vpc.id,
        cidrBlock: blocks[blocks.length - 1],
        availabilityZone: Fn.element(zones.names, 0),
        mapPublicIpOnLaunch: false,
        tags: { Name: `${prefix}-nat` },
      });
      const publicRoutes = new RouteTable(this, 'public-routes', { ...common, vpcId: this.vpc.id, tags: { Name: `${prefix}-public` } });
      new Route(this, 'public-default-route', { ...common, routeTableId: publicRoutes.id, destinationCidrBlock: '0.0.0.0/0', gatewayId: gateway.id });
      new RouteTableAssociation(this, 'public-routes-association', { ...common, subnetId: publicSubnet.id, routeTableId: publicRoutes.id });
      const address = new Eip(this, 'nat-address', { ...common, domain: 'vpc', dependsOn: [gateway] });
      const nat = new NatGateway(this, 'nat-gateway', { ...common, allocationId: address.allocationId, subnetId: publicSubnet.id, tags: { Name: prefix } });
      new Route(this, 'private-default-route', { ...common, routeTableId: routes.id, destinationCidrBlock: '0.0.0.0/0', natGatewayId: nat.id });
      new VpcSecurityGroupEgressRule(this, 'lambdas-to-iam', { ...common,
        securityGroupId: this.lambdaSecurityGroup.id,
        cidrIpv4: '0.0.0.0/0',
        ipProtocol: 'tcp',
        fromPort: HTTPS_PORT,
        toPort: HTTPS_PORT,
        description: 'HTTPS to IAM (iam.amazonaws.com has no VPC endpoint), through the NAT gateway',
      });
    }

    // Flow logs (checkov CKV2_AWS_11) to a KMS-encrypted log group kept a year.
    const logGroupName = `/aws/vpc/${prefix}`;
    const logGroupArn = `arn:${partition}:logs:${props.region}:${props.accountId}:log-group:${logGroupName}`;
    const key = new KmsKey(
      this,
      'flow-log-key',
      customerManagedKeyConfig({
        description: `Encrypts the ${prefix} VPC flow logs`,
        ...(props.provider ? { provider: props.provider } : {}),
        accountId: props.accountId,
        partition,
        grants: [
          {
            Sid: 'CloudWatchLogs',
            Effect: 'Allow',
            Principal: { Service: `logs.${props.region}.amazonaws.com` },
            Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
            Resource: '*',
            Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': logGroupArn } },
          },
        ],
      }),
    );
    const logGroup = new CloudwatchLogGroup(this, 'flow-log-group', { ...common, name: logGroupName, retentionInDays: FLOW_LOG_RETENTION_DAYS, kmsKeyId: key.arn });
    // VPC Flow Logs' delivery role: a service role, under the account's boundary when one is given. IAM is global and
    // an account can have a network per region (drift in us-east-1, a service credential elsewhere): one role each.
    const role = new IamRole(this, 'flow-log-role', { ...common,
      ...(props.permissionsBoundaryArn ? { permissionsBoundary: props.permissionsBoundaryArn } : {}),
      name: `${prefix}-flow-logs-${props.region}`,
      description: `VPC Flow Logs delivers the ${prefix} VPC flow logs`,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'vpc-flow-logs.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': props.accountId } } },
        ],
      }),
    });
    new IamRolePolicy(this, 'flow-log-policy', { ...common,
      name: 'deliver-flow-logs',
      role: role.id,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Sid: 'DeliverFlowLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], Resource: `${logGroupArn}:*` }],
      }),
    });
    new FlowLog(this, 'flow-log', { ...common, vpcId: this.vpc.id, trafficType: 'ALL', logDestinationType: 'cloud-watch-logs', logDestination: logGroup.arn, iamRoleArn: role.arn });

    this.vpcConfig = { subnetIds: this.privateSubnets.map((s) => s.id), securityGroupIds: [this.lambdaSecurityGroup.id] };
  }

  /**
   * Lets the execution role `roleName` run a function in this network: Lambda creates and deletes the
   * function's network interfaces with the role's credentials (ec2:CreateNetworkInterface and friends take
   * no resource scoping; AWS managed AWSLambdaVPCAccessExecutionRole). The function must depend on the
   * attachment returned, or its first create can fail before the role may manage ENIs.
   */
  public grantFunctionPlacement(scope: Construct, id: string, roleName: string): IamRolePolicyAttachment {
    return new IamRolePolicyAttachment(scope, id, {
      ...(this.provider ? { provider: this.provider } : {}),
      role: roleName,
      policyArn: awsManagedPolicyArn('service-role/AWSLambdaVPCAccessExecutionRole', this.partition),
    });
  }

  /** A fresh `vpc_config` block for one function (cdktf takes mutable arrays). */
  public functionVpcConfig(): { subnetIds: string[]; securityGroupIds: string[] } {
    return { subnetIds: [...this.vpcConfig.subnetIds], securityGroupIds: [...this.vpcConfig.securityGroupIds] };
  }
}
