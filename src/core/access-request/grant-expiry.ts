/**
 * Temporary access: grants written with `expires: YYYY-MM-DD` end at the start of that UTC day. Pure:
 * the caller passes `now`.
 */
import type { ResolvedOrganization } from '../model';
import type { ExpiringGrant } from './types';

/** Milliseconds in a day. */
const DAY_MS = 86_400_000;

/** The instant a grant with this expiry date ends: the start of the day, UTC. */
export function getExpiryInstant(expires: string): Date {
  return new Date(`${expires}T00:00:00Z`);
}

/** True when the grant has ended at `now`. */
export function isExpired(expires: string, now: Date): boolean {
  return now.getTime() >= getExpiryInstant(expires).getTime();
}

/** Every grant of the organization that has an expiry date, in file order, with the days left at `now`. */
export function listGrantsWithExpiry(org: ResolvedOrganization, now: Date): ExpiringGrant[] {
  const out: ExpiringGrant[] = [];
  const daysLeft = (expires: string): number => Math.floor((getExpiryInstant(expires).getTime() - now.getTime()) / DAY_MS);
  for (const account of org.accounts) {
    for (const role of account.roles) {
      const template = role.template !== undefined ? { template: role.template } : {};
      if (role.expires !== undefined) {
        out.push({ kind: 'role', account: account.name, role: role.name, expires: role.expires, daysLeft: daysLeft(role.expires), file: role.source.file, path: role.source.path, ...template, description: `role "${role.name}" in ${account.name}` });
      }
      role.trust.accounts.forEach((trust, index) => {
        if (trust.expires === undefined) return;
        out.push({
          kind: 'trust',
          account: account.name,
          role: role.name,
          expires: trust.expires,
          daysLeft: daysLeft(trust.expires),
          file: trust.source.file,
          path: trust.source.path,
          index,
          ...template,
          description: `trust entry ${index} (${trust.principals.join(', ')}) of role "${role.name}" in ${account.name}`,
        });
      });
      for (const policy of role.inlinePolicies) {
        for (const expiry of policy.statementExpiries ?? []) {
          out.push({
            kind: 'statement',
            account: account.name,
            role: role.name,
            expires: expiry.expires,
            daysLeft: daysLeft(expiry.expires),
            file: expiry.source.file,
            path: expiry.source.path.replace(/\.expires$/, ''),
            policyName: policy.name,
            index: expiry.index,
            ...template,
            description: `statement ${expiry.index} of inline policy "${policy.name}" of role "${role.name}" in ${account.name}`,
          });
        }
      }
    }
  }
  return out;
}

/**
 * Grants that have expired at `now` or expire within `days` days (the access review lists these).
 * Sorted soonest first, then by account, role and path.
 */
export function listExpiringGrants(org: ResolvedOrganization, now: Date, days: number): ExpiringGrant[] {
  return listGrantsWithExpiry(org, now)
    .filter((g) => g.daysLeft < days)
    .sort((a, b) => a.expires.localeCompare(b.expires) || a.account.localeCompare(b.account) || a.role.localeCompare(b.role) || a.path.localeCompare(b.path));
}

/** Grants that have ended at `now`. */
export function listExpiredGrants(org: ResolvedOrganization, now: Date): ExpiringGrant[] {
  return listGrantsWithExpiry(org, now).filter((g) => isExpired(g.expires, now));
}
