/**
 * Temporary access end to end: `expires` in a copy of the example organization, lint's expired-grant warning,
 * listExpiringGrants, and `iamctl expire` against the GitLab fake: one merge request per account that removes
 * what expired and nothing else (comments and the other statements stay byte for byte).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS } from '../../src/cli/commands';
import { runCli } from '../../src/cli/program';
import { loadOrganization } from '../../src/config';
import { listExpiringGrants } from '../../src/core/access-request';
import { lintOrganization } from '../../src/core/lint';
import { loadActionCatalog } from '../../src/io/catalog';
import { startFakeGitLab, type FakeGitLab } from '../diff/support/fake-gitlab';
import { captureOutput } from '../support/capture-output';
import { copyExampleOrg, readAccountsFiles } from './support/portal-fixture';

const DEBUG = 'accounts/workloads/app-dev/roles/app-debug.yaml';
const RUNNER = 'accounts/workloads/app-staging/roles/load-test-runner.yaml';
const NOW = '2026-12-01T06:00:00Z';
const TOKEN = 'project-token-expire';

/** Two statements after ManageOwnSessions: one expired yesterday, one still valid. */
const EXPIRED_STATEMENT = `      # Temporary: incident INC-77.
      - Sid: ReadIncidentBucket
        Effect: Allow
        Action: s3:GetObject
        Resource: "arn:aws:s3:::shop-incident-77/*"
        expires: "2026-11-30"
`;
const VALID_STATEMENT = `      - Sid: ReadLogsBucket
        Effect: Allow
        Action: s3:GetObject
        Resource: "arn:aws:s3:::shop-dev-logs/*"
        expires: "2099-01-01"
`;
const VALID_TRUST = `    - principals: [security]
      kind: human
      expires: "2026-12-20"
`;

function withGrants(original: string, statements: string): string {
  return original
    .replace('        Resource: "arn:aws:ssm:*:*:session/${aws:userid}-*"\n', `        Resource: "arn:aws:ssm:*:*:session/\${aws:userid}-*"\n${statements}`)
    .replace('      kind: human\n', `      kind: human\n${VALID_TRUST}`);
}

