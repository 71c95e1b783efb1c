/** The manual changes a person makes in the console, scripted against an IAM endpoint. */
import {
  AttachRolePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  DeleteRolePermissionsBoundaryCommand,
  type IAMClient,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import type { PolicyDocumentJson } from '../../../src/core/policy';
import { TEST_ACCOUNT_ID } from './account';

/** Documents the console changes put in place (the journal must hold the documents they get replaced by). */
export const CONSOLE = {
  inlinePolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] } as PolicyDocumentJson,
  wideTrust: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }] } as PolicyDocumentJson,
  policyVersion: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] } as PolicyDocumentJson,
};

/** Adds an inline policy, attaches AdministratorAccess, widens a trust to `*`, removes a boundary, pushes a policy version, creates roles. */
export async function makeConsoleChanges(iam: IAMClient): Promise<void> {
  await iam.send(new PutRolePolicyCommand({ RoleName: 'app-operator', PolicyName: 'console-added', PolicyDocument: JSON.stringify(CONSOLE.inlinePolicy) }));
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'app-operator', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
  await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'app-ci', PolicyDocument: JSON.stringify(CONSOLE.wideTrust) }));
  await iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: 'app-ci' }));
  await iam.send(
    new CreatePolicyVersionCommand({ PolicyArn: `arn:aws:iam::${TEST_ACCOUNT_ID}:policy/app-data-read`, PolicyDocument: JSON.stringify(CONSOLE.policyVersion), SetAsDefault: true }),
  );
  // An unmanaged role someone created with the platform's tag copied over (in the managed scope).
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'console-made',
      AssumeRolePolicyDocument: JSON.stringify(CONSOLE.wideTrust),
      Tags: [{ Key: 'managed-by', Value: 'iam-platform' }],
    }),
  );
}

/** The deploy role the pipeline uses (exists in every account; protected). */
export async function createDeployRole(iam: IAMClient): Promise<void> {
  await iam.send(new CreateRoleCommand({ RoleName: 'iam-platform-deploy', AssumeRolePolicyDocument: JSON.stringify(CONSOLE.wideTrust) }));
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'iam-platform-deploy', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
}
