/**
 * The end-to-end scenario, shared by the subset inside `npm test` (test/e2e/org-subset.test.ts) and
 * the whole organization (`npm run e2e`, test/e2e/org-full.e2e.ts): apply each stack with Terraform
 * against one moto, then per account: no drift; console changes detected with the right kind and
 * attribute; `remediate --apply` restores them and `terraform plan -detailed-exitcode` is clean again;
 * `terraform destroy` leaves none of our resources.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  AttachRolePolicyCommand,
  CreatePolicyVersionCommand,
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePermissionsBoundaryCommand,
  ListPoliciesCommand,
  ListRolesCommand,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { COMMANDS } from '../../../src/cli/commands';
import { runCli } from '../../../src/cli/program';
import type { ResolvedAccount } from '../../../src/core/model';
import { captureOutput } from '../../support/capture-output';
import { MOTO_CREDENTIALS } from '../../support/moto-server';
import type { TerraformWorkspace } from '../../../src/io/terraform';
import { OrgHarness } from './org-harness';

const ROOT = path.resolve(__dirname, '..', '..', '..');


/**
 * Resource types of the organization stack that moto 5.2.5 cannot serve to the locally built provider, so the
 * harness plans and applies everything else (test/README.md): CloudWatch alarms (the provider speaks RPC v2 CBOR
 * to CloudWatch; moto answers 404), Logs query definitions and Security Hub (the provider waits for ever on
 * moto's answers), and the delegated administrators of the security services (moto holds no member accounts).
 */
const MOTO_UNSERVED_RESOURCE_TYPES: readonly string[] = [
  'aws_cloudwatch_metric_alarm',
  'aws_cloudwatch_query_definition',
  'aws_securityhub_account',
  'aws_securityhub_organization_admin_account',
  'aws_organizations_delegated_administrator',
];

/**
 * Resource types of the security-baseline stack (the delegated administrator's, in the security account) that
 * moto 5.2.5 cannot serve: Access Analyzer analyzers and the organization conformance pack stay "Still creating"
 * for 10 minutes (the provider waits on a status moto never reports), the archive rules depend on the analyzers,
 * and Security Hub as in the organization stack (whose data source reads the organization from the security account,
 * which is no member of the harness's moto organization). The IAM dashboard is CloudWatch, which the provider
 * speaks to in smithy-rpc-v2-cbor and moto serves only by its query protocol (404), as for the alarms above; moto
 * 5.2.5 has no CloudWatch Observability Access Manager (the dashboard's metrics sink). The rest (the aggregator's
 * role and the Config aggregator) is applied.
 */
const MOTO_UNSERVED_BASELINE_TYPES: readonly string[] = [
  'aws_cloudwatch_dashboard',
  'aws_oam_sink',
  'aws_oam_sink_policy',
  'aws_accessanalyzer_analyzer',
  'aws_accessanalyzer_archive_rule',
  'aws_config_organization_conformance_pack',
  'aws_securityhub_account',
  'aws_securityhub_configuration_policy',
  'aws_securityhub_configuration_policy_association',
  'aws_securityhub_finding_aggregator',
  'aws_securityhub_organization_configuration',
];

/** The console changes, each with the drift item it must produce (written here, not derived). */
const CONSOLE_INLINE = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] };
const CONSOLE_TRUST = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }] };

/**
 * Turns `deletion_protection_enabled` off in the working copy's cdk.tf.json (DynamoDB tables: the policy
 * record). Real AWS refuses to delete a protected table as moto does, so destroying the stack is two steps
 * for anyone: apply with the protection off, then destroy. Returns the addresses to apply with -target.
 */
function liftDeletionProtection(workspace: TerraformWorkspace): string[] {
  const file = path.join(workspace.dir, 'cdk.tf.json');
  const json = JSON.parse(readFileSync(file, 'utf8')) as { resource?: Record<string, Record<string, Record<string, unknown>>> };
  const addresses: string[] = [];
  for (const [id, table] of Object.entries(json.resource?.aws_dynamodb_table ?? {})) {
    if (table.deletion_protection_enabled !== true) continue;
    table.deletion_protection_enabled = false;
    addresses.push(`aws_dynamodb_table.${id}`);
  }
  if (addresses.length > 0) writeFileSync(file, JSON.stringify(json, null, 2));
  return addresses;
}

