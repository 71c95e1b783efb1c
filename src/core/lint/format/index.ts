export { LINT_REPORT_FORMATS, isAtLeast, renderLintReport, summarizeLint } from './lint-report';
export type { LintReportEntry, LintReportFormat, LintSummary, RenderLintReportOptions } from './lint-report';
