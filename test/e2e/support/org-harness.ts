/**
 * The Terraform end-to-end harness: the example organization synthesized once, one moto holding
 * every account, and per stack a working copy that terraform plans, applies and destroys with the
 * provider assuming the account's deploy role (src/io/terraform `createTerraformWorkspace`: the copy
 * drops the backend block, see test/README.md).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { IAMClient } from '@aws-sdk/client-iam';
import { CreateOrganizationalUnitCommand, CreateOrganizationCommand, EnablePolicyTypeCommand, ListRootsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { loadOrganization } from '../../../src/config';
import type { ResolvedOrganization } from '../../../src/core/model';
import { loadActionCatalog } from '../../../src/io/catalog/load-action-catalog';
import { createTerraformWorkspace, locateTerraform, type TerraformInstallation, type TerraformWorkspace } from '../../../src/io/terraform';
import { synthesizeOrganization, type SynthResult } from '../../../stacks';
import { MOTO_CREDENTIALS } from '../../support/moto-server';
import { startE2eMoto, type E2eMoto } from './e2e-moto';

const ROOT = path.resolve(__dirname, '..', '..', '..');

type StackJson = {
  provider?: { aws?: Array<{ region?: string; alias?: string; assume_role?: Array<{ role_arn?: string }> }> };
  data?: Record<string, Record<string, Record<string, unknown>>>;
};

/** What a deploy did. */
export interface DeployResult {
  /** `terraform show -json` of the applied plan. */
  readonly plan: unknown;
  readonly planSeconds: number;
  readonly applySeconds: number;
}

export class OrgHarness {
  public static async start(): Promise<OrgHarness> {
    let installation: TerraformInstallation;
    try {
      installation = locateTerraform({ root: ROOT });
    } catch (error) {
      throw new Error(`The Terraform end-to-end tests need terraform and the AWS provider: ${(error as Error).message}`);
    }
    const scratch = mkdtempSync(path.join(tmpdir(), 'iamctl-e2e-'));
    const org = loadOrganization(ROOT);
    const synth = synthesizeOrganization(org, { outdir: path.join(scratch, 'out'), catalog: loadActionCatalog() });
    const moto = await startE2eMoto();
    return new OrgHarness(installation, scratch, org, synth, moto);
  }

  private readonly workspaces = new Map<string, TerraformWorkspace>();

  private constructor(
    public readonly installation: TerraformInstallation,
    public readonly scratch: string,
    public readonly org: ResolvedOrganization,
    public readonly synth: SynthResult,
    public readonly moto: E2eMoto,
  ) {}

  /** The synthesized stack of a stack id (`iam-app-prod`). */
  public stackFile(stack: string): string {
    const found = this.synth.stacks.find((s) => s.stack === stack);
    if (!found) throw new Error(`no stack ${stack} in the example organization (stacks: ${this.synth.stacks.map((s) => s.stack).join(', ')})`);
    return found.file;
  }

  public stackJson(stack: string): StackJson {
    return JSON.parse(readFileSync(this.stackFile(stack), 'utf8')) as StackJson;
  }

  /** The region of the stack's default provider. */
  public region(stack: string): string {
    return this.stackJson(stack).provider?.aws?.find((p) => p.alias === undefined)?.region ?? 'us-east-1';
  }

  public workspace(stack: string): TerraformWorkspace {
    let workspace = this.workspaces.get(stack);
    if (!workspace) {
      workspace = createTerraformWorkspace(this.installation, {
        stackDir: path.dirname(this.stackFile(stack)),
        workDir: path.join(this.scratch, 'work', stack),
        env: this.moto.terraformEnv(this.region(stack)),
      });
      this.workspaces.set(stack, workspace);
    }
    return workspace;
  }

