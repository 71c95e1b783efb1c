/**
 * A loopback HTTP server implementing the GitLab REST v4 endpoints iamctl uses, as documented:
 * GET/POST /projects/:id/merge_requests/:iid/notes (paginated, `x-next-page`), PUT .../notes/:note_id,
 * POST /projects/:id/merge_requests. Requests need the `PRIVATE-TOKEN` header.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeNote {
  id: number;
  body: string;
  system: boolean;
}

export interface FakeGitLab {
  readonly apiUrl: string;
  /** Notes per merge request iid. */
  readonly notes: Map<string, FakeNote[]>;
  readonly mergeRequests: { source_branch: string; target_branch: string; title: string; description: string }[];
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
export async function startFakeGitLab(options: { readonly token: string; readonly projectId: string; readonly pageSize?: number }): Promise<FakeGitLab> {
  const notes = new Map<string, FakeNote[]>();
  const mergeRequests: FakeGitLab['mergeRequests'] = [];
  const requests: string[] = [];
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
      if (req.headers['private-token'] !== options.token) return send(401, { message: '401 Unauthorized' });
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
        mergeRequests.push(mr);
        return send(201, { iid: mergeRequests.length, web_url: `http://127.0.0.1/mr/${mergeRequests.length}` });
      }
      return send(404, { message: '404 Not Found' });
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/api/v4`,
    notes,
    mergeRequests,
    requests,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
