import type { AnalyzerReport } from '../../../core/analyzer';

/** Version of the JSON shape; bumped on breaking changes. */
export const ANALYZER_JSON_VERSION = 1;

/** The documented JSON shape (see AnalyzerReport), with a version field first. */
export function renderAnalyzerJson(report: AnalyzerReport): string {
  return `${JSON.stringify({ version: ANALYZER_JSON_VERSION, ...report }, null, 2)}\n`;
}
