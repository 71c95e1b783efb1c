/**
 * The bootstrap stack (one per account) and the Terraform Cloud stack, synthesized from a copy of the example
 * organization with its Terraform Cloud backend and dynamic credentials turned on (as a fork does, docs/adopt.md).
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadOrganization } from '../../src/config';
import { isIamPlatformError } from '../../src/core/errors';
import { synthesizeBootstrap, synthesizeOrganization } from '../../stacks';
import { EXAMPLE_ORG_ROOT } from '../support/example-org';
import { copyCloudOrganization } from './support/cloud-org';
import { checkTfeResources, readTfeResourceSchemas } from './support/tfe-schema';

type Resources = Record<string, Record<string, Record<string, unknown>>>;
interface StackJson {
  readonly provider: Record<string, Array<Record<string, unknown>>>;
  readonly resource: Resources;
  readonly terraform: { readonly backend: Record<string, unknown> };
  readonly import?: ReadonlyArray<{ readonly to: string; readonly id: string }>;
  readonly variable?: Record<string, Record<string, unknown>>;
}

const APP_PROD_ID = '530987654321';
const readStack = (file: string): StackJson => JSON.parse(readFileSync(file, 'utf8')) as StackJson;
/** `type.name` → resource body. */
const byAddress = (stack: StackJson): Map<string, Record<string, unknown>> =>
  new Map(Object.entries(stack.resource).flatMap(([type, named]) => Object.entries(named).map(([name, body]) => [`${type}.${name}`, body] as const)));

