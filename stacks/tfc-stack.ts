/**
 * The Terraform Cloud stack (`iam-terraform-cloud`), applied once by an owner of the Terraform Cloud organization
 * with a `TFE_TOKEN`: one project, one API-driven workspace per account (`<prefix><account>`, auto-apply off,
 * remote execution), each with its dynamic-credential variables (the plan and apply role ARNs the loader checked),
 * a pipeline team that may plan and apply, a merge-request team that may only plan, a security team that may read,
 * and a notification per workspace.
 * Its state is local (the organization's first workspace cannot hold the stack that creates it).
 */
import { LocalBackend, TerraformOutput, TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import { NotificationConfiguration } from '@cdktf/provider-tfe/lib/notification-configuration';
import { Project } from '@cdktf/provider-tfe/lib/project';
import { TfeProvider } from '@cdktf/provider-tfe/lib/provider';
import { Team } from '@cdktf/provider-tfe/lib/team';
import { TeamProjectAccess } from '@cdktf/provider-tfe/lib/team-project-access';
import { Variable } from '@cdktf/provider-tfe/lib/variable';
import { Workspace } from '@cdktf/provider-tfe/lib/workspace';
import { WorkspaceSettings } from '@cdktf/provider-tfe/lib/workspace-settings';
import { TERRAFORM_CLOUD_STACK } from '../src/core/bootstrap';
import { ERROR_CODES, IamPlatformError } from '../src/core/errors';
import type { ResolvedAccount, ResolvedOrganization } from '../src/core/model';
import { PlatformStack } from './platform-stack';

/** Project name when `backend.terraformCloud.project` is not set. */
export const DEFAULT_TFC_PROJECT = 'iam';
/** Team whose token the IAM pipeline uses: plans and applies the project's workspaces. */
export const DEFAULT_PIPELINE_TEAM = 'iam-pipeline';
/** Team whose token merge-request pipelines use (`TFC_PLAN_TOKEN`): queues plans, never applies. */
export const DEFAULT_MERGE_REQUEST_TEAM = 'iam-merge-requests';
/** Team of the security reviewers: reads runs and state, never applies. */
export const DEFAULT_SECURITY_TEAM = 'iam-security';
/**
 * Run events that notify: a plan waiting for approval, a failed run, an apply that started or finished.
 * @see https://developer.hashicorp.com/terraform/cloud-docs/api-docs/notification-configurations#notification-triggers
 */
export const NOTIFICATION_TRIGGERS = ['run:needs_attention', 'run:errored', 'run:applying', 'run:completed'] as const;

/** Props of {@link TerraformCloudStack}. */
export interface TerraformCloudStackProps {
  /** Name of the pipeline team. @default DEFAULT_PIPELINE_TEAM */
  readonly pipelineTeam?: string;
  /** Name of the security team. @default DEFAULT_SECURITY_TEAM */
  readonly securityTeam?: string;
  /** Name of the merge-request (plan-only) team. @default DEFAULT_MERGE_REQUEST_TEAM */
  readonly mergeRequestTeam?: string;
}

/** The Terraform Cloud stack of an organization whose backend is Terraform Cloud with dynamic credentials. */
export class TerraformCloudStack extends PlatformStack {
  /** Workspaces, by account name. */
  public readonly workspaces: ReadonlyMap<string, Workspace>;

  constructor(scope: Construct, org: ResolvedOrganization, props: TerraformCloudStackProps = {}) {
    super(scope, TERRAFORM_CLOUD_STACK);
    const accounts = checkCloudAccounts(org);
    const backend = accounts[0]!.backend as Extract<ResolvedAccount['backend'], { type: 'cloud' }>;
    new LocalBackend(this, { path: `terraform.${TERRAFORM_CLOUD_STACK}.tfstate` });
    new TfeProvider(this, 'tfe', { hostname: backend.hostname, organization: backend.organization });
    const notificationUrl = new TerraformVariable(this, 'notification_url', {
      type: 'string',
      sensitive: true,
      description: 'Webhook (generic notification) that receives the IAM workspaces\' run events',
    });
    const project = new Project(this, 'project', { name: backend.project ?? DEFAULT_TFC_PROJECT, description: `IAM of the ${org.name} AWS organization (iam-platform)` });
    const pipeline = new Team(this, 'team-pipeline', { name: props.pipelineTeam ?? DEFAULT_PIPELINE_TEAM, visibility: 'secret' });
    const security = new Team(this, 'team-security', { name: props.securityTeam ?? DEFAULT_SECURITY_TEAM, visibility: 'organization' });
    new TeamProjectAccess(this, 'access-pipeline', { projectId: project.id, teamId: pipeline.id, access: 'write' });
    new TeamProjectAccess(this, 'access-security', { projectId: project.id, teamId: security.id, access: 'read' });
    // Merge-request pipelines run configurations their authors wrote: they may queue plans, nothing else.
    const mergeRequests = new Team(this, 'team-merge-requests', { name: props.mergeRequestTeam ?? DEFAULT_MERGE_REQUEST_TEAM, visibility: 'secret' });
    new TeamProjectAccess(this, 'access-merge-requests', {
      projectId: project.id,
      teamId: mergeRequests.id,
      access: 'custom',
      projectAccess: [{ settings: 'read', teams: 'none', variableSets: 'none' }],
      workspaceAccess: [{ runs: 'plan', variables: 'none', stateVersions: 'none', sentinelMocks: 'none', create: false, delete: false, locking: false, move: false, runTasks: false }],
    });

    const workspaces = new Map<string, Workspace>();
    for (const account of accounts) {
      const credentials = account.dynamicCredentials!;
      const id = `workspace-${account.name}`;
      const workspace = new Workspace(this, id, {
        name: `${backend.workspacePrefix}${account.name}`,
        projectId: project.id,
        description: `IAM of AWS account ${account.name} (${account.id}); runs come from the IAM pipeline through the API`,
        autoApply: false,
        queueAllRuns: false,
        fileTriggersEnabled: false,
        speculativeEnabled: true,
        allowDestroyPlan: false,
        tagNames: ['iam-platform', `account-${account.name}`],
      });
      new WorkspaceSettings(this, `${id}-settings`, { workspaceId: workspace.id, executionMode: 'remote', autoApply: false });
      const env = (key: string, value: string, description: string): Variable =>
        new Variable(this, `${id}-${key.toLowerCase().replace(/_/g, '-')}`, { workspaceId: workspace.id, category: 'env', key, value, description, sensitive: false });
      env('TFC_AWS_PROVIDER_AUTH', 'true', 'Dynamic AWS credentials: every run gets short-lived credentials of a role of this account');
      env('TFC_AWS_PLAN_ROLE_ARN', credentials.planRoleArn, 'Read-only role of the plan phase (trusted for run_phase:plan only)');
      env('TFC_AWS_APPLY_ROLE_ARN', credentials.applyRoleArn, 'Deployer role of the apply phase (trusted for run_phase:apply of this workspace only)');
      new NotificationConfiguration(this, `${id}-notification`, {
        workspaceId: workspace.id,
        name: 'iam-platform',
        destinationType: 'generic',
        url: notificationUrl.stringValue,
        enabled: true,
        triggers: [...NOTIFICATION_TRIGGERS],
      });
      new TerraformOutput(this, `${id}-id`, { value: workspace.id, description: `Workspace id of ${account.name}` });
      workspaces.set(account.name, workspace);
    }
    this.workspaces = workspaces;
  }
}

/** The accounts, when every one deploys through Terraform Cloud with dynamic credentials; a user error saying the fix otherwise. */
function checkCloudAccounts(org: ResolvedOrganization): readonly ResolvedAccount[] {
  const first = org.accounts[0];
  if (!first || first.backend.type !== 'cloud' || !first.backend.dynamicCredentials) {
    throw new IamPlatformError(
      ERROR_CODES.INVALID_CONFIG,
      'The Terraform Cloud stack needs backend.terraformCloud with dynamicCredentials in accounts/org.yaml (the accounts use another backend). Fix: uncomment the terraformCloud backend in org.yaml (see docs/adopt.md, step 2)',
      { source: 'user', problems: [{ file: 'accounts/org.yaml', path: '$.backend', message: 'backend.terraformCloud.dynamicCredentials is not set' }] },
    );
  }
  const missing = org.accounts.filter((a) => !a.dynamicCredentials).map((a) => a.name);
  if (missing.length > 0) {
    throw new IamPlatformError(ERROR_CODES.INVALID_CONFIG, `Accounts ${missing.join(', ')} have no dynamic credentials (their plan or apply role is missing): fix the errors \`iamctl validate\` reports first`, { source: 'user' });
  }
  return org.accounts;
}
