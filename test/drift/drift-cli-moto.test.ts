/**
 * `iamctl drift` and `iamctl remediate` against moto: desired state applied as terraform would,
 * console changes made, drift reported, remediated, journaled, and clean afterwards.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  GetRoleCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { createDriftCommand } from '../../src/cli/commands/drift';
import { createRemediateCommand } from '../../src/cli/commands/remediate';
import type { CliOutput } from '../../src/cli/output';
import { runCli } from '../../src/cli/program';
import { buildDesiredInventory, type DriftReport } from '../../src/core/drift';
import type { ResolvedAccount } from '../../src/core/model';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbPolicyVersionStore, ensureVersionStoreTable, type JournalEntry } from '../../src/io/iam';
import { MOTO_CREDENTIALS, MOTO_REGION, type MotoServer, startMotoServer, useMotoEnvironment } from '../support/moto-server';
import { buildTestAccount } from './support/account';
import { applyDesiredInventory } from './support/apply-desired';
import { CONSOLE, createDeployRole, makeConsoleChanges } from './support/console-changes';
import { type FaultProxy, startFaultProxy } from './support/fault-proxy';

interface Captured {
  readonly out: string[];
  readonly err: string[];
  readonly output: CliOutput;
}

function capture(): Captured {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, output: { result: (t) => out.push(t), message: (t) => err.push(t), interactive: false } };
}

describe('iamctl drift / remediate against moto', () => {
  let moto: MotoServer;
  let iam: IAMClient;
  let cwd: string;
  const account: ResolvedAccount = buildTestAccount();
  const commands = [createDriftCommand({ loadAccount: () => account }), createRemediateCommand({ loadAccount: () => account })];
  const saved = { ...process.env };

  async function iamctl(args: readonly string[], endpoint = moto.endpoint): Promise<{ code: number; out: string; err: string }> {
    const c = capture();
    const code = await runCli([...args, '--endpoint-url', endpoint], commands, { output: c.output, cwd });
    return { code, out: c.out.join('\n'), err: c.err.join('\n') };
  }

  async function driftJson(extra: readonly string[] = []): Promise<{ code: number; report: DriftReport }> {
    const { code, out, err } = await iamctl(['drift', '--account', 'app-prod', '--format', 'json', ...extra]);
    if (code === 2) throw new Error(err);
    return { code, report: JSON.parse(out) as DriftReport };
  }

  function journalEntries(): JournalEntry[] {
    const dir = join(cwd, '.iamctl', 'journal', 'app-prod');
    return readdirSync(dir)
      .sort()
      .flatMap((f) => readFileSync(join(dir, f), 'utf8').trim().split('\n'))
      .map((line) => JSON.parse(line) as JournalEntry);
  }

  beforeAll(async () => {
    moto = await startMotoServer();
    useMotoEnvironment();
    iam = new IAMClient({ endpoint: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS });
  });
  afterAll(async () => {
    process.env = saved;
    await moto.stop();
  });
  beforeEach(async () => {
    await moto.reset();
    cwd = mkdtempSync(join(tmpdir(), 'iamctl-drift-'));
    // Given the desired state applied by a past terraform apply, and the pipeline's deploy role
    await applyDesiredInventory(iam, buildDesiredInventory(account));
    await createDeployRole(iam);
  });
  afterEach(() => rmSync(cwd, { recursive: true, force: true }));

  it('exits 0 with "No drift." on a clean account', async () => {
    const { code, out } = await iamctl(['drift', '--account', 'app-prod']);
    expect(code).toBe(0);
    expect(out).toContain('No drift.');
    expect(out).toContain('0 drift item(s): 0 changed, 0 missing, 0 unmanaged');
  });

  it('detects each console change, remediates with --apply, journals every replaced document, and is clean after', async () => {
    // Given console changes
    await makeConsoleChanges(iam);

    // When drift runs
    const first = await driftJson();
    // Then each change is reported with its kind and attribute, and the exit code is 1
    expect(first.code).toBe(1);
    expect(first.report.drift.map((d) => [d.kind, d.resourceType, d.name, d.attribute])).toEqual([
      ['changed', 'role', 'app-ci', 'permissionsBoundary'],
      ['changed', 'role', 'app-ci', 'trustPolicy'],
      ['changed', 'role', 'app-operator', 'inlinePolicies.console-added'],
      ['changed', 'role', 'app-operator', 'managedPolicies'],
      ['unmanaged', 'role', 'console-made', null],
      ['changed', 'policy', 'app-data-read', 'defaultVersion'],
    ]);
    expect(first.report).toMatchObject({ account: 'app-prod', accountId: '123456789012', summary: { total: 6, changed: 5, missing: 0, unmanaged: 1 } });
    const trust = first.report.drift.find((d) => d.attribute === 'trustPolicy');
    expect(trust?.actual).toEqual(CONSOLE.wideTrust);

    // When remediate runs without --apply
    const planOnly = await iamctl(['remediate', '--account', 'app-prod']);
    // Then it shows the plan, exits 1 and changes nothing
    expect(planOnly.code).toBe(1);
    expect(planOnly.out).toContain('Remediation plan for account app-prod (123456789012): 6 action(s)');
    expect(planOnly.out).toContain('detach arn:aws:iam::aws:policy/AdministratorAccess from role app-operator');
    expect(planOnly.out).toContain('Run again with --apply to make these changes.');
    expect((await driftJson()).report.drift).toHaveLength(6);

    // When remediate runs with --apply, keeping replaced documents in a DynamoDB version store too
    const dynamodb = new DynamoDBClient({ endpoint: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS });
    await ensureVersionStoreTable(dynamodb, 'iam-platform-policy-versions');
    const applied = await iamctl(['remediate', '--account', 'app-prod', '--apply', '--version-table', 'iam-platform-policy-versions']);
    expect(applied.err).toBe('');
    expect(applied.code).toBe(0);
    expect(applied.out).toContain('Applied 6 change(s).');

    // Then drift is clean, the unmanaged role is quarantined (not deleted)
    const second = await driftJson();
    expect(second.code).toBe(0);
    expect(second.report.drift).toEqual([]);
    expect(second.report.quarantined).toEqual(['console-made']);
    const quarantined = await iam.send(new ListRolePoliciesCommand({ RoleName: 'console-made' }));
    expect(quarantined.PolicyNames).toEqual(['iam-platform-quarantine']);

    // And the journal holds every replaced document before its change
    const before = journalEntries().filter((e) => e.phase === 'before');
    expect(before.map((e) => e.action.type)).toEqual([
      'set-default-policy-version',
      'put-boundary',
      'update-trust-policy',
      'delete-inline-policy',
      'detach-policy',
      'quarantine-role',
    ]);
    const replaced = Object.fromEntries(before.map((e) => [e.action.type, e.action.replaced]));
    expect(replaced['delete-inline-policy']).toEqual(CONSOLE.inlinePolicy);
    expect(replaced['update-trust-policy']).toEqual(CONSOLE.wideTrust);
    expect(replaced['detach-policy']).toBe('arn:aws:iam::aws:policy/AdministratorAccess');
    expect(replaced['put-boundary']).toBeNull();
    expect(replaced['set-default-policy-version']).toEqual({ versionId: 'v2', document: CONSOLE.policyVersion });
    expect(journalEntries().filter((e) => e.phase === 'applied')).toHaveLength(6);
    // And the version store holds them per resource
    const store = new DynamoDbPolicyVersionStore(dynamodb, 'iam-platform-policy-versions');
    expect((await store.list('arn:aws:iam::123456789012:role/ci/app-ci')).map((d) => [d.slot, d.value])).toEqual([
      ['permissions-boundary', null],
      ['trust-policy', CONSOLE.wideTrust],
    ]);

    // When remediate runs again, it has nothing to do (idempotent)
    const again = await iamctl(['remediate', '--account', 'app-prod', '--apply']);
    expect(again.code).toBe(0);
    expect(again.out).toContain('Nothing to change.');
  });

  it('assumes --role-arn in the account before reading IAM', async () => {
    const { code, out } = await iamctl(['drift', '--account', 'app-prod', '--role-arn', 'arn:aws:iam::123456789012:role/iam-platform-deploy']);
    expect(code).toBe(0);
    expect(out).toContain('No drift.');
  });

  it('reports an untagged hand-made role only with --scope account, and never the deploy or service-linked roles', async () => {
    // Given a hand-made role without the platform's tag or path
    await iam.send(new CreateRoleCommand({ RoleName: 'hand-made', AssumeRolePolicyDocument: JSON.stringify(CONSOLE.wideTrust) }));
    await iam.send(new CreateRoleCommand({ RoleName: 'AWSServiceRoleForSupport', Path: '/aws-service-role/support.amazonaws.com/', AssumeRolePolicyDocument: JSON.stringify(CONSOLE.wideTrust) }));
    // When drift runs in each scope
    const managed = await driftJson();
    const whole = await driftJson(['--scope', 'account']);
    // Then only the account scope sees it
    expect(managed.code).toBe(0);
    expect(whole.code).toBe(1);
    expect(whole.report.drift.map((d) => [d.kind, d.name])).toEqual([['unmanaged', 'hand-made']]);
  });

  it('reports changes to the break-glass role as protected and never remediates them', async () => {
    // Given an extra policy attached to the break-glass role
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'break-glass', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
    // When drift and remediate --apply run
    const { report } = await driftJson();
    const remediated = await iamctl(['remediate', '--account', 'app-prod', '--apply']);
    // Then the drift is reported as protected, skipped with the reason, and left in place
    expect(report.drift).toMatchObject([{ kind: 'changed', name: 'break-glass', attribute: 'managedPolicies', protected: true }]);
    expect(remediated.code).toBe(1);
    expect(remediated.out).toContain('changed role break-glass managedPolicies: protected role (break-glass, pipeline or platform infrastructure): never remediated');
    const attached = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'break-glass' }));
    expect(attached.AttachedPolicies?.map((p) => p.PolicyArn).sort()).toEqual(['arn:aws:iam::aws:policy/AdministratorAccess', 'arn:aws:iam::aws:policy/ReadOnlyAccess']);
  });

  describe('with injected API failures', () => {
    let proxy: FaultProxy | undefined;
    afterEach(async () => {
      await proxy?.stop();
      proxy = undefined;
    });

    it('drift exits 2 naming the throttled call and the fix', async () => {
      proxy = await startFaultProxy(moto.endpoint, [{ action: 'GetAccountAuthorizationDetails', code: 'Throttling', message: 'Rate exceeded' }]);
      const { code, out, err } = await iamctl(['drift', '--account', 'app-prod', '--max-attempts', '2'], proxy.endpoint);
      expect(code).toBe(2);
      expect(out).toBe('');
      expect(err).toBe(
        'error: IAM GetAccountAuthorizationDetails failed: Rate exceeded (Throttling). Fix: AWS throttled the call after 2 attempt(s) with adaptive retry; run again later, or raise --max-attempts',
      );
      expect(proxy.seen.get('GetAccountAuthorizationDetails')).toBe(2);
    });

    it('drift exits 2 on access denied, suggesting --role-arn', async () => {
      proxy = await startFaultProxy(moto.endpoint, [{ action: 'GetAccountAuthorizationDetails', code: 'AccessDenied', message: 'User is not authorized', status: 403 }]);
      const { code, err } = await iamctl(['drift', '--account', 'app-prod'], proxy.endpoint);
      expect(code).toBe(2);
      expect(err).toBe(
        'error: IAM GetAccountAuthorizationDetails failed: User is not authorized (AccessDenied). Fix: the credentials may not call iam:GetAccountAuthorizationDetails; grant it, or pass --role-arn with a role that may',
      );
    });

    it('remediate --apply that fails midway rolls back, reports done and not done, and keeps the journal', async () => {
      // Given console changes, and IAM failing UpdateAssumeRolePolicy (the third change of the plan)
      await makeConsoleChanges(iam);
      const before = await driftJson();
      proxy = await startFaultProxy(moto.endpoint, [{ action: 'UpdateAssumeRolePolicy', code: 'ServiceFailure', message: 'Internal failure', status: 500 }]);
      // When remediate --apply runs
      const { code, out } = await iamctl(['remediate', '--account', 'app-prod', '--apply', '--max-attempts', '1'], proxy.endpoint);
      // Then it exits 2 and says what failed, what was rolled back and what was not attempted
      expect(code).toBe(2);
      expect(out).toContain('Remediation stopped: restore the trust policy of role app-ci failed: IAM UpdateAssumeRolePolicy failed: Internal failure (ServiceFailureException). Fix: AWS reported a failure on its side; run again later');
      expect(out).toContain('  rolled back: set version v1 of arn:aws:iam::123456789012:policy/app-data-read as default (was v2)');
      expect(out).toContain('  rolled back: set permissions boundary arn:aws:iam::123456789012:policy/iam-platform-boundary on role app-ci');
      expect(out).toContain('  not attempted: delete inline policy console-added from role app-operator');
      // And IAM is as it was before (no partial change)
      const after = await driftJson();
      expect(after.report.drift).toEqual(before.report.drift);
      const role = await iam.send(new GetRoleCommand({ RoleName: 'app-ci' }));
      expect(role.Role?.PermissionsBoundary).toBeUndefined();
      // And the journal has the replaced documents and the rollback
      const phases = journalEntries().map((e) => `${e.sequence}:${e.phase}`);
      expect(phases).toEqual(['0:before', '0:applied', '1:before', '1:applied', '2:before', '2:failed', '1:rolled-back', '0:rolled-back']);
    });
  });
});
