export {
  CONFIG_ORGANIZATION_AGGREGATOR_POLICY,
  CONFIG_SERVICE_PRINCIPALS,
  ConfigDelegation,
  OrganizationConfigAggregator,
  buildIamConformancePackTemplate,
} from './config-aggregator';
export type { ConfigDelegationProps, OrganizationConfigAggregatorProps } from './config-aggregator';
