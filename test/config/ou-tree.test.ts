/**
 * Nested OUs and SCP targeting, one test per folder of test/fixtures/config/ou-tree-cases: each holds a
 * whole accounts/ tree and expected.json with the resolved values (per account: OU, path, inherited
 * settings, roles, sources; per SCP: targets; which SCPs reach which OU; the coverage warnings) or the
 * exact problems the loader reports.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadOrganization } from '../../src/config';
import { isIamPlatformError, type Problem } from '../../src/core/errors';
import { findScpCoverageGaps, listScpsReachingOu } from '../../src/core/organization';

const CASES = join(__dirname, '..', 'fixtures', 'config', 'ou-tree-cases');

interface OuTreeCase {
  readonly name: string;
  readonly description: string;
  readonly accounts?: Record<string, Record<string, unknown>>;
  readonly scps?: Record<string, unknown[]>;
  readonly reaching?: Record<string, string[]>;
  readonly warnings?: Problem[];
  readonly problems: Problem[];
}

const cases = readdirSync(CASES)
  .sort()
  .map((dir) => ({ dir: join(CASES, dir), ...(JSON.parse(readFileSync(join(CASES, dir, 'expected.json'), 'utf8')) as OuTreeCase) }));

describe('nested OUs and SCP targets (ou-tree-cases)', () => {
  it.each(cases.map((c) => [`${c.name}: ${c.description}`, c] as const))('%s', (_title, c) => {
    if (c.problems.length > 0) {
      let thrown: unknown;
      try {
        loadOrganization(c.dir);
      } catch (error) {
        thrown = error;
      }
      if (!isIamPlatformError(thrown)) throw new Error(`expected the loader to report problems, got ${String(thrown)}`);
      expect(thrown.problems.map((p) => ({ ...p }))).toEqual(c.problems);
      return;
    }
    const org = loadOrganization(c.dir);
    for (const [name, expected] of Object.entries(c.accounts ?? {})) {
      const account = org.accounts.find((a) => a.name === name);
      expect(account && {
        ou: account.ou,
        ...(account.ouPath ? { ouPath: account.ouPath } : {}),
        environment: account.environment,
        owner: account.owner,
        tags: account.tags,
        driftMode: account.drift.mode,
        roles: account.roles.map((r) => r.name),
        sources: account.sources,
      }).toEqual(expected);
    }
    const scps = org.organization?.scps ?? [];
    expect(Object.fromEntries(scps.map((s) => [s.name, s.targets]))).toEqual(c.scps ?? {});
    for (const [path, names] of Object.entries(c.reaching ?? {})) expect(listScpsReachingOu(scps, path.split('/'))).toEqual(names);
    const warnings = org.organization ? findScpCoverageGaps(scps, org.accounts, { managementAccount: org.organization.managementAccount }) : [];
    expect(warnings).toEqual(c.warnings ?? []);
  });
});
