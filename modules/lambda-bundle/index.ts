export { bundleLambda, LAMBDA_NODE_TARGET } from './lambda-bundle';
