/** Identity by name and ARN, case-insensitive as IAM compares names (moto is case-sensitive, so this is tested here). */
import { iamArnKey, includesIamArn, isProtectedRole, isSameIamArn, isSameIamName, type DesiredInventory } from '../../src/core/drift';

const desired: DesiredInventory = {
  schemaVersion: 2,
  account: 'app-prod',
  accountId: '123456789012',
  mode: 'remediate',
  roles: [],
  policies: [],
  oidcProviders: [],
  pipelineRoleArns: ['arn:aws:iam::123456789012:role/iam-platform-deploy'],
  protectedRoleArns: ['arn:aws:iam::123456789012:role/break-glass', 'arn:aws:iam::123456789012:role/ci/app-worker', 'arn:aws:iam::123456789012:role/iam-platform-deploy'],
  platformPathPrefixes: ['/iam-platform/'],
};

describe('IAM identity', () => {
  it.each([
    ['Break-Glass', 'break-glass', true],
    ['APP-WORKER', 'app-worker', true],
    ['app-worker', 'app-worker2', false],
  ])('%s and %s are the same name: %s', (a, b, same) => {
    expect(isSameIamName(a, b)).toBe(same);
  });

  it('keys ARNs by partition, account, type and name, case-insensitively', () => {
    expect(iamArnKey('arn:aws:iam::123456789012:role/ci/APP-WORKER')).toBe('arn:aws:iam::123456789012:role/app-worker');
    expect(isSameIamArn('arn:aws:iam::123456789012:role/Break-Glass', 'arn:aws:iam::123456789012:role/break-glass')).toBe(true);
    expect(isSameIamArn('arn:aws:iam::123456789012:role/break-glass', 'arn:aws:iam::210987654321:role/break-glass')).toBe(false);
    expect(includesIamArn(desired.pipelineRoleArns, 'arn:aws:iam::123456789012:role/IAM-Platform-Deploy')).toBe(true);
  });

  it.each([
    ['Break-Glass', true],
    ['APP-WORKER', true],
    ['arn:aws:iam::123456789012:role/BREAK-GLASS', true],
    ['iam-platform-deploy', true],
    // A name prefix is no identity: only the deploy role itself is protected
    ['iam-platform-backdoor', false],
    ['iam-platform-drift-handler', false],
    ['arn:aws:iam::123456789012:role/iam-platform-backdoor', false],
    ['evil-backdoor', false],
  ])('protection of %s: %s', (role, expected) => {
    expect(isProtectedRole(desired, role)).toBe(expected);
  });
});
