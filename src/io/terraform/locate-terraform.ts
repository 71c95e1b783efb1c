/**
 * Where the project's Terraform pieces are: the `terraform` executable (PATH, or IAMCTL_TERRAFORM),
 * the locally built AWS provider and the project-local CLI config with its dev_overrides
 * (scripts/setup-terraform.sh writes both under .tools/terraform). ~/.terraformrc is never read or
 * written: every child gets TF_CLI_CONFIG_FILE.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import * as path from 'node:path';
import { ERROR_CODES, IamPlatformError } from '../../core/errors';

/** The command that builds the provider and writes the CLI config. */
export const TERRAFORM_SETUP_COMMAND = 'npm run setup:terraform';
/** Environment variable naming a terraform executable explicitly. */
export const TERRAFORM_ENV_OVERRIDE = 'IAMCTL_TERRAFORM';
/** Project-local folder of the CLI config and the provider (relative to the repository root). */
export const TERRAFORM_TOOLS_DIR = '.tools/terraform';
/** The CLI config scripts/setup-terraform.sh writes (dev_overrides for hashicorp/aws). */
export const TERRAFORM_CLI_CONFIG = `${TERRAFORM_TOOLS_DIR}/terraformrc`;
/** The AWS provider binary scripts/setup-terraform.sh builds. */
export const TERRAFORM_PROVIDER_BINARY = `${TERRAFORM_TOOLS_DIR}/bin/terraform-provider-aws`;
/** How to install terraform when it is missing. */
export const TERRAFORM_INSTALL_HINT =
  'install Terraform 1.11.x (download the zip from https://developer.hashicorp.com/terraform/install and put `terraform` on PATH, or set IAMCTL_TERRAFORM to its path), then run npm run setup:terraform';

/** What every terraform run of the project needs. */
export interface TerraformInstallation {
  /** Absolute path of the terraform executable. */
  readonly executable: string;
  /** Absolute path of the CLI config (TF_CLI_CONFIG_FILE). */
  readonly cliConfigFile: string;
  /** Absolute path of the AWS provider binary. */
  readonly providerBinary: string;
}

/** Options of {@link locateTerraform}. */
export interface LocateTerraformOptions {
  /** Repository root: .tools/terraform is relative to it. */
  readonly root: string;
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Finds terraform, the provider and the CLI config.
 * @throws IamPlatformError SCANNER_MISSING with the install or setup command.
 */
export function locateTerraform(options: LocateTerraformOptions): TerraformInstallation {
  const env = options.env ?? process.env;
  const override = env[TERRAFORM_ENV_OVERRIDE];
  let executable: string | undefined;
  if (override) {
    executable = path.resolve(options.root, override);
    if (!isExecutable(executable)) {
      throw new IamPlatformError(ERROR_CODES.SCANNER_MISSING, `terraform not found at ${TERRAFORM_ENV_OVERRIDE}=${override}: point it at an executable, or unset it to use terraform from PATH`);
    }
  } else {
    executable = (env.PATH ?? '').split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, 'terraform')).find(isExecutable);
    if (!executable) throw new IamPlatformError(ERROR_CODES.SCANNER_MISSING, `terraform is not on PATH: ${TERRAFORM_INSTALL_HINT}`);
  }
  const providerBinary = path.join(options.root, TERRAFORM_PROVIDER_BINARY);
  const cliConfigFile = path.join(options.root, TERRAFORM_CLI_CONFIG);
  if (!isExecutable(providerBinary) || !existsSync(cliConfigFile)) {
    const missing = !isExecutable(providerBinary) ? `the AWS provider (${TERRAFORM_PROVIDER_BINARY})` : `the CLI config (${TERRAFORM_CLI_CONFIG})`;
    throw new IamPlatformError(
      ERROR_CODES.SCANNER_MISSING,
      `${missing} is missing: run ${TERRAFORM_SETUP_COMMAND} (the first run builds the provider from source, about 55 CPU-minutes; later runs are instant)`,
    );
  }
  return { executable, cliConfigFile, providerBinary };
}
