export { AccountStack, MANAGED_BY, POLICY_REFERENCE_RULE, accountDefaultTags } from './account-stack';
export type { AccountStackProps } from './account-stack';
export { checkReplaceableOutdir, collectAnnotations, guardrailError, pickAccounts, readDesiredInventoryFromStackFile, synthesizeDesiredInventory, synthesizeOrganization, validateOrganization } from './app';
export type { SynthesizeDesiredInventoryOptions, SynthAnnotation, SynthesizedStack, SynthesizeOrganizationOptions, SynthResult, ValidateOrganizationOptions } from './app';
export { ACCOUNT_GUARDRAILS, applyGuardrails } from './guardrails';
export type { GuardrailContext, GuardrailFactory } from './guardrails';
export {
  OrganizationStack,
  OrganizationLogArchiveStack,
  addOrganizationStacks,
  organizationStackId,
  ORGANIZATION_STACK_NAME,
  ORGANIZATION_STATE_NAME,
  LOG_ARCHIVE_STATE_NAME,
} from './organization-stack';
export type { OrganizationStackProps, OrganizationStacks } from './organization-stack';
export { addAccountProvider, addStackBackend, PROVIDER_SESSION_NAME } from './stack-backend';
export { PlatformStack } from './platform-stack';
export { escapeTerraformTemplate, escapeTerraformValue } from './terraform-template-escape';
export { addBootstrapStack } from './bootstrap-stack';
export type { BootstrapStackProps } from './bootstrap-stack';
export { buildBootstrapImports } from './bootstrap-imports';
export type { BootstrapImportTarget } from './bootstrap-imports';
export { synthesizeBootstrap } from './bootstrap-app';
export type { BootstrapSynthResult, BootstrapSynthStack, SynthesizeBootstrapOptions } from './bootstrap-app';
export { DEFAULT_MERGE_REQUEST_TEAM, DEFAULT_PIPELINE_TEAM, DEFAULT_SECURITY_TEAM, DEFAULT_TFC_PROJECT, NOTIFICATION_TRIGGERS, TerraformCloudStack } from './tfc-stack';
export type { TerraformCloudStackProps } from './tfc-stack';
