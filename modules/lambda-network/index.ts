export { FLOW_LOG_RETENTION_DAYS, GATEWAY_ENDPOINT_SERVICES, HTTPS_PORT, INTERFACE_ENDPOINT_SERVICES, LambdaNetwork } from './lambda-network';
export type { IamEgress, LambdaNetworkProps } from './lambda-network';
export { splitCidr } from './subnet-cidrs';
