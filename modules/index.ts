/** The platform's CDKTF constructs: one concept per folder. */
export * from './permission-boundary';
export * from './managed-policy';
export * from './role';
export * from './cross-account-role';
export * from './oidc-provider';
export * from './break-glass-role';
export * from './source-marker';
export * from './guardrails';
export * from './service-control-policy';
export * from './organization-trail';
export * from './iam-change-alerts';
export * from './customer-managed-key';
export * from './security-hub';
export * from './access-analyzer';
export * from './config-aggregator';
export * from './escalation-alarms';
