/**
 * Privilege-escalation paths as data. Each path is a set of actions that, granted together to one principal
 * (in one statement, across statements, or across the policies of one role), let it gain permissions it was
 * not given. Sources:
 * - pathfinding.cloud (DataDog/pathfinding.cloud, Apache-2.0), `data/paths/<service>/<id>.yaml`, commit 84dd65c
 *   (2025-12-17): the ids below are its ids, the actions its `permissions.required`. Its 65 paths are all here.
 * - Rhino Security Labs, "AWS IAM Privilege Escalation – Methods and Mitigation" (21 methods): `rhino` numbers.
 * - Extra paths the issue asks for that neither lists: boundary deletion/replacement, `ssm:StartAutomationExecution`.
 *
 * What defuses a path is decided per action by the engine (escalation-checks.ts): a Resource that does not match
 * an arbitrary target of the action (IAM wildcard semantics, any account), or a condition whose key restricts the
 * target ({@link RESTRICTING_KEYS_BY_ACTION}, resource tags, `iam:PassedToService` naming another service).
 */

/** One escalation path. */
export interface EscalationPath {
  /** Stable id: the pathfinding.cloud id (`iam-005`) or `extra-<n>`. */
  readonly id: string;
  /** Short label for messages. */
  readonly name: string;
  /** Every action the principal needs (canonical `service:Action`). */
  readonly actions: readonly string[];
  /**
   * Service principals the passed role is handed to (paths with `iam:PassRole`): an `iam:PassedToService`
   * condition naming none of them defuses the path. @default - the path passes no role
   */
  readonly passedTo?: readonly string[];
  /** Where the path is documented. */
  readonly references: readonly string[];
}

const PF = 'https://pathfinding.cloud/paths/';
const RHINO = 'https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/';

function path(id: string, actions: readonly string[], options: { readonly passedTo?: readonly string[]; readonly rhino?: number; readonly name?: string } = {}): EscalationPath {
  const references = [...(id.startsWith('extra-') ? [] : [`${PF}${id}`]), ...(options.rhino ? [`${RHINO} (method ${options.rhino})`] : [])];
  return Object.freeze({ id, name: options.name ?? actions.join(' + '), actions, ...(options.passedTo ? { passedTo: options.passedTo } : {}), references });
}

const EC2 = ['ec2.amazonaws.com'];
const LAMBDA = ['lambda.amazonaws.com'];
const GLUE = ['glue.amazonaws.com'];
const CFN = ['cloudformation.amazonaws.com'];
const ECS = ['ecs-tasks.amazonaws.com', 'ecs.amazonaws.com'];
const CODEBUILD = ['codebuild.amazonaws.com'];
const SAGEMAKER = ['sagemaker.amazonaws.com'];

