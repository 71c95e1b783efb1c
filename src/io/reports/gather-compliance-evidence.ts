/**
 * Evidence for the compliance checks the accounts/ model cannot decide, gathered by iamctl itself
 * (`iamctl report compliance --live`, `--scan-result`): live access keys and drift through the SDK, scan and
 * Terraform validate results from the JSON `iamctl scan --format json` writes in the pipeline. Each result says
 * where it came from and when; an account a source could not read is "skipped" with the reason, never a pass.
 */
import type { ConfigServiceClient } from '@aws-sdk/client-config-service';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { DesiredInventory } from '../../core/drift';
import type { ResolvedAccount, ResolvedOrganization } from '../../core/model';
import type { ComplianceEvidence, EvidenceProvenance } from '../../core/reports';
import { checkDrift } from '../iam';
import { readUserCredentials } from '../iam/read-user-credentials';
import { judgeConfigRules, readConfigRuleCompliance } from './read-config-rule-compliance';

/** An account's IAM client and how it was reached (for the provenance). */
export interface LiveAccountAccess {
  readonly iam: IAMClient;
  /** AWS Config in the region of the account's drift-detection module, with the same credentials. */
  readonly config: ConfigServiceClient;
  /** Region of {@link config}. */
  readonly configRegion: string;
  /** `the credential chain`, `role arn:aws:iam::…:role/reader`. */
  readonly via: string;
}

/** Options of {@link gatherLiveEvidence}. */
export interface GatherLiveEvidenceOptions {
  readonly org: ResolvedOrganization;
  /** Clients for an account, after checking the credentials are that account's; throws when it cannot be reached. */
  readonly connect: (account: ResolvedAccount) => Promise<LiveAccountAccess>;
  /** The desired inventory of an account (its synthesized stack). */
  readonly desiredOf: (account: ResolvedAccount) => DesiredInventory;
  /** Names of the AWS Config rules the platform deploys in an account with drift detection (modules/drift-detection). */
  readonly configRuleNames: readonly string[];
  /** Current time, ISO (injected for tests). @default - now */
  readonly now?: () => string;
}

type Mutable = { checks: Record<string, Record<string, readonly string[]>>; provenance: Record<string, Record<string, EvidenceProvenance>>; exceptions: Record<string, Record<string, readonly string[]>>; skipped: Record<string, Record<string, string>> };

function emptyEvidence(): Mutable {
  return { checks: {}, provenance: {}, exceptions: {}, skipped: {} };
}

function put(e: Mutable, check: string, account: string, items: readonly string[], provenance: EvidenceProvenance, exceptions: readonly string[] = []): void {
  (e.checks[check] ??= {})[account] = items;
  (e.provenance[check] ??= {})[account] = provenance;
  if (exceptions.length > 0) (e.exceptions[check] ??= {})[account] = exceptions;
}

function skip(e: Mutable, check: string, account: string, reason: string): void {
  (e.skipped[check] ??= {})[account] = reason;
}

/** The live checks, in the order they are read. */
export const LIVE_COMPLIANCE_CHECKS = ['no-long-lived-keys', 'no-drift', 'config-rules'] as const;

/**
 * Reads access keys (ListUsers, ListAccessKeys) and drift (the drift check against the account's stack) in every
 * account. Active keys fail no-long-lived-keys, except those of a user the account declares in `serviceCredentials:`
 * (rotated by the platform), which are listed as exceptions. config-rules from AWS Config (the platform's rules,
 * {@link readConfigRuleCompliance}): a NON_COMPLIANT rule fails it with its resources; a missing or INSUFFICIENT_DATA
 * rule leaves it not evaluated with the reason; an account without drift detection deploys no rules and is not
 * evaluated. An account that cannot be reached, or whose read fails, is skipped for the check with the error.
 */
