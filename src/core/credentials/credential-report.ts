/**
 * The long-lived credentials of an account's IAM users, as data for the compliance score: who has
 * access keys or a console password, and how old each key is. Pure: the live users come from an adapter
 * (src/io/iam/read-user-credentials.ts), the clock from the caller.
 */

/** Oldest an active access key may be (days): AWS Config ACCESS_KEYS_ROTATED and CIS use 90. */
export const MAX_ACCESS_KEY_AGE_DAYS = 90;
const DAY_MS = 86_400_000;

/** An access key as IAM lists it. */
export interface LiveAccessKey {
  readonly accessKeyId: string;
  readonly status: 'Active' | 'Inactive';
  /** ISO-8601 creation time. */
  readonly createDate: string;
}

/** One IAM user and its long-lived credentials (same style as the live inventory: plain JSON data). */
export interface LiveUserCredentials {
  readonly userName: string;
  readonly arn: string;
  /** The user has a console password (login profile). */
  readonly hasPassword: boolean;
  readonly accessKeys: readonly LiveAccessKey[];
}

/** Why a user counts against the score. */
export type CredentialIssue = 'access-key-too-old' | 'console-password' | 'two-active-keys';

/** One user in the report. */
export interface UserCredentialEntry {
  readonly userName: string;
  readonly arn: string;
  readonly hasPassword: boolean;
  readonly activeKeys: number;
  /** Age in whole days of each key, oldest first. */
  readonly keys: readonly { readonly accessKeyId: string; readonly status: LiveAccessKey['status']; readonly ageDays: number }[];
  /** Age of the oldest active key. @default - no active key */
  readonly oldestActiveKeyAgeDays?: number;
  readonly issues: readonly CredentialIssue[];
}

/** The report of one account. */
export interface CredentialReport {
  readonly account: string;
  /** ISO-8601 time the ages are measured at. */
  readonly at: string;
  readonly maxKeyAgeDays: number;
  /** Users with a key or a password, by name. Users without either are counted but not listed. */
  readonly users: readonly UserCredentialEntry[];
  readonly summary: {
    readonly usersRead: number;
    readonly usersWithAccessKeys: number;
    readonly usersWithPasswords: number;
    readonly activeKeys: number;
    readonly keysOlderThanMax: number;
  };
}

/** Options of {@link buildCredentialReport}. */
export interface BuildCredentialReportOptions {
  readonly account: string;
  readonly now: Date;
  /** @default MAX_ACCESS_KEY_AGE_DAYS */
  readonly maxKeyAgeDays?: number;
}

/** Builds the report; keys with an unreadable creation date are reported with age 0 and no issue. */
export function buildCredentialReport(users: readonly LiveUserCredentials[], options: BuildCredentialReportOptions): CredentialReport {
  const max = options.maxKeyAgeDays ?? MAX_ACCESS_KEY_AGE_DAYS;
  const entries: UserCredentialEntry[] = [];
  let keysOlderThanMax = 0;
  for (const user of users) {
    if (!user.hasPassword && user.accessKeys.length === 0) continue;
    const keys = user.accessKeys
      .map((k) => {
        const created = Date.parse(k.createDate);
        return { accessKeyId: k.accessKeyId, status: k.status, ageDays: Number.isNaN(created) ? 0 : Math.max(0, Math.floor((options.now.getTime() - created) / DAY_MS)) };
      })
      .sort((a, b) => b.ageDays - a.ageDays || (a.accessKeyId < b.accessKeyId ? -1 : 1));
    const active = keys.filter((k) => k.status === 'Active');
    const tooOld = active.filter((k) => k.ageDays > max).length;
    keysOlderThanMax += tooOld;
    const issues: CredentialIssue[] = [];
    if (tooOld > 0) issues.push('access-key-too-old');
    if (user.hasPassword) issues.push('console-password');
    if (active.length > 1) issues.push('two-active-keys');
    entries.push({
      userName: user.userName,
      arn: user.arn,
      hasPassword: user.hasPassword,
      activeKeys: active.length,
      keys,
      ...(active.length > 0 ? { oldestActiveKeyAgeDays: active[0].ageDays } : {}),
      issues,
    });
  }
  entries.sort((a, b) => (a.userName.toLowerCase() < b.userName.toLowerCase() ? -1 : a.userName.toLowerCase() > b.userName.toLowerCase() ? 1 : 0));
  return {
    account: options.account,
    at: options.now.toISOString(),
    maxKeyAgeDays: max,
    users: entries,
    summary: {
      usersRead: users.length,
      usersWithAccessKeys: entries.filter((e) => e.keys.length > 0).length,
      usersWithPasswords: entries.filter((e) => e.hasPassword).length,
      activeKeys: entries.reduce((n, e) => n + e.activeKeys, 0),
      keysOlderThanMax,
    },
  };
}
