import { readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { reportCommand } from '../../src/cli/commands/report';
import { runCli } from '../../src/cli/program';
import type { AccessReview } from '../../src/core/reports';
import type { PolicyRecord } from '../../src/core/registry';
import { FileRegistryStore } from '../../src/io/registry';
import { captureOutput } from '../support/capture-output';
import { EXAMPLE_ORG_ROOT } from '../support/example-org';
import { LAMBDA_ESCALATION_ROLE, copyExampleOrg, writeRole } from './example-copy';

jest.setTimeout(60_000);

async function review(cwd: string, args: readonly string[] = []): Promise<{ code: number; json: AccessReview; stderr: string }> {
  const output = captureOutput();
  const code = await runCli(['report', 'access-review', '--format', 'json', ...args], [reportCommand], { output, cwd });
  return { code, json: JSON.parse(output.stdout() || '{}') as AccessReview, stderr: output.stderr() };
}

/** (account, role name, how) of every admin holder: written from accounts/, not from the code under test. */
function holders(r: AccessReview): string[] {
  return [...new Set(r.accounts.flatMap((a) => a.adminPaths.filter((p) => p.principal === p.role).map((p) => `${a.account} ${p.role.split('/').pop()} ${p.via}`)))].sort();
}

const ALL_ACCOUNTS = ['app-dev', 'app-prod', 'app-staging', 'data-prod', 'log-archive', 'management', 'security', 'shared-services'];
/** org.yaml: platform-admin (AdministratorAccess) goes to the infrastructure and workloads OUs. */
const PLATFORM_ADMIN_ACCOUNTS = ['app-dev', 'app-prod', 'app-staging', 'data-prod', 'shared-services'];

describe('iamctl report access-review on the example organization', () => {
  let dir: string;
  beforeEach(() => {
    dir = copyExampleOrg();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('names every admin holder of accounts/ and every third-party trust with its external id', async () => {
    const { json } = await review(EXAMPLE_ORG_ROOT);
    // Given org.yaml: break-glass (AdministratorAccess) in every account, platform-admin in two OUs, and
    // tfc-iam-apply and the deploy role iam-platform-deploy, whose iam-platform-deployer policy writes IAM policies
    // (escalation, no boundary by choice).
    const expected = [
      ...ALL_ACCOUNTS.map((a) => `${a} break-glass has-admin`),
      ...PLATFORM_ADMIN_ACCOUNTS.map((a) => `${a} platform-admin has-admin`),
      ...ALL_ACCOUNTS.map((a) => `${a} tfc-iam-apply can-become`),
      ...ALL_ACCOUNTS.map((a) => `${a} iam-platform-deploy can-become`),
    ].sort();
    expect(holders(json)).toEqual(expected);
    // The one third party of accounts/: Datadog in app-prod (roles/datadog-integration.yaml).
    expect(json.thirdPartyTrust.map((t) => [t.account, t.role, t.from, t.externalId])).toEqual([
      ['app-prod', 'arn:aws:iam::530987654321:role/datadog-integration', 'AWS account 464622532012', '3f1c2a9be07d4e8c9a5b6d7e8f901234'],
    ]);
    // People in management reach admin of app-prod through platform-admin, with MFA.
    const prod = json.accounts.find((a) => a.account === 'app-prod')!;
    expect(prod.adminPaths.find((p) => p.principal === 'management (210987654321)' && p.role.endsWith('role/platform-admin'))?.steps).toEqual([
      'management (210987654321) can assume arn:aws:iam::530987654321:role/platform-admin (human, MFA)',
      'arn:aws:iam::530987654321:role/platform-admin has admin access (aws:AdministratorAccess)',
    ]);
  });

  it('shows a path added through iam:PassRole + lambda:CreateFunction (+ lambda:InvokeFunction) with its path, in JSON and HTML', async () => {
    // Given a role in app-dev that people in management assume, with PassRole and Lambda create + invoke on any target
    writeRole(dir, 'workloads/app-dev', 'lambda-deployer', LAMBDA_ESCALATION_ROLE);
    // When the review runs
    const { json } = await review(dir);
    // Then app-dev lists the escalation, held by the role and reached from management
    const dev = json.accounts.find((a) => a.account === 'app-dev')!;
    const arn = 'arn:aws:iam::510987654321:role/lambda-deployer';
    const paths = dev.adminPaths.filter((p) => p.role === arn);
    expect(paths.map((p) => [p.principal, p.via, p.escalations])).toEqual([
      [arn, 'can-become', ['lambda-001']],
      // management's break-glass role may call sts:AssumeRole on any role, and the new role trusts management.
      ['arn:aws:iam::210987654321:role/break-glass', 'can-become', ['lambda-001']],
      ['management (210987654321)', 'can-become', ['lambda-001']],
    ]);
    expect(paths[2].steps).toEqual([
      `management (210987654321) can assume ${arn} (human, MFA)`,
      `${arn} can become admin by lambda-001 [iam:PassRole + lambda:CreateFunction + lambda:InvokeFunction]`,
    ]);
    expect(json.decisions.filter((d) => d.subject === arn).map((d) => [d.kind, d.decision, d.status, d.owner])).toEqual([
      ['admin-path', 'pending', 'open', 'app-team'],
      ['admin-path', 'pending', 'open', 'app-team'],
      ['admin-path', 'pending', 'open', 'app-team'],
    ]);
    const output = captureOutput();
    await runCli(['report', 'access-review', '--format', 'html'], [reportCommand], { output, cwd: dir });
    expect(output.stdout()).toContain(`management (210987654321) can assume ${arn} (human, MFA) → ${arn} can become admin by lambda-001 [iam:PassRole + lambda:CreateFunction + lambda:InvokeFunction]`);
    expect(output.stdout()).toContain('3f1c2a9be07d4e8c9a5b6d7e8f901234');
  });

  it('does not report the Lambda path when PassRole is limited to EC2 (iam:PassedToService)', async () => {
    writeRole(dir, 'workloads/app-dev', 'lambda-deployer', LAMBDA_ESCALATION_ROLE.replace('        Resource: "*"\n      - Sid: CreateAndRunFunctions', '        Resource: "*"\n        Condition:\n          StringEquals:\n            iam:PassedToService: ec2.amazonaws.com\n      - Sid: CreateAndRunFunctions'));
    const { json } = await review(dir);
    expect(json.accounts.find((a) => a.account === 'app-dev')!.adminPaths.filter((p) => p.role.endsWith('/lambda-deployer'))).toEqual([]);
  });

  it('reads the previous review back: decisions carry over, kept items close, removed access resolves, changes come from git', async () => {
    // Given a git repository with the example org and the Lambda role, and a first review
    writeRole(dir, 'workloads/app-dev', 'lambda-deployer', LAMBDA_ESCALATION_ROLE);
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
    git('init', '-q');
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'add', '-A');
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'base');
    const first = await review(dir, ['--now', '2026-12-01T09:00:00Z']);
    expect(first.json.commit).toMatch(/^[0-9a-f]{40}$/);
    const lambdaPath = first.json.decisions.find((d) => d.subject.endsWith('/lambda-deployer') && d.finding.startsWith('management'))!;
    const datadog = first.json.decisions.find((d) => d.kind === 'third-party-trust')!;
    const breakGlass = first.json.decisions.find((d) => d.kind === 'no-boundary' && d.subject === 'arn:aws:iam::510987654321:role/break-glass')!;
    expect([lambdaPath.due, datadog.due]).toEqual(['2026-12-15', '2026-12-15']);
    // When the owners decide (Datadog kept, the Lambda path removed, break-glass left pending) and the role is deleted
    const decided = {
      ...first.json,
      decisions: first.json.decisions.map((d) => (d.id === datadog.id ? { ...d, decision: 'keep', note: 'integration reviewed' } : d.id === lambdaPath.id ? { ...d, decision: 'remove' } : d)),
    };
    writeFileSync(join(dir, 'review-1.json'), JSON.stringify(decided));
    unlinkSync(join(dir, 'accounts/workloads/app-dev/roles/lambda-deployer.yaml'));
    const second = await review(dir, ['--now', '2026-12-20T09:00:00Z', '--previous', 'review-1.json']);
    // Then
    const row = (id: string) => second.json.decisions.find((d) => d.id === id)!;
    expect([row(datadog.id).decision, row(datadog.id).status, row(datadog.id).note, row(datadog.id).carriedOver]).toEqual(['keep', 'closed', 'integration reviewed', true]);
    expect([row(lambdaPath.id).decision, row(lambdaPath.id).status]).toEqual(['remove', 'resolved']);
    expect([row(breakGlass.id).decision, row(breakGlass.id).status, row(breakGlass.id).overdue, row(breakGlass.id).firstSeen]).toEqual(['pending', 'open', true, '2026-12-01']);
    expect(second.code).toBe(1);
    expect(second.json.changes.source).toBe('git');
    expect(second.json.changes.items.some((c) => c.account === 'app-dev' && c.subject === 'role lambda-deployer')).toBe(true);
  });

  it('takes the changes from the policy record when there is one', async () => {
    // Given a first review and a record file with one version applied before it and one after
    const first = await review(dir, ['--now', '2026-12-01T09:00:00Z']);
    writeFileSync(join(dir, 'review-1.json'), JSON.stringify(first.json));
    const store = new FileRegistryStore(join(dir, 'record.json'));
    const record = (name: string, at: string, commit: string) =>
      ({ schemaVersion: 1, account: 'app-prod', accountId: '530987654321', ou: 'workloads', resourceType: 'role', resourceName: name, resourceArn: `arn:aws:iam::530987654321:role/${name}`, commit, hash: 'h', content: {}, status: 'applied', mergeRequest: '!42', approver: 'alice', source: 'pipeline', recordedAt: at, events: [{ status: 'applied', at }] }) as unknown as PolicyRecord;
    await store.put([record('app-worker', '2026-11-30T10:00:00Z', 'a'.repeat(40)), record('datadog-integration', '2026-12-03T10:00:00Z', 'b'.repeat(40))]);
    // When the next review reads it
    const second = await review(dir, ['--now', '2026-12-08T09:00:00Z', '--previous', 'review-1.json', '--registry', 'file:record.json']);
    // Then only the later version is a change
    expect(second.json.changes).toEqual({
      source: 'registry',
      since: '2026-12-01T09:00:00.000Z',
      items: [{ account: 'app-prod', subject: 'role datadog-integration', reason: `applied at commit ${'b'.repeat(12)}, merge request !42, approved by alice`, date: '2026-12-03T10:00:00Z' }],
    });
  });

  it('names the file and field of a bad previous review', async () => {
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ report: 'access-review', decisions: [{ id: 'x', decision: 'maybe' }] }));
    const { code, stderr } = await review(dir, ['--previous', 'bad.json']);
    expect(code).toBe(2);
    expect(stderr).toContain('previous review bad.json: $.decisions[0].kind must be a string');
    expect(stderr).toContain('$.decisions[0].decision must be one of pending, keep, reduce, remove, got "maybe"');
    expect(readFileSync(join(dir, 'bad.json'), 'utf8')).toContain('maybe');
  });
});
