#!/usr/bin/env node
// @ts-check
/**
 * Launcher for the iamctl CLI. Runs the esbuild bundle in dist/cli/ (built by `npm run build`, which `npm ci` and
 * `npm run setup` run). In a development checkout where dist/ is missing or older than the sources, it says so once
 * on stderr and runs the TypeScript sources through tsx instead.
 *
 * Staleness is decided cheaply from dist/build-manifest.json: one stat per source file of the bundle; a file whose
 * mtime or size changed is hashed and compared, so a checkout that only touched mtimes stays fresh.
 */
const { createHash } = require('node:crypto');
const { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

const ROOT = join(__dirname, '..');
const BUNDLE = join(ROOT, 'dist', 'cli', 'main.js');
const MANIFEST = join(ROOT, 'dist', 'build-manifest.json');
/** Shape version written by scripts/build.js. */
const MANIFEST_VERSION = 1;
/** Set to 1 to run the sources through tsx even when the bundle is fresh (debugging). */
const FROM_SOURCE_ENV = 'IAMCTL_FROM_SOURCE';

/**
 * Why the bundle cannot be used, or undefined when it matches the sources.
 * @returns {string | undefined}
 */
function findStaleness() {
  /** @type {{ version?: number, inputs?: Record<string, { mtimeMs: number, size: number, sha256: string }> }} */
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'));
  } catch {
    return 'dist/ has not been built';
  }
  if (manifest.version !== MANIFEST_VERSION || manifest.inputs === undefined) return 'dist/ was built by another version of the build script';
  if (statSync(BUNDLE, { throwIfNoEntry: false }) === undefined) return 'dist/cli/main.js is missing';
  for (const [file, recorded] of Object.entries(manifest.inputs)) {
    const stat = statSync(join(ROOT, file), { throwIfNoEntry: false });
    if (stat === undefined) return `${file} was removed since the build`;
    if (stat.mtimeMs === recorded.mtimeMs && stat.size === recorded.size) continue;
    if (stat.size !== recorded.size) return `${file} changed since the build`;
    const sha256 = createHash('sha256').update(readFileSync(join(ROOT, file))).digest('hex');
    if (sha256 !== recorded.sha256) return `${file} changed since the build`;
  }
  return undefined;
}

/** @param {string} reason */
function runFromSource(reason) {
  const source = join(ROOT, 'src', 'cli', 'main.ts');
  let tsx = true;
  try {
    require.resolve('tsx/cjs');
  } catch {
    tsx = false;
  }
  if (!tsx || statSync(source, { throwIfNoEntry: false }) === undefined) {
    process.stderr.write(`error: iamctl cannot start: ${reason}, and the TypeScript sources cannot run here (tsx is a dev dependency): run npm run build\n`);
    process.exitCode = 2;
    return;
  }
  if (process.env[FROM_SOURCE_ENV] !== '1') {
    process.stderr.write(`iamctl: ${reason}: running the TypeScript sources through tsx (slow start); run npm run build for the fast CLI\n`);
  }
  require('tsx/cjs');
  require(source);
}

const COMPILE_CACHE = join(ROOT, 'dist', '.compile-cache');

/**
 * Runs the bundle with compiled code kept between runs: Node.js >= 22.1 through module.enableCompileCache; Node 20,
 * which lacks it, through a V8 code cache of the bundle per command (dist/.compile-cache/main.js.<node>.<command>.cache),
 * written after a command's first run and whenever V8 refuses it (another bundle, another V8). Compiling the 2.7 MB bundle is
 * about a third of a command's start-up (`--version`: 0.18 s without the cache, 0.13 s with it). Anything
 * unexpected (no write access, a broken cache file) falls back to a plain require.
 */
function requireBundle() {
  const Module = /** @type {any} */ (require('node:module'));
  if (typeof Module.enableCompileCache === 'function') {
    Module.enableCompileCache(COMPILE_CACHE);
    require(BUNDLE);
    return;
  }
  /** @type {{ fn: Function, script: import('node:vm').Script, cached: Buffer | undefined } | undefined} */
  let compiled;
  // One cache per command: V8 keeps the functions a run compiled, and each command runs different ones.
  const command = /^[a-z][a-z-]{0,30}$/.test(process.argv[2] ?? '') ? process.argv[2] : 'other';
  const cacheFile = join(COMPILE_CACHE, `main.js.${process.version}.${command}.cache`);
  try {
    const { Script } = require('node:vm');
    let cached;
    try {
      cached = readFileSync(cacheFile);
    } catch {
      cached = undefined;
    }
    const script = new Script(Module.wrap(readFileSync(BUNDLE, 'utf8')), { filename: BUNDLE, cachedData: cached });
    compiled = { fn: script.runInThisContext(), script, cached };
  } catch {
    compiled = undefined;
  }
  if (compiled === undefined) {
    require(BUNDLE);
    return;
  }
  const { fn, script, cached } = compiled;
  if (cached === undefined || script.cachedDataRejected === true) {
    process.once('exit', () => {
      try {
        mkdirSync(COMPILE_CACHE, { recursive: true });
        const temporary = `${cacheFile}.${process.pid}`;
        writeFileSync(temporary, script.createCachedData());
        renameSync(temporary, cacheFile);
      } catch {
        // A read-only checkout: the next run compiles again.
      }
    });
  }
  const bundleModule = new Module(BUNDLE, module);
  bundleModule.filename = BUNDLE;
  bundleModule.paths = Module._nodeModulePaths(dirname(BUNDLE));
  bundleModule.loaded = true;
  Module._cache[BUNDLE] = bundleModule;
  fn.call(bundleModule.exports, bundleModule.exports, Module.createRequire(BUNDLE), bundleModule, BUNDLE, dirname(BUNDLE));
}

const reason = process.env[FROM_SOURCE_ENV] === '1' ? `${FROM_SOURCE_ENV}=1` : findStaleness();
if (reason === undefined) requireBundle();
else runFromSource(reason);
