/**
 * A working copy of one synthesized stack for running plan/apply/destroy outside the delivery
 * pipeline (the e2e harness, the benchmark). `terraform init` cannot run on these machines: even with
 * dev_overrides it looks hashicorp/aws up in the registry to configure the backend. The copy
 * therefore drops the stack's `terraform.backend` block: the default local backend needs no init,
 * and dev_overrides supply the provider. Everything else of the stack is copied byte for byte
 * (assets such as the Lambda bundle are linked), so what is applied is what was synthesized.
 */
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ERROR_CODES, IamPlatformError } from '../../core/errors';
import type { TerraformInstallation } from './locate-terraform';
import { runTerraform } from './run-terraform';

/** Options of {@link createTerraformWorkspace}. */
export interface TerraformWorkspaceOptions {
  /** Folder of the synthesized stack (holds cdk.tf.json and assets/). */
  readonly stackDir: string;
  /** Folder of the copy (created; holds the state). */
  readonly workDir: string;
  /** Environment of every terraform run (AWS endpoints and credentials). @default - none */
  readonly env?: Readonly<Record<string, string>>;
  /** Timeout of each command. @default 10 minutes */
  readonly timeoutMs?: number;
}

/** Result of `terraform plan -detailed-exitcode`. */
export interface TerraformPlanResult {
  /** True when the plan has changes (exit code 2). */
  readonly changes: boolean;
  /** The saved plan file (`tfplan`), for apply and show. */
  readonly planFile: string;
  /** terraform's output. */
  readonly stdout: string;
}

/** A stack copy with plan/apply/destroy/show. */
export interface TerraformWorkspace {
  readonly dir: string;
  /** `terraform plan -detailed-exitcode -out=tfplan` (optionally `-destroy`, or only the `-target` addresses). */
  plan(options?: { readonly destroy?: boolean; readonly targets?: readonly string[] }): Promise<TerraformPlanResult>;
  /** `terraform apply` of a saved plan, or `-auto-approve` of a fresh one (optionally only the `-target` addresses). */
  apply(planFile?: string, targets?: readonly string[]): Promise<void>;
  /** `terraform destroy -auto-approve`. */
  destroy(): Promise<void>;
  /** `terraform show -json <plan>`: the plan representation `iamctl plan-report` reads. */
  showPlan(planFile: string): Promise<unknown>;
  /** `terraform show -json`: the state. */
  showState(): Promise<unknown>;
}

/** The stack's Terraform JSON without `terraform.backend`. */
export function stripBackend(stackJson: Record<string, unknown>): Record<string, unknown> {
  const terraform = stackJson.terraform;
  if (typeof terraform !== 'object' || terraform === null) return stackJson;
  const { backend: _backend, ...rest } = terraform as Record<string, unknown>;
  return { ...stackJson, terraform: rest };
}

/**
 * Writes the copy and returns its commands.
 * @throws IamPlatformError UNREADABLE_INPUT when the stack folder has no readable cdk.tf.json.
 */
export function createTerraformWorkspace(installation: TerraformInstallation, options: TerraformWorkspaceOptions): TerraformWorkspace {
  const source = path.join(options.stackDir, 'cdk.tf.json');
  let stack: Record<string, unknown>;
  try {
    stack = JSON.parse(readFileSync(source, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new IamPlatformError(ERROR_CODES.UNREADABLE_INPUT, `${source} is not a readable stack (${(error as Error).message}): run \`iamctl synth\` first`, { cause: error });
  }
  mkdirSync(options.workDir, { recursive: true });
  writeFileSync(path.join(options.workDir, 'cdk.tf.json'), `${JSON.stringify(stripBackend(stack), null, 2)}\n`);
  const assets = path.join(options.stackDir, 'assets');
  const linked = path.join(options.workDir, 'assets');
  if (existsSync(assets) && !existsSync(linked)) symlinkSync(path.resolve(assets), linked, 'dir');

  const run = (args: readonly string[], okExitCodes: readonly number[] = [0]) =>
    runTerraform(installation, args, { cwd: options.workDir, okExitCodes, ...(options.env ? { env: options.env } : {}), ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) });
  const showJson = async (args: readonly string[]): Promise<unknown> => {
    const result = await run(['show', '-json', '-no-color', ...args]);
    return JSON.parse(result.stdout) as unknown;
  };
  return {
    dir: options.workDir,
    async plan(planOptions = {}) {
      const planFile = path.join(options.workDir, planOptions.destroy ? 'destroy.tfplan' : 'tfplan');
      const targets = (planOptions.targets ?? []).map((t) => `-target=${t}`);
      const result = await run(['plan', '-input=false', '-no-color', '-detailed-exitcode', `-out=${planFile}`, ...(planOptions.destroy ? ['-destroy'] : []), ...targets], [0, 2]);
      return { changes: result.code === 2, planFile, stdout: result.stdout };
    },
    async apply(planFile, targets = []) {
      await run(planFile ? ['apply', '-input=false', '-no-color', planFile] : ['apply', '-input=false', '-no-color', '-auto-approve', ...targets.map((t) => `-target=${t}`)]);
    },
    async destroy() {
      await run(['destroy', '-input=false', '-no-color', '-auto-approve']);
    },
    showPlan: (planFile) => showJson([planFile]),
    showState: () => showJson([]),
  };
}
