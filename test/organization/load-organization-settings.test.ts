import { PolicyDocument } from '../../src/core/policy';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrganization } from '../../src/config';
import { ERROR_CODES, IamPlatformError, formatProblem, type Problem } from '../../src/core/errors';
import { lintOrganization } from '../../src/core/lint';
import { loadActionCatalog } from '../../src/io/catalog';
import { EXAMPLE_ORG_ROOT } from '../support/example-org';

/**
 * The organization level of accounts/: org.yaml `organization:` and accounts/scps/. Each folder of
 * test/fixtures/organization/loader-cases is copied over a temporary copy of the base organization
 * and lists the exact problems the loader reports.
 */
const FIXTURES = join(__dirname, '..', 'fixtures', 'organization');
const BASE = join(FIXTURES, 'base');
const CASES = join(FIXTURES, 'loader-cases');

interface LoaderCase {
  readonly name: string;
  readonly description: string;
  readonly problems: readonly Problem[];
}

const cases = readdirSync(CASES).map((name) => ({ dir: join(CASES, name), ...(JSON.parse(readFileSync(join(CASES, name, 'expected.json'), 'utf8')) as LoaderCase) }));

function loadWithCase(caseDir: string): unknown {
  const dir = mkdtempSync(join(tmpdir(), 'iamp-org-'));
  try {
    cpSync(BASE, dir, { recursive: true });
    cpSync(caseDir, dir, { recursive: true, filter: (src) => !src.endsWith('expected.json') });
    return loadOrganization(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('organization settings and SCPs in the loader', () => {
  it('resolves the base organization: SCP targets, trail and alert defaults', () => {
    const org = loadOrganization(BASE);
    expect(org.organization).toMatchObject({
      managementAccount: 'management',
      managementAccountId: '111111111111',
      trail: {
        name: 'organization-trail',
        logArchiveAccount: 'log-archive',
        logArchiveAccountId: '222222222222',
        logArchiveRegion: 'eu-central-1',
        logArchiveDeployRoleArn: 'arn:aws:iam::222222222222:role/iam-platform-deploy',
        bucketName: 'example-organization-trail-222222222222',
        logGroupName: '/aws/cloudtrail/organization-trail',
        logRetentionDays: 365,
      },
      alerts: { topicName: 'iam-change-alerts', namespace: 'CISBenchmark', breakGlassRoleName: 'break-glass', emails: ['security-oncall@example.com'] },
    });
    expect(org.organization?.scps.map((s) => [s.name, s.targets])).toEqual([
      ['deny-leave-organization', [{ kind: 'root' }]],
      ['deny-user-keys', [{ kind: 'ou', name: 'workloads' }, { kind: 'account', name: 'log-archive', id: '222222222222' }]],
    ]);
    expect(org.organization?.scps[1].source).toMatchObject({ file: 'accounts/scps/deny-user-keys.yaml', path: '$', line: 1 });
  });

  it('has the cases the task asks for', () => {
    expect(cases.map((c) => c.name)).toEqual(expect.arrayContaining(['unknown-target', 'too-many-scps-on-a-target', 'oversized-scp']));
  });

  it.each(cases)('$name: $description', ({ dir, problems }) => {
    let error: unknown;
    try {
      loadWithCase(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IamPlatformError);
    const platformError = error as IamPlatformError;
    expect(platformError.code).toBe(ERROR_CODES.INVALID_CONFIG);
    expect(platformError.problems).toEqual(problems);
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    expect(platformError.message).toBe([`invalid configuration in accounts/ (${count}):`, ...problems.map((p) => `  ${formatProblem(p)}`)].join('\n'));
  });

  it('leaves organization undefined when org.yaml has no organization section and there are no SCPs', () => {
    const org = loadOrganization(join(__dirname, '..', 'fixtures', 'config', 'base'));
    expect(org.organization).toBeUndefined();
  });
});

describe('the example organization (accounts/)', () => {
  const org = loadOrganization(EXAMPLE_ORG_ROOT);
  const settings = org.organization;

  it('ships the security SCPs, each under MAX_SCP_CHARS and attached to OUs or the root only', () => {
    expect(settings?.scps.map((s) => s.name)).toEqual(['deny-audit-tampering', 'deny-iam-user-credentials', 'protect-drift-detection', 'protect-iam-platform', 'restrict-break-glass-assume']);
    for (const scp of settings?.scps ?? []) {
      expect(JSON.stringify(scp.document).length).toBeLessThanOrEqual(5120);
      expect(scp.targets.every((t) => t.kind !== 'account')).toBe(true);
    }
  });

  it('lints every SCP clean at error and warning level', () => {
    // Given the resolved example organization
    // When the organization linter runs
    const findings = lintOrganization(org, loadActionCatalog()).filter((f) => f.policy.startsWith('service control policy'));
    // Then no SCP has an unsuppressed error or warning
    expect(findings.filter((f) => !f.suppressed && f.severity !== 'info')).toEqual([]);
  });

  it('exempts the pipeline and break-glass roles from the IAM-write deny, and limits break-glass to the management account', () => {
    const byName = new Map((settings?.scps ?? []).map((s) => [s.name, JSON.stringify(s.document)]));
    expect(byName.get('protect-iam-platform')).toContain('"ArnNotLike":{"aws:PrincipalARN":["arn:aws:iam::*:role/iam-platform-deploy","arn:aws:iam::*:role/tfc-iam-apply","arn:aws:iam::*:role/break-glass","arn:aws:iam::*:role/iam-platform-drift-handler"]}');
    expect(byName.get('restrict-break-glass-assume')).toContain(`"StringNotEquals":{"aws:PrincipalAccount":"${settings?.managementAccountId}"}`);
  });
});

describe('lintOrganization over SCPs', () => {
  it('reports an SCP that denies pipeline IAM actions without an exemption, with its file', () => {
    // Given an organization whose SCP denies iam:CreateRole to everyone
    const org = loadOrganization(BASE);
    const scp = org.organization!.scps[0];
    const locked = {
      ...org,
      organization: {
        ...org.organization!,
        scps: [{ ...scp, document: PolicyDocument.fromJson({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'iam:CreateRole', Resource: '*' }] }) }],
      },
    } as typeof org;
    // When it is linted
    const findings = lintOrganization(locked, loadActionCatalog()).filter((f) => f.rule === 'scp-locks-out-pipeline');
    // Then the finding names the SCP file, the management account and the path in the file
    expect(findings).toEqual([
      expect.objectContaining({
        file: 'accounts/scps/deny-leave-organization.yaml',
        account: 'management',
        policy: 'service control policy "deny-leave-organization"',
        path: '$.document.Statement[0].Action',
        severity: 'error',
      }),
    ]);
  });
});