describe('bootstrap and Terraform Cloud stacks', () => {
  let root: string;
  let bootstrap: StackJson;
  let tfc: StackJson;
  let account: StackJson;

  beforeAll(() => {
    root = copyCloudOrganization();
    const org = loadOrganization(root);
    const result = synthesizeBootstrap(org, { outdir: join(root, 'cdktf.out.bootstrap') });
    bootstrap = readStack(result.stacks.find((s) => s.stack === 'iam-bootstrap-app-prod')!.file);
    tfc = readStack(result.stacks.find((s) => s.stack === 'iam-terraform-cloud')!.file);
    account = readStack(synthesizeOrganization(org, { outdir: join(root, 'cdktf.out'), accounts: ['app-prod'] }).stacks[0]!.file);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('writes one bootstrap stack per account and the Terraform Cloud stack', () => {
    const result = synthesizeBootstrap(loadOrganization(root), { outdir: join(root, 'again') });
    expect(result.stacks.map((s) => s.stack)).toEqual([
      'iam-bootstrap-app-dev', 'iam-bootstrap-app-prod', 'iam-bootstrap-app-staging', 'iam-bootstrap-data-prod',
      'iam-bootstrap-log-archive', 'iam-bootstrap-management', 'iam-bootstrap-security', 'iam-bootstrap-shared-services', 'iam-terraform-cloud',
    ]);
  });

  it('the bootstrap stack holds the plan, apply, drift and deploy roles, the OIDC providers they trust and the policies they attach', () => {
    const names = Object.fromEntries(Object.entries(bootstrap.resource).map(([type, named]) => [type, Object.values(named).map((r) => (r.name ?? r.url ?? r.role) as string).sort()]));
    expect(names).toEqual({
      aws_iam_openid_connect_provider: ['https://app.terraform.io', 'https://gitlab.com'],
      aws_iam_policy: ['iam-platform-boundary', 'iam-platform-compliance-reader', 'iam-platform-deployer', 'iam-platform-drift-deployer', 'iam-platform-network-deployer', 'iam-platform-plan-reader', 'iam-platform-reader'],
      aws_iam_role: ['gitlab-drift-reader', 'iam-platform-deploy', 'tfc-iam-apply', 'tfc-iam-plan'],
      aws_iam_role_policy_attachment: expect.any(Array),
    });
    expect(Object.keys(bootstrap.resource.aws_iam_role_policy_attachment!)).toHaveLength(10);
    // The deploy role is the one the account stack's provider assumes, by the same ARN (org.yaml deployRole)
    const deploy = Object.values(bootstrap.resource.aws_iam_role!).find((r) => r.name === 'iam-platform-deploy') as { assume_role_policy: string } | undefined;
    expect(`arn:aws:iam::${APP_PROD_ID}:role/iam-platform-deploy`).toBe(loadOrganization(root).accounts.find((a) => a.name === 'app-prod')?.deployRoleArn);
    expect(JSON.parse(deploy?.assume_role_policy ?? '{}')).toEqual({
      Version: '2012-10-17',
      Statement: [{ Sid: 'AccountTrust0', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::210987654321:root' }, Action: 'sts:AssumeRole', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } } }],
    });
  });

  it('the administrator applies it with their own credentials and local state: no role assumed, pinned to the account', () => {
    expect(bootstrap.provider.aws).toEqual([expect.objectContaining({ allowed_account_ids: [APP_PROD_ID], region: 'eu-west-1' })]);
    expect(bootstrap.provider.aws![0]).not.toHaveProperty('assume_role');
    expect(bootstrap.terraform.backend).toEqual({ local: { path: 'terraform.iam-bootstrap-app-prod.tfstate' } });
  });

  it('one construction: each bootstrap resource is the account stack\'s resource at the same address, with the same body; the deploy role only the bootstrap creates', () => {
    // The `//` metadata names the construct path, which starts with the stack id; everything else is equal.
    const withoutMetadata = (body: Record<string, unknown> | undefined): Record<string, unknown> | undefined => body && Object.fromEntries(Object.entries(body).filter(([k]) => k !== '//'));
    const accountResources = byAddress(account);
    const deployOnly = [...byAddress(bootstrap).keys()].filter((a) => a.includes('role-iam-platform-deploy_'));
    // The account stack runs as (or beside) its deploy role and never creates it: the role and its attachment are the bootstrap's only.
    expect(deployOnly.map((a) => [a, accountResources.has(a)])).toEqual([
      [expect.stringMatching(/^aws_iam_role\.role-iam-platform-deploy_role_/), false],
      [expect.stringMatching(/^aws_iam_role_policy_attachment\.role-iam-platform-deploy_attach-iam-platform-deployer_/), false],
      [expect.stringMatching(/^aws_iam_role_policy_attachment\.role-iam-platform-deploy_attach-iam-platform-drift-deployer_/), false],
      [expect.stringMatching(/^aws_iam_role_policy_attachment\.role-iam-platform-deploy_attach-iam-platform-network-deployer_/), false],
    ]);
    for (const [address, body] of byAddress(bootstrap)) {
      if (!deployOnly.includes(address)) expect([address, withoutMetadata(accountResources.get(address))]).toEqual([address, withoutMetadata(body)]);
    }
  });

  it('the account stack adopts every bootstrap resource it creates with an import block of its literal id', () => {
    const bootstrapAddresses = [...byAddress(bootstrap).keys()].filter((a) => !a.includes('role-iam-platform-deploy_')).sort();
    expect((account.import ?? []).map((i) => i.to).sort()).toEqual(bootstrapAddresses);
    const ids = (account.import ?? []).map((i) => i.id).sort();
    const policy = (name: string): string => `arn:aws:iam::${APP_PROD_ID}:policy/${name}`;
    expect(ids).toEqual(
      [
        'gitlab-drift-reader',
        `gitlab-drift-reader/${policy('iam-platform-reader')}`,
        `gitlab-drift-reader/${policy('iam-platform-compliance-reader')}`,
        'tfc-iam-apply',
        `tfc-iam-apply/${policy('iam-platform-deployer')}`,
        `tfc-iam-apply/${policy('iam-platform-drift-deployer')}`,
        `tfc-iam-apply/${policy('iam-platform-network-deployer')}`,
        'tfc-iam-plan',
        `tfc-iam-plan/${policy('iam-platform-reader')}`,
        `tfc-iam-plan/${policy('iam-platform-plan-reader')}`,
        policy('iam-platform-boundary'),
        policy('iam-platform-compliance-reader'),
        policy('iam-platform-deployer'),
        policy('iam-platform-drift-deployer'),
        policy('iam-platform-network-deployer'),
        policy('iam-platform-plan-reader'),
        policy('iam-platform-reader'),
        `arn:aws:iam::${APP_PROD_ID}:oidc-provider/app.terraform.io`,
        `arn:aws:iam::${APP_PROD_ID}:oidc-provider/gitlab.com`,
      ].sort(),
    );
  });

  it('without dynamic credentials the account stack imports nothing (its provider assumes the deploy role)', () => {
    const out = join(root, 'local-backend');
    const stack = readStack(synthesizeOrganization(loadOrganization(EXAMPLE_ORG_ROOT), { outdir: out, accounts: ['app-prod'] }).stacks[0]!.file);
    expect(stack.import).toBeUndefined();
  });

  it('the Terraform Cloud stack: one project, one API-driven workspace per account, auto-apply off, remote execution', () => {
    expect(Object.values(tfc.resource.tfe_project!).map((p) => p.name)).toEqual(['iam']);
    const workspaces = Object.values(tfc.resource.tfe_workspace!);
    expect(workspaces.map((w) => w.name).sort()).toEqual(['app-dev', 'app-prod', 'app-staging', 'data-prod', 'log-archive', 'management', 'security', 'shared-services'].map((a) => `iam-${a}`));
    for (const w of workspaces) {
      expect(w).toMatchObject({ auto_apply: false, queue_all_runs: false, file_triggers_enabled: false });
      expect(w).not.toHaveProperty('vcs_repo');
    }
    const settings = Object.values(tfc.resource.tfe_workspace_settings!);
    expect(settings).toHaveLength(8);
    for (const s of settings) expect(s).toMatchObject({ execution_mode: 'remote', auto_apply: false });
  });

  it('each workspace gets the dynamic-credential variables with the ARNs of its own account\'s roles', () => {
    const addressOf = Object.fromEntries(Object.entries(tfc.resource.tfe_workspace!).map(([name, w]) => [`\${tfe_workspace.${name}.id}`, w.name as string]));
    const variables = Object.values(tfc.resource.tfe_variable!).filter((v) => addressOf[v.workspace_id as string] === 'iam-app-prod');
    expect(variables.map((v) => [v.category, v.key, v.value]).sort()).toEqual([
      ['env', 'TFC_AWS_APPLY_ROLE_ARN', `arn:aws:iam::${APP_PROD_ID}:role/tfc-iam-apply`],
      ['env', 'TFC_AWS_PLAN_ROLE_ARN', `arn:aws:iam::${APP_PROD_ID}:role/tfc-iam-plan`],
      ['env', 'TFC_AWS_PROVIDER_AUTH', 'true'],
    ]);
    expect(Object.keys(tfc.resource.tfe_variable!)).toHaveLength(24);
  });

  it('the pipeline team may plan and apply the project, merge requests only plan, the security team only reads; each workspace notifies', () => {
    const teams = Object.fromEntries(Object.entries(tfc.resource.tfe_team!).map(([name, t]) => [`\${tfe_team.${name}.id}`, t.name as string]));
    const access = Object.values(tfc.resource.tfe_team_project_access!);
    expect(access.map((a) => [teams[a.team_id as string], a.access]).sort()).toEqual([
      ['iam-merge-requests', 'custom'],
      ['iam-pipeline', 'write'],
      ['iam-security', 'read'],
    ]);
    const mergeRequests = access.find((a) => a.access === 'custom')!;
    expect(mergeRequests.workspace_access).toEqual([{ runs: 'plan', variables: 'none', state_versions: 'none', sentinel_mocks: 'none', create: false, delete: false, locking: false, move: false, run_tasks: false }]);
    expect(mergeRequests.project_access).toEqual([{ settings: 'read', teams: 'none', variable_sets: 'none' }]);
    const notifications = Object.values(tfc.resource.tfe_notification_configuration!);
    expect(notifications).toHaveLength(8);
    for (const n of notifications) {
      expect(n).toMatchObject({ destination_type: 'generic', enabled: true, url: '${var.notification_url}', triggers: ['run:needs_attention', 'run:errored', 'run:applying', 'run:completed'] });
    }
    expect(tfc.variable?.notification_url).toMatchObject({ type: 'string', sensitive: true });
    expect(tfc.provider.tfe).toEqual([{ hostname: 'app.terraform.io', organization: 'acme' }]);
  });

  it('the Terraform Cloud stack matches the tfe provider 0.71.0 schema (no unknown or missing arguments, nested blocks included)', () => {
    const schemas = readTfeResourceSchemas();
    expect(checkTfeResources(tfc.resource, schemas)).toEqual([]);
    // The check bites: a misspelt argument and a missing required one are reported.
    const broken: Resources = {
      tfe_workspace: { w: { name: 'x', auto_aply: false } },
      tfe_variable: { v: { key: 'K', value: 'v', workspace_id: 'ws' } },
      tfe_team_project_access: { a: { access: 'custom', project_id: 'p', team_id: 't', workspace_access: [{ run: 'plan' }] } },
    };
    expect(checkTfeResources(broken, schemas)).toEqual([
      'tfe_workspace.w: unknown argument "auto_aply"',
      'tfe_variable.v: missing required argument "category"',
      'tfe_team_project_access.a.workspace_access[0]: unknown argument "run"',
    ]);
  });

  it('a missing bootstrap role is a user error naming it and the fix', () => {
    let caught: unknown;
    try {
      synthesizeBootstrap(loadOrganization(root), { outdir: join(root, 'x'), accounts: ['app-prod'], driftRole: 'drift-job' });
    } catch (error) {
      caught = error;
    }
    expect(isIamPlatformError(caught) && caught.message).toBe(
      'Account app-prod has no role "drift-job", which its bootstrap creates (Terraform Cloud plan and apply roles, drift role). Fix: add the role templates to accounts/org.yaml (see docs/adopt.md), or name the existing roles with backend.terraformCloud.dynamicCredentials and --drift-role',
    );
  });

  it('without a Terraform Cloud backend only the bootstrap stacks are written, and the result says why', () => {
    const result = synthesizeBootstrap(loadOrganization(EXAMPLE_ORG_ROOT), { outdir: join(root, 'local'), accounts: ['security'] });
    expect(result.stacks.map((s) => s.stack)).toEqual(['iam-bootstrap-security']);
    expect(result.terraformCloudSkipped).toMatch(/backend\.terraformCloud\.dynamicCredentials/);
  });
});
