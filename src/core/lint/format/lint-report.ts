import { buildJUnitXml, buildSarifLog, type JUnitCaseInput, type SarifLevel } from '../../report';
import { RULE_LIST } from '../rules';
import { LINT_SEVERITIES, type LintFinding, type LintSeverity } from '../types';

/** Output formats of `iamctl lint`. */
export const LINT_REPORT_FORMATS = ['text', 'json', 'sarif', 'junit'] as const;

/** An output format of `iamctl lint`. */
export type LintReportFormat = (typeof LINT_REPORT_FORMATS)[number];

/** A finding with the file it is in (and, for the accounts/ model, the account and the policy). */
export interface LintReportEntry extends LintFinding {
  /** File path as the user gave it, or repository-relative for accounts/ files. */
  readonly file: string;
  /** Account name. @default - not from the accounts/ model */
  readonly account?: string;
  /** Which policy (`inline policy "x" of role "y"`). @default - the whole file */
  readonly policy?: string;
  /** 1-based line of the offending value in the file. @default - unknown */
  readonly line?: number;
  /** 1-based column of the offending value. @default - unknown */
  readonly column?: number;
}

/** Counts of a lint run; suppressed findings are counted apart, never as errors or warnings. */
export interface LintSummary {
  readonly errors: number;
  readonly warnings: number;
  readonly infos: number;
  readonly suppressed: number;
  /** Files (or accounts/ files) checked. */
  readonly files: number;
}

/** Options of {@link renderLintReport}. */
export interface RenderLintReportOptions {
  /** Every file checked, findings or not (clean files appear in JUnit as passing cases). */
  readonly files: readonly string[];
  /** iamctl version, for SARIF. */
  readonly toolVersion: string;
}

/** True when a severity is at or above a threshold (`warning` is at or above `info`). */
export function isAtLeast(severity: LintSeverity, threshold: LintSeverity): boolean {
  return LINT_SEVERITIES.indexOf(severity) <= LINT_SEVERITIES.indexOf(threshold);
}

/** Counts findings by severity; suppressed ones count only as suppressed. */
export function summarizeLint(entries: readonly LintReportEntry[], files: number): LintSummary {
  const live = entries.filter((e) => !e.suppressed);
  return {
    errors: live.filter((e) => e.severity === 'error').length,
    warnings: live.filter((e) => e.severity === 'warning').length,
    infos: live.filter((e) => e.severity === 'info').length,
    suppressed: entries.length - live.length,
    files,
  };
}

const SARIF_LEVELS: Readonly<Record<LintSeverity, SarifLevel>> = { error: 'error', warning: 'warning', info: 'note' };

function renderText(entries: readonly LintReportEntry[], summary: LintSummary): string {
  const lines: string[] = [];
  const byFile = new Map<string, LintReportEntry[]>();
  for (const e of entries) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  for (const [file, list] of byFile) {
    lines.push(file);
    for (const e of list) {
      const where = [e.account ? `account ${e.account}` : undefined, e.policy].filter(Boolean).join(', ');
      const status = e.suppressed ? `suppressed (${e.suppressed.reason})` : e.severity;
      const at = e.line !== undefined ? `${e.line}${e.column !== undefined ? `:${e.column}` : ''}  ` : '';
      lines.push(`  ${status.padEnd(8)} ${at}${e.rule}  ${e.path}${where ? `  [${where}]` : ''}`);
      lines.push(`           ${e.message}`);
    }
  }
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  lines.push(
    `${plural(summary.errors, 'error')}, ${plural(summary.warnings, 'warning')}, ${summary.infos} info${summary.suppressed > 0 ? ` (${summary.suppressed} suppressed)` : ''} in ${plural(summary.files, 'file')}`,
  );
  return lines.join('\n');
}

function renderJUnit(entries: readonly LintReportEntry[], files: readonly string[]): string {
  const suites = files.map((file) => {
    const list = entries.filter((e) => e.file === file);
    const cases: JUnitCaseInput[] = list.map((e) => ({
      name: `${e.rule} ${e.path}`,
      className: e.policy ? `${file} ${e.policy}` : file,
      ...(e.suppressed ? { skipped: `suppressed: ${e.suppressed.reason}` } : { failure: { message: e.message, type: e.severity } }),
    }));
    if (cases.length === 0) cases.push({ name: 'iamctl lint', className: file });
    return { name: file, cases };
  });
  return buildJUnitXml(suites);
}

/**
 * Renders lint results. JSON shape (stable): `{"findings":[{"rule","severity","file","path","line"?,"column"?,"message",
 * "suppressed"?,"account"?,"policy"?}],"summary":{"errors","warnings","infos","suppressed","files"}}`.
 */
export function renderLintReport(entries: readonly LintReportEntry[], format: LintReportFormat, options: RenderLintReportOptions): string {
  const summary = summarizeLint(entries, options.files.length);
  switch (format) {
    case 'text':
      return renderText(entries, summary);
    case 'json':
      return JSON.stringify(
        {
          findings: entries.map((e) => ({
            rule: e.rule,
            severity: e.severity,
            file: e.file,
            path: e.path,
            ...(e.line !== undefined ? { line: e.line, column: e.column } : {}),
            message: e.message,
            ...(e.suppressed ? { suppressed: e.suppressed } : {}),
            ...(e.account ? { account: e.account } : {}),
            ...(e.policy ? { policy: e.policy } : {}),
          })),
          summary,
        },
        null,
        2,
      );
    case 'sarif':
      return JSON.stringify(
        buildSarifLog({
          toolName: 'iamctl lint',
          toolVersion: options.toolVersion,
          rules: RULE_LIST.map((r) => ({ id: r.id, shortDescription: r.description, defaultLevel: SARIF_LEVELS[r.severity] })),
          results: entries.map((e) => ({
            ruleId: e.rule,
            level: SARIF_LEVELS[e.severity],
            message: e.policy ? `${e.policy}: ${e.message}` : e.message,
            file: e.file,
            ...(e.line !== undefined ? { line: e.line } : {}),
            logicalLocation: e.path,
            ...(e.suppressed ? { suppression: e.suppressed } : {}),
          })),
        }),
        null,
        2,
      );
    case 'junit':
      return renderJUnit(entries, options.files);
  }
}
