export {
  locateTerraform,
  TERRAFORM_CLI_CONFIG,
  TERRAFORM_ENV_OVERRIDE,
  TERRAFORM_INSTALL_HINT,
  TERRAFORM_PROVIDER_BINARY,
  TERRAFORM_SETUP_COMMAND,
  TERRAFORM_TOOLS_DIR,
} from './locate-terraform';
export type { LocateTerraformOptions, TerraformInstallation } from './locate-terraform';
export { DEFAULT_TERRAFORM_TIMEOUT_MS, parseJsonLines, runTerraform, terraformEnvironment } from './run-terraform';
export type { RunTerraformOptions } from './run-terraform';
export { addressAtLine, DEV_OVERRIDES_WARNING, indexStackBlocks, parseValidateOutput, validateStack } from './validate-stack';
export type { TerraformDiagnostic, TerraformValidation, ValidateStackOptions } from './validate-stack';
export { createTerraformWorkspace, stripBackend } from './terraform-workspace';
export type { TerraformPlanResult, TerraformWorkspace, TerraformWorkspaceOptions } from './terraform-workspace';
