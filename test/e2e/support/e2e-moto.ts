/**
 * One moto server for a whole organization, as the Terraform end-to-end harness needs it
 * (every workaround here is written down in test/README.md, "Terraform against moto"):
 * - AWS managed policies loaded (MOTO_IAM_LOAD_MANAGED_POLICIES=true), so attachments of
 *   AdministratorAccess and ReadOnlyAccess resolve;
 * - bucket policies evaluated without their conditional statements (moto_e2e.py explains why);
 * - S3 Control reachable: the AWS SDK for Go sends S3 Control calls to `<account-id>.<endpoint host>`.
 *   Terraform gets an S3 Control endpoint with a host name (`s3-control.moto-e2e.test`, never
 *   resolved) and HTTP_PROXY pointing at a loopback forwarder that sends every request it receives to
 *   moto (moto routes on the `s3-control` in the Host header). Go never proxies loopback addresses,
 *   so every other service goes to 127.0.0.1 directly. No /etc/hosts entry, no root.
 * Accounts: moto's STS hands out credentials of the account in the role ARN, so the provider's
 * `assume_role` of `arn:aws:iam::<account>:role/iam-platform-deploy` acts in that account.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { findFreePort, MOTO_CREDENTIALS } from '../../support/moto-server';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const MOTO_PYTHON = path.join(ROOT, '.venv', 'moto', 'bin', 'python');
const LAUNCHER = path.join(__dirname, 'moto_e2e.py');
/** Host name Terraform's S3 Control endpoint uses; only the loopback forwarder ever sees it. */
export const S3_CONTROL_HOST = 's3-control.moto-e2e.test';
const STARTUP_TIMEOUT_MS = 60_000;

/** A running moto for the e2e harness. */
export interface E2eMoto {
  /** `http://127.0.0.1:<port>`. */
  readonly endpoint: string;
  /** Environment of a terraform run against this moto (credentials of moto's default account; the provider assumes the deploy role). */
  terraformEnv(region: string): Record<string, string>;
  /** Requests the forwarder saw (S3 Control calls), for the test that proves it is used. */
  readonly forwarded: () => number;
  stop(): Promise<void>;
}

async function waitForMoto(endpoint: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto (moto_e2e.py) exited with code ${child.exitCode}:\n${stderr()}`);
    try {
      if ((await fetch(`${endpoint}/moto-api/data.json`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`moto did not answer on ${endpoint} within ${STARTUP_TIMEOUT_MS} ms:\n${stderr()}`);
}

/** A forward proxy on loopback that sends every request to moto, keeping the Host header. */
function startForwarder(motoPort: number): Promise<{ url: string; server: http.Server; count: () => number }> {
  let count = 0;
  const server = http.createServer((req, res) => {
    count += 1;
    const target = new URL(req.url ?? '/', `http://${req.headers.host ?? S3_CONTROL_HOST}`);
    const upstream = http.request({ host: '127.0.0.1', port: motoPort, method: req.method, path: `${target.pathname}${target.search}`, headers: req.headers }, (reply) => {
      res.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(res);
    });
    upstream.on('error', (error) => {
      res.writeHead(502);
      res.end(String(error));
    });
    req.pipe(upstream);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const address = server.address() as { port: number };
    resolve({ url: `http://127.0.0.1:${address.port}`, server, count: () => count });
  }));
}

/** Starts moto (with the harness launcher) and the S3 Control forwarder. */
export async function startE2eMoto(): Promise<E2eMoto> {
  if (!existsSync(MOTO_PYTHON)) throw new Error('moto is not installed in .venv/moto: run `npm run setup:moto` first');
  const port = await findFreePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(MOTO_PYTHON, [LAUNCHER, '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, PYTHONUNBUFFERED: '1', MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' },
  });
  let errText = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    errText = (errText + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  await waitForMoto(endpoint, child, () => errText);
  const forwarder = await startForwarder(port);
  return {
    endpoint,
    forwarded: forwarder.count,
    terraformEnv: (region) => ({
      AWS_ENDPOINT_URL: endpoint,
      AWS_ENDPOINT_URL_S3_CONTROL: `http://${S3_CONTROL_HOST}:${port}`,
      HTTP_PROXY: forwarder.url,
      http_proxy: forwarder.url,
      NO_PROXY: '127.0.0.1,localhost',
      no_proxy: '127.0.0.1,localhost',
      AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_EC2_METADATA_DISABLED: 'true',
    }),
    async stop() {
      await new Promise<void>((r) => forwarder.server.close(() => r()));
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
