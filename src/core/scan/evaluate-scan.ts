/**
 * Merges the scanners' results into one list, applies the reviewed suppressions, raises the gate's
 * own failures (expired and unused suppressions) and summarizes against the --fail-on threshold.
 */
import { findBuiltInRationale } from './built-in-rationales';
import { resolveCheckSeverity } from './check-severities';
import {
  GATE_CHECKS,
  SEVERITIES,
  type ScanFinding,
  type ScanReport,
  type ScanSummary,
  type ScanSuppression,
  type ScannerName,
  type ScannerResult,
  type ScannerVersions,
  type Severity,
} from './types';

/** What was scanned: decides which suppressions could have matched, for the unused check. */
export interface ScanScope {
  /** Scanners that ran. */
  readonly scanners: readonly ScannerName[];
  /** Accounts scanned. */
  readonly accounts: readonly string[];
  /** False when `--account` narrowed the scan: suppressions without an account prefix are then not called unused. */
  readonly allAccounts: boolean;
  /**
   * The resources the scanned stacks hold (`<account>/<address>`), when the folder is not the organization's
   * account stacks (the bootstrap or Terraform Cloud stacks alone): a suppression is then called unused only if
   * it is written for these stacks, i.e. its pattern matches one of them. @default - the folder holds every
   * account stack: every suppression in scope is judged, so one whose resource is gone is called unused
   */
  readonly partialResources?: readonly string[];
}

/** Options of {@link evaluateScan}. */
export interface EvaluateScanOptions {
  /** Every check result of every scanner. */
  readonly results: readonly ScannerResult[];
  readonly suppressions: readonly ScanSuppression[];
  /** Today's date (YYYY-MM-DD); a suppression applies through its `expires` day. */
  readonly today: string;
  /** Lowest severity that fails the gate. */
  readonly failOn: Severity;
  readonly scanners: ScannerVersions;
  readonly scope: ScanScope;
}

