import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TfcApiError, TfcHttpClient, redactSecrets } from '../../src/io/terraform-cloud';

/**
 * The Terraform Cloud client against hostile servers on loopback (issue 10, finding 7): a server that
 * reflects the Authorization header must not put the token in a message, and a cross-origin 307/308
 * must not receive the request body (or the token).
 */
const TOKEN = 'atlasv1.s3cr3t-team-token-1234567890';

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly authorization?: string;
  readonly body: string;
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse, body: string) => void): Promise<{ server: Server; address: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, address: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const close = (s: Server): Promise<void> => new Promise((resolve) => s.close(() => resolve()));

function client(address: string): TfcHttpClient {
  return new TfcHttpClient({ token: TOKEN, hostname: 'app.terraform.io', address, maxRetries: 0 });
}

async function errorOf(promise: Promise<unknown>): Promise<TfcApiError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof TfcApiError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}

describe('TfcHttpClient against hostile servers', () => {
  it('never quotes the token from a server that reflects the Authorization header (JSON:API errors)', async () => {
    // Given a server that answers 400 with the request's Authorization header in errors[].detail
    const api = await listen((req, res) => {
      res.writeHead(400, { 'content-type': 'application/vnd.api+json' });
      res.end(JSON.stringify({ errors: [{ detail: `bad header Authorization: ${req.headers.authorization}; token=${TOKEN}` }] }));
    });
    try {
      const error = await errorOf(client(api.address).request({ call: 'show workspace w', method: 'GET', path: 'organizations/o/workspaces/w' }));
      // Then the message keeps the reason and loses the token
      expect(error.message).toBe('Terraform Cloud show workspace w (GET /api/v2/organizations/o/workspaces/w) failed with HTTP 400 Bad Request: bad header Authorization: Bearer [redacted]; token=[redacted].');
      expect(error.message).not.toContain('s3cr3t');
    } finally {
      await close(api.server);
    }
  });

  it('never quotes the token from a non-JSON body', async () => {
    const api = await listen((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<html>echo: ${req.headers.authorization}</html>`);
    });
    try {
      const error = await errorOf(client(api.address).request({ call: 'show run', method: 'GET', path: 'runs/run-1' }));
      expect(error.message).toBe('Terraform Cloud show run (GET /api/v2/runs/run-1) returned a body that is not JSON: <html>echo: Bearer [redacted]</html>');
    } finally {
      await close(api.server);
    }
  });

  it.each([307, 308])('refuses a cross-origin %i redirect of a POST instead of re-sending its body', async (status) => {
    // Given an attacker origin and an API that redirects a POST there with 307/308
    const attacker = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/vnd.api+json' });
      res.end('{"data":{"id":"x","type":"runs","attributes":{}}}');
    });
    const api = await listen((_req, res) => {
      res.writeHead(status, { location: `${attacker.address}/steal` });
      res.end();
    });
    try {
      const error = await errorOf(client(api.address).request({ call: 'create run', method: 'POST', path: 'runs', body: { data: { attributes: { message: 'secret plan' } } } }));
      // Then the call fails with a clear message and the attacker received nothing
      expect(error.message).toBe(
        `Terraform Cloud create run (POST /api/v2/runs) answered HTTP ${status} with a redirect to another origin (${attacker.address}): refusing to re-send the request body there; check TFE_ADDRESS and the hostname`,
      );
      expect(attacker.seen).toEqual([]);
    } finally {
      await close(api.server);
      await close(attacker.server);
    }
  });

  it('follows a cross-origin redirect of a GET without the token (plan JSON from the archivist)', async () => {
    const archivist = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"resource_changes":[]}');
    });
    const api = await listen((_req, res) => {
      res.writeHead(307, { location: `${archivist.address}/v1/object/plan-json` });
      res.end();
    });
    try {
      const body = await client(api.address).request<{ resource_changes: unknown[] }>({ call: 'read plan JSON', method: 'GET', path: 'plans/plan-1/json-output' });
      expect(body).toEqual({ resource_changes: [] });
      expect(api.seen.map((s) => s.authorization)).toEqual([`Bearer ${TOKEN}`]);
      expect(archivist.seen).toEqual([{ method: 'GET', url: '/v1/object/plan-json', authorization: undefined, body: '' }]);
    } finally {
      await close(api.server);
      await close(archivist.server);
    }
  });

  it('follows a same-origin 307 of a POST with its body and token', async () => {
    const api = await listen((req, res) => {
      if (req.url === '/api/v2/runs') {
        res.writeHead(307, { location: '/api/v2/runs-moved' });
        res.end();
        return;
      }
      res.writeHead(201, { 'content-type': 'application/vnd.api+json' });
      res.end('{"data":{"id":"run-1","type":"runs","attributes":{}}}');
    });
    try {
      await client(api.address).request({ call: 'create run', method: 'POST', path: 'runs', body: { a: 1 } });
      expect(api.seen.map((s) => [s.method, s.url, s.authorization, s.body])).toEqual([
        ['POST', '/api/v2/runs', `Bearer ${TOKEN}`, '{"a":1}'],
        ['POST', '/api/v2/runs-moved', `Bearer ${TOKEN}`, '{"a":1}'],
      ]);
    } finally {
      await close(api.server);
    }
  });

  it('redacts Authorization values, Bearer tokens and the token itself', () => {
    expect(redactSecrets('{"authorization":"Bearer abc.def"} and Bearer xyz-123 and raw atlasv1.s3cr3t-team-token-1234567890', TOKEN)).toBe(
      '{"authorization":"Bearer [redacted]"} and Bearer [redacted] and raw [redacted]',
    );
  });
});