/** Every known path; the engine reports the smallest ones that fire (a superset of a firing path adds nothing). */
export const ESCALATION_PATHS: readonly EscalationPath[] = [
  // IAM: rewrite or attach permissions.
  path('iam-001', ['iam:CreatePolicyVersion'], { rhino: 1 }),
  path('iam-002', ['iam:CreateAccessKey'], { rhino: 4 }),
  path('iam-003', ['iam:CreateAccessKey', 'iam:DeleteAccessKey']),
  path('iam-004', ['iam:CreateLoginProfile'], { rhino: 5 }),
  path('iam-005', ['iam:PutRolePolicy'], { rhino: 12 }),
  path('iam-006', ['iam:UpdateLoginProfile'], { rhino: 6 }),
  path('iam-007', ['iam:PutUserPolicy'], { rhino: 10 }),
  path('iam-008', ['iam:AttachUserPolicy'], { rhino: 7 }),
  path('iam-009', ['iam:AttachRolePolicy'], { rhino: 9 }),
  path('iam-010', ['iam:AttachGroupPolicy'], { rhino: 8 }),
  path('iam-011', ['iam:PutGroupPolicy'], { rhino: 11 }),
  path('iam-012', ['iam:UpdateAssumeRolePolicy'], { rhino: 14 }),
  path('iam-013', ['iam:AddUserToGroup'], { rhino: 13 }),
  path('iam-014', ['iam:AttachRolePolicy', 'sts:AssumeRole']),
  path('iam-015', ['iam:AttachUserPolicy', 'iam:CreateAccessKey']),
  path('iam-016', ['iam:CreatePolicyVersion', 'sts:AssumeRole']),
  path('iam-017', ['iam:PutRolePolicy', 'sts:AssumeRole']),
  path('iam-018', ['iam:PutUserPolicy', 'iam:CreateAccessKey']),
  path('iam-019', ['iam:AttachRolePolicy', 'iam:UpdateAssumeRolePolicy']),
  path('iam-020', ['iam:CreatePolicyVersion', 'iam:UpdateAssumeRolePolicy']),
  path('iam-021', ['iam:PutRolePolicy', 'iam:UpdateAssumeRolePolicy']),
  path('extra-1', ['iam:SetDefaultPolicyVersion'], { rhino: 2 }),
  path('extra-2', ['iam:DeleteRolePermissionsBoundary'], { name: 'iam:DeleteRolePermissionsBoundary (remove the cap on a role)' }),
  path('extra-3', ['iam:DeleteUserPermissionsBoundary'], { name: 'iam:DeleteUserPermissionsBoundary (remove the cap on a user)' }),
  path('extra-4', ['iam:PutRolePermissionsBoundary'], { name: 'iam:PutRolePermissionsBoundary (replace a role\'s cap by a weaker one)' }),
  path('extra-5', ['iam:PutUserPermissionsBoundary'], { name: 'iam:PutUserPermissionsBoundary (replace a user\'s cap by a weaker one)' }),
  path('sts-001', ['sts:AssumeRole'], { name: 'sts:AssumeRole on any role (every role that trusts the account)' }),
  // Hand a role to a new compute resource and run code as it.
  path('apprunner-001', ['iam:PassRole', 'apprunner:CreateService'], { passedTo: ['tasks.apprunner.amazonaws.com', 'build.apprunner.amazonaws.com'] }),
  path('bedrock-001', ['iam:PassRole', 'bedrock-agentcore:CreateCodeInterpreter', 'bedrock-agentcore:StartCodeInterpreterSession', 'bedrock-agentcore:InvokeCodeInterpreter'], {
    passedTo: ['bedrock-agentcore.amazonaws.com'],
  }),
  path('cloudformation-001', ['iam:PassRole', 'cloudformation:CreateStack'], { passedTo: CFN, rhino: 20 }),
  path('cloudformation-003', ['iam:PassRole', 'cloudformation:CreateStackSet', 'cloudformation:CreateStackInstances'], { passedTo: CFN }),
  path('cloudformation-004', ['iam:PassRole', 'cloudformation:UpdateStackSet'], { passedTo: CFN }),
  path('codebuild-001', ['iam:PassRole', 'codebuild:CreateProject', 'codebuild:StartBuild'], { passedTo: CODEBUILD }),
  path('codebuild-004', ['iam:PassRole', 'codebuild:CreateProject', 'codebuild:StartBuildBatch'], { passedTo: CODEBUILD }),
  path('datapipeline-001', ['iam:PassRole', 'datapipeline:CreatePipeline', 'datapipeline:PutPipelineDefinition', 'datapipeline:ActivatePipeline'], {
    passedTo: ['datapipeline.amazonaws.com', 'elasticmapreduce.amazonaws.com', 'ec2.amazonaws.com'],
    rhino: 21,
  }),
  path('ec2-001', ['iam:PassRole', 'ec2:RunInstances'], { passedTo: EC2, rhino: 3 }),
  path('ec2-003', ['iam:PassRole', 'ec2:RequestSpotInstances'], { passedTo: EC2 }),
  path('ecs-001', ['iam:PassRole', 'ecs:CreateCluster', 'ecs:RegisterTaskDefinition', 'ecs:CreateService'], { passedTo: ECS }),
  path('ecs-002', ['iam:PassRole', 'ecs:CreateCluster', 'ecs:RegisterTaskDefinition', 'ecs:RunTask'], { passedTo: ECS }),
  path('ecs-003', ['iam:PassRole', 'ecs:RegisterTaskDefinition', 'ecs:CreateService'], { passedTo: ECS }),
  path('ecs-004', ['iam:PassRole', 'ecs:RegisterTaskDefinition', 'ecs:RunTask'], { passedTo: ECS }),
  path('ecs-005', ['iam:PassRole', 'ecs:RegisterTaskDefinition', 'ecs:StartTask'], { passedTo: ECS }),
  path('glue-001', ['iam:PassRole', 'glue:CreateDevEndpoint'], { passedTo: GLUE, rhino: 18 }),
  path('glue-003', ['iam:PassRole', 'glue:CreateJob', 'glue:StartJobRun'], { passedTo: GLUE }),
  path('glue-004', ['iam:PassRole', 'glue:CreateJob', 'glue:CreateTrigger'], { passedTo: GLUE }),
  path('glue-005', ['iam:PassRole', 'glue:UpdateJob', 'glue:StartJobRun'], { passedTo: GLUE }),
  path('glue-006', ['iam:PassRole', 'glue:UpdateJob', 'glue:CreateTrigger'], { passedTo: GLUE }),
  path('lambda-001', ['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'], { passedTo: LAMBDA, rhino: 15 }),
  path('lambda-002', ['iam:PassRole', 'lambda:CreateFunction', 'lambda:CreateEventSourceMapping'], { passedTo: LAMBDA, rhino: 16 }),
  path('lambda-006', ['iam:PassRole', 'lambda:CreateFunction', 'lambda:AddPermission'], { passedTo: LAMBDA }),
  path('sagemaker-001', ['iam:PassRole', 'sagemaker:CreateNotebookInstance'], { passedTo: SAGEMAKER }),
  path('sagemaker-002', ['iam:PassRole', 'sagemaker:CreateTrainingJob'], { passedTo: SAGEMAKER }),
  path('sagemaker-003', ['iam:PassRole', 'sagemaker:CreateProcessingJob'], { passedTo: SAGEMAKER }),
  path('extra-6', ['iam:PassRole', 'ssm:StartAutomationExecution'], { passedTo: ['ssm.amazonaws.com'] }),
  // Take over a resource that already runs with a role.
  path('apprunner-002', ['apprunner:UpdateService']),
  path('bedrock-002', ['bedrock-agentcore:StartCodeInterpreterSession', 'bedrock-agentcore:InvokeCodeInterpreter']),
  path('cloudformation-002', ['cloudformation:UpdateStack']),
  path('cloudformation-005', ['cloudformation:CreateChangeSet', 'cloudformation:ExecuteChangeSet']),
  path('codebuild-002', ['codebuild:StartBuild']),
  path('codebuild-003', ['codebuild:StartBuildBatch']),
  path('ec2instanceconnect-003', ['ec2-instance-connect:SendSSHPublicKey', 'ec2:DescribeInstances']),
  path('ec2-002', ['ec2:ModifyInstanceAttribute', 'ec2:StopInstances', 'ec2:StartInstances']),
  path('ec2-004', ['ec2:CreateLaunchTemplateVersion', 'ec2:ModifyLaunchTemplate']),
  path('glue-002', ['glue:UpdateDevEndpoint'], { rhino: 19 }),
  path('lambda-003', ['lambda:UpdateFunctionCode'], { rhino: 17 }),
  path('lambda-004', ['lambda:UpdateFunctionCode', 'lambda:InvokeFunction']),
  path('lambda-005', ['lambda:UpdateFunctionCode', 'lambda:AddPermission']),
  path('sagemaker-004', ['sagemaker:CreatePresignedNotebookInstanceUrl']),
  path('sagemaker-005', ['sagemaker:CreateNotebookInstanceLifecycleConfig', 'sagemaker:StopNotebookInstance', 'sagemaker:UpdateNotebookInstance', 'sagemaker:StartNotebookInstance']),
  path('ssm-001', ['ssm:StartSession']),
  path('ssm-002', ['ssm:SendCommand']),
];

/**
 * Condition keys (besides resource tags of the target, which restrict every action) that restrict the target of an
 * action, so that a condition on them with a concrete value defuses the action (IAM User Guide, "IAM condition
 * context keys"; Service Authorization Reference, IAM). `iam:PassedToService` is handled apart: it defuses only
 * the paths whose service it does not name.
 */
export const RESTRICTING_KEYS_BY_ACTION: Readonly<Record<string, readonly string[]>> = {
  'iam:attachrolepolicy': ['iam:PolicyARN', 'iam:PermissionsBoundary'],
  'iam:attachuserpolicy': ['iam:PolicyARN', 'iam:PermissionsBoundary'],
  'iam:attachgrouppolicy': ['iam:PolicyARN'],
  'iam:putrolepolicy': ['iam:PermissionsBoundary'],
  'iam:putuserpolicy': ['iam:PermissionsBoundary'],
  'iam:putrolepermissionsboundary': ['iam:PermissionsBoundary'],
  'iam:putuserpermissionsboundary': ['iam:PermissionsBoundary'],
  'iam:passrole': ['iam:AssociatedResourceArn'],
};
