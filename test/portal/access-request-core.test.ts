/**
 * The pieces of an access request without a browser: form validation by field, planning (which file, which
 * change, what is refused), the comment-preserving role-file edits, the preview's verdicts, and CSRF.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadOrganization } from '../../src/config';
import { planAccessRequest, type AccessRequest } from '../../src/core/access-request';
import { loadActionCatalog } from '../../src/io/catalog';
import { applyRoleFileChange } from '../../src/io/yaml-edit';
import { createPortalServer, loadPortalContext, previewAccessRequest, renderTextDiff, validateRequestForm } from '../../src/portal';
import { startFakeGitLab } from '../diff/support/fake-gitlab';
import { EXAMPLE_ORG_ROOT } from '../support/example-org';

const NOW = new Date('2026-12-01T13:30:00Z');
const catalog = loadActionCatalog();
const context = loadPortalContext(EXAMPLE_ORG_ROOT, catalog, 'main');
const base = { accounts: ['app-dev'], role: 'app-debug', justification: 'Needed for the migration of SHOP-9', requester: 'alice' };

describe('validateRequestForm', () => {
  it('names every field with a problem', () => {
    const { problems } = validateRequestForm({ kind: 'trust', accounts: [], role: 'bad role', principal: 'arn:aws:iam::12:role/x', justification: 'x', expires: '2026-11-30' }, 'alice', NOW);
    expect(problems).toEqual([
      { field: 'accounts', message: 'pick at least one account' },
      { field: 'role', message: 'expected an IAM role name: letters, digits and + = , . @ _ - only' },
      { field: 'justification', message: 'say why you need the access (at least 10 characters): reviewers approve on it' },
      { field: 'expires', message: 'the expiry 2026-11-30 has already passed: pick a later date, or leave it empty for permanent access' },
      { field: 'principal', message: 'expected an account name from accounts/, a 12-digit account id or a role ARN (arn:aws:iam::123456789012:role/name)' },
    ]);
  });

  it('reads lines and repeated keys, and requires MFA unless told otherwise', () => {
    expect(validateRequestForm({ kind: 'permissions', accounts: 'app-dev', role: 'app-debug', actions: 's3:GetObject\r\ns3:ListBucket', resources: 'arn:aws:s3:::a/*', justification: base.justification }, 'alice', NOW).request).toEqual({
      kind: 'permissions',
      ...base,
      actions: ['s3:GetObject', 's3:ListBucket'],
      resources: ['arn:aws:s3:::a/*'],
    });
    expect(validateRequestForm({ kind: 'trust', accounts: ['app-dev'], role: 'app-debug', principal: 'security', justification: base.justification }, 'alice', NOW).request).toEqual({ kind: 'trust', ...base, principal: 'security', requireMfa: true });
  });
});

describe('planAccessRequest', () => {
  const org = loadOrganization(EXAMPLE_ORG_ROOT);
  const plan = (request: Partial<AccessRequest>) => planAccessRequest(org, { kind: 'permissions', ...base, actions: ['s3:GetObject'], resources: ['arn:aws:s3:::a/*'], ...request } as AccessRequest, { catalog, now: NOW });

  it('refuses roles from templates, break-glass, unknown roles and unknown actions, by field', () => {
    expect(plan({ role: 'auditor' }).problems).toEqual([
      { field: 'role', message: 'role "auditor" in app-dev comes from the role template "auditor" (accounts/org.yaml), which every matching account shares: ask the platform team, or pick a role defined in the account' },
    ]);
    expect(plan({ role: 'break-glass' }).problems.map((p) => p.field)).toEqual(['role']);
    expect(plan({ role: 'nope' }).problems[0].message).toMatch(/^role "nope" does not exist in app-dev: pick one of /);
    expect(plan({ actions: ['s3:GetObjekt'] } as Partial<AccessRequest>).problems).toEqual([{ field: 'actions[0]', message: 'unknown action "s3:GetObjekt" (did you mean "s3:GetObject"?): pick one from the catalog' }]);
  });

  it('edits the role file of each account', () => {
    const { plan: p } = plan({});
    expect(p?.edits.map((e) => [e.account, e.file, e.change.kind])).toEqual([['app-dev', 'accounts/workloads/app-dev/roles/app-debug.yaml', 'add-statement']]);
    expect(p?.branch).toBe('access-request/alice/app-debug-20261201t1330');
  });
});

describe('applyRoleFileChange', () => {
  const file = 'accounts/workloads/app-dev/roles/app-debug.yaml';
  const text = readFileSync(join(EXAMPLE_ORG_ROOT, file), 'utf8');

  it('appends a trust entry under trust.accounts and leaves every other line as it was', () => {
    const after = applyRoleFileChange(text, file, { kind: 'add-trust', entry: { principals: ['security'], kind: 'human', expires: '2027-01-15' } });
    expect(after).toBe(text.replace('    - principals: [management]\n      kind: human\n', '    - principals: [management]\n      kind: human\n    - principals:\n        - security\n      kind: human\n      expires: "2027-01-15"\n'));
  });

  it('appends to an existing access-requests policy (list form of inlinePolicies too)', () => {
    const listed = 'owner: a\ntrust:\n  services: [ec2.amazonaws.com]\ninlinePolicies:\n  # kept\n  - name: access-requests\n    document:\n      Version: "2012-10-17"\n      Statement:\n        - Effect: Allow\n          Action: s3:ListBucket\n          Resource: "arn:aws:s3:::a"\n';
    const after = applyRoleFileChange(listed, 'r.yaml', { kind: 'add-statement', policyName: 'access-requests', statement: { Effect: 'Allow', Action: ['s3:GetObject'], Resource: ['arn:aws:s3:::a/*'] } });
    expect(after).toBe(`${listed}        - Effect: Allow\n          Action:\n            - s3:GetObject\n          Resource:\n            - arn:aws:s3:::a/*\n`);
  });
});

describe('previewAccessRequest verdicts', () => {
  it('calls a trust for another account without MFA risky-or-new and names the approvers', () => {
    const withMfa = previewAccessRequest(context, { kind: 'trust', ...base, principal: 'security', requireMfa: true }, NOW).preview!;
    expect([withMfa.diff.verdict, withMfa.approvals.approvals.map((a) => a.groups)]).toEqual(['new-access', [['acme/security']]]);
    const lint = previewAccessRequest(context, { kind: 'trust', ...base, principal: 'security', requireMfa: false }, NOW).preview!.findings.filter((f) => f.isNew).map((f) => f.rule);
    expect(lint).toEqual(['trust-cross-account-without-mfa']);
  });

  it('calls trust for an account outside the organization risky, with the second approvers', () => {
    const p = previewAccessRequest(context, { kind: 'trust', ...base, principal: '999988887777', requireMfa: true }, NOW).preview!;
    expect([p.diff.verdict, p.approvals.approvals.map((a) => [a.stage, a.groups])]).toEqual(['risky', [['security', ['acme/security']], ['second', ['acme/security-leads']]]]);
    expect(p.description).toContain('- Second approval (risky): @acme/security-leads (accounts app-dev)');
  });

  it('sends the management account to its scope: security and platform leads', () => {
    const p = previewAccessRequest(context, { kind: 'permissions', ...base, accounts: ['management'], role: 'billing-readonly', actions: ['ce:GetCostAndUsage'], resources: ['arn:aws:ce:us-east-1:210987654321:anomalymonitor/x'] }, NOW);
    expect(p.problems).toEqual([]);
    expect(p.preview!.approvals.approvals.map((a) => a.groups)).toEqual([['acme/platform-leads', 'acme/security']]);
  });
});

describe('renderTextDiff', () => {
  it('shows one hunk with context', () => {
    expect(renderTextDiff('f', 'a\nb\nc\nd\n', 'a\nb\nX\nd\n', 1)).toBe('--- a/f\n+++ b/f\n@@ -2,3 +2,3 @@\n b\n-c\n+X\n d\n');
    expect(renderTextDiff('f', 'same\n', 'same\n')).toBe('');
  });
});

describe('CSRF', () => {
  it('signs in only through the secret link, and refuses a form post without the session token', async () => {
    const gitlab = await startFakeGitLab({ token: 't', projectId: 'p' });
    const app = await createPortalServer({ context, apiUrl: gitlab.apiUrl, projectId: 'p', auth: { mode: 'local', token: 't', loginToken: 'secret-login' } });
    try {
      const url = await app.listen({ port: 0, host: '127.0.0.1' });
      // Without the sign-in link's secret, local mode shows nothing and never calls GitLab with the token
      const stranger = await fetch(`${url}/request/submit`, { method: 'POST', body: 'kind=permissions', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(stranger.status).toBe(401);
      expect((await fetch(`${url}/login?token=guess`)).status).toBe(401);
      expect(gitlab.requests).toEqual([]);
      // Signed in through the link, a post without the session's CSRF token is refused
      const login = await fetch(`${url}/login?token=secret-login`, { redirect: 'manual' });
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
      expect([login.status, login.headers.get('location')]).toEqual([302, '/']);
      const response = await fetch(`${url}/request/submit`, { method: 'POST', body: 'kind=permissions&accounts=app-dev&csrf=forged', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' } });
      expect(response.status).toBe(403);
      expect(await response.text()).toContain('This form is from another session (or expired): open Request access again.');
      expect(gitlab.commits).toEqual([]);
    } finally {
      await app.close();
      await gitlab.close();
    }
  });
});