describe('temporary access', () => {
  let root: string;
  let debugOriginal: string;
  let gitlab: FakeGitLab;
  const saved = { ...process.env };

  beforeAll(async () => {
    root = copyExampleOrg();
    debugOriginal = readFileSync(join(root, DEBUG), 'utf8');
    writeFileSync(join(root, DEBUG), withGrants(debugOriginal, EXPIRED_STATEMENT + VALID_STATEMENT));
    // A whole role that expired.
    writeFileSync(join(root, RUNNER), readFileSync(join(root, RUNNER), 'utf8').replace('kind: service\n', 'kind: service\nexpires: "2026-06-30"\n'));
    gitlab = await startFakeGitLab({ token: TOKEN, projectId: '77', files: readAccountsFiles(root) });
  });

  afterAll(async () => {
    process.env = saved;
    await gitlab.close();
  });

  it('keeps expires out of the IAM document and lists the grants by days left', () => {
    const org = loadOrganization(root);
    const role = org.accounts.find((a) => a.name === 'app-dev')!.roles.find((r) => r.name === 'app-debug')!;
    const statements = role.inlinePolicies[0].document.toJSON().Statement as unknown as Record<string, unknown>[];
    expect(statements.map((s) => s.Sid)).toEqual(['StartSessionsOnShopInstances', 'ManageOwnSessions', 'ReadIncidentBucket', 'ReadLogsBucket']);
    expect(statements.some((s) => 'expires' in s)).toBe(false);
    expect(role.inlinePolicies[0].statementExpiries?.map((e) => [e.index, e.expires])).toEqual([[2, '2026-11-30'], [3, '2099-01-01']]);
    const soon = listExpiringGrants(org, new Date(NOW), 30).map((g) => [g.kind, g.account, g.role, g.expires, g.daysLeft, g.path]);
    expect(soon).toEqual([
      ['role', 'app-staging', 'load-test-runner', '2026-06-30', -155, '$'],
      ['statement', 'app-dev', 'app-debug', '2026-11-30', -2, '$.inlinePolicies.ssm-sessions.Statement[2]'],
      ['trust', 'app-dev', 'app-debug', '2026-12-20', 18, '$.trust.accounts[1]'],
    ]);
  });

  it('warns on expired grants in lint, and only on those', () => {
    const findings = lintOrganization(loadOrganization(root), loadActionCatalog(), { now: new Date(NOW) }).filter((f) => f.rule === 'expired-grant');
    expect(findings.map((f) => [f.severity, f.file, f.path, f.message])).toEqual([
      ['warning', DEBUG, '$.inlinePolicies.ssm-sessions.Statement[2]', 'statement 2 of inline policy "ssm-sessions" of role "app-debug" in app-dev expired on 2026-11-30: run iamctl expire (or merge its merge request) to remove it'],
      ['warning', RUNNER, '$', 'role "load-test-runner" in app-staging expired on 2026-06-30: run iamctl expire (or merge its merge request) to remove it'],
    ]);
  });

  it('rejects a malformed expiry date with the file and path', () => {
    const bad = copyExampleOrg();
    writeFileSync(join(bad, DEBUG), withGrants(debugOriginal, EXPIRED_STATEMENT.replace('2026-11-30', '2026-02-30')));
    expect(() => loadOrganization(bad)).toThrow(`${DEBUG}:36 $.inlinePolicies.ssm-sessions.Statement[2].expires: expected a calendar date that exists (\`2026-02-28\`, not \`2026-02-30\`)`);
  });

  it('iamctl expire opens one merge request per account that removes the expired grants and nothing else', async () => {
    // Given the scheduled job's variables
    process.env.CI_API_V4_URL = gitlab.apiUrl;
    process.env.CI_PROJECT_ID = '77';
    process.env.IAMCTL_GITLAB_TOKEN = TOKEN;
    const out = captureOutput();
    // When it runs
    const code = await runCli(['expire', '--now', NOW], COMMANDS, { output: out, cwd: root });
    // Then two merge requests, one per account, each from its own branch off main
    expect([code, out.stderr()]).toEqual([1, '']);
    expect(gitlab.commits.map((c) => [c.branch, c.start_branch, c.actions.map((a) => [a.action, a.file_path])])).toEqual([
      ['expire/app-dev-2026-12-01', 'main', [['update', DEBUG]]],
      ['expire/app-staging-2026-12-01', 'main', [['delete', RUNNER]]],
    ]);
    // app-debug keeps its comments, the valid statement and the valid trust entry: only the expired statement goes
    expect(gitlab.commits[0].actions[0].content).toBe(withGrants(debugOriginal, VALID_STATEMENT));
    expect(gitlab.mergeRequests.map((m) => [m.source_branch, m.title, m.labels])).toEqual([
      ['expire/app-dev-2026-12-01', 'Expire 1 grant in app-dev (2026-12-01)', 'access-expiry,verdict::no-new-access'],
      ['expire/app-staging-2026-12-01', 'Expire 1 grant in app-staging (2026-12-01)', 'access-expiry,verdict::no-new-access'],
    ]);
    expect(gitlab.mergeRequests[0].description).toContain('- statement 2 of inline policy "ssm-sessions" of role "app-debug" in app-dev: expired 2026-11-30');
    expect(gitlab.mergeRequests[0].description).toContain('**Access diff verdict:** `no-new-access`');
    expect(out.stdout()).toContain('app-dev: 1 expired grant(s), verdict no-new-access, branch expire/app-dev-2026-12-01 (merge request !1 ');

    // When it runs again the same day, the open branch is reported, nothing is opened twice
    const again = captureOutput();
    expect(await runCli(['expire', '--now', NOW], COMMANDS, { output: again, cwd: root })).toBe(2);
    expect(again.stdout()).toContain("not opened: branch expire/app-dev-2026-12-01 already exists: today's expiry merge request is open; merge or close it");
    expect(gitlab.mergeRequests).toHaveLength(2);
  });

  it('skips a removal that would leave a role trusting nobody, and says so', async () => {
    const lone = copyExampleOrg();
    writeFileSync(join(lone, DEBUG), debugOriginal.replace('      kind: human\n', '      kind: human\n      expires: "2026-11-01"\n'));
    const out = captureOutput();
    expect(await runCli(['expire', '--now', NOW, '--dry-run'], COMMANDS, { output: out, cwd: lone })).toBe(1);
    expect(out.stdout()).toBe(
      'No expired grants to remove.\nskipped: trust entry 0 (210987654321) of role "app-debug" in app-dev (expired 2026-11-01): trust.accounts[0] is the role\'s last trust: removing it leaves a role nobody can assume; remove the role or set expires on it\n',
    );
  });
});
