export { OIDC_ISSUERS, OIDC_SUBJECT_RULE, OidcFederatedRole, OidcProvider } from './oidc-provider';
export type { OidcFederatedRoleProps, OidcProviderProps } from './oidc-provider';
