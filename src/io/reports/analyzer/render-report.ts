import type { AnalyzerReport } from '../../../core/analyzer';
import { renderAnalyzerCsv } from './render-csv';
import { renderAnalyzerHtml } from './render-html';
import { renderAnalyzerJson } from './render-json';
import { renderAnalyzerMarkdown } from './render-markdown';
import { renderAnalyzerText } from './render-text';

/** Output formats of `iamctl analyze`. */
export const ANALYZER_FORMATS = ['text', 'json', 'markdown', 'csv', 'html'] as const;
export type AnalyzerFormat = (typeof ANALYZER_FORMATS)[number];

/** Renders the report in one format. */
export function renderAnalyzerReport(report: AnalyzerReport, format: AnalyzerFormat): string {
  switch (format) {
    case 'json':
      return renderAnalyzerJson(report);
    case 'markdown':
      return renderAnalyzerMarkdown(report);
    case 'csv':
      return renderAnalyzerCsv(report);
    case 'html':
      return renderAnalyzerHtml(report);
    default:
      return renderAnalyzerText(report);
  }
}
