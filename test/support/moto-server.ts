/**
 * Shared moto launcher for integration tests: one moto server per test file, on a free loopback port,
 * reset between tests with `POST /moto-api/reset`.
 *
 * moto is installed by `npm run setup:moto` (scripts/setup-moto.sh) into `.venv/moto`, pinned.
 *
 *   let moto: MotoServer;
 *   beforeAll(async () => { moto = await startMotoServer(); });
 *   afterEach(() => moto.reset());
 *   afterAll(() => moto.stop());
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

/** A running moto server. */
export interface MotoServer {
  /** `http://127.0.0.1:<port>`: pass as `endpoint` to SDK clients. */
  readonly endpoint: string;
  /** Stops the server process and waits for it to exit. */
  stop(): Promise<void>;
  /** Clears every service's state (`POST /moto-api/reset`). */
  reset(): Promise<void>;
}

/** Static credentials moto accepts (it does not check signatures). Account id is moto's default. */
export const MOTO_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' } as const;
/** The account id moto reports for its default credentials. */
export const MOTO_ACCOUNT_ID = '123456789012';
/** Region the tests use for SDK clients. */
export const MOTO_REGION = 'us-east-1';

/** The moto_server executable installed by scripts/setup-moto.sh. */
export const MOTO_SERVER_BIN = resolve(__dirname, '..', '..', '.venv', 'moto', 'bin', 'moto_server');

/** How long to wait for the server to answer before giving up. */
const STARTUP_TIMEOUT_MS = 30_000;
/** Port races (the free port taken between probe and bind) are retried this many times. */
const START_ATTEMPTS = 3;

/** A port that was free on 127.0.0.1 a moment ago. */
export function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('could not read the probe server address'));
        return;
      }
      const { port } = address;
      server.close(() => resolvePort(port));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function waitUntilReady(endpoint: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode} before it was ready:\n${stderr()}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/data.json`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(`moto_server did not answer on ${endpoint} within ${STARTUP_TIMEOUT_MS} ms:\n${stderr()}`);
}

async function startOnce(): Promise<MotoServer> {
  const port = await findFreePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(MOTO_SERVER_BIN, ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    // AWS managed policies (ReadOnlyAccess, AdministratorAccess) exist in moto only when loaded explicitly.
    env: { ...process.env, PYTHONUNBUFFERED: '1', MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' },
  });
  let errText = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    // Keep the tail only: moto logs every request.
    errText = (errText + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  try {
    await waitUntilReady(endpoint, child, () => errText);
  } catch (error) {
    child.kill('SIGTERM');
    await exited;
    throw error;
  }
  return {
    endpoint,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
    async reset() {
      const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!response.ok) throw new Error(`moto reset failed: HTTP ${response.status}`);
    },
  };
}

/**
 * Starts moto_server on a free loopback port and waits until it answers.
 * Throws with the fix when moto is not installed.
 */
export async function startMotoServer(): Promise<MotoServer> {
  if (!existsSync(MOTO_SERVER_BIN)) {
    throw new Error(`moto is not installed at ${join('.venv', 'moto')}: run \`npm run setup:moto\` first`);
  }
  let lastError: unknown;
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    try {
      return await startOnce();
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

/**
 * Points the AWS SDK's default credential chain and region at moto, for code under test that builds
 * its own clients (the CLI). Callers restore `process.env` in their afterAll.
 */
export function useMotoEnvironment(): void {
  process.env.AWS_ACCESS_KEY_ID = MOTO_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = MOTO_CREDENTIALS.secretAccessKey;
  process.env.AWS_REGION = MOTO_REGION;
  delete process.env.AWS_PROFILE;
}
