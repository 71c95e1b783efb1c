export { buildDesiredStateConfigRuleName, buildManagedConfigRuleName, DEFAULT_DRIFT_NAME_PREFIX, listPlatformConfigRuleNames, DRIFT_DETECTION_CHECKOV_SKIPS, DriftDetection, IAM_EVENTS_REGION, IAM_MANAGED_CONFIG_RULES, IAM_WRITE_EVENT_NAMES, RECORDED_IAM_RESOURCE_TYPES } from './drift-detection';
export type { DriftDetectionProps } from './drift-detection';
export { bundleDriftLambda, DRIFT_LAMBDA_ENTRY, DRIFT_LAMBDA_NODE_TARGET } from './lambda-bundle';
export { driftMetricsEnvironment, driftMetricsStatement, METRICS_NAMESPACE_ENV } from './drift-metrics-grant';
