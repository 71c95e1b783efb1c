import { join } from 'node:path';
import { loadOrganization, selectAccounts, type ResolvedAccount, type ResolvedOrganization } from '../../src/config';
import { ERROR_CODES, IamPlatformError } from '../../src/core/errors';

const FIXTURES = join(__dirname, '..', 'fixtures', 'config');

function account(org: ResolvedOrganization, name: string): ResolvedAccount {
  const found = org.accounts.find((a) => a.name === name);
  if (!found) throw new Error(`no account ${name}`);
  return found;
}

function roleOrigins(a: ResolvedAccount): Record<string, string> {
  return Object.fromEntries(a.roles.map((r) => [r.name, r.template ?? 'file']));
}

describe('loadOrganization inheritance (test/fixtures/config/inheritance)', () => {
  const org = loadOrganization(join(FIXTURES, 'inheritance'));
  const alpha = account(org, 'alpha');
  const alpha2 = account(org, 'alpha2');
  const beta = account(org, 'beta');

  it('lists the accounts sorted by name with the org settings', () => {
    expect(org.name).toBe('inherit');
    expect(org.defaultRegion).toBe('eu-west-1');
    expect(org.accounts.map((a) => a.name)).toEqual(['alpha', 'alpha2', 'beta']);
  });

  it('deep-merges tags org → OU → account', () => {
    expect(alpha.tags).toEqual({ 'cost-center': 'platform', team: 'alpha', ou: 'alpha-account' });
    expect(alpha2.tags).toEqual({ 'cost-center': 'platform', team: 'alpha', ou: 'alpha' });
    expect(beta.tags).toEqual({ 'cost-center': 'platform', team: 'platform' });
  });

  it('deep-merges drift settings and fills in defaults', () => {
    expect(alpha.drift).toEqual({ mode: 'remediate', enabled: true });
    expect(beta.drift).toEqual({ mode: 'alert', enabled: false });
  });

  it('replaces lists: the OU regions list replaces the org list', () => {
    expect(alpha.regions).toEqual(['eu-central-1']);
    expect(beta.regions).toEqual(['eu-west-1', 'us-east-1']);
  });

  it('overrides scalars with the nearest value (owner, environment, deploy role)', () => {
    expect(alpha.owner).toBe('platform');
    expect(alpha2.owner).toBe('alpha-two');
    expect(alpha.environment).toBe('nonprod');
    expect(beta.environment).toBe('prod');
    expect(alpha.deployRoleArn).toBe('arn:aws:iam::100000000001:role/ou-deploy');
    expect(beta.deployRoleArn).toBe('arn:aws:iam::200000000001:role/custom/deployer');
  });

  it('replaces the permission boundary whole: an inline OU boundary wins over the org library one', () => {
    expect(alpha.permissionBoundary?.name).toBe('alpha-boundary');
    expect(alpha.permissionBoundary?.source.file).toBe('accounts/alpha-ou/ou.yaml');
    expect(alpha.permissionBoundary?.document.toJSON()).toEqual({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'iam:CreateAccessKey', Resource: '*' }] });
    expect(beta.permissionBoundary?.name).toBe('boundary');
    expect(beta.permissionBoundary?.source.file).toBe('accounts/policies/boundary.yaml');
  });

  it('names stacks after the Terraform Cloud workspace prefix and fills in backend defaults', () => {
    expect(alpha.stackName).toBe('acme-iam-alpha');
    expect(alpha.backend).toEqual({ type: 'cloud', organization: 'acme', hostname: 'app.terraform.io', project: 'iam', workspacePrefix: 'acme-iam-' });
  });

  it('applies templates by selector, OU templates over org templates of the same name, disableTemplates and file overrides', () => {
    // alpha: OU auditor replaces the org one; its ci.yaml replaces the ci-nonprod template; alpha-ops is disabled.
    expect(roleOrigins(alpha)).toEqual({ auditor: 'auditor', ci: 'file' });
    expect(alpha.roles.find((r) => r.name === 'auditor')?.description).toBe('OU auditor');
    expect(alpha.roles.find((r) => r.name === 'ci')?.description).toBe('replaces the ci template in alpha');
    // alpha2 gets the OU template and the nonprod CI template.
    expect(roleOrigins(alpha2)).toEqual({ 'alpha-ops': 'alpha-ops', auditor: 'auditor', ci: 'ci-nonprod' });
    // beta (no ou.yaml) gets the org templates: the prod CI template and the account-selected one.
    expect(roleOrigins(beta)).toEqual({ auditor: 'auditor', ci: 'ci-prod', shared: 'shared' });
    expect(beta.roles.find((r) => r.name === 'auditor')?.description).toBe('org auditor');
  });

  it('fills placeholders per account and resolves account names in trust to ids', () => {
    const ci2 = alpha2.roles.find((r) => r.name === 'ci');
    expect(ci2?.trust.oidc[0]).toMatchObject({ provider: 'gitlab', url: 'https://gitlab.com', audiences: ['https://gitlab.com'], subjects: ['project_path:acme/alpha2:ref_type:branch:ref:*'] });
    const ciBeta = beta.roles.find((r) => r.name === 'ci');
    expect(ciBeta?.trust.oidc[0]).toMatchObject({
      provider: 'terraform-cloud',
      url: 'https://app.terraform.io',
      audiences: ['aws.workload.identity'],
      subjects: ['organization:acme:project:iam:workspace:acme-iam-beta:run_phase:apply'],
    });
    const ciAlpha = alpha.roles.find((r) => r.name === 'ci');
    expect(ciAlpha?.trust.accounts[0]).toMatchObject({ principals: ['arn:aws:iam::100000000002:role/runner', '100000000002'], kind: 'workload', requireMfa: false });
    expect(ciAlpha?.trust.accounts[0].mfaMaxAgeSeconds).toBeUndefined();
  });

  it('defaults human trust to MFA within 3600 seconds and roles to the org role path, default boundary and 3600 s sessions', () => {
    const auditor = beta.roles.find((r) => r.name === 'auditor');
    expect(auditor?.trust.accounts[0]).toMatchObject({ principals: ['200000000001'], kind: 'human', requireMfa: true, mfaMaxAgeSeconds: 3600 });
    expect(auditor).toMatchObject({ path: '/platform/', maxSessionDuration: 3600, boundary: { kind: 'default', name: 'boundary' }, kind: 'audit' });
    expect(auditor?.managedPolicies).toMatchObject([{ kind: 'aws', name: 'SecurityAudit' }]);
  });

  it('creates the library policies an account uses, with placeholders filled in, and the OIDC providers its roles trust', () => {
    expect(beta.policies.map((p) => [p.name, p.origin])).toEqual([['shared-read', 'library']]);
    expect(beta.policies[0].document.toJSON()).toEqual({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::shared-200000000001/*' }] });
    expect(alpha.policies).toEqual([]);
    expect(beta.oidcProviders).toEqual([{ provider: 'terraform-cloud', url: 'https://app.terraform.io', clientIds: ['aws.workload.identity'], thumbprints: [] }]);
    expect(alpha.oidcProviders).toEqual([]);
  });

  it('records the files each account was resolved from and the line of each source', () => {
    expect(alpha.sources).toEqual(['accounts/org.yaml', 'accounts/alpha-ou/ou.yaml', 'accounts/alpha-ou/alpha/account.yaml']);
    expect(beta.sources).toEqual(['accounts/org.yaml', 'accounts/beta-ou/beta/account.yaml']);
    const ci = alpha.roles.find((r) => r.name === 'ci');
    expect(ci?.source).toEqual({ file: 'accounts/alpha-ou/alpha/roles/ci.yaml', path: '$', line: 1 });
    expect(ci?.trust.accounts[0].source).toEqual({ file: 'accounts/alpha-ou/alpha/roles/ci.yaml', path: '$.trust.accounts[0]', line: 6 });
    const shared = beta.roles.find((r) => r.name === 'shared');
    expect(shared?.source).toEqual({ file: 'accounts/org.yaml', path: '$.roleTemplates[3].role', line: 55 });
  });
});

describe('loadOrganization options and errors', () => {
  it('reads another accounts folder with accountsDir', () => {
    const org = loadOrganization(FIXTURES, { accountsDir: join('inheritance', 'accounts') });
    expect(org.accounts.map((a) => a.name)).toEqual(['alpha', 'alpha2', 'beta']);
    expect(org.accounts[0].source.file).toBe('inheritance/accounts/alpha-ou/alpha/account.yaml');
  });

  it('throws CONFIG_NOT_FOUND when there is no accounts folder', () => {
    expect(() => loadOrganization(join(FIXTURES, 'broken'))).toThrow(
      new IamPlatformError(ERROR_CODES.CONFIG_NOT_FOUND, 'no accounts folder at accounts: run iamctl from the repository root, or create accounts/org.yaml (see the README, "Layout")'),
    );
  });
});

describe('selectAccounts', () => {
  const org = loadOrganization(join(FIXTURES, 'inheritance'));

  it('returns the named accounts in organization order, and every account for no names', () => {
    expect(selectAccounts(org, ['beta', 'alpha', 'beta']).map((a) => a.name)).toEqual(['alpha', 'beta']);
    expect(selectAccounts(org, []).map((a) => a.name)).toEqual(['alpha', 'alpha2', 'beta']);
  });

  it('throws UNKNOWN_ACCOUNT naming every unknown account and the known ones', () => {
    let error: unknown;
    try {
      selectAccounts(org, ['bta', 'gamma', 'alpha']);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IamPlatformError);
    expect((error as IamPlatformError).code).toBe(ERROR_CODES.UNKNOWN_ACCOUNT);
    expect((error as IamPlatformError).message).toBe('unknown accounts "bta" (did you mean "beta"?), "gamma": known accounts are alpha, alpha2, beta');
  });
});
