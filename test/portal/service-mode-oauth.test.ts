/**
 * Service mode: GitLab as the OAuth2/OIDC provider (authorization code flow: /oauth/authorize, /oauth/token,
 * /oauth/userinfo), against the local GitLab fake. The portal redirects to GitLab with state, exchanges the code
 * with its client secret, reads the user from userinfo, rotates the session, and then calls the API with the
 * user's own token (Bearer).
 */
import type { FastifyInstance } from 'fastify';
import { loadActionCatalog } from '../../src/io/catalog';
import { createPortalServer, loadPortalContext } from '../../src/portal';
import { startFakeGitLab, type FakeGitLab } from '../diff/support/fake-gitlab';
import { EXAMPLE_ORG_ROOT } from '../support/example-org';

const BOB = { id: 7, username: 'bob', name: 'Bob Builder' };

function cookieOf(response: Response): string {
  return (response.headers.get('set-cookie') ?? '').split(';')[0];
}

describe('iamctl serve in service mode (GitLab OAuth sign-in)', () => {
  let gitlab: FakeGitLab;
  let app: FastifyInstance;
  let portal: string;

  beforeAll(async () => {
    gitlab = await startFakeGitLab({ token: 'unused-project-token', projectId: 'acme/platform/iam', oauth: { clientId: 'portal-app', clientSecret: 'portal-secret', user: BOB } });
    const context = loadPortalContext(EXAMPLE_ORG_ROOT, loadActionCatalog(), 'main');
    // The public URL is only known once listening: build on a fixed loopback port chosen by listening first.
    const probe = await createPortalServer({ context, apiUrl: gitlab.apiUrl, projectId: 'acme/platform/iam', auth: { mode: 'local', token: 'unused', loginToken: 'unused-login' } });
    await probe.listen({ port: 0, host: '127.0.0.1' });
    const port = (probe.server.address() as { port: number }).port;
    await probe.close();
    portal = `http://127.0.0.1:${port}`;
    app = await createPortalServer({ context, apiUrl: gitlab.apiUrl, projectId: 'acme/platform/iam', auth: { mode: 'service', gitlabUrl: gitlab.url, clientId: 'portal-app', clientSecret: 'portal-secret', publicUrl: portal } });
    await app.listen({ port, host: '127.0.0.1' });
  });

  afterAll(async () => {
    await app.close();
    await gitlab.close();
  });

  it('signs the user in through the documented endpoints and acts with their token', async () => {
    // Given a visitor without a session, when they open "my requests"
    const first = await fetch(`${portal}/requests`, { redirect: 'manual' });
    expect([first.status, first.headers.get('location')]).toEqual([302, '/login?next=%2Frequests']);
    const anonymous = cookieOf(first);
    // Then /login sends them to GitLab's /oauth/authorize with the application, the callback, the code flow and a state
    const login = await fetch(`${portal}/login?next=%2Frequests`, { redirect: 'manual', headers: { cookie: anonymous } });
    const authorize = new URL(login.headers.get('location')!);
    expect([authorize.origin + authorize.pathname, authorize.searchParams.get('client_id'), authorize.searchParams.get('redirect_uri'), authorize.searchParams.get('response_type'), authorize.searchParams.get('scope')]).toEqual([
      `${gitlab.url}/oauth/authorize`,
      'portal-app',
      `${portal}/oauth/callback`,
      'code',
      'openid api',
    ]);
    expect(authorize.searchParams.get('state')).toMatch(/^[\w-]{32}\./);
    // When GitLab approves and redirects back with a code
    const approved = await fetch(authorize, { redirect: 'manual' });
    const callback = new URL(approved.headers.get('location')!);
    expect(callback.origin + callback.pathname).toBe(`${portal}/oauth/callback`);
    const signedIn = await fetch(callback, { redirect: 'manual', headers: { cookie: anonymous } });
    // Then the portal exchanged the code and read userinfo, gave a new session and returned to the page asked for
    expect([signedIn.status, signedIn.headers.get('location')]).toEqual([302, '/requests']);
    const session = cookieOf(signedIn);
    expect(session).not.toBe(anonymous);
    expect(gitlab.oauthRequests).toEqual([
      'GET /oauth/authorize response_type=code client_id=portal-app scope=openid api state=set',
      'POST /oauth/token grant_type=authorization_code',
      'GET /oauth/userinfo',
    ]);
    const page = await fetch(`${portal}/requests`, { headers: { cookie: session } });
    const html = await page.text();
    expect(html).toContain('Signed in as <strong>bob</strong>');
    expect(html).toContain('No access requests yet.');
    // And the API call was made with bob's OAuth token, filtered on bob
    expect(gitlab.requests).toContain('GET /api/v4/projects/acme%2Fplatform%2Fiam/merge_requests');
    // The pre-login session is not signed in (no session fixation)
    const old = await fetch(`${portal}/requests`, { redirect: 'manual', headers: { cookie: anonymous } });
    expect(old.status).toBe(302);
  });

  it('refuses a callback whose state does not match the session', async () => {
    const first = await fetch(`${portal}/login`, { redirect: 'manual' });
    const cookie = cookieOf(first);
    const response = await fetch(`${portal}/oauth/callback?code=code-1&state=forged.Lw`, { headers: { cookie } });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('The sign-in answer does not match this session (state): sign in again.');
  });
});
