/**
 * `iamctl serve`: the access portal over fastify (server-rendered pages, urlencoded forms). Two ways to
 * know who asks: local mode (the user's own GITLAB_TOKEN; one user, the server listens on loopback)
 * and service mode (GitLab as the OAuth2/OIDC provider, authorization code flow with state, each user's
 * own access token used for their merge requests). Sessions live in memory, by an HttpOnly cookie;
 * every POST carries the session's CSRF token.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { ERROR_CODES, IamPlatformError } from '../core/errors';
import { GitLabClient, type FetchFunction } from '../io/gitlab';
import {
  describeRole,
  listMyRequests,
  previewAccessRequest,
  searchAccess,
  submitAccessRequest,
  suggestActions,
  suggestResourceArns,
  type PortalContext,
} from './access-portal';
import {
  PORTAL_CSS,
  PORTAL_JS,
  renderAccount,
  renderError,
  renderMyRequests,
  renderPage,
  renderPreview,
  renderRequestForm,
  renderRole,
  renderSearch,
  renderSubmitted,
} from './render-pages';
import { validateRequestForm, type RequestForm } from './validate-request-form';

/** Name of the session cookie. */
export const SESSION_COOKIE = 'iamctl_portal_session';
/** Largest form body accepted (bytes). */
export const MAX_FORM_BYTES = 64 * 1024;
/** Session lifetime without use (ms): eight hours, a working day. */
export const SESSION_IDLE_MS = 8 * 3600 * 1000;

/** Local mode: one user, their own token. */
export interface LocalAuthOptions {
  readonly mode: 'local';
  /** The user's personal access token (api scope), from GITLAB_TOKEN. */
  readonly token: string;
  /**
   * Secret of the sign-in link `iamctl serve` prints (`/login?token=...`): only a browser that opened it acts with
   * the token, not any other local process or user that reaches the port.
   */
  readonly loginToken: string;
}

/** Service mode: GitLab signs users in (OAuth2 authorization code flow, documented endpoints). */
export interface ServiceAuthOptions {
  readonly mode: 'service';
  /** GitLab instance URL (`https://gitlab.example.com`): /oauth/authorize, /oauth/token, /oauth/userinfo. */
  readonly gitlabUrl: string;
  /** Application id of the GitLab OAuth application. */
  readonly clientId: string;
  /** Its secret. */
  readonly clientSecret: string;
  /** URL users reach the portal at (`https://iam-portal.example.com`); the callback is `<publicUrl>/oauth/callback`. */
  readonly publicUrl: string;
}

/** Options of {@link createPortalServer}. */
export interface PortalServerOptions {
  readonly context: PortalContext;
  /** GitLab REST API base (`https://gitlab.example.com/api/v4`). */
  readonly apiUrl: string;
  /** Project id or path of the IAM repository. */
  readonly projectId: string;
  readonly auth: LocalAuthOptions | ServiceAuthOptions;
  /** The clock. @default () => new Date() */
  readonly now?: () => Date;
  /** @default globalThis.fetch */
  readonly fetch?: FetchFunction;
}

interface Session {
  readonly id: string;
  readonly csrf: string;
  user?: string;
  token?: string;
  authScheme?: 'private-token' | 'bearer';
  oauthState?: string;
  lastSeen: number;
}

