/** History of an account's recorded versions, and which records a rollback target names. Pure. */
import { ERROR_CODES, IamPlatformError } from '../errors';
import type { PolicyRecord, RecordStatus } from './policy-record';

/** One version of an account: the records of one commit. */
export interface AccountVersion {
  /** 1 for the oldest recorded commit of the account. */
  readonly version: number;
  readonly commit: string;
  readonly status: RecordStatus;
  readonly recordedAt: string;
  /** Time of the `applied` event. @default - not applied */
  readonly appliedAt?: string;
  readonly mergeRequest?: string;
  readonly approver?: string;
  readonly tfcRunId?: string;
  readonly verdict?: string;
  readonly source: PolicyRecord['source'];
  /** Resources of this version, with whether each differs from the version before. */
  readonly resources: readonly { readonly type: 'role' | 'policy'; readonly name: string; readonly arn: string; readonly hash: string; readonly changed: boolean }[];
}

/** The account's versions, oldest first; with `resource`, only versions where that role or policy exists (names compared case-insensitively). */
export function listAccountVersions(records: readonly PolicyRecord[], account: string, resource?: string): AccountVersion[] {
  const mine = records.filter((r) => r.account === account);
  const commits = new Map<string, PolicyRecord[]>();
  for (const r of [...mine].sort((a, b) => a.recordedAt.localeCompare(b.recordedAt))) commits.set(r.commit, [...(commits.get(r.commit) ?? []), r]);
  const versions: AccountVersion[] = [];
  let previous = new Map<string, string>();
  let n = 0;
  for (const [commit, items] of commits) {
    n += 1;
    const first = items[0];
    const applied = first.events.find((e) => e.status === 'applied');
    const hashes = new Map(items.map((r) => [r.resourceArn, r.hash]));
    versions.push({
      version: n,
      commit,
      status: first.status,
      recordedAt: first.recordedAt,
      ...(applied ? { appliedAt: applied.at } : {}),
      ...(first.mergeRequest ? { mergeRequest: first.mergeRequest } : {}),
      ...(first.approver ? { approver: first.approver } : {}),
      ...(first.tfcRunId ? { tfcRunId: first.tfcRunId } : {}),
      ...(first.verdict ? { verdict: first.verdict } : {}),
      source: first.source,
      resources: items
        .map((r) => ({ type: r.resourceType, name: r.resourceName, arn: r.resourceArn, hash: r.hash, changed: previous.get(r.resourceArn) !== r.hash }))
        .sort((a, b) => `${a.type}${a.name}`.localeCompare(`${b.type}${b.name}`)),
    });
    // A reverted console change is not a version of the files: the next version compares with the last pipeline one.
    if (first.source !== 'remediation') previous = hashes;
  }
  if (resource === undefined) return versions;
  const wanted = resource.toLowerCase();
  return versions
    .map((v) => ({ ...v, resources: v.resources.filter((r) => r.name.toLowerCase() === wanted || r.arn.toLowerCase() === wanted) }))
    .filter((v) => v.resources.length > 0);
}

/** Statuses a rollback may return to: the version must have reached AWS. */
export const ROLLBACK_STATUSES: readonly RecordStatus[] = ['applied', 'rolled-back'];

/**
 * The records of the version `to` names: a version number of the account, or a commit id (7 or more hex
 * characters, a prefix is enough). The version must have been applied.
 */
export function selectRollbackTarget(records: readonly PolicyRecord[], account: string, to: string): { version: AccountVersion; records: PolicyRecord[] } {
  // Reverted console changes (drift remediation) are history, not versions to return to.
  const versions = listAccountVersions(records, account).filter((v) => v.source !== 'remediation');
  if (versions.length === 0) throw new IamPlatformError(ERROR_CODES.INVALID_ARGUMENT, `no recorded version of account ${account}: the pipeline records versions at plan and apply (iamctl record)`);
  let version: AccountVersion | undefined;
  if (/^\d{1,6}$/.test(to)) version = versions.find((v) => v.version === Number(to));
  else if (/^[0-9a-f]{7,40}$/i.test(to)) {
    const hits = versions.filter((v) => v.commit.toLowerCase().startsWith(to.toLowerCase()));
    if (hits.length > 1) throw new IamPlatformError(ERROR_CODES.INVALID_ARGUMENT, `--to ${to} names ${hits.length} recorded commits of ${account}: give more characters`);
    version = hits[0];
  } else {
    throw new IamPlatformError(ERROR_CODES.INVALID_ARGUMENT, `--to must be a version number or a commit id (7–40 hex characters), got "${to}"`);
  }
  const known = versions.map((v) => `${v.version} (${v.commit.slice(0, 12)}, ${v.status})`).join(', ');
  if (!version) throw new IamPlatformError(ERROR_CODES.INVALID_ARGUMENT, `no recorded version ${to} of account ${account}; recorded: ${known}`);
  if (!version.appliedAt && !ROLLBACK_STATUSES.includes(version.status)) {
    throw new IamPlatformError(ERROR_CODES.INVALID_ARGUMENT, `version ${version.version} (${version.commit.slice(0, 12)}) of ${account} was never applied (status ${version.status}): roll back only to an applied version; recorded: ${known}`);
  }
  return { version, records: records.filter((r) => r.account === account && r.commit === version!.commit) };
}

/** `iamctl history` as text. */
export function renderHistoryText(account: string, versions: readonly AccountVersion[], resource?: string): string {
  const title = `History of ${account}${resource ? ` ${resource}` : ''}: ${versions.length} version${versions.length === 1 ? '' : 's'}`;
  const lines = [title];
  for (const v of versions) {
    const who = [v.mergeRequest ? `MR !${v.mergeRequest}` : '', v.approver ? `approved by ${v.approver}` : '', v.tfcRunId ? `run ${v.tfcRunId}` : '', v.verdict ?? ''].filter(Boolean).join(', ');
    lines.push(`  ${String(v.version).padStart(3)}  ${v.commit.slice(0, 12)}  ${v.status.padEnd(11)} ${v.appliedAt ?? v.recordedAt}  ${v.source}${who ? `  ${who}` : ''}`);
    const changed = v.resources.filter((r) => r.changed);
    for (const r of changed) lines.push(`         ${r.type} ${r.name}  ${r.hash.slice(0, 12)}`);
  }
  return lines.join('\n');
}
