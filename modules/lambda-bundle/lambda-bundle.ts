/** Bundles a Lambda handler of src/lambda with esbuild into a folder that TerraformAsset zips. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';

/** Node.js target of every Lambda bundle; matches the `nodejs22.x` runtime the modules deploy. */
export const LAMBDA_NODE_TARGET = 'node22';

const bundles = new Map<string, string>();

/**
 * Bundles `entry` (and the AWS SDK clients it uses) into `<dir>/index.js`, minified, once per process and
 * entry: every stack that deploys the same handler shares the folder. Returns the folder.
 * @param entry absolute path of the handler's TypeScript entry point
 * @param name short name for the temporary folder (`drift`, `rotation`)
 */
export function bundleLambda(entry: string, name: string): string {
  const cached = bundles.get(entry);
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), `iam-platform-${name}-lambda-`));
  buildSync({
    entryPoints: [entry],
    outfile: join(dir, 'index.js'),
    bundle: true,
    platform: 'node',
    target: LAMBDA_NODE_TARGET,
    format: 'cjs',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  bundles.set(entry, dir);
  return dir;
}
