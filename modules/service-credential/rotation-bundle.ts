/** Bundles the rotation Lambda (src/lambda/rotation) with esbuild into a folder TerraformAsset zips. */
import { resolve } from 'node:path';
import { bundleLambda, LAMBDA_NODE_TARGET } from '../lambda-bundle';

/** Entry point of the rotation Lambda. */
export const ROTATION_LAMBDA_ENTRY = resolve(__dirname, '..', '..', 'src', 'lambda', 'rotation', 'index.ts');
/** Node.js target of the bundle; matches the runtime. */
export const ROTATION_LAMBDA_NODE_TARGET = LAMBDA_NODE_TARGET;

/** Bundles the handler into `<dir>/index.js`, once per process. Returns the folder. */
export function bundleRotationLambda(): string {
  return bundleLambda(ROTATION_LAMBDA_ENTRY, 'rotation');
}
