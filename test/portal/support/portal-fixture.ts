/**
 * Shared set-up of the portal tests: a scratch copy of the example organization, the files of its
 * accounts/ as the fake GitLab's main branch, and `iamctl serve` started as a child process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { EXAMPLE_ORG_ROOT } from '../../support/example-org';

/** Copies the example organization into a new temporary folder and returns its root. */
export function copyExampleOrg(): string {
  const root = mkdtempSync(join(tmpdir(), 'portal-org-'));
  cpSync(join(EXAMPLE_ORG_ROOT, 'accounts'), join(root, 'accounts'), { recursive: true });
  return root;
}

/** Every file under `root/accounts`, repository path → text. */
export function readAccountsFiles(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(root, path).split('\\').join('/')] = readFileSync(path, 'utf8');
    }
  };
  walk(join(root, 'accounts'));
  return out;
}

/** A running `iamctl serve`. */
export interface ServeProcess {
  readonly url: string;
  /** The sign-in link local mode prints. @default - none (service mode) */
  readonly loginUrl?: string;
  readonly child: ChildProcess;
  readonly stderr: () => string;
  stop(): Promise<void>;
}

/** Starts `node bin/iamctl.js serve --port 0 ...` in `cwd` and waits for its address (stderr). */
export function startServe(cwd: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<ServeProcess> {
  const bin = join(__dirname, '..', '..', '..', 'bin', 'iamctl.js');
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => reject(new Error(`iamctl serve did not start within 60 s:\n${err}`)), 60_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString('utf8');
      const match = / on (http:\/\/[^\s]+) /.exec(err);
      const login = /sign in by opening (http:\/\/\S+)/.exec(err);
      if (match && (login || !args.includes('local'))) {
        clearTimeout(timer);
        resolveStart({
          url: match[1],
          ...(login ? { loginUrl: login[1] } : {}),
          child,
          stderr: () => err,
          stop: () =>
            new Promise((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`iamctl serve exited with ${code}:\n${err}`));
    });
  });
}
