import { PolicyDocument } from '../../src/core/policy';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatProblem, isIamPlatformError, type IamPlatformError } from '../../src/core/errors';
import { synthesizeOrganization, validateOrganization } from '../../stacks';
import { ACCOUNT_FILE, makeAccount, makeOrg, makeRole, NO_TRUST, source } from './account-fixture';

const ROLE = (name: string) => `accounts/workloads/app-prod/roles/${name}.yaml`;

function captureError(fn: () => unknown): IamPlatformError {
  try {
    fn();
  } catch (error) {
    if (isIamPlatformError(error)) return error;
    throw error;
  }
  throw new Error('expected an IamPlatformError');
}

describe('account guardrails at synth', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'h3-guard-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('stops the synth with every violation, each naming the file and path, and writes nothing', () => {
    // Given an account without a default boundary, a human trust without MFA, an oversized policy,
    // a duplicate role name and an OIDC provider missing the required cost-center tag
    const bigStatement = { Effect: 'Allow' as const, Action: Array.from({ length: 500 }, (_, i) => `s3:Action${i}`), Resource: '*' };
    const account = makeAccount({
      permissionBoundary: undefined,
      tags: {},
      oidcProviders: [{ provider: 'gitlab', url: 'https://gitlab.com', clientIds: ['https://gitlab.com'], thumbprints: [] }],
      policies: [
        {
          name: 'huge',
          path: '/',
          document: PolicyDocument.fromJson({ Version: '2012-10-17', Statement: [bigStatement] }),
          tags: { 'cost-center': 'cc-1' },
          lint: [],
          origin: 'account',
          source: source('accounts/workloads/app-prod/policies/huge.yaml'),
        },
      ],
      roles: [
        makeRole('admin', {
          boundary: { kind: 'none', reason: 'platform admins manage boundaries' },
          tags: { 'cost-center': 'cc-1' },
          trust: { ...NO_TRUST, accounts: [{ principals: ['999988887777'], kind: 'human', requireMfa: false, source: source(ROLE('admin'), '$.trust.accounts[0]') }] },
        }),
        makeRole('app', { tags: { 'cost-center': 'cc-1' } }),
        makeRole('App', { source: source(ROLE('App-copy')), tags: { 'cost-center': 'cc-1' }, boundary: { kind: 'none', reason: 'test' } }),
      ],
    });
    const outdir = path.join(tmp, 'cdktf.out');
    // When the organization is synthesized
    const error = captureError(() => synthesizeOrganization(makeOrg([account]), { outdir }));
    // Then one error lists every problem and nothing is written
    expect(error.code).toBe('IAMP_GUARDRAIL_VIOLATION');
    expect(error.message).toBe('Guardrails failed: 5 errors in iam-app-prod; nothing was written');
    expect(error.problems.map(formatProblem)).toEqual([
      'accounts/workloads/app-prod/policies/huge.yaml: managed policy "huge": [size-limit] The identity policy is 7473 characters without whitespace, over the AWS limit MAX_MANAGED_POLICY_CHARS (6144): split it by concern or use wildcards that match exactly the actions needed',
      `${ACCOUNT_FILE}: OIDC provider https://gitlab.com is missing required tags cost-center: add them to its tags or to the account's tags`,
      'accounts/workloads/app-prod/roles/admin.yaml $.trust.accounts[0]: role "admin" lets humans from 999988887777 assume it without MFA: human cross-account trust must require MFA (or mark machine access kind: workload)',
      'accounts/workloads/app-prod/roles/app.yaml: role "app" has no permission boundary: give the account a default boundary, name one in the role\'s "boundary", or opt out with a written reason',
      'accounts/workloads/app-prod/roles/App-copy.yaml: role name "App" is already used by accounts/workloads/app-prod/roles/app.yaml: role names are unique in an account (case-insensitive)',
    ]);
    expect(fs.existsSync(outdir)).toBe(false);
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  it('reports an inline policy that is not a valid policy and a reference to a missing policy', () => {
    const account = makeAccount({
      roles: [
        makeRole('app', {
          inlinePolicies: [{ name: 'bad', document: PolicyDocument.fromJson({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject' }] }), source: source(ROLE('app'), '$.inline[0].document') }],
          managedPolicies: [{ kind: 'customer', name: 'nope', source: source(ROLE('app'), '$.policies[0]') }],
        }),
      ],
    });
    const error = captureError(() => validateOrganization(makeOrg([account])));
    expect(error.problems.map(formatProblem)).toEqual([
      'accounts/workloads/app-prod/roles/app.yaml $.policies[0]: role "app" attaches policy "nope", which is not a policy of account app-prod nor of the policy library',
      'accounts/workloads/app-prod/roles/app.yaml $.inline[0].document.Statement[0].Resource: inline policy "bad" of role "app": [invalid-document] Resource is missing: every statement of this policy type needs Resource or NotResource',
    ]);
  });

  it('writes one stack per account when clean and replaces the output folder', () => {
    const outdir = path.join(tmp, 'cdktf.out');
    fs.mkdirSync(path.join(outdir, 'stacks', 'stale'), { recursive: true });
    const second = makeAccount({ name: 'app-dev', id: '444455556666', stackName: 'iam-app-dev', deployRoleArn: 'arn:aws:iam::444455556666:role/deploy' });
    const result = synthesizeOrganization(makeOrg([makeAccount(), second]), { outdir });
    expect(result.stacks.map((s) => [s.stack, path.relative(outdir, s.file), s.resources])).toEqual([
      ['iam-app-prod', 'stacks/iam-app-prod/cdk.tf.json', 4],
      ['iam-app-dev', 'stacks/iam-app-dev/cdk.tf.json', 4],
    ]);
    expect(result.annotations.filter((a) => a.level === 'error')).toEqual([]);
    expect(fs.readdirSync(path.join(outdir, 'stacks')).sort()).toEqual(['iam-app-dev', 'iam-app-prod']);
  });

  it('synthesizes only the named accounts and rejects unknown names', () => {
    const org = makeOrg([makeAccount(), makeAccount({ name: 'app-dev', stackName: 'iam-app-dev' })]);
    const result = validateOrganization(org, { accounts: ['app-dev'] });
    expect(result.stacks.map((s) => s.stack)).toEqual(['iam-app-dev']);
    expect(captureError(() => validateOrganization(org, { accounts: ['nope'] })).message).toBe('Unknown account "nope": the organization has app-prod, app-dev');
  });

  it('refuses an output folder it would wrongly replace', () => {
    const org = { ...makeOrg([makeAccount()]), rootDir: tmp };
    fs.writeFileSync(path.join(tmp, 'notes.txt'), 'keep me');
    expect(captureError(() => synthesizeOrganization(org, { outdir: tmp })).message).toBe(
      `--outdir ${tmp} contains the organization (${tmp}): synth replaces the output folder; choose a folder such as cdktf.out`,
    );
    const other = path.join(tmp, 'docs');
    fs.mkdirSync(other);
    fs.writeFileSync(path.join(other, 'a.md'), 'x');
    expect(captureError(() => synthesizeOrganization(org, { outdir: other })).message).toBe(
      `--outdir ${other} is not empty and is not a synth output (no manifest.json or stacks/): synth replaces the output folder; choose a new or empty folder`,
    );
    expect(fs.readFileSync(path.join(other, 'a.md'), 'utf8')).toBe('x');
  });
});
