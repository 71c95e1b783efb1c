/**
 * A generic JUnit XML writer, for GitLab's `artifacts:reports:junit` and other CI test viewers.
 * Each checked item is a test case; a finding is a failure; a suppressed finding is skipped with its reason.
 */

export interface JUnitCaseInput {
  /** Test case name (`CKV_AWS_62 aws_iam_policy.admin`). */
  readonly name: string;
  /** Grouping shown by CI (`iam-app-prod`, `accounts/app-prod/roles/app.yaml`). */
  readonly className: string;
  /** Present when the case failed. @default - passed */
  readonly failure?: { readonly message: string; readonly type: string; readonly details?: string };
  /** Present when the case was skipped (suppressed). @default - not skipped */
  readonly skipped?: string;
  /** Seconds. @default 0 */
  readonly time?: number;
}

export interface JUnitSuiteInput {
  readonly name: string;
  readonly cases: readonly JUnitCaseInput[];
}

/** Escapes text for XML attributes and text nodes, and drops characters XML 1.0 cannot carry. */
export function escapeXml(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Renders one or more suites as a JUnit XML document (`<testsuites>` root). */
export function buildJUnitXml(suites: readonly JUnitSuiteInput[]): string {
  const lines: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const total = suites.reduce((n, s) => n + s.cases.length, 0);
  const failures = suites.reduce((n, s) => n + s.cases.filter((c) => c.failure).length, 0);
  const skipped = suites.reduce((n, s) => n + s.cases.filter((c) => !c.failure && c.skipped !== undefined).length, 0);
  lines.push(`<testsuites tests="${total}" failures="${failures}" errors="0" skipped="${skipped}">`);
  for (const suite of suites) {
    const f = suite.cases.filter((c) => c.failure).length;
    const s = suite.cases.filter((c) => !c.failure && c.skipped !== undefined).length;
    lines.push(`  <testsuite name="${escapeXml(suite.name)}" tests="${suite.cases.length}" failures="${f}" errors="0" skipped="${s}">`);
    for (const c of suite.cases) {
      const open = `    <testcase name="${escapeXml(c.name)}" classname="${escapeXml(c.className)}" time="${(c.time ?? 0).toFixed(3)}"`;
      if (c.failure) {
        lines.push(`${open}>`);
        lines.push(
          `      <failure message="${escapeXml(c.failure.message)}" type="${escapeXml(c.failure.type)}">${escapeXml(c.failure.details ?? c.failure.message)}</failure>`,
        );
        lines.push('    </testcase>');
      } else if (c.skipped !== undefined) {
        lines.push(`${open}>`);
        lines.push(`      <skipped message="${escapeXml(c.skipped)}"/>`);
        lines.push('    </testcase>');
      } else {
        lines.push(`${open}/>`);
      }
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}
