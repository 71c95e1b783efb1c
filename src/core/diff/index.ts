export { buildAccessModel } from './access-model';
export { decideVerdict, describeActions, diffAccessModels, ORGANIZATION_ENTRY, worseVerdict } from './diff-access';
export type { DiffAccessOptions } from './diff-access';
export { ACCESS_DIFF_NOTE_MARKER, DIFF_FORMATS, renderDiff, renderDiffJson, renderDiffMarkdown, renderDiffText } from './render-diff';
export type { DiffFormat } from './render-diff';
export { classifyActionRisks, DATA_EXFILTRATION_ACTIONS, DIFF_ESCALATION_PATHS, ESCALATING_AWS_MANAGED_POLICIES } from './risk-classes';
export { canonicalizeConditions, isAtLeastAsStrict } from './compare-conditions';
export { ACCESS_DIFF_SCHEMA_VERSION, ACCESS_VERDICTS } from './types';
export type * from './types';