function randomToken(): string {
  return randomBytes(24).toString('base64url');
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Builds the portal (not listening yet). */
export async function createPortalServer(options: PortalServerOptions): Promise<FastifyInstance> {
  const { context, auth } = options;
  const now = options.now ?? (() => new Date());
  const fetchFn: FetchFunction = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const sessions = new Map<string, Session>();
  const secure = auth.mode === 'service' && auth.publicUrl.startsWith('https:');
  let localUser: string | undefined;

  const app = Fastify({ logger: false, bodyLimit: MAX_FORM_BYTES });
  await app.register(formbody);

  const gitlabFor = (session: Session): GitLabClient =>
    new GitLabClient({ apiUrl: options.apiUrl, projectId: options.projectId, token: session.token!, authScheme: session.authScheme ?? 'private-token', fetch: fetchFn });

  async function sessionOf(request: FastifyRequest, reply: FastifyReply): Promise<Session> {
    const id = readCookie(request.headers.cookie, SESSION_COOKIE);
    const found = id !== undefined ? sessions.get(id) : undefined;
    if (found && Date.now() - found.lastSeen < SESSION_IDLE_MS) {
      found.lastSeen = Date.now();
      return found;
    }
    if (found) sessions.delete(found.id);
    const session: Session = { id: randomToken(), csrf: randomToken(), lastSeen: Date.now() };
    sessions.set(session.id, session);
    void reply.header('Set-Cookie', `${SESSION_COOKIE}=${session.id}; Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`);
    return session;
  }

  /** The signed-in session, or a redirect to sign in (service mode). */
  async function signedIn(request: FastifyRequest, reply: FastifyReply): Promise<Session | undefined> {
    const session = await sessionOf(request, reply);
    if (session.user !== undefined) return session;
    void reply.redirect(`/login?next=${encodeURIComponent(request.url)}`);
    return undefined;
  }

  function page(reply: FastifyReply, session: Session | undefined, title: string, body: string, status = 200): FastifyReply {
    return reply
      .code(status)
      .header('Content-Type', 'text/html; charset=utf-8')
      .header('Content-Security-Policy', "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
      .header('X-Content-Type-Options', 'nosniff')
      .header('Referrer-Policy', 'same-origin')
      .send(renderPage({ title, ...(session?.user !== undefined ? { user: session.user } : {}) }, body));
  }

  function checkCsrf(session: Session, form: RequestForm): boolean {
    const token = form.csrf;
    return typeof token === 'string' && sameToken(token, session.csrf);
  }

  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof IamPlatformError && error.source === 'user') {
      const status = error.code === ERROR_CODES.REMOTE_API ? 502 : 400;
      return page(reply, undefined, 'Could not complete the request', renderError(error.message), status);
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500) return page(reply, undefined, 'Bad request', renderError((error as Error).message), status);
    process.stderr.write(`iamctl serve: internal error: ${(error as Error).stack ?? String(error)}\n`);
    return page(reply, undefined, 'Internal error', renderError('The portal failed on this request; the error is in the server log.'), 500);
  });

  app.get('/assets/portal.css', (_req, reply) => reply.header('Content-Type', 'text/css; charset=utf-8').send(PORTAL_CSS));
  app.get('/assets/portal.js', (_req, reply) => reply.header('Content-Type', 'text/javascript; charset=utf-8').send(PORTAL_JS));

  app.get('/', async (request, reply) => {
    const session = await signedIn(request, reply);
    if (!session) return reply;
    const q = String((request.query as { q?: string }).q ?? '');
    return page(reply, session, 'Find access', renderSearch(context.org, q, searchAccess(context, q)));
  });

  app.get('/accounts/:account', async (request, reply) => {
    const session = await signedIn(request, reply);
    if (!session) return reply;
    const { account } = request.params as { account: string };
    if (!context.org.accounts.some((a) => a.name === account)) return page(reply, session, 'Not found', renderError(`No account "${account}" in accounts/.`), 404);
    return page(reply, session, `Account ${account}`, renderAccount(context.org, account));
  });

  app.get('/accounts/:account/roles/:role', async (request, reply) => {
    const session = await signedIn(request, reply);
    if (!session) return reply;
    const { account, role } = request.params as { account: string; role: string };
    const view = describeRole(context, account, role);
    if (!view) return page(reply, session, 'Not found', renderError(`No role "${role}" in account "${account}".`), 404);
    return page(reply, session, `Role ${view.role.name} in ${account}`, renderRole(view));
  });

  app.get('/api/actions', async (request, reply) => {
    const session = await signedIn(request, reply);
    if (!session) return reply;
    return reply.send(suggestActions(context.catalog, String((request.query as { q?: string }).q ?? '')));
  });

  app.get('/api/resources', async (request, reply) => {
    const session = await signedIn(request, reply);
    if (!session) return reply;
    const q = request.query as { action?: string; account?: string };
    return reply.send(suggestResourceArns(context, String(q.action ?? ''), q.account));
  });

  app.get('/request', async (request, reply) => {
    const session = await signedIn(request, reply);
    if (!session) return reply;
    const q = request.query as { account?: string; role?: string };
    const form: RequestForm = { ...(q.account ? { accounts: [q.account] } : {}), ...(q.role ? { role: q.role } : {}) };
    return page(reply, session, 'Request access', renderRequestForm(context.org, form, [], session.csrf));
  });

  const handleForm = async (request: FastifyRequest, reply: FastifyReply, stage: 'edit' | 'preview' | 'submit'): Promise<FastifyReply> => {
    const session = await signedIn(request, reply);
    if (!session) return reply;
    const form = (request.body ?? {}) as RequestForm;
    if (!checkCsrf(session, form)) return page(reply, session, 'Request expired', renderError('This form is from another session (or expired): open Request access again.'), 403);
    if (stage === 'edit') return page(reply, session, 'Request access', renderRequestForm(context.org, form, [], session.csrf));
    const validated = validateRequestForm(form, session.user!, now());
    const outcome = validated.request ? previewAccessRequest(context, validated.request, now()) : { problems: validated.problems };
    if (!outcome.preview) return page(reply, session, 'Request access', renderRequestForm(context.org, form, outcome.problems, session.csrf), 400);
    if (stage === 'preview') return page(reply, session, 'Preview of the request', renderPreview(outcome.preview, form, session.csrf));
    const result = await submitAccessRequest(context, gitlabFor(session), outcome.preview);
    return page(reply, session, 'Request submitted', renderSubmitted(result));
  };
  app.post('/request/preview', (request, reply) => handleForm(request, reply, 'preview'));
  app.post('/request/submit', (request, reply) => handleForm(request, reply, 'submit'));
  app.post('/request/edit', (request, reply) => handleForm(request, reply, 'edit'));

  app.get('/requests', async (request, reply) => {
    const session = await signedIn(request, reply);
    if (!session) return reply;
    return page(reply, session, 'My requests', renderMyRequests(await listMyRequests(gitlabFor(session), session.user!)));
  });

  if (auth.mode === 'local') {
    app.get('/login', async (request, reply) => {
      const token = String((request.query as { token?: string }).token ?? '');
      if (!sameToken(token, auth.loginToken)) {
        return page(reply, undefined, 'Sign in', renderError('Open the sign-in link that iamctl serve printed when it started (it holds a one-time secret).'), 401);
      }
      localUser ??= (await new GitLabClient({ apiUrl: options.apiUrl, projectId: options.projectId, token: auth.token, fetch: fetchFn }).getCurrentUser()).username;
      const signed: Session = { id: randomToken(), csrf: randomToken(), user: localUser, token: auth.token, authScheme: 'private-token', lastSeen: Date.now() };
      sessions.set(signed.id, signed);
      void reply.header('Set-Cookie', `${SESSION_COOKIE}=${signed.id}; Path=/; HttpOnly; SameSite=Strict`);
      return reply.redirect('/');
    });
  }
  if (auth.mode === 'service') {
    const gitlabUrl = auth.gitlabUrl.replace(/\/+$/, '');
    const redirectUri = `${auth.publicUrl.replace(/\/+$/, '')}/oauth/callback`;
    app.get('/login', async (request, reply) => {
      const session = await sessionOf(request, reply);
      session.oauthState = randomToken();
      const next = String((request.query as { next?: string }).next ?? '/');
      const url = new URL(`${gitlabUrl}/oauth/authorize`);
      url.search = new URLSearchParams({ client_id: auth.clientId, redirect_uri: redirectUri, response_type: 'code', state: `${session.oauthState}.${Buffer.from(next.startsWith('/') && !next.startsWith('//') ? next : '/').toString('base64url')}`, scope: 'openid api' }).toString();
      return reply.redirect(url.toString());
    });
    app.get('/oauth/callback', async (request, reply) => {
      const session = await sessionOf(request, reply);
      const q = request.query as { code?: string; state?: string; error?: string };
      const [state, next] = String(q.state ?? '').split('.');
      if (q.error !== undefined) return page(reply, session, 'Sign-in failed', renderError(`GitLab refused the sign-in: ${q.error}`), 401);
      if (session.oauthState === undefined || q.code === undefined || !sameToken(state ?? '', session.oauthState)) {
        return page(reply, session, 'Sign-in failed', renderError('The sign-in answer does not match this session (state): sign in again.'), 400);
      }
      session.oauthState = undefined;
      const tokenResponse = await fetchFn(`${gitlabUrl}/oauth/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'authorization_code', code: q.code, redirect_uri: redirectUri, client_id: auth.clientId, client_secret: auth.clientSecret }).toString(),
      });
      const token = (await tokenResponse.json().catch(() => ({}))) as { access_token?: string; error?: string };
      if (!tokenResponse.ok || token.access_token === undefined) throw new IamPlatformError(ERROR_CODES.REMOTE_API, `GitLab /oauth/token refused the code: HTTP ${tokenResponse.status} ${token.error ?? ''}`.trim());
      const userinfo = await fetchFn(`${gitlabUrl}/oauth/userinfo`, { headers: { Authorization: `Bearer ${token.access_token}` } });
      const info = (await userinfo.json().catch(() => ({}))) as { nickname?: string; preferred_username?: string };
      const username = info.nickname ?? info.preferred_username;
      if (!userinfo.ok || username === undefined) throw new IamPlatformError(ERROR_CODES.REMOTE_API, `GitLab /oauth/userinfo failed: HTTP ${userinfo.status}`);
      // A new session id once signed in (no session fixation).
      sessions.delete(session.id);
      const signed: Session = { id: randomToken(), csrf: randomToken(), user: username, token: token.access_token, authScheme: 'bearer', lastSeen: Date.now() };
      sessions.set(signed.id, signed);
      void reply.header('Set-Cookie', `${SESSION_COOKIE}=${signed.id}; Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`);
      const target = Buffer.from(next ?? '', 'base64url').toString('utf8');
      return reply.redirect(target.startsWith('/') && !target.startsWith('//') ? target : '/');
    });
  }
  return app;
}
