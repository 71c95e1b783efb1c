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
import { runTfsec } from './tfsec';

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
}

/** What the scanners found, before suppressions. */
export interface StackScan {
  readonly stacks: readonly StackInfo[];
  readonly results: readonly ScannerResult[];
  readonly scanners: ScannerVersions;
  readonly scope: ScanScope;
}

/** The default folder cdktf synthesizes stacks into. */
export const DEFAULT_STACKS_DIR = 'cdktf.out/stacks';

/**
 * Reads the stacks, locates every selected scanner first (so a missing one fails before any runs),
 * then runs them.
 * @throws IamPlatformError SCANNER_MISSING / SCANNER_FAILED / UNREADABLE_INPUT / UNKNOWN_ACCOUNT.
 */
export async function scanStacks(options: ScanStacksOptions): Promise<StackScan> {
  const stacksDir = path.resolve(options.cwd, options.stacksDir ?? DEFAULT_STACKS_DIR);
  const scanners = options.scanners ?? ['checkov', 'tfsec'];
  const stacks = readStacks({ cwd: options.cwd, stacksDir, ...(options.accounts ? { accounts: options.accounts } : {}), ...(options.accountsDir ? { accountsDir: options.accountsDir } : {}) });
  const filtered = Boolean(options.accounts && options.accounts.length > 0);
  const executables = new Map(scanners.map((name) => [name, locateScanner(name, { cwd: options.cwd, ...(options.env ? { env: options.env } : {}) })]));
  const runs = await Promise.all(
    scanners.map(async (name) => {
      const executable = executables.get(name) as string;
      const common = { executable, cwd: options.cwd, stacksDir, stacks, ...(options.env ? { env: options.env } : {}) };
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
  return { stacks, results, scanners: versions, scope: { scanners, accounts: stacks.map((s) => s.account), allAccounts: !filtered } };
}
