import { createHash } from 'node:crypto';
import type { ScanFinding, ScanReport, Severity } from '../types';

/**
 * GitLab SAST report (security-report-schemas v15.0.4, the version checkov's own `-o gitlab_sast`
 * writes) for `artifacts:reports:sast`. Schema v15 dropped the vulnerability fields `category`,
 * `message`, `cve` and `scanner`, so they are not written.
 * @see https://gitlab.com/gitlab-org/security-products/security-report-schemas/-/blob/v15.0.4/dist/sast-report-format.json
 */
export const GITLAB_SAST_SCHEMA_VERSION = '15.0.4';

const SEVERITY_NAMES: Readonly<Record<Severity, string>> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low' };

/** Options of {@link renderScanGitlabSast}. */
export interface GitlabSastOptions {
  /** Version of iamctl, written as the analyzer version. */
  readonly toolVersion: string;
  /** Scan start, UTC. */
  readonly startedAt: Date;
  /** Scan end, UTC. */
  readonly finishedAt: Date;
}

/** `YYYY-MM-DDTHH:MM:SS`, the timestamp pattern the schema requires. */
function formatTimestamp(date: Date): string {
  return date.toISOString().slice(0, 19);
}

/** Stable id: the same finding keeps its id across pipelines, so GitLab tracks it. */
function vulnerabilityId(finding: ScanFinding): string {
  const hex = createHash('sha256').update([finding.scanner, finding.checkId, finding.account, finding.resource, finding.message].join('\u0000')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** Builds the SAST report object: blocking and non-blocking failures (suppressed findings are left out: they were reviewed). */
export function buildGitlabSastReport(report: ScanReport, options: GitlabSastOptions): Record<string, unknown> {
  const scanner = { id: 'iamctl-scan', name: 'iamctl scan', vendor: { name: 'iam-platform' }, version: options.toolVersion };
  const vulnerabilities = report.findings
    .filter((f) => f.status === 'failed')
    .map((finding) => {
      const identifier: Record<string, string> = { type: finding.scanner, name: finding.checkId, value: finding.checkId };
      if (finding.guideline) identifier.url = finding.guideline;
      const description = [
        finding.message,
        `Resource ${finding.resource}${finding.account ? ` in account ${finding.account}` : ''}`,
        finding.constructPath ? `construct ${finding.constructPath}` : undefined,
        finding.stackFile ? `stack ${finding.stackFile}` : undefined,
      ]
        .filter(Boolean)
        .join('; ');
      return {
        id: vulnerabilityId(finding),
        name: finding.title,
        description,
        severity: SEVERITY_NAMES[finding.severity],
        location: { file: finding.file, ...(finding.line === undefined ? {} : { start_line: finding.line }) },
        identifiers: [identifier],
        ...(finding.guideline ? { links: [{ url: finding.guideline }] } : {}),
      };
    });
  return {
    version: GITLAB_SAST_SCHEMA_VERSION,
    vulnerabilities,
    scan: {
      analyzer: scanner,
      scanner,
      type: 'sast',
      start_time: formatTimestamp(options.startedAt),
      end_time: formatTimestamp(options.finishedAt),
      status: 'success',
    },
  };
}

/** The SAST report as JSON text. */
export function renderScanGitlabSast(report: ScanReport, options: GitlabSastOptions): string {
  return `${JSON.stringify(buildGitlabSastReport(report, options), null, 2)}\n`;
}
