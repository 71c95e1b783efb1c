/**
 * Which SCPs reach each OU, and the OUs that get fewer than their siblings. An SCP reaches an OU when
 * it is attached to the root, to the OU or to an OU above it (AWS inheritance), so an OU never gets
 * fewer SCPs than its parent in AWS; the gap that happens in practice is a new OU that nobody attached
 * the guardrails to, while every sibling has them. Pure: from the resolved SCPs and accounts.
 */
import type { Problem } from '../errors';
import type { ResolvedAccount, ResolvedServiceControlPolicy } from '../model';

/** OUs under one parent needed before a missing SCP is warned about (the OU and at least two siblings that all get it). */
export const MIN_SIBLINGS_COMPARED = 3;

/** An OU, as the accounts' OU paths describe it. */
interface OuOfAccounts {
  readonly path: readonly string[];
  /** Names of the accounts in it or below it. */
  readonly accounts: string[];
}

/** Options of {@link findScpCoverageGaps}. */
export interface FindScpCoverageGapsOptions {
  /** The management account's name: SCPs never affect it, so OUs holding only it are not compared. */
  readonly managementAccount: string;
  /** Repository-relative accounts folder, to name the OU's folder. @default 'accounts' */
  readonly accountsDir?: string;
}

function ouPathOf(account: ResolvedAccount): readonly string[] {
  return account.ouPath ?? [account.ou];
}

/** The SCP names that reach an OU path. */
export function listScpsReachingOu(scps: readonly ResolvedServiceControlPolicy[], path: readonly string[]): string[] {
  return scps.filter((scp) => scp.targets.some((t) => t.kind === 'root' || (t.kind === 'ou' && path.includes(t.name)))).map((scp) => scp.name).sort();
}

/**
 * A warning (file = the OU's ou.yaml when the accounts name it, else its folder) for each OU that lacks
 * an SCP every one of its sibling OUs gets (from MIN_SIBLINGS_COMPARED OUs under one parent). OUs with no
 * member account below them are left out.
 */
export function findScpCoverageGaps(scps: readonly ResolvedServiceControlPolicy[], accounts: readonly ResolvedAccount[], options: FindScpCoverageGapsOptions): Problem[] {
  const accountsDir = options.accountsDir ?? 'accounts';
  const ous = new Map<string, OuOfAccounts>();
  const ouFiles = new Map<string, string>();
  for (const account of accounts) {
    const path = ouPathOf(account);
    path.forEach((_name, i) => {
      const sub = path.slice(0, i + 1);
      const key = sub.join('/');
      const ou = ous.get(key) ?? { path: sub, accounts: [] };
      ou.accounts.push(account.name);
      ous.set(key, ou);
      const file = `${accountsDir}/${key}/ou.yaml`;
      if (account.sources.includes(file)) ouFiles.set(key, file);
    });
  }
  const counted = [...ous.values()].filter((ou) => ou.accounts.some((a) => a !== options.managementAccount));
  const byParent = new Map<string, OuOfAccounts[]>();
  for (const ou of counted) {
    const parent = ou.path.slice(0, -1).join('/');
    byParent.set(parent, [...(byParent.get(parent) ?? []), ou]);
  }
  const warnings: Problem[] = [];
  for (const [parent, siblings] of [...byParent.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    // With one sibling, an SCP for one of the two is as likely deliberate as forgotten: compare from three.
    if (siblings.length < MIN_SIBLINGS_COMPARED) continue;
    const reaching = new Map(siblings.map((ou) => [ou.path.join('/'), new Set(listScpsReachingOu(scps, ou.path))]));
    for (const ou of [...siblings].sort((a, b) => (a.path.join('/') < b.path.join('/') ? -1 : 1))) {
      const key = ou.path.join('/');
      const own = reaching.get(key) ?? new Set<string>();
      const others = siblings.filter((o) => o !== ou).map((o) => reaching.get(o.path.join('/')) ?? new Set<string>());
      const missing = scps.map((s) => s.name).filter((name) => !own.has(name) && others.every((set) => set.has(name)));
      if (missing.length === 0) continue;
      const where = parent === '' ? 'every other top-level OU' : `its sibling OUs under ${parent}`;
      warnings.push({
        file: ouFiles.get(key) ?? `${accountsDir}/${key}`,
        path: '$',
        message: `OU "${key}" gets ${own.size} SCP(s)${own.size > 0 ? ` (${[...own].sort().join(', ')})` : ''}, fewer than ${where}: it misses ${missing.join(', ')}. Attach them (scps: in its ou.yaml, or the OU in each SCP's targets), or to the root`,
      });
    }
  }
  return warnings;
}
