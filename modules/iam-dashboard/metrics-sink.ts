/**
 * CloudWatch cross-account observability for the platform's metrics: an Observability Access Manager sink
 * in the security (monitoring) account, and a link from each source account that shares only the
 * platform's namespaces. With the links the dashboard in the security account reads every account's drift
 * metrics (widgets name the source account with `accountId`).
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-Unified-Cross-Account.html
 * @see https://docs.aws.amazon.com/OAM/latest/APIReference/API_CreateLink.html
 */
import { OamLink } from '@cdktf/provider-aws/lib/oam-link';
import { OamSink } from '@cdktf/provider-aws/lib/oam-sink';
import { OamSinkPolicy } from '@cdktf/provider-aws/lib/oam-sink-policy';
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { DRIFT_METRICS_NAMESPACE } from '../../src/core/reports/drift-metrics';
import { PolicyDocument } from '../../src/core/policy';

/** The only telemetry type the platform shares: metrics (no logs, traces or Application Insights). */
export const SHARED_RESOURCE_TYPES: readonly string[] = ['AWS::CloudWatch::Metric'];

/** The metric filter of a link: only the named namespaces leave the source account. */
export function describeNamespaceFilter(namespaces: readonly string[]): string {
  return `Namespace IN (${namespaces.map((n) => `'${n}'`).join(', ')})`;
}

/** Props of {@link MetricsSink}. */
export interface MetricsSinkProps {
  /** Sink name. @default 'iam-platform' */
  readonly name?: string;
  /** Region of the sink: the region the drift Lambda publishes in (links must be in the same region). */
  readonly region: string;
  /** Accounts allowed to link (the organization's accounts, by id). */
  readonly sourceAccountIds: readonly string[];
  /** @default - the stack's default provider */
  readonly provider?: TerraformProvider;
}

/** The sink in the monitoring account, and its policy: only the listed accounts may link, and only metrics. */
export class MetricsSink extends Construct {
  public readonly sink: OamSink;
  /** The sink policy document, as written. */
  public readonly policy: PolicyDocument;

  constructor(scope: Construct, id: string, props: MetricsSinkProps) {
    super(scope, id);
    const provider = props.provider ? { provider: props.provider } : {};
    this.sink = new OamSink(this, 'sink', { ...provider, name: props.name ?? 'iam-platform', region: props.region });
    this.policy = PolicyDocument.fromJson({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'OrganizationAccountsLinkMetrics',
          Effect: 'Allow',
          Principal: { AWS: [...props.sourceAccountIds].sort() },
          Action: ['oam:CreateLink', 'oam:UpdateLink'],
          Resource: '*',
          Condition: { 'ForAllValues:StringEquals': { 'oam:ResourceTypes': [...SHARED_RESOURCE_TYPES] } },
        },
      ],
    });
    new OamSinkPolicy(this, 'policy', { ...provider, region: props.region, sinkIdentifier: this.sink.arn, policy: this.policy.toString() });
  }
}

/** Props of {@link MetricsLink}. */
export interface MetricsLinkProps {
  /** ARN of the sink in the monitoring account ({@link MetricsSink}). */
  readonly sinkArn: string;
  /** Region of the link (the sink's). */
  readonly region: string;
  /** Namespaces shared. @default - the drift metrics' namespace only */
  readonly namespaces?: readonly string[];
  /** @default - the stack's default provider */
  readonly provider?: TerraformProvider;
}

/** A source account's link to the sink: its metrics in the listed namespaces, labelled with the account's name. */
export class MetricsLink extends Construct {
  public readonly link: OamLink;

  constructor(scope: Construct, id: string, props: MetricsLinkProps) {
    super(scope, id);
    this.link = new OamLink(this, 'link', {
      ...(props.provider ? { provider: props.provider } : {}),
      region: props.region,
      sinkIdentifier: props.sinkArn,
      labelTemplate: '$AccountName',
      resourceTypes: [...SHARED_RESOURCE_TYPES],
      linkConfiguration: { metricConfiguration: { filter: describeNamespaceFilter(props.namespaces ?? [DRIFT_METRICS_NAMESPACE]) } },
    });
  }
}