type PlanJson = {
  resource_changes?: Array<{ address: string; change: { actions: string[]; before?: Record<string, unknown> | null; after?: Record<string, unknown> | null } }>;
  output_changes?: Record<string, { actions: string[] }>;
};

/**
 * Every change a plan (`terraform show -json`) would make, as `address actions: attributes` lines; empty when it
 * changes nothing. moto's round-trip gaps that used to show here (Lambda dead-letter and logging configuration,
 * bucket tags given to CreateBucket) are closed in the moto launcher (moto_e2e.py, test/README.md), so nothing is
 * excepted.
 */
export function listPlannedChanges(plan: unknown): string[] {
  const out: string[] = [];
  for (const rc of (plan as PlanJson).resource_changes ?? []) {
    const actions = rc.change.actions.join(',');
    if (actions === 'no-op' || actions === 'read') continue;
    const before = rc.change.before ?? {};
    const after = rc.change.after ?? {};
    const changed = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
    out.push(`${rc.address} ${actions}: ${changed.join(', ')}`);
  }
  for (const [name, oc] of Object.entries((plan as PlanJson).output_changes ?? {})) {
    const actions = oc.actions.join(',');
    if (actions !== 'no-op') out.push(`output.${name} ${actions}`);
  }
  return out;
}

/** `terraform plan -detailed-exitcode`'s exit code (0 no changes, 2 changes) and the plan's changes, for one assertion. */
async function planOutcome(workspace: TerraformWorkspace, targets?: readonly string[]): Promise<{ exitCode: number; changes: string[] }> {
  const planned = await workspace.plan(targets ? { targets } : {});
  return { exitCode: planned.changes ? 2 : 0, changes: listPlannedChanges(await workspace.showPlan(planned.planFile)) };
}

/** What a plan of a stack that Terraform just applied (or that remediation put back) must be. */
const CLEAN_PLAN = { exitCode: 0, changes: [] };

interface DriftJson {
  readonly drift: ReadonlyArray<{ readonly kind: string; readonly resourceType: string; readonly name: string; readonly attribute: string | null }>;
}

export interface ScenarioOptions {
  /** Account names whose stacks are applied and checked. */
  readonly accounts: readonly string[];
  /** Also apply the organization stacks (log archive first). */
  readonly organization: boolean;
  /** Also plan the security-baseline stack and apply what moto serves of it (needs `organization`). @default false */
  readonly securityBaseline?: boolean;
}

/** Roles and a policy the console changes use: roles from accounts/ with a boundary (not break-glass). */
function pickTargets(account: ResolvedAccount): { roleA: string; roleB: string; policy?: string } {
  const roles = account.roles.filter((r) => r.kind !== 'break-glass' && r.boundary !== undefined).map((r) => r.name);
  if (roles.length < 2) throw new Error(`account ${account.name} has fewer than two roles with a boundary; the scenario needs two`);
  return { roleA: roles[0], roleB: roles[1], ...(account.policies[0] ? { policy: account.policies[0].name } : {}) };
}

async function iamctl(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = captureOutput();
  const code = await runCli([...args], COMMANDS, { output, cwd: ROOT });
  return { code, stdout: output.stdout(), stderr: output.stderr() };
}

