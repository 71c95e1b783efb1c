/** Bundles the drift Lambda (src/lambda) with esbuild into a folder TerraformAsset zips. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';

/** Entry point of the drift Lambda. */
export const DRIFT_LAMBDA_ENTRY = resolve(__dirname, '..', '..', 'src', 'lambda', 'index.ts');
/** Node.js target of the bundle; matches the runtime. */
export const DRIFT_LAMBDA_NODE_TARGET = 'node22';

let cached: string | undefined;

/**
 * Bundles the handlers (and the AWS SDK clients they use) into `<dir>/index.js`, minified, once per
 * process: every account stack shares the folder. Returns the folder.
 */
export function bundleDriftLambda(): string {
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'iam-platform-drift-lambda-'));
  buildSync({
    entryPoints: [DRIFT_LAMBDA_ENTRY],
    outfile: join(dir, 'index.js'),
    bundle: true,
    platform: 'node',
    target: DRIFT_LAMBDA_NODE_TARGET,
    format: 'cjs',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  cached = dir;
  return dir;
}
