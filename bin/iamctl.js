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
const { readFileSync, statSync } = require('node:fs');
const { join } = require('node:path');

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

/** Node.js >= 22.1 keeps compiled code between runs (a no-op on Node 20, which lacks the API). */
function enableCompileCache() {
  const nodeModule = /** @type {{ enableCompileCache?: (dir: string) => unknown }} */ (/** @type {unknown} */ (require('node:module')));
  nodeModule.enableCompileCache?.(join(ROOT, 'dist', '.compile-cache'));
}

const reason = process.env[FROM_SOURCE_ENV] === '1' ? `${FROM_SOURCE_ENV}=1` : findStaleness();
if (reason === undefined) {
  enableCompileCache();
  require(BUNDLE);
}
else runFromSource(reason);
