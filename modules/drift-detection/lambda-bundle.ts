/** Bundles the drift Lambda (src/lambda) with esbuild into a folder TerraformAsset zips. */
import { resolve } from 'node:path';
import { bundleLambda, LAMBDA_NODE_TARGET } from '../lambda-bundle';

/** Entry point of the drift Lambda. */
export const DRIFT_LAMBDA_ENTRY = resolve(__dirname, '..', '..', 'src', 'lambda', 'index.ts');
/** Node.js target of the bundle; matches the runtime. */
export const DRIFT_LAMBDA_NODE_TARGET = LAMBDA_NODE_TARGET;

/** Bundles the handlers into `<dir>/index.js`, once per process: every account stack shares the folder. */
export function bundleDriftLambda(): string {
  return bundleLambda(DRIFT_LAMBDA_ENTRY, 'drift');
}
