/**
 * A loopback HTTP server implementing the GitLab REST v4 endpoints iamctl uses, as documented:
 * GET/POST /projects/:id/merge_requests/:iid/notes (paginated, `x-next-page`), PUT .../notes/:note_id,
 * POST /projects/:id/merge_requests. Requests need the `PRIVATE-TOKEN` header.
 * For the access-request portal also: POST /projects/:id/repository/commits (branch, start_branch,
 * actions), GET /projects/:id/repository/files/:path?ref=, GET /projects/:id/merge_requests (author_username,
 * labels), GET /projects/:id/merge_requests/:iid (head_pipeline), GET /user, `Authorization: Bearer`, and
 * GitLab as an OAuth2/OIDC provider: GET /oauth/authorize (authorization code, approved at once as
 * `oauth.user`), POST /oauth/token, GET /oauth/userinfo.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeNote {
  id: number;
  body: string;
  system: boolean;
}

/** A commit the fake received (POST /repository/commits). */
export interface FakeCommit {
  branch: string;
  start_branch?: string;
  commit_message: string;
  actions: { action: 'create' | 'update' | 'delete'; file_path: string; content?: string }[];
}

/** A GitLab user of the fake. */
export interface FakeUser {
  id: number;
  username: string;
  name: string;
}

/** OAuth application registered in the fake. */
export interface FakeOAuthApplication {
  clientId: string;
  clientSecret: string;
  /** The user who signs in (and approves the application at once). */
  user: FakeUser;
}

export interface FakeGitLab {
  readonly apiUrl: string;
  /** Instance URL (`http://127.0.0.1:port`): the OAuth endpoints are under it. */
  readonly url: string;
  /** Commits received, in order. */
  readonly commits: FakeCommit[];
  /** Files per branch (the target branch starts with `files`). */
  readonly branches: Map<string, Map<string, string>>;
  /** OAuth calls, `METHOD path` with the parameters that matter. */
  readonly oauthRequests: string[];
  /** Notes per merge request iid. */
  readonly notes: Map<string, FakeNote[]>;
  readonly mergeRequests: { source_branch: string; target_branch: string; title: string; description: string; labels?: string }[];
  /** Every request, `METHOD path`. */
  readonly requests: string[];
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolveBody) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
  });
}

