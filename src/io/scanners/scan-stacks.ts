/**
 * Runs the selected scanners over the synthesized stacks (in parallel, one process each) and
 * returns their results mapped to accounts and accounts/ files. Merging, suppressions and the
 * verdict are pure (src/core/scan).
 */
import * as path from 'node:path';
import type { ScanScope, ScannerName, ScannerResult, ScannerVersions } from '../../core/scan';
import { runCheckov } from './checkov';
import { locateScanner } from './locate-scanner';
import { readStacks, type StackInfo } from './stack-index';
import { runTerraformValidate, type StackValidation } from './terraform-validate';
import { runTfsec } from './tfsec';
import { locateTerraform } from '../terraform/locate-terraform';

/** Options of {@link scanStacks}. */
export interface ScanStacksOptions {
  /** Repository root. */
  readonly cwd: string;
  /** @default 'cdktf.out/stacks' */
  readonly stacksDir?: string;
  /** @default 'accounts' */
  readonly accountsDir?: string;
  /** Only these accounts. @default - every stack */
  readonly accounts?: readonly string[];
  /** Scanners to run. @default ['checkov', 'tfsec'] */
  readonly scanners?: readonly ScannerName[];
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Stacks `terraform validate` checks at once. @default DEFAULT_TERRAFORM_CONCURRENCY */
  readonly terraformConcurrency?: number;
}

/** What the scanners found, before suppressions. */
export interface StackScan {
  readonly stacks: readonly StackInfo[];
  readonly results: readonly ScannerResult[];
  readonly scanners: ScannerVersions;
  readonly scope: ScanScope;
  /** Per-stack result of `terraform validate`, when it ran. @default - none */
  readonly terraform?: readonly StackValidation[];
}

/** The default folder cdktf synthesizes stacks into. */
export const DEFAULT_STACKS_DIR = 'cdktf.out/stacks';

/**
 * Reads the stacks, locates every selected scanner first (so a missing one fails before any runs),
 * then runs them.
 * @throws IamPlatformError SCANNER_MISSING / SCANNER_FAILED / TERRAFORM_FAILED / UNREADABLE_INPUT / UNKNOWN_ACCOUNT.
 */
export async function scanStacks(options: ScanStacksOptions): Promise<StackScan> {
  const stacksDir = path.resolve(options.cwd, options.stacksDir ?? DEFAULT_STACKS_DIR);
  const scanners = options.scanners ?? ['checkov', 'tfsec'];
  const stacks = readStacks({ cwd: options.cwd, stacksDir, ...(options.accounts ? { accounts: options.accounts } : {}), ...(options.accountsDir ? { accountsDir: options.accountsDir } : {}) });
  const filtered = Boolean(options.accounts && options.accounts.length > 0);
  const env = options.env ? { env: options.env } : {};
  // Locate every scanner before any runs, so a missing one fails at once.
  const executables = new Map(scanners.filter((n) => n !== 'terraform').map((name) => [name, locateScanner(name as Exclude<ScannerName, 'terraform'>, { cwd: options.cwd, ...env })]));
  const terraform = scanners.includes('terraform') ? locateTerraform({ root: options.cwd, ...env }) : undefined;
  let validations: readonly StackValidation[] | undefined;
  const runs = await Promise.all(
    scanners.map(async (name) => {
      if (name === 'terraform') {
        const run = await runTerraformValidate({ installation: terraform as NonNullable<typeof terraform>, stacks, ...env, ...(options.terraformConcurrency ? { concurrency: options.terraformConcurrency } : {}) });
        validations = run.stacks;
        return [name, run] as const;
      }
      const executable = executables.get(name) as string;
      const common = { executable, cwd: options.cwd, stacksDir, stacks, ...env };
      const run = name === 'checkov' ? await runCheckov({ ...common, wholeFolder: !filtered }) : await runTfsec(common);
      return [name, run] as const;
    }),
  );
  const versions: Partial<Record<ScannerName, { version: string }>> = {};
  const results: ScannerResult[] = [];
  for (const [name, run] of runs) {
    versions[name] = { version: run.version };
    results.push(...run.results);
  }
  // A folder without account stacks (the bootstrap and Terraform Cloud stacks alone) judges only the suppressions written for its resources.
  const partialResources = stacks.some((s) => s.isAccountStack === true) ? undefined : stacks.flatMap((s) => [...s.resources.keys()].map((address) => `${s.account}/${address}`));
  return {
    stacks,
    results,
    scanners: versions,
    scope: { scanners, accounts: stacks.map((s) => s.account), allAccounts: !filtered, ...(partialResources ? { partialResources } : {}) },
    ...(validations ? { terraform: validations } : {}),
  };
}
