import type { AccessReview, ComplianceReport, UnusedReport } from '../../core/reports';
import { renderAccessReviewCsv, renderAccessReviewHtml, renderAccessReviewMarkdown } from './render-access-review';
import { renderComplianceCsv, renderComplianceHtml, renderComplianceMarkdown } from './render-compliance';
import { renderUnusedCsv, renderUnusedHtml, renderUnusedMarkdown } from './render-unused';

/** Formats of every report. */
export const REPORT_FORMATS = ['html', 'markdown', 'csv', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Any of the three reports. */
export type PeriodicReport = AccessReview | ComplianceReport | UnusedReport;

/** Renders a report in one format; JSON is the documented shape (docs/reports.md), pretty-printed. */
export function renderPeriodicReport(report: PeriodicReport, format: ReportFormat): string {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  switch (report.report) {
    case 'access-review':
      return format === 'html' ? renderAccessReviewHtml(report) : format === 'markdown' ? renderAccessReviewMarkdown(report) : renderAccessReviewCsv(report);
    case 'compliance':
      return format === 'html' ? renderComplianceHtml(report) : format === 'markdown' ? renderComplianceMarkdown(report) : renderComplianceCsv(report);
    case 'unused':
      return format === 'html' ? renderUnusedHtml(report) : format === 'markdown' ? renderUnusedMarkdown(report) : renderUnusedCsv(report);
  }
}
