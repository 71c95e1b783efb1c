/** Applies a desired inventory to an IAM endpoint through the SDK, as a past `terraform apply` would have. */
import {
  AttachRolePolicyCommand,
  CreateOpenIDConnectProviderCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  type IAMClient,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import type { DesiredInventory } from '../../../src/core/drift';

/** Creates the desired OIDC providers, customer managed policies and roles (AWS managed policies must exist in the endpoint). */
export async function applyDesiredInventory(iam: IAMClient, desired: DesiredInventory): Promise<void> {
  for (const provider of desired.oidcProviders) {
    await iam.send(
      new CreateOpenIDConnectProviderCommand({
        Url: provider.url.startsWith('https://') ? provider.url : `https://${provider.url}`,
        ClientIDList: [...provider.clientIds],
        ThumbprintList: provider.thumbprints.length > 0 ? [...provider.thumbprints] : ['0000000000000000000000000000000000000000'],
        Tags: [{ Key: 'managed-by', Value: 'iam-platform' }],
      }),
    );
  }
  for (const policy of desired.policies) {
    await iam.send(
      new CreatePolicyCommand({
        PolicyName: policy.name,
        Path: policy.path,
        PolicyDocument: JSON.stringify(policy.document),
        Tags: Object.entries(policy.tags ?? { 'managed-by': 'iam-platform' }).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
  }
  for (const role of desired.roles) {
    await iam.send(
      new CreateRoleCommand({
        RoleName: role.name,
        Path: role.path,
        AssumeRolePolicyDocument: JSON.stringify(role.trustPolicy),
        MaxSessionDuration: role.maxSessionDuration,
        Tags: Object.entries(role.tags).map(([Key, Value]) => ({ Key, Value })),
        ...(role.boundaryArn ? { PermissionsBoundary: role.boundaryArn } : {}),
      }),
    );
    if (role.boundaryArn) await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: role.name, PermissionsBoundary: role.boundaryArn }));
    for (const inline of role.inlinePolicies) {
      await iam.send(new PutRolePolicyCommand({ RoleName: role.name, PolicyName: inline.name, PolicyDocument: JSON.stringify(inline.document) }));
    }
    for (const arn of role.managedPolicyArns) await iam.send(new AttachRolePolicyCommand({ RoleName: role.name, PolicyArn: arn }));
  }
}
