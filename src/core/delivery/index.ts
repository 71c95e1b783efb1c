export { RUN_STATES, classifyRunState, isKnownRunState, isPlanSettled, isApplySettled, isFailedPhase } from './run-state';
export type { RunState, RunPhase } from './run-state';
export { RUN_MANIFEST_KIND, RUN_MANIFEST_VERSION, countPlanAttributes, buildGitLabReport, hasFailedRun, isPlanSuccessful, hasUnsuccessfulPlan, sortByDeploymentOrder, ENVIRONMENT_ORDER, decideApply, parseRunManifest } from './run-record';
export type { TfcRunRecord, TfcRunManifest, PlanResourceAttributes, ApplyDecision } from './run-record';
export { ORGANIZATION_STATE_NAMES, resolveOrganizationTfcTargets, resolveTfcTargets, tokenVariableName, buildRunUrl } from './workspace';
export type { TfcTarget } from './workspace';
export { renderRunSummary } from './render-runs';
export { describePolicyFailures } from './policy-outcome';
export type { PolicyCheckSummary, TaskStageSummary } from './policy-outcome';
