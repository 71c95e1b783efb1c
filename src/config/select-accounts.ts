import { ERROR_CODES, IamPlatformError } from '../core/errors';
import type { ResolvedAccount, ResolvedOrganization } from '../core/model';
import { findClosestMatch } from './closest-match';

/**
 * The accounts with the given names, in the organization's order (sorted by name), without
 * duplicates. No names selects every account. Throws IamPlatformError UNKNOWN_ACCOUNT naming
 * every unknown name and the known accounts.
 */
export function selectAccounts(org: ResolvedOrganization, names: readonly string[]): readonly ResolvedAccount[] {
  if (names.length === 0) return org.accounts;
  const known = org.accounts.map((a) => a.name);
  const unknown = [...new Set(names)].filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    const described = unknown.map((n) => {
      const suggestion = findClosestMatch(n, known);
      return `"${n}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`;
    });
    throw new IamPlatformError(
      ERROR_CODES.UNKNOWN_ACCOUNT,
      `unknown account${unknown.length > 1 ? 's' : ''} ${described.join(', ')}: known accounts are ${known.join(', ')}`,
      { problems: unknown.map((n) => ({ path: '$', message: `unknown account "${n}"` })) },
    );
  }
  const wanted = new Set(names);
  return org.accounts.filter((a) => wanted.has(a.name));
}
