import { PolicyDocument } from '../../src/core/policy';
/** Hand-made resolved accounts for stack and guardrail tests (the loader is tested separately). */
import type { ResolvedAccount, ResolvedOrganization, ResolvedRole, SourceRef, TrustConfig } from '../../src/core/model';

export const ACCOUNT_FILE = 'accounts/workloads/app-prod/account.yaml';

export function source(file: string, path = '$'): SourceRef {
  return { file, path };
}

export const NO_TRUST: TrustConfig = { accounts: [], services: [], oidc: [], saml: [] };

/** A role with sensible defaults: lambda service trust, default boundary, one inline policy. */
export function makeRole(name: string, overrides: Partial<ResolvedRole> = {}): ResolvedRole {
  const file = `accounts/workloads/app-prod/roles/${name}.yaml`;
  return {
    name,
    description: `${name} role`,
    owner: 'team-app',
    kind: 'service',
    path: '/',
    maxSessionDuration: 3600,
    trust: { ...NO_TRUST, services: ['lambda.amazonaws.com'] },
    managedPolicies: [],
    inlinePolicies: [
      {
        name: 'read-bucket',
        document: PolicyDocument.fromJson({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::app-data/*' }] }),
        source: source(file, '$.inline[0]'),
      },
    ],
    boundary: { kind: 'default', name: 'iam-platform-boundary' },
    tags: {},
    lint: [],
    source: source(file),
    ...overrides,
  };
}

export function makeAccount(overrides: Partial<ResolvedAccount> = {}): ResolvedAccount {
  return {
    name: 'app-prod',
    id: '111122223333',
    ou: 'workloads',
    environment: 'prod',
    owner: 'team-app',
    regions: ['eu-west-1', 'eu-central-1'],
    deployRoleArn: 'arn:aws:iam::111122223333:role/iam-platform-deploy',
    tags: { 'cost-center': 'cc-42' },
    requiredTags: ['owner', 'cost-center'],
    stackName: 'iam-app-prod',
    backend: { type: 'local' },
    permissionBoundary: {
      name: 'iam-platform-boundary',
      path: '/',
      document: PolicyDocument.fromJson({ Version: '2012-10-17', Statement: [{ Sid: 'AllowAll', Effect: 'Allow', Action: '*', Resource: '*' }, { Sid: 'DenyIamUsers', Effect: 'Deny', Action: 'iam:CreateUser', Resource: '*' }] }),
      lint: [],
      source: source('accounts/org.yaml', '$.permissionBoundary'),
    },
    policies: [
      {
        name: 'app-deploy',
        path: '/',
        document: PolicyDocument.fromJson({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['lambda:UpdateFunctionCode'], Resource: 'arn:aws:lambda:eu-west-1:111122223333:function:app-*' }] }),
        tags: {},
        lint: [],
        origin: 'account',
        source: source('accounts/workloads/app-prod/policies/app-deploy.yaml'),
      },
    ],
    roles: [makeRole('app')],
    oidcProviders: [],
    drift: { mode: 'alert', enabled: false },
    sources: ['accounts/org.yaml', 'accounts/workloads/ou.yaml', ACCOUNT_FILE],
    source: source(ACCOUNT_FILE),
    ...overrides,
  };
}

export function makeOrg(accounts: readonly ResolvedAccount[]): ResolvedOrganization {
  return { name: 'acme', rootDir: '/nonexistent', defaultRegion: 'eu-west-1', accounts };
}
