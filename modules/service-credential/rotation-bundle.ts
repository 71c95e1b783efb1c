/** Bundles the rotation Lambda (src/lambda/rotation) with esbuild into a folder TerraformAsset zips. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';

/** Entry point of the rotation Lambda. */
export const ROTATION_LAMBDA_ENTRY = resolve(__dirname, '..', '..', 'src', 'lambda', 'rotation', 'index.ts');
/** Node.js target of the bundle; matches the runtime. */
export const ROTATION_LAMBDA_NODE_TARGET = 'node22';

let cached: string | undefined;

/** Bundles the handler into `<dir>/index.js`, minified, once per process. Returns the folder. */
export function bundleRotationLambda(): string {
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'iam-platform-rotation-lambda-'));
  buildSync({
    entryPoints: [ROTATION_LAMBDA_ENTRY],
    outfile: join(dir, 'index.js'),
    bundle: true,
    platform: 'node',
    target: ROTATION_LAMBDA_NODE_TARGET,
    format: 'cjs',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  cached = dir;
  return dir;
}