  /**
   * The addresses of the stack's resources other than those of the given types, for `-target`: what the
   * harness applies of a stack when moto cannot serve some resource type (test/README.md says which, and why).
   */
  public targetsExcluding(stack: string, excludedTypes: readonly string[]): string[] {
    const resources = (this.stackJson(stack) as { resource?: Record<string, Record<string, unknown>> }).resource ?? {};
    return Object.entries(resources)
      .filter(([type]) => !excludedTypes.includes(type))
      .flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`));
  }

  /** The addresses of the stack's resources of the given types. */
  public resourcesOfTypes(stack: string, types: readonly string[]): string[] {
    const resources = (this.stackJson(stack) as { resource?: Record<string, Record<string, unknown>> }).resource ?? {};
    return Object.entries(resources)
      .filter(([type]) => types.includes(type))
      .flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`));
  }

  /** Plans (only `targets`, when given), saves the plan as JSON and applies it. */
  public async deploy(stack: string, targets?: readonly string[]): Promise<DeployResult> {
    const workspace = this.workspace(stack);
    let started = Date.now();
    const planned = await workspace.plan(targets ? { targets } : {});
    const plan = await workspace.showPlan(planned.planFile);
    const planSeconds = (Date.now() - started) / 1000;
    started = Date.now();
    try {
      await workspace.apply(planned.planFile);
    } catch (error) {
      // moto checks at PutBucketLogging that the target bucket's policy already lets the logging
      // service write (AWS does not); Terraform may put the logging before that policy. Once: apply
      // again, when the policy is in place (test/README.md).
      if (!String((error as Error).message).includes('InvalidTargetBucketForLogging')) throw error;
      // eslint-disable-next-line prefer-spread -- TerraformWorkspace.apply(planFile, targets), not Function.prototype.apply
      await workspace.apply(undefined, targets);
    }
    return { plan, planSeconds, applySeconds: (Date.now() - started) / 1000 };
  }

  /** Credentials of an account: moto's STS AssumeRole of the role (as the provider does). */
  public async credentials(roleArn: string): Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken: string }> {
    const sts = new STSClient({ endpoint: this.moto.endpoint, region: 'us-east-1', credentials: MOTO_CREDENTIALS });
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'iam-platform-e2e' }));
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) throw new Error(`moto returned no credentials for ${roleArn}`);
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken };
  }

  public deployRoleArn(account: string): string {
    const found = this.org.accounts.find((a) => a.name === account);
    if (!found) throw new Error(`no account ${account}`);
    return found.deployRoleArn;
  }

  /** An IAM client in the account (the console user's view). */
  public async iam(account: string): Promise<IAMClient> {
    return new IAMClient({ endpoint: this.moto.endpoint, region: 'us-east-1', credentials: await this.credentials(this.deployRoleArn(account)) });
  }

  /**
   * What the organization stack reads and AWS already has: the organization (management account),
   * SCPs enabled on the root and the OUs the stack looks up by name.
   */
  public async bootstrapOrganization(stack: string): Promise<void> {
    const json = this.stackJson(stack);
    const roleArn = json.provider?.aws?.[0]?.assume_role?.[0]?.role_arn;
    if (!roleArn) throw new Error(`${stack} has no provider assume_role`);
    const organizations = new OrganizationsClient({ endpoint: this.moto.endpoint, region: 'us-east-1', credentials: await this.credentials(roleArn) });
    await organizations.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const roots = await organizations.send(new ListRootsCommand({}));
    const rootId = roots.Roots?.[0]?.Id;
    if (!rootId) throw new Error('moto created an organization without a root');
    await organizations.send(new EnablePolicyTypeCommand({ RootId: rootId, PolicyType: 'SERVICE_CONTROL_POLICY' }));
    const ous = Object.values(json.data?.aws_organizations_organizational_unit ?? {}).map((d) => String(d.name));
    for (const name of [...new Set(ous)]) await organizations.send(new CreateOrganizationalUnitCommand({ ParentId: rootId, Name: name }));
  }

  public async stop(): Promise<void> {
    await this.moto.stop();
    rmSync(this.scratch, { recursive: true, force: true });
  }
}