export async function gatherLiveEvidence(options: GatherLiveEvidenceOptions): Promise<ComplianceEvidence> {
  const now = options.now ?? (() => new Date().toISOString());
  const e = emptyEvidence();
  for (const account of options.org.accounts) {
    let access: LiveAccountAccess;
    try {
      access = await options.connect(account);
    } catch (error) {
      for (const check of LIVE_COMPLIANCE_CHECKS) skip(e, check, account.name, `live read not possible: ${(error as Error).message}`);
      continue;
    }
    try {
      const users = await readUserCredentials(access.iam);
      const rotated = new Map((account.serviceCredentials ?? []).map((c) => [c.userName.toLowerCase(), c]));
      const items: string[] = [];
      const exceptions: string[] = [];
      for (const user of users) {
        for (const key of user.accessKeys.filter((k) => k.status === 'Active')) {
          const what = `user ${user.userName} has active access key ${key.accessKeyId}${key.createDate ? ` (created ${key.createDate.slice(0, 10)})` : ''}`;
          const declared = rotated.get(user.userName.toLowerCase());
          if (declared) exceptions.push(`${what}: declared in serviceCredentials, rotated every ${declared.rotationDays} days (${declared.reason})`);
          else items.push(what);
        }
      }
      put(e, 'no-long-lived-keys', account.name, items, { source: `live IAM ListUsers/ListAccessKeys via ${access.via}`, at: now() }, exceptions);
    } catch (error) {
      skip(e, 'no-long-lived-keys', account.name, `live read failed: ${(error as Error).message}`);
    }
    try {
      const { report } = await checkDrift(access.iam, options.desiredOf(account));
      const items = report.drift.map((d) => `${d.kind} ${d.resourceType} ${d.name}${d.attribute ? ` ${d.attribute}` : ''}`);
      put(e, 'no-drift', account.name, items, { source: `live drift check (IAM against the account's synthesized stack) via ${access.via}`, at: now() });
    } catch (error) {
      skip(e, 'no-drift', account.name, `drift check failed: ${(error as Error).message}`);
    }
    if (!account.drift.enabled) {
      skip(e, 'config-rules', account.name, 'drift detection is off for the account (drift.enabled: false in accounts/), so the platform deploys no AWS Config rules there');
      continue;
    }
    try {
      const verdict = judgeConfigRules(await readConfigRuleCompliance(access.config, options.configRuleNames), access.configRegion);
      const source = `live AWS Config DescribeComplianceByConfigRule/GetComplianceDetailsByConfigRule in ${access.configRegion} via ${access.via}`;
      if (verdict.items) put(e, 'config-rules', account.name, verdict.items, { source: verdict.notEvaluated ? `${source}; not evaluated: ${verdict.notEvaluated}` : source, at: now() });
      else skip(e, 'config-rules', account.name, verdict.notEvaluated ?? 'no rule was evaluated');
    } catch (error) {
      skip(e, 'config-rules', account.name, `live read failed: ${(error as Error).message}`);
    }
  }
  return e;
}

/** The JSON `iamctl scan --format json` writes, as far as the scores read it. */
interface ScanJson {
  readonly findings?: readonly { readonly scanner?: string; readonly status?: string; readonly account?: string; readonly checkId?: string; readonly resource?: string; readonly file?: string; readonly line?: number; readonly message?: string }[];
  readonly summary?: { readonly accounts?: readonly string[] };
  readonly scanners?: Readonly<Record<string, unknown>>;
}

/**
 * scan-clean and terraform-validate from a pipeline's `iamctl scan --format json` result: per scanned account, the
 * failed (not suppressed) checkov/tfsec findings, and the Terraform validate findings when terraform ran. Accounts the
 * scan did not cover are left out (not evaluated). Returns the problems instead of throwing.
 */
export function readScanEvidence(value: unknown, file: string, at: string): { evidence?: ComplianceEvidence; problems: string[] } {
  const json = value as ScanJson | null;
  if (!json || !Array.isArray(json.findings) || !Array.isArray(json.summary?.accounts) || typeof json.scanners !== 'object' || json.scanners === null) {
    return { problems: ['$.findings, $.summary.accounts and $.scanners are required: pass the output of `iamctl scan --format json`'] };
  }
  const e = emptyEvidence();
  const ran = Object.keys(json.scanners);
  const describe = (f: NonNullable<ScanJson['findings']>[number]) => `${f.file ?? ''}${f.line ? `:${f.line}` : ''} [${f.checkId ?? '?'}] ${f.resource ?? ''}: ${f.message ?? ''}`.trim();
  for (const account of json.summary.accounts) {
    const failed = json.findings.filter((f) => f.account === account && f.status === 'failed');
    if (ran.some((s) => s === 'checkov' || s === 'tfsec')) {
      put(e, 'scan-clean', account, failed.filter((f) => f.scanner !== 'terraform').map(describe), { source: `scan result ${file} (${ran.filter((s) => s !== 'terraform').join(', ')})`, at });
    }
    if (ran.includes('terraform')) put(e, 'terraform-validate', account, failed.filter((f) => f.scanner === 'terraform').map(describe), { source: `scan result ${file} (terraform validate)`, at });
  }
  return { evidence: e, problems: [] };
}
