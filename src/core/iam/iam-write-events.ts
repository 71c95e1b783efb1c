/**
 * The ONE table of IAM calls that change something, as CloudTrail names them (`eventName`). The drift
 * module's EventBridge rule matches them, the drift Lambda handles exactly them; a test holds the table
 * equal to the IAM catalog's Write, Permissions management and Tagging actions.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html
 */

/** Catalog actions that are permissions only: no API call, so no CloudTrail event. */
export const IAM_PERMISSION_ONLY_ACTIONS: Readonly<Record<string, string>> = {
  PassRole: 'a permission checked when another service is given a role; it is not an API call and CloudTrail records no event of its own',
};

/** Every IAM write call (Write, Permissions management, Tagging), sorted. */
export const IAM_WRITE_EVENT_NAMES: readonly string[] = [
  'AcceptDelegationRequest',
  'AddClientIDToOpenIDConnectProvider',
  'AddRoleToInstanceProfile',
  'AddUserToGroup',
  'AssociateDelegationRequest',
  'AttachGroupPolicy',
  'AttachRolePolicy',
  'AttachUserPolicy',
  'ChangePassword',
  'CreateAccessKey',
  'CreateAccountAlias',
  'CreateDelegationRequest',
  'CreateGroup',
  'CreateInstanceProfile',
  'CreateLoginProfile',
  'CreateOpenIDConnectProvider',
  'CreatePolicy',
  'CreatePolicyVersion',
  'CreateRole',
  'CreateSAMLProvider',
  'CreateServiceLinkedRole',
  'CreateServiceSpecificCredential',
  'CreateUser',
  'CreateVirtualMFADevice',
  'DeactivateMFADevice',
  'DeleteAccessKey',
  'DeleteAccountAlias',
  'DeleteAccountPasswordPolicy',
  'DeleteCloudFrontPublicKey',
  'DeleteGroup',
  'DeleteGroupPolicy',
  'DeleteInstanceProfile',
  'DeleteLoginProfile',
  'DeleteOpenIDConnectProvider',
  'DeletePolicy',
  'DeletePolicyVersion',
  'DeleteRole',
  'DeleteRolePermissionsBoundary',
  'DeleteRolePolicy',
  'DeleteSAMLProvider',
  'DeleteSSHPublicKey',
  'DeleteServerCertificate',
  'DeleteServiceLinkedRole',
  'DeleteServiceSpecificCredential',
  'DeleteSigningCertificate',
  'DeleteUser',
  'DeleteUserPermissionsBoundary',
  'DeleteUserPolicy',
  'DeleteVirtualMFADevice',
  'DetachGroupPolicy',
  'DetachRolePolicy',
  'DetachUserPolicy',
  'DisableOrganizationsRootCredentialsManagement',
  'DisableOrganizationsRootSessions',
  'DisableOutboundWebIdentityFederation',
  'EnableMFADevice',
  'EnableOrganizationsRootCredentialsManagement',
  'EnableOrganizationsRootSessions',
  'EnableOutboundWebIdentityFederation',
  'PutAccountProperties',
  'PutGroupPolicy',
  'PutRolePermissionsBoundary',
  'PutRolePolicy',
  'PutUserPermissionsBoundary',
  'PutUserPolicy',
  'RejectDelegationRequest',
  'RemoveClientIDFromOpenIDConnectProvider',
  'RemoveRoleFromInstanceProfile',
  'RemoveUserFromGroup',
  'ResetServiceSpecificCredential',
  'ResyncMFADevice',
  'SendDelegationToken',
  'SetDefaultPolicyVersion',
  'SetSTSRegionalEndpointStatus',
  'SetSecurityTokenServicePreferences',
  'TagInstanceProfile',
  'TagMFADevice',
  'TagOpenIDConnectProvider',
  'TagPolicy',
  'TagRole',
  'TagSAMLProvider',
  'TagServerCertificate',
  'TagUser',
  'UntagInstanceProfile',
  'UntagMFADevice',
  'UntagOpenIDConnectProvider',
  'UntagPolicy',
  'UntagRole',
  'UntagSAMLProvider',
  'UntagServerCertificate',
  'UntagUser',
  'UpdateAccessKey',
  'UpdateAccountEmailAddress',
  'UpdateAccountName',
  'UpdateAccountPasswordPolicy',
  'UpdateAssumeRolePolicy',
  'UpdateCloudFrontPublicKey',
  'UpdateGroup',
  'UpdateLoginProfile',
  'UpdateOpenIDConnectProviderThumbprint',
  'UpdateRole',
  'UpdateRoleDescription',
  'UpdateSAMLProvider',
  'UpdateSSHPublicKey',
  'UpdateServerCertificate',
  'UpdateServiceSpecificCredential',
  'UpdateSigningCertificate',
  'UpdateUser',
  'UploadCloudFrontPublicKey',
  'UploadSSHPublicKey',
  'UploadServerCertificate',
  'UploadSigningCertificate',
];

const WRITE_EVENTS = new Set(IAM_WRITE_EVENT_NAMES);

/** True when `eventName` is an IAM call that changes something (exact, as CloudTrail spells it). */
export function isIamWriteEvent(eventName: string): boolean {
  return WRITE_EVENTS.has(eventName);
}

/** The leading verb of an event name (`Create` of `CreateRole`). */
function verbOf(eventName: string): string {
  return /^[A-Z][a-z]+/.exec(eventName)?.[0] ?? eventName;
}

/**
 * The EventBridge `eventName` filter for the table: one `prefix` match per verb (`Create`, `Delete`, …)
 * instead of 110 names, so the rule's pattern stays small; the handler then keeps exactly the table's
 * names. No read call (`Get`, `List`, `Generate`, `Simulate`) starts with one of these verbs (tested).
 */
export function buildIamWriteEventNamePattern(): readonly { readonly prefix: string }[] {
  return [...new Set(IAM_WRITE_EVENT_NAMES.map(verbOf))].sort().map((prefix) => ({ prefix }));
}
