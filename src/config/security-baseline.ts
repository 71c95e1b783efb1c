/**
 * Resolves `securityBaseline:` and `network:` of org.yaml into the model. Every problem goes to
 * `report` (the loader throws them all at once); the result is undefined when the section is absent.
 */
import type { ResolvedAccount, ResolvedNetwork, ResolvedSecurityBaseline, SecurityHubStandardKey } from '../core/model';
import { findClosestMatch } from './closest-match';
import { createSourceRef, type ConfigFile } from './config-file';
import type { NetworkConfig, SecurityBaselineConfig } from './schema';

/** Default unused-access tracking period (days): the Config rule IAM_USER_UNUSED_CREDENTIALS_CHECK uses 90 too. */
export const DEFAULT_UNUSED_ACCESS_AGE_DAYS = 90;
/** Default number of AccessDenied IAM writes in 5 minutes that raise the burst alarm. */
export const DEFAULT_ACCESS_DENIED_THRESHOLD = 5;
/** Default Security Hub standards. */
export const DEFAULT_SECURITY_HUB_STANDARDS: readonly SecurityHubStandardKey[] = ['cis', 'fsbp'];
/**
 * Region of the IAM dashboard's metrics sink: where the drift Lambdas publish (IAM's CloudTrail events reach
 * EventBridge only in us-east-1; the drift module's IAM_EVENTS_REGION), and links must be in the sink's region.
 * @see https://docs.aws.amazon.com/OAM/latest/APIReference/API_CreateLink.html
 */
export const METRICS_SINK_REGION = 'us-east-1';

/** An Observability Access Manager sink ARN: partition, region, account, sink id. */
const OAM_SINK_ARN = /^arn:(aws[a-z-]*):oam:([a-z0-9-]+):(\d{12}):sink\/([A-Za-z0-9-]+)$/;

/** Default number of private subnets (availability zones) of the private network option. */
export const DEFAULT_NETWORK_AVAILABILITY_ZONES = 2;

/** Input of {@link resolveSecurityBaseline}. */
export interface SecurityBaselineInput {
  readonly orgFile: ConfigFile;
  /** org.yaml `securityBaseline:`. @default - none */
  readonly settings?: SecurityBaselineConfig;
  /** Whether org.yaml has organization: (management account), organization.trail and organization.alerts. */
  readonly hasOrganization: boolean;
  readonly hasTrail: boolean;
  readonly hasAlerts: boolean;
  /** Resolved accounts by name. */
  readonly accounts: ReadonlyMap<string, ResolvedAccount>;
  readonly report: (file: ConfigFile, path: string, message: string) => void;
}

/** Resolves org.yaml `securityBaseline:`; undefined when absent or invalid (problems reported). */
export function resolveSecurityBaseline(input: SecurityBaselineInput): ResolvedSecurityBaseline | undefined {
  const settings = input.settings;
  if (!settings) return undefined;
  const base = '$.securityBaseline';
  if (!input.hasOrganization) {
    input.report(input.orgFile, base, 'securityBaseline delegates Security Hub, Access Analyzer and Config from the management account: add organization: { managementAccount: <account name> }');
    return undefined;
  }
  const account = input.accounts.get(settings.securityAccount);
  if (!account) {
    const names = [...input.accounts.keys()].sort();
    const close = findClosestMatch(settings.securityAccount, names);
    input.report(
      input.orgFile,
      `${base}.securityAccount`,
      `unknown account "${settings.securityAccount}"${close ? `: did you mean "${close}"?` : ''} (accounts: ${names.join(', ')})`,
    );
    return undefined;
  }
  const alarms = settings.escalationAlarms;
  const alarmsOn = alarms?.enabled ?? true;
  if (alarmsOn && (!input.hasTrail || !input.hasAlerts)) {
    input.report(
      input.orgFile,
      alarms ? `${base}.escalationAlarms` : base,
      "escalation alarms read the organization trail's log group and alert on the IAM-change topic: add organization.trail and organization.alerts, or set securityBaseline.escalationAlarms.enabled: false",
    );
    return undefined;
  }
  const ref = (path: string) => createSourceRef(input.orgFile, path);
  let metricsSink: ResolvedSecurityBaseline['metricsSink'];
  if (settings.metricsSinkArn !== undefined) {
    const match = OAM_SINK_ARN.exec(settings.metricsSinkArn);
    const path = `${base}.metricsSinkArn`;
    if (!match) {
      input.report(input.orgFile, path, `"${settings.metricsSinkArn}" is not a metrics sink ARN: copy the output metrics-sink-arn of iam-security-baseline (arn:aws:oam:${METRICS_SINK_REGION}:${account.id}:sink/<id>)`);
    } else if (match[3] !== account.id || match[2] !== METRICS_SINK_REGION) {
      input.report(
        input.orgFile,
        path,
        `the metrics sink must be the security account's (${account.name}, ${account.id}) in ${METRICS_SINK_REGION}, where the drift Lambdas publish; got account ${match[3]} in ${match[2]}: copy the output metrics-sink-arn of iam-security-baseline`,
      );
    } else {
      metricsSink = { arn: settings.metricsSinkArn, source: ref(path) };
    }
  }
  const hub = settings.securityHub;
  const analyzer = settings.accessAnalyzer;
  const aggregator = settings.configAggregator;
  return {
    securityAccount: account.name,
    securityAccountId: account.id,
    ...((hub?.enabled ?? true)
      ? { securityHub: { standards: [...new Set(hub?.standards ?? DEFAULT_SECURITY_HUB_STANDARDS)], source: ref(hub ? `${base}.securityHub` : base) } }
      : {}),
    ...((analyzer?.enabled ?? true)
      ? { accessAnalyzer: { unusedAccessAgeDays: analyzer?.unusedAccessAgeDays ?? DEFAULT_UNUSED_ACCESS_AGE_DAYS, source: ref(analyzer ? `${base}.accessAnalyzer` : base) } }
      : {}),
    ...((aggregator?.enabled ?? true) ? { configAggregator: { source: ref(aggregator ? `${base}.configAggregator` : base) } } : {}),
    ...(alarmsOn
      ? { escalationAlarms: { accessDeniedThreshold: alarms?.accessDeniedThreshold ?? DEFAULT_ACCESS_DENIED_THRESHOLD, source: ref(alarms ? `${base}.escalationAlarms` : base) } }
      : {}),
    ...(metricsSink ? { metricsSink } : {}),
    source: ref(base),
  };
}

/** Resolves org.yaml `network:`; undefined when absent. */
export function resolveNetwork(orgFile: ConfigFile, settings: NetworkConfig | undefined): ResolvedNetwork | undefined {
  if (!settings) return undefined;
  const vpc = settings.vpc;
  return vpc
    ? { vpc: { cidr: vpc.cidr, availabilityZones: vpc.availabilityZones ?? DEFAULT_NETWORK_AVAILABILITY_ZONES, source: createSourceRef(orgFile, '$.network.vpc') } }
    : {};
}
