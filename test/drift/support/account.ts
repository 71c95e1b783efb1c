import { PolicyDocument } from '../../../src/core/policy';
/** A hand-made resolved account for drift tests (independent of the accounts/ loader). */
import type { DesiredInventory } from '../../../src/core/drift';
import type { ResolvedAccount, ResolvedRole, SourceRef } from '../../../src/core/model';
import { synthesizeDesiredInventory } from '../../../stacks/app';

const source: SourceRef = { file: 'accounts/workloads/app-prod/account.yaml', path: '$' };

/** Account id of the test account: moto's default account, so ARNs match what moto returns. */
export const TEST_ACCOUNT_ID = '123456789012';

function role(partial: Partial<ResolvedRole> & Pick<ResolvedRole, 'name'>): ResolvedRole {
  return {
    description: `${partial.name} role`,
    owner: 'platform-team',
    kind: 'standard',
    path: '/',
    maxSessionDuration: 3600,
    trust: { accounts: [{ principals: ['111111111111'], kind: 'human', requireMfa: true, mfaMaxAgeSeconds: 3600, source }], services: [], oidc: [], saml: [] },
    managedPolicies: [],
    inlinePolicies: [],
    boundary: { kind: 'default', name: 'iam-platform-boundary' },
    tags: {},
    lint: [],
    source,
    ...partial,
  };
}

/** app-prod: an app role (inline + customer + AWS managed policy, boundary), a CI role, a break-glass role. */
export function buildTestAccount(overrides: Partial<ResolvedAccount> = {}): ResolvedAccount {
  return {
    name: 'app-prod',
    id: TEST_ACCOUNT_ID,
    ou: 'workloads',
    environment: 'prod',
    owner: 'app-team',
    regions: ['us-east-1'],
    deployRoleArn: `arn:aws:iam::${TEST_ACCOUNT_ID}:role/iam-platform-deploy`,
    tags: { environment: 'prod' },
    requiredTags: ['owner'],
    stackName: 'iam-app-prod',
    backend: { type: 'local' },
    permissionBoundary: {
      name: 'iam-platform-boundary',
      path: '/',
      document: PolicyDocument.fromJson({ Version: '2012-10-17', Statement: [{ Sid: 'All', Effect: 'Allow', Action: '*', Resource: '*' }, { Sid: 'NoIam', Effect: 'Deny', Action: ['iam:CreateUser', 'iam:CreateAccessKey'], Resource: '*' }] }),
      lint: [],
      source,
    },
    policies: [
      {
        name: 'app-data-read',
        path: '/',
        document: PolicyDocument.fromJson({ Version: '2012-10-17', Statement: [{ Sid: 'Read', Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::app-data', 'arn:aws:s3:::app-data/*'] }] }),
        tags: {},
        lint: [],
        origin: 'account',
        source,
      },
    ],
    roles: [
      role({
        name: 'app-operator',
        tags: { owner: 'app-team' },
        managedPolicies: [
          { kind: 'customer', name: 'app-data-read', source },
          { kind: 'aws', name: 'ReadOnlyAccess', source },
        ],
        inlinePolicies: [{ name: 'logs', document: PolicyDocument.fromJson({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'logs:GetLogEvents', Resource: '*' }] }), source }],
      }),
      role({
        name: 'app-ci',
        path: '/ci/',
        trust: { accounts: [], services: ['codebuild.amazonaws.com'], oidc: [], saml: [] },
        tags: { owner: 'app-team' },
      }),
      role({ name: 'break-glass', kind: 'break-glass', boundary: { kind: 'none', reason: 'emergency access' }, managedPolicies: [{ kind: 'aws', name: 'AdministratorAccess', source }], tags: { owner: 'security' } }),
    ],
    oidcProviders: [],
    drift: { mode: 'remediate', enabled: true },
    sources: ['accounts/org.yaml', 'accounts/workloads/ou.yaml', 'accounts/workloads/app-prod/account.yaml'],
    source,
    ...overrides,
  };
}

const desiredCache = new Map<string, DesiredInventory>();

/**
 * The desired inventory of a test account as every consumer gets it: its stack synthesized and the
 * cdk.tf.json read (stacks/app.ts synthesizeDesiredInventory). Cached per account value.
 */
export function desiredOf(account: ResolvedAccount): DesiredInventory {
  const key = JSON.stringify(account);
  let desired = desiredCache.get(key);
  if (!desired) {
    desired = synthesizeDesiredInventory(account);
    desiredCache.set(key, desired);
  }
  return desired;
}