/** Starts the fake on a free loopback port. `pageSize` makes pagination visible with few notes. */
export async function startFakeGitLab(options: {
  readonly token: string;
  readonly projectId: string;
  readonly pageSize?: number;
  /** Owner of `token` (GET /user). @default { id: 1, username: 'project_bot', name: 'Project bot' } */
  readonly user?: FakeUser;
  /** Files of `defaultBranch`, repository path → text. @default none */
  readonly files?: Record<string, string>;
  /** @default 'main' */
  readonly defaultBranch?: string;
  /** An OAuth application, for service mode. @default - none */
  readonly oauth?: FakeOAuthApplication;
}): Promise<FakeGitLab> {
  const notes = new Map<string, FakeNote[]>();
  const mergeRequests: FakeGitLab['mergeRequests'] = [];
  const requests: string[] = [];
  const commits: FakeCommit[] = [];
  const oauthRequests: string[] = [];
  const branches = new Map<string, Map<string, string>>([[options.defaultBranch ?? 'main', new Map(Object.entries(options.files ?? {}))]]);
  const owner: FakeUser = options.user ?? { id: 1, username: 'project_bot', name: 'Project bot' };
  /** Access tokens → user: the fixed token, and those issued by /oauth/token. */
  const tokens = new Map<string, FakeUser>([[options.token, owner]]);
  const codes = new Map<string, { redirectUri: string; user: FakeUser }>();
  const authors: string[] = [];
  let nextId = 1000;
  const pageSize = options.pageSize ?? 20;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      requests.push(`${req.method} ${url.pathname}`);
      const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
        res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      };
      if (url.pathname.startsWith('/oauth/')) return handleOAuth(req, res, url, send, await readBody(req));
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const caller = tokens.get(String(req.headers['private-token'] ?? bearer ?? ''));
      if (caller === undefined) return send(401, { message: '401 Unauthorized' });
      if (url.pathname === '/api/v4/user' && req.method === 'GET') return send(200, caller);
      const prefix = `/api/v4/projects/${encodeURIComponent(options.projectId)}`;
      if (!url.pathname.startsWith(prefix)) return send(404, { message: '404 Project Not Found' });
      const rest = url.pathname.slice(prefix.length);
      const body = await readBody(req);
      let m = /^\/merge_requests\/(\d+)\/notes$/.exec(rest);
      if (m && req.method === 'GET') {
        const list = notes.get(m[1]) ?? [];
        const page = Number(url.searchParams.get('page') ?? '1');
        const perPage = Math.min(Number(url.searchParams.get('per_page') ?? '20'), pageSize);
        const slice = list.slice((page - 1) * perPage, page * perPage);
        return send(200, slice, { 'x-next-page': page * perPage < list.length ? String(page + 1) : '' });
      }
      if (m && req.method === 'POST') {
        const note = { id: nextId++, body: (JSON.parse(body) as { body: string }).body, system: false };
        notes.set(m[1], [...(notes.get(m[1]) ?? []), note]);
        return send(201, note);
      }
      m = /^\/merge_requests\/(\d+)\/notes\/(\d+)$/.exec(rest);
      if (m && req.method === 'PUT') {
        const note = (notes.get(m[1]) ?? []).find((n) => n.id === Number(m![2]));
        if (!note) return send(404, { message: '404 Not found' });
        note.body = (JSON.parse(body) as { body: string }).body;
        return send(200, note);
      }
      if (rest === '/merge_requests' && req.method === 'POST') {
        const mr = JSON.parse(body) as FakeGitLab['mergeRequests'][number];
        if (mr.source_branch !== undefined && commits.length > 0 && !branches.has(mr.source_branch)) return send(400, { message: ['source_branch does not exist'] });
        mergeRequests.push(mr);
        authors.push(caller.username);
        return send(201, { iid: mergeRequests.length, web_url: `http://127.0.0.1/mr/${mergeRequests.length}` });
      }
      if (rest === '/merge_requests' && req.method === 'GET') {
        const author = url.searchParams.get('author_username');
        const labels = (url.searchParams.get('labels') ?? '').split(',').filter(Boolean);
        const list = mergeRequests
          .map((mr, i) => ({ mr, iid: i + 1, author: authors[i] }))
          .filter((x) => (author === null || x.author === author) && labels.every((l) => String(x.mr.labels ?? '').split(',').includes(l)))
          .reverse()
          .map((x) => ({ iid: x.iid, title: x.mr.title, state: 'opened', source_branch: x.mr.source_branch, web_url: `http://127.0.0.1/mr/${x.iid}` }));
        return send(200, list);
      }
      m = /^\/merge_requests\/(\d+)$/.exec(rest);
      if (m && req.method === 'GET') {
        const mr = mergeRequests[Number(m[1]) - 1];
        if (!mr) return send(404, { message: '404 Not found' });
        return send(200, { iid: Number(m[1]), title: mr.title, state: 'opened', source_branch: mr.source_branch, web_url: `http://127.0.0.1/mr/${m[1]}`, head_pipeline: { id: 500 + Number(m[1]), status: 'running' } });
      }
      if (rest === '/repository/commits' && req.method === 'POST') {
        const commit = JSON.parse(body) as FakeCommit;
        const start = branches.get(commit.start_branch ?? commit.branch);
        if (start === undefined) return send(400, { message: `start_branch ${commit.start_branch} does not exist` });
        if (branches.has(commit.branch) && commit.start_branch !== undefined) return send(400, { message: `A branch called '${commit.branch}' already exists` });
        const files = new Map(start);
        for (const action of commit.actions) {
          const exists = files.has(action.file_path);
          if (action.action === 'create' && exists) return send(400, { message: `A file with this name already exists: ${action.file_path}` });
          if (action.action !== 'create' && !exists) return send(400, { message: `A file with this name doesn't exist: ${action.file_path}` });
          if (action.action === 'delete') files.delete(action.file_path);
          else files.set(action.file_path, action.content ?? '');
        }
        branches.set(commit.branch, files);
        commits.push(commit);
        return send(201, { id: `c0ffee${String(commits.length).padStart(34, '0')}` });
      }
      m = /^\/repository\/files\/([^/]+)$/.exec(rest);
      if (m && req.method === 'GET') {
        const text = branches.get(url.searchParams.get('ref') ?? '')?.get(decodeURIComponent(m[1]));
        if (text === undefined) return send(404, { message: '404 File Not Found' });
        return send(200, { file_path: decodeURIComponent(m[1]), encoding: 'base64', content: Buffer.from(text, 'utf8').toString('base64') });
      }
      return send(404, { message: '404 Not Found' });
    })();
  });
  function handleOAuth(req: IncomingMessage, res: import('node:http').ServerResponse, url: URL, send: (status: number, body: unknown) => void, body: string): void {
    const app = options.oauth;
    if (app === undefined) return send(404, { message: '404 Not Found' });
    if (url.pathname === '/oauth/authorize' && req.method === 'GET') {
      const p = url.searchParams;
      oauthRequests.push(`GET /oauth/authorize response_type=${p.get('response_type')} client_id=${p.get('client_id')} scope=${p.get('scope')} state=${p.get('state') ? 'set' : 'missing'}`);
      if (p.get('client_id') !== app.clientId || p.get('response_type') !== 'code' || !p.get('redirect_uri')) return send(400, { error: 'invalid_request' });
      const code = `code-${codes.size + 1}`;
      codes.set(code, { redirectUri: p.get('redirect_uri')!, user: app.user });
      const target = new URL(p.get('redirect_uri')!);
      target.searchParams.set('code', code);
      if (p.get('state')) target.searchParams.set('state', p.get('state')!);
      res.writeHead(302, { Location: target.toString() });
      res.end();
      return;
    }
    if (url.pathname === '/oauth/token' && req.method === 'POST') {
      const form = req.headers['content-type']?.includes('json') ? new URLSearchParams(JSON.parse(body) as Record<string, string>) : new URLSearchParams(body);
      oauthRequests.push(`POST /oauth/token grant_type=${form.get('grant_type')}`);
      const grant = codes.get(form.get('code') ?? '');
      if (form.get('grant_type') !== 'authorization_code' || form.get('client_id') !== app.clientId || form.get('client_secret') !== app.clientSecret || grant === undefined || grant.redirectUri !== form.get('redirect_uri')) {
        return send(400, { error: 'invalid_grant', error_description: 'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.' });
      }
      codes.delete(form.get('code')!);
      const token = `oauth-${tokens.size + 1}-${grant.user.username}`;
      tokens.set(token, grant.user);
      return send(200, { access_token: token, token_type: 'Bearer', expires_in: 7200, refresh_token: `refresh-${token}`, scope: 'openid api', created_at: Math.floor(Date.now() / 1000) });
    }
    if (url.pathname === '/oauth/userinfo' && req.method === 'GET') {
      oauthRequests.push('GET /oauth/userinfo');
      const user = tokens.get(/^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '');
      if (user === undefined) return send(401, { error: 'invalid_token' });
      return send(200, { sub: String(user.id), nickname: user.username, preferred_username: user.username, name: user.name, groups: [] });
    }
    return send(404, { message: '404 Not Found' });
  }

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    commits,
    branches,
    oauthRequests,
    apiUrl: `http://127.0.0.1:${port}/api/v4`,
    notes,
    mergeRequests,
    requests,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
