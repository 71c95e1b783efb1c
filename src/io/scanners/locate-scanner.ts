import { accessSync, constants } from 'node:fs';
import * as path from 'node:path';
import { ERROR_CODES, IamPlatformError } from '../../core/errors';
import type { ScannerName } from '../../core/scan';

/** The command that installs the pinned scanners into the project. */
export const SCANNER_INSTALL_COMMAND = 'npm run setup:scanners';

/** Environment variables that point at a scanner binary explicitly. */
export const SCANNER_ENV_OVERRIDES: Readonly<Record<ScannerName, string>> = { checkov: 'IAMCTL_CHECKOV', tfsec: 'IAMCTL_TFSEC', terraform: 'IAMCTL_TERRAFORM' };

/** Project-local folders the setup script installs into, searched before PATH. */
export const SCANNER_LOCAL_DIRS: readonly string[] = ['.venv/scanners/bin', '.tools/bin'];

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Options of {@link locateScanner}. */
export interface LocateScannerOptions {
  /** Project root: the local scanner folders are relative to it. */
  readonly cwd: string;
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Finds checkov or tfsec: the env override, then .venv/scanners/bin, .tools/bin, then PATH
 * (terraform, with its provider and CLI config, is found by src/io/terraform `locateTerraform`).
 * @throws IamPlatformError SCANNER_MISSING naming the scanner and the install command.
 */
export function locateScanner(name: Exclude<ScannerName, 'terraform'>, options: LocateScannerOptions): string {
  const env = options.env ?? process.env;
  const override = env[SCANNER_ENV_OVERRIDES[name]];
  if (override) {
    const resolved = path.resolve(options.cwd, override);
    if (isExecutable(resolved)) return resolved;
    throw new IamPlatformError(
      ERROR_CODES.SCANNER_MISSING,
      `${name} not found at ${SCANNER_ENV_OVERRIDES[name]}=${override}: point ${SCANNER_ENV_OVERRIDES[name]} at an executable, or unset it and install the pinned scanners with: ${SCANNER_INSTALL_COMMAND}`,
    );
  }
  const candidates = [
    ...SCANNER_LOCAL_DIRS.map((dir) => path.join(options.cwd, dir, name)),
    ...(env.PATH ?? '').split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, name)),
  ];
  const found = candidates.find(isExecutable);
  if (found) return found;
  throw new IamPlatformError(
    ERROR_CODES.SCANNER_MISSING,
    `${name} is not installed (looked in ${SCANNER_LOCAL_DIRS.join(', ')} and PATH): install the pinned scanners with: ${SCANNER_INSTALL_COMMAND}`,
  );
}