export function describeOrgScenario(title: string, options: ScenarioOptions): void {
  describe(title, () => {
    let harness: OrgHarness;
    let journalDir: string;
    let planDir: string;
    const planFiles: string[] = [];
    const savedEnv = { ...process.env };

    beforeAll(async () => {
      harness = await OrgHarness.start();
      journalDir = mkdtempSync(path.join(tmpdir(), 'iamctl-e2e-journal-'));
      planDir = mkdtempSync(path.join(tmpdir(), 'iamctl-e2e-plans-'));
      // iamctl drift/remediate use the standard credential chain and assume the deploy role.
      process.env.AWS_ACCESS_KEY_ID = MOTO_CREDENTIALS.accessKeyId;
      process.env.AWS_SECRET_ACCESS_KEY = MOTO_CREDENTIALS.secretAccessKey;
      process.env.AWS_REGION = 'us-east-1';
      delete process.env.AWS_PROFILE;
      delete process.env.AWS_SESSION_TOKEN;
    }, 600_000);

    afterAll(async () => {
      process.env = savedEnv;
      await harness?.stop();
      for (const dir of [journalDir, planDir]) if (dir) rmSync(dir, { recursive: true, force: true });
    });

    const awsFlags = (account: string) => ['--account', account, '--stack', harness.stackFile(`iam-${account}`), '--endpoint-url', harness.moto.endpoint, '--role-arn', harness.deployRoleArn(account)];
    const drift = async (account: string): Promise<{ code: number; report: DriftJson; stderr: string }> => {
      const run = await iamctl(['drift', ...awsFlags(account), '--format', 'json']);
      let report: DriftJson = { drift: [] };
      try {
        report = JSON.parse(run.stdout) as DriftJson;
      } catch {
        throw new Error(`iamctl drift --account ${account} printed no JSON (exit ${run.code}):\n${run.stderr}${run.stdout}`);
      }
      return { code: run.code, report, stderr: run.stderr };
    };
    // `terraform show -json` of every first apply, for plan-report, with the resource types left out of it (-target).
    const untargetedTypes = new Map<string, readonly string[]>();
    const savePlan = (stack: string, plan: unknown, untargeted: readonly string[] = []) => {
      const file = path.join(planDir, `${stack}.plan.json`);
      writeFileSync(file, `${JSON.stringify(plan)}\n`);
      planFiles.push(file);
      untargetedTypes.set(stack, untargeted);
    };

    if (options.organization) {
      it('applies the organization stacks (log archive, then the organization) with terraform', async () => {
        const logArchive = await harness.deploy('iam-organization-log-archive');
        savePlan('iam-organization-log-archive', logArchive.plan);
        await harness.bootstrapOrganization('iam-organization');
        // What moto cannot serve (MOTO_UNSERVED_RESOURCE_TYPES) is planned but not applied (test/README.md).
        const targets = harness.targetsExcluding('iam-organization', MOTO_UNSERVED_RESOURCE_TYPES);
        const organization = await harness.deploy('iam-organization', targets);
        savePlan('iam-organization', organization.plan, MOTO_UNSERVED_RESOURCE_TYPES);
        expect(await planOutcome(harness.workspace('iam-organization'), targets)).toEqual(CLEAN_PLAN);
      }, 900_000);
    }

    if (options.securityBaseline) {
      it('applies what moto serves of the security-baseline stack with terraform; a second plan has no changes', async () => {
        // Only with -target: the rest reads the organization from the security account (a data source), which is no
        // member of the harness's moto organization, and moto cannot serve the rest (MOTO_UNSERVED_BASELINE_TYPES).
        const stack = 'iam-security-baseline';
        const targets = harness.targetsExcluding(stack, MOTO_UNSERVED_BASELINE_TYPES);
        const applied = await harness.deploy(stack, targets);
        savePlan(stack, applied.plan, MOTO_UNSERVED_BASELINE_TYPES);
        expect(await planOutcome(harness.workspace(stack), targets)).toEqual(CLEAN_PLAN);
      }, 900_000);
    }

    for (const name of options.accounts) {
      describe(`account ${name}`, () => {
        const stack = `iam-${name}`;

        it('applies the stack with terraform; a second plan has no changes', async () => {
          const result = await harness.deploy(stack);
          savePlan(stack, result.plan);
          expect(await planOutcome(harness.workspace(stack))).toEqual(CLEAN_PLAN);
        }, 900_000);

        it('has no drift after the apply', async () => {
          const { code, report, stderr } = await drift(name);
          expect({ drift: report.drift, stderr }).toEqual({ drift: [], stderr: expect.any(String) as string });
          expect(code).toBe(0);
        }, 300_000);

        it('detects each console change with its kind and attribute, remediates them, and terraform agrees', async () => {
          // Given the console changes in the account
          const account = harness.org.accounts.find((a) => a.name === name) as ResolvedAccount;
          const { roleA, roleB, policy } = pickTargets(account);
          const iam = await harness.iam(name);
          await iam.send(new PutRolePolicyCommand({ RoleName: roleA, PolicyName: 'console-added', PolicyDocument: JSON.stringify(CONSOLE_INLINE) }));
          await iam.send(new AttachRolePolicyCommand({ RoleName: roleA, PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
          await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: roleB, PolicyDocument: JSON.stringify(CONSOLE_TRUST) }));
          await iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: roleB }));
          if (policy) {
            await iam.send(new CreatePolicyVersionCommand({ PolicyArn: `arn:aws:iam::${account.id}:policy/${policy}`, PolicyDocument: JSON.stringify(CONSOLE_INLINE), SetAsDefault: true }));
          }
          await iam.send(new CreateRoleCommand({ RoleName: 'console-made', AssumeRolePolicyDocument: JSON.stringify(CONSOLE_TRUST), Tags: [{ Key: 'managed-by', Value: 'iam-platform' }] }));

          // When drift runs
          const found = await drift(name);
          // Then each change is one item of the right kind and attribute
          const items = found.report.drift.map((d) => `${d.kind} ${d.resourceType} ${d.name} ${d.attribute ?? '-'}`).sort();
          const expected = [
            `changed role ${roleA} inlinePolicies.console-added`,
            `changed role ${roleA} managedPolicies`,
            `changed role ${roleB} trustPolicy`,
            `changed role ${roleB} permissionsBoundary`,
            ...(policy ? [`changed policy ${policy} defaultVersion`] : []),
            'unmanaged role console-made -',
          ].sort();
          expect(items).toEqual(expected);
          expect(found.code).toBe(1);

          // When remediation applies its plan
          const remediated = await iamctl(['remediate', ...awsFlags(name), '--apply', '--journal-dir', journalDir, '--lock-dir', journalDir]);
          expect({ code: remediated.code, stderr: remediated.stderr }).toEqual({ code: 0, stderr: expect.any(String) as string });
          // Then what Terraform manages is back: `terraform plan -detailed-exitcode` exits 0 and its plan is empty
          expect(await planOutcome(harness.workspace(stack))).toEqual(CLEAN_PLAN);
          // And drift agrees
          expect((await drift(name)).report.drift).toEqual([]);
        }, 900_000);

        it('reports a role named iam-platform-anything that is not in the stacks', async () => {
          const iam = await harness.iam(name);
          await iam.send(new CreateRoleCommand({ RoleName: 'iam-platform-anything', AssumeRolePolicyDocument: JSON.stringify(CONSOLE_TRUST) }));
          const found = await drift(name);
          expect(found.report.drift.map((d) => `${d.kind} ${d.resourceType} ${d.name}`)).toContain('unmanaged role iam-platform-anything');
          await iam.send(new DeleteRoleCommand({ RoleName: 'iam-platform-anything' }));
        }, 300_000);

        it('terraform destroy leaves none of the stack resources', async () => {
          const workspace = harness.workspace(stack);
          // As an operator must: the record table's deletion protection (also AWS's) is lifted by Terraform first.
          const lifted = liftDeletionProtection(workspace);
          // eslint-disable-next-line prefer-spread -- TerraformWorkspace.apply is terraform apply, not Function.prototype.apply
          if (lifted.length > 0) await workspace.apply(undefined, lifted);
          await workspace.destroy();
          const iam = await harness.iam(name);
          const roles = (await iam.send(new ListRolesCommand({ MaxItems: 1000 }))).Roles ?? [];
          const policies = (await iam.send(new ListPoliciesCommand({ Scope: 'Local', MaxItems: 1000 }))).Policies ?? [];
          const ours = new Set([...harness.org.accounts.find((a) => a.name === name)!.roles.map((r) => r.name.toLowerCase())]);
          expect(roles.filter((r) => ours.has(String(r.RoleName).toLowerCase()) || String(r.RoleName).startsWith('iam-platform-drift')).map((r) => r.RoleName)).toEqual([]);
          expect(policies.map((p) => p.PolicyName)).toEqual([]);
        }, 900_000);
      });
    }

    it('iamctl plan-report sums the real plans: every synthesized resource of the applied stacks is one create', async () => {
      // Expected from the synth (resources per stack), not from the plans, less the organization stack's resources
      // that moto cannot serve (planned only with -target on the others, so not in its plan).
      const applied = planFiles.map((f) => path.basename(f, '.plan.json'));
      const synthesized = harness.synth.stacks.filter((s) => applied.includes(s.stack)).reduce((n, s) => n + s.resources, 0);
      const untargeted = applied.reduce((n, stack) => n + harness.resourcesOfTypes(stack, untargetedTypes.get(stack) ?? []).length, 0);
      const expectedCreates = synthesized - untargeted;
      const report = path.join(planDir, 'report.json');
      const run = await iamctl(['plan-report', ...planFiles, '--output', report]);
      expect(run.code).toBe(0);
      expect(JSON.parse(readFileSync(report, 'utf8'))).toEqual({ create: expectedCreates, update: 0, delete: 0 });
    });
  });
}
