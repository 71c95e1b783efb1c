/**
 * `terraform validate` as the gate's third scanner: one `terraform validate -json` per synthesized
 * stack, several at a time, each diagnostic a finding on the resource its line falls in, mapped to
 * the account and the accounts/ file like checkov's and tfsec's results.
 */
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import type { ScannerResult } from '../../core/scan';
import type { TerraformInstallation } from '../terraform/locate-terraform';
import { runTerraform } from '../terraform/run-terraform';
import { validateStack, type TerraformDiagnostic } from '../terraform/validate-stack';
import { describeResourceForResult, lookupResource, type StackInfo, type StackResource } from './stack-index';

/** Check id of a Terraform error (the stack cannot be planned). */
export const TERRAFORM_ERROR_CHECK = 'TF-VALIDATE-ERROR';
/** Check id of a Terraform warning (deprecated argument and the like). */
export const TERRAFORM_WARNING_CHECK = 'TF-VALIDATE-WARNING';
/** What a terraform finding links to. */
export const TERRAFORM_VALIDATE_GUIDELINE = 'https://developer.hashicorp.com/terraform/cli/commands/validate';
/** Stacks validated at once by default: each run loads the provider schema (about a CPU-second). */
export const DEFAULT_TERRAFORM_CONCURRENCY = Math.max(1, Math.min(4, availableParallelism()));

/** Options of {@link runTerraformValidate}. */
export interface RunTerraformValidateOptions {
  readonly installation: TerraformInstallation;
  readonly stacks: readonly StackInfo[];
  /** Stacks validated at once. @default DEFAULT_TERRAFORM_CONCURRENCY */
  readonly concurrency?: number;
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/** One validated stack. */
export interface StackValidation {
  readonly account: string;
  readonly stackFile: string;
  readonly valid: boolean;
  readonly errors: number;
  readonly warnings: number;
  readonly seconds: number;
}

/** Runs `task` over `items`, at most `limit` at a time, keeping the order of the results. */
export async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** Maps one diagnostic of one stack to a scanner result. */
export function mapTerraformDiagnostic(diagnostic: TerraformDiagnostic, stack: StackInfo): ScannerResult {
  const resource: StackResource = diagnostic.address ? lookupResource(stack, diagnostic.address) : { address: 'terraform', file: stack.accountFile };
  return {
    checkId: diagnostic.severity === 'error' ? TERRAFORM_ERROR_CHECK : TERRAFORM_WARNING_CHECK,
    scanner: 'terraform',
    title: diagnostic.summary,
    message: diagnostic.detail ? `${diagnostic.summary}: ${diagnostic.detail}` : diagnostic.summary,
    severity: diagnostic.severity === 'error' ? 'critical' : 'low',
    guideline: TERRAFORM_VALIDATE_GUIDELINE,
    ...describeResourceForResult(resource, 'failed'),
    account: stack.account,
    stackFile: stack.stackFile,
    ...(diagnostic.line === undefined ? {} : { stackLine: diagnostic.line }),
    result: 'failed',
  };
}

/** `terraform version`: terraform's version and the provider's, for the report. */
export async function readTerraformVersion(installation: TerraformInstallation, cwd: string, env?: NodeJS.ProcessEnv): Promise<string> {
  const run = await runTerraform(installation, ['version', '-json'], { cwd, timeoutMs: 30_000, ...(env ? { baseEnv: env } : {}) });
  try {
    const data = JSON.parse(run.stdout) as { terraform_version?: string };
    return data.terraform_version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * Validates every stack (bounded concurrency) and maps the diagnostics.
 * @throws IamPlatformError TERRAFORM_FAILED when terraform cannot run on a stack.
 */
export async function runTerraformValidate(
  options: RunTerraformValidateOptions,
): Promise<{ readonly version: string; readonly results: readonly ScannerResult[]; readonly stacks: readonly StackValidation[] }> {
  const cwd = options.stacks.length > 0 ? path.dirname(options.stacks[0].absPath) : process.cwd();
  const [version, validations] = await Promise.all([
    readTerraformVersion(options.installation, cwd, options.env),
    mapWithConcurrency(options.stacks, options.concurrency ?? DEFAULT_TERRAFORM_CONCURRENCY, async (stack) => ({
      stack,
      validation: await validateStack(options.installation, { stackDir: path.dirname(stack.absPath), ...(options.env ? { baseEnv: options.env } : {}) }),
    })),
  ]);
  const results = validations.flatMap(({ stack, validation }) => validation.diagnostics.map((d) => mapTerraformDiagnostic(d, stack)));
  const stacks = validations.map(({ stack, validation }) => ({
    account: stack.account,
    stackFile: stack.stackFile,
    valid: validation.valid,
    errors: validation.diagnostics.filter((d) => d.severity === 'error').length,
    warnings: validation.diagnostics.filter((d) => d.severity === 'warning').length,
    seconds: validation.seconds,
  }));
  return { version, results, stacks };
}
