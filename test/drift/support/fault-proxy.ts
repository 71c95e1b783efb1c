/**
 * A loopback proxy in front of moto that fails chosen AWS query actions with an IAM error response,
 * to test throttling and API failures the way the SDK really sees them (HTTP 400 + XML error).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';

/** A failure to inject. */
export interface InjectedFault {
  /** Query action to fail (`GetAccountAuthorizationDetails`, `UpdateAssumeRolePolicy`). */
  readonly action: string;
  /** AWS error code (`Throttling`, `AccessDenied`, `ServiceFailure`). */
  readonly code: string;
  readonly message: string;
  /** HTTP status. @default 400 */
  readonly status?: number;
}

/** A running proxy. */
export interface FaultProxy {
  readonly endpoint: string;
  /** Requests seen per action (failed or forwarded). */
  readonly seen: Map<string, number>;
  stop(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Starts the proxy on a free loopback port, forwarding to `target` except for the faulted actions. */
export async function startFaultProxy(target: string, faults: readonly InjectedFault[]): Promise<FaultProxy> {
  const seen = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const action = new URLSearchParams(body.toString('utf8')).get('Action') ?? '';
      seen.set(action, (seen.get(action) ?? 0) + 1);
      const fault = faults.find((f) => f.action === action);
      if (fault) {
        res.writeHead(fault.status ?? 400, { 'content-type': 'text/xml' });
        res.end(
          `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>${fault.code}</Code><Message>${fault.message}</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>`,
        );
        return;
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'content-length') headers[k] = v;
      const upstream = await fetch(`${target}${req.url ?? '/'}`, { method: req.method, headers, body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body });
      const out = Buffer.from(await upstream.arrayBuffer());
      res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'text/xml' });
      res.end(out);
    })().catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fault proxy has no port');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    seen,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