/** Rank of a severity (low = 0). */
export function rankSeverity(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** The scanner a suppression's check id belongs to: checkov ids start with CKV, terraform's with TF-, the rest are tfsec's. */
export function scannerOfCheck(checkId: string): ScannerName {
  if (/^CKV/i.test(checkId)) return 'checkov';
  return /^TF-/i.test(checkId) ? 'terraform' : 'tfsec';
}

function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('')
    .map((ch) => (ch === '*' ? '[^/]*' : ch === '?' ? '[^/]' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`);
}

/** True when the suppression's check and resource pattern match the result. */
export function matchesSuppression(suppression: ScanSuppression, result: Pick<ScannerResult, 'checkId' | 'resource' | 'account'>): boolean {
  if (suppression.check !== result.checkId) return false;
  const target = suppression.resource.includes('/') ? `${result.account}/${result.resource}` : result.resource;
  return globToRegExp(suppression.resource).test(target);
}

function resultKey(result: ScannerResult): string {
  return [result.scanner, result.checkId, result.account, result.resource, result.result, result.message ?? ''].join('\u0000');
}

function toFinding(result: ScannerResult): ScanFinding {
  return {
    checkId: result.checkId,
    scanner: result.scanner,
    severity: resolveCheckSeverity(result.checkId, result.severity),
    resource: result.resource,
    account: result.account,
    file: result.file,
    ...(result.line === undefined ? {} : { line: result.line }),
    ...(result.constructPath === undefined ? {} : { constructPath: result.constructPath }),
    stackFile: result.stackFile,
    title: result.title,
    message: result.message ?? result.title,
    ...(result.guideline === undefined ? {} : { guideline: result.guideline }),
    status: result.result,
  };
}

function gateFinding(suppression: ScanSuppression, checkId: string, message: string): ScanFinding {
  return {
    checkId,
    scanner: 'iamctl',
    severity: 'high',
    resource: `${suppression.check} ${suppression.resource}`,
    account: '',
    file: suppression.file,
    ...(suppression.line === undefined ? {} : { line: suppression.line }),
    title: checkId === GATE_CHECKS.SUPPRESSION_EXPIRED ? 'Suppression has expired' : 'Suppression matches no finding',
    message,
    status: 'failed',
  };
}

const STATUS_ORDER = { failed: 0, suppressed: 1, passed: 2 } as const;

function compareFindings(a: ScanFinding, b: ScanFinding): number {
  return (
    STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
    rankSeverity(b.severity) - rankSeverity(a.severity) ||
    a.account.localeCompare(b.account) ||
    a.file.localeCompare(b.file) ||
    a.checkId.localeCompare(b.checkId) ||
    a.resource.localeCompare(b.resource) ||
    a.scanner.localeCompare(b.scanner) ||
    a.message.localeCompare(b.message)
  );
}

/** True when a failed finding blocks the gate: at or above the threshold, or a gate finding. */
export function isBlocking(finding: ScanFinding, failOn: Severity): boolean {
  return finding.status === 'failed' && (finding.scanner === 'iamctl' || rankSeverity(finding.severity) >= rankSeverity(failOn));
}

/** Counts findings by status and severity against the threshold. */
export function summarizeFindings(findings: readonly ScanFinding[], failOn: Severity, accounts: readonly string[]): ScanSummary {
  const failed: Record<Severity, number> = { low: 0, medium: 0, high: 0, critical: 0 };
  let suppressed = 0;
  let passed = 0;
  let blocking = 0;
  for (const finding of findings) {
    if (finding.status === 'failed') failed[finding.severity] += 1;
    else if (finding.status === 'suppressed') suppressed += 1;
    else passed += 1;
    if (isBlocking(finding, failOn)) blocking += 1;
  }
  const failedTotal = SEVERITIES.reduce((n, s) => n + failed[s], 0);
  return { failed, failedTotal, suppressed, passed, blocking, failOn, accounts: [...accounts].sort(), clean: blocking === 0 };
}

/** Merges, suppresses and summarizes. Pure: the same input gives the same report. */
export function evaluateScan(options: EvaluateScanOptions): ScanReport {
  const active = options.suppressions.filter((s) => s.expires >= options.today);
  const used = new Set<ScanSuppression>();
  const seen = new Set<string>();
  const findings: ScanFinding[] = [];
  for (const result of options.results) {
    const key = resultKey(result);
    if (seen.has(key)) continue;
    seen.add(key);
    const finding = toFinding(result);
    if (result.result !== 'failed') {
      findings.push(finding);
      continue;
    }
    const suppression = active.find((s) => matchesSuppression(s, result));
    if (!suppression) {
      // A reviewed entry wins; without one, a built-in rationale may accept the finding (built-in-rationales.ts).
      const rationale = findBuiltInRationale(result);
      findings.push(
        rationale
          ? { ...finding, status: 'suppressed', suppression: { reason: rationale.reason, owner: rationale.owner, expires: 'never', file: rationale.documentation, builtIn: rationale.id } }
          : finding,
      );
      continue;
    }
    used.add(suppression);
    findings.push({
      ...finding,
      status: 'suppressed',
      suppression: {
        reason: suppression.reason,
        owner: suppression.owner,
        expires: suppression.expires,
        file: suppression.file,
        ...(suppression.line === undefined ? {} : { line: suppression.line }),
      },
    });
  }
  for (const suppression of options.suppressions) {
    if (suppression.expires < options.today) {
      findings.push(
        gateFinding(
          suppression,
          GATE_CHECKS.SUPPRESSION_EXPIRED,
          `suppression of ${suppression.check} on ${suppression.resource} (owner ${suppression.owner}) expired on ${suppression.expires}: fix the finding, or have it reviewed again and move the date`,
        ),
      );
      continue;
    }
    if (used.has(suppression) || !inScope(suppression, options.scope)) continue;
    findings.push(
      gateFinding(
        suppression,
        GATE_CHECKS.SUPPRESSION_UNUSED,
        `suppression of ${suppression.check} on ${suppression.resource} (owner ${suppression.owner}) matches no failed check: delete it, or fix its check id or resource pattern`,
      ),
    );
  }
  findings.sort(compareFindings);
  return { findings, summary: summarizeFindings(findings, options.failOn, options.scope.accounts), scanners: options.scanners };
}

function inScope(suppression: ScanSuppression, scope: ScanScope): boolean {
  if (!scope.scanners.includes(scannerOfCheck(suppression.check))) return false;
  const slash = suppression.resource.indexOf('/');
  // An entry written for some accounts (`<account glob>/<address glob>`) is judged by a scan of one of them only.
  if (slash >= 0) {
    const accountPattern = globToRegExp(suppression.resource.slice(0, slash));
    if (!scope.accounts.some((account) => accountPattern.test(account))) return false;
  }
  if (!scope.allAccounts) return slash >= 0;
  if (scope.partialResources !== undefined) {
    // A folder of other stacks than the account stacks: judge only the suppressions written for what it holds.
    const pattern = globToRegExp(slash >= 0 ? suppression.resource : `*/${suppression.resource}`);
    return scope.partialResources.some((resource) => pattern.test(resource));
  }
  return true;
}
