export {
  BOOTSTRAP_STACK_PREFIX,
  DEFAULT_APPLY_ROLE,
  DEFAULT_DRIFT_ROLE,
  DEFAULT_PLAN_ROLE,
  bootstrapPolicyArn,
  buildBootstrapAccount,
  selectBootstrapRoleNames,
  selectBootstrapSet,
} from './bootstrap-set';
export type { BootstrapRoleNames, BootstrapRoleOptions, BootstrapSet, SelectBootstrapSetOptions } from './bootstrap-set';
export { DEFAULT_BOOTSTRAP_OUTDIR, TERRAFORM_CLOUD_STACK, bootstrapStackId, planBootstrapSteps, renderBootstrapSteps } from './bootstrap-steps';
export type { BootstrapActor, BootstrapStep, BootstrapStepsOptions } from './bootstrap-steps';
