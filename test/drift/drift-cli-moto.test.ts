/**
 * `iamctl drift` and `iamctl remediate` against moto: desired state applied as terraform would,
 * console changes made, drift reported, remediated, journaled, and clean afterwards.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { hostname } from 'node:os';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  GetRoleCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { createDriftCommand } from '../../src/cli/commands/drift';
import { createRemediateCommand } from '../../src/cli/commands/remediate';
import type { CliOutput } from '../../src/cli/output';
import { runCli } from '../../src/cli/program';
import { type DriftReport } from '../../src/core/drift';
import type { ResolvedAccount } from '../../src/core/model';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { JournalEntry } from '../../src/io/iam';
import { DynamoDbRegistryStore, ensureRegistryTable } from '../../src/io/registry';
import { findFreePort, MOTO_CREDENTIALS, MOTO_REGION, type MotoServer, startMotoServer, useMotoEnvironment } from '../support/moto-server';
import { buildTestAccount, desiredOf } from './support/account';
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
  const commands = [createDriftCommand({ loadAccount: () => ({ account }) }), createRemediateCommand({ loadAccount: () => ({ account }) })];
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
    await applyDesiredInventory(iam, desiredOf(account));
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

    // When remediate runs with --apply, recording replaced console values in the DynamoDB policy record too
    const dynamodb = new DynamoDBClient({ endpoint: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS });
    await ensureRegistryTable(dynamodb, 'iam-platform-policy-registry');
    const applied = await iamctl(['remediate', '--account', 'app-prod', '--apply', '--version-table', 'iam-platform-policy-registry']);
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
    // And the policy record holds them per resource (reverted console changes, iamctl history)
    const store = new DynamoDbRegistryStore(dynamodb, 'iam-platform-policy-registry');
    expect((await store.list('app-prod')).filter((r) => r.resourceArn === 'arn:aws:iam::123456789012:role/ci/app-ci').map((r) => (r.content.kind === 'remediation' ? [r.content.slot, r.content.replaced] : []))).toEqual([
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

  it('reports, quarantines and is clean about iam-platform-backdoor: a platform-like name is no identity', async () => {
    // Given a role named like the platform's own, not in the stack, trusting everyone with admin rights
    await iam.send(new CreateRoleCommand({ RoleName: 'iam-platform-backdoor', AssumeRolePolicyDocument: JSON.stringify(CONSOLE.wideTrust) }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'iam-platform-backdoor', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
    // When drift runs in the account scope
    const { code, report } = await driftJson(['--scope', 'account']);
    // Then it is reported as unmanaged and not protected
    expect(code).toBe(1);
    expect(report.drift.map((d) => [d.kind, d.name, d.protected])).toEqual([['unmanaged', 'iam-platform-backdoor', false]]);
    // And remediate --apply quarantines it
    const applied = await iamctl(['remediate', '--account', 'app-prod', '--scope', 'account', '--apply']);
    expect(applied.code).toBe(0);
    expect(applied.out).toContain('quarantine unmanaged role iam-platform-backdoor');
    expect((await iam.send(new ListRolePoliciesCommand({ RoleName: 'iam-platform-backdoor' }))).PolicyNames).toEqual(['iam-platform-quarantine']);
  });

  it('checks the platform roles the modules create like every other role', async () => {
    // Given the drift handler role's trust widened (it is in the desired state now)
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'iam-platform-drift-handler', PolicyDocument: JSON.stringify(CONSOLE.wideTrust) }));
    // When drift runs
    const { code, report } = await driftJson();
    // Then it is reported, not protected
    expect(code).toBe(1);
    expect(report.drift.map((d) => [d.kind, d.name, d.attribute, d.protected])).toEqual([['changed', 'iam-platform-drift-handler', 'trustPolicy', false]]);
  });

  it('refuses a second remediation of the account while one holds the lock, changing nothing', async () => {
    // Given console changes, and another run's live lock file
    await makeConsoleChanges(iam);
    const lockDir = join(cwd, '.iamctl', 'locks');
    mkdirSync(lockDir, { recursive: true });
    writeFileSync(join(lockDir, 'app-prod.lock'), JSON.stringify({ runId: 'other-run', host: hostname(), pid: process.pid, acquiredAt: new Date().toISOString() }));
    // When remediate --apply runs
    const { code, err } = await iamctl(['remediate', '--account', 'app-prod', '--apply']);
    // Then it exits 2 naming the holder, and the drift is all still there
    expect(code).toBe(2);
    expect(err).toContain('error: Another remediation of account app-prod is running by run other-run');
    expect((await driftJson()).report.drift).toHaveLength(6);
  });

  it('takes over a stale lock left by a killed run', async () => {
    // Given a lock file of a process that no longer exists
    await makeConsoleChanges(iam);
    const lockDir = join(cwd, '.iamctl', 'locks');
    mkdirSync(lockDir, { recursive: true });
    writeFileSync(join(lockDir, 'app-prod.lock'), JSON.stringify({ runId: 'dead-run', host: hostname(), pid: 2 ** 22 + 12345, acquiredAt: new Date().toISOString() }));
    // When remediate --apply runs, Then it remediates and releases the lock
    const { code } = await iamctl(['remediate', '--account', 'app-prod', '--apply']);
    expect(code).toBe(0);
    expect(existsSync(join(lockDir, 'app-prod.lock'))).toBe(false);
  });

  it('remediate --restore plans first, then brings a journaled run back with --apply', async () => {
    // Given a remediated account and its journal
    await makeConsoleChanges(iam);
    expect((await iamctl(['remediate', '--account', 'app-prod', '--apply'])).code).toBe(0);
    const dir = join(cwd, '.iamctl', 'journal', 'app-prod');
    const journal = join(dir, readdirSync(dir)[0]);
    // When --restore runs without --apply, Then it shows the plan, exits 1 and changes nothing
    const planned = await iamctl(['remediate', '--account', 'app-prod', '--restore', journal]);
    expect(planned.code).toBe(1);
    expect(planned.out).toContain('Run again with --apply to make these changes.');
    expect((await driftJson()).report.drift).toEqual([]);
    // When --restore --apply runs
    const restored = await iamctl(['remediate', '--account', 'app-prod', '--restore', journal, '--apply']);
    expect(restored.err).toBe('');
    expect(restored.code).toBe(0);
    // Then IAM holds the journaled state again: the same six drift items as before the remediation
    const after = await driftJson();
    expect(after.report.drift.map((d) => [d.kind, d.name, d.attribute])).toEqual([
      ['changed', 'app-ci', 'permissionsBoundary'],
      ['changed', 'app-ci', 'trustPolicy'],
      ['changed', 'app-operator', 'inlinePolicies.console-added'],
      ['changed', 'app-operator', 'managedPolicies'],
      ['unmanaged', 'console-made', null],
      ['changed', 'app-data-read', 'defaultVersion'],
    ]);
    expect(after.report.drift.find((d) => d.attribute === 'trustPolicy')?.actual).toEqual(CONSOLE.wideTrust);
  });

  it('restore of a run cut off after a before line skips the change that never happened', async () => {
    // Given a journal whose last change has only its before line (the run was killed during the call)
    await makeConsoleChanges(iam);
    const dir = join(cwd, '.iamctl', 'journal', 'app-prod');
    mkdirSync(dir, { recursive: true });
    const journal = join(dir, 'killed.jsonl');
    const base = { account: 'app-prod', accountId: '123456789012', runId: 'killed', time: new Date().toISOString() };
    const action = { type: 'update-trust-policy', roleName: 'app-ci', document: desiredOf(account).roles.find((r) => r.name === 'app-ci')?.trustPolicy, replaced: CONSOLE.wideTrust };
    writeFileSync(journal, `${JSON.stringify({ ...base, sequence: 0, phase: 'before', description: 'restore the trust policy of role app-ci', action })}\n{"cut`);
    // When --restore --apply runs
    const { code, out } = await iamctl(['remediate', '--account', 'app-prod', '--restore', journal, '--apply']);
    // Then the inverse is skipped as stale (the trust was never changed), the cut line is reported, and exit is 1
    expect(code).toBe(1);
    expect(out).toContain('still open (skipped: the trust policy changed since the plan was made: plan again): restore the trust policy of role app-ci');
    expect(out).toContain('Warning: journal line(s) 2 could not be read and are left out.');
  });

  it('reports changes to the break-glass role as protected and never remediates them', async () => {
    // Given an extra policy attached to the break-glass role
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'break-glass', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
    // When drift and remediate --apply run
    const { report } = await driftJson();
    const remediated = await iamctl(['remediate', '--account', 'app-prod', '--apply']);
    // Then the drift is reported as protected, skipped with the reason, and left in place
    expect(report.drift).toMatchObject([{ kind: 'changed', name: 'break-glass', attribute: 'managedPolicies', protected: true }]);
    // (a run that made every change it may is a success: exit 0, the skipped item listed with its reason)
    expect(remediated.code).toBe(0);
    expect(remediated.out).toContain('changed role break-glass managedPolicies: protected role (break-glass, pipeline or deploy role): never remediated');
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

    it('remediate --apply that fails midway stops, keeps every fix made, reports what is open, and never re-applies a drifted document', async () => {
      // Given console changes, and IAM failing UpdateAssumeRolePolicy (the third change of the plan)
      await makeConsoleChanges(iam);
      proxy = await startFaultProxy(moto.endpoint, [{ action: 'UpdateAssumeRolePolicy', code: 'ServiceFailure', message: 'Internal failure', status: 500 }]);
      // And an alert topic with a loopback HTTP subscriber
      const received: string[] = [];
      const receiver = createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString()));
        req.on('end', () => {
          const parsed = JSON.parse(body) as { Type: string; Message: string };
          if (parsed.Type === 'Notification') received.push(parsed.Message);
          res.end('ok');
        });
      });
      const port = await findFreePort();
      await new Promise<void>((r) => receiver.listen(port, '127.0.0.1', r));
      const sns = new SNSClient({ endpoint: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS });
      const topic = (await sns.send(new CreateTopicCommand({ Name: 'iam-platform-drift-alerts' }))).TopicArn ?? '';
      await sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'http', Endpoint: `http://127.0.0.1:${port}/sns` }));
      // When remediate --apply runs
      const { code, out } = await iamctl(['remediate', '--account', 'app-prod', '--apply', '--max-attempts', '1', '--alert-topic', topic], proxy.endpoint);
      // Then the topic is told what failed and what is still open
      for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
      await new Promise<void>((r) => receiver.close(() => r()));
      expect(received).toHaveLength(1);
      expect(JSON.parse(received[0])).toMatchObject({
        account: 'app-prod',
        what: 'remediation-failed',
        remediation: { failed: { action: 'restore the trust policy of role app-ci' }, stillOpen: expect.arrayContaining(['restore the trust policy of role app-ci (failed)']) },
      });
      // Then it exits 2 and says what failed, what it kept and what is still open
      expect(code).toBe(2);
      expect(out).toContain('Remediation stopped: restore the trust policy of role app-ci failed: IAM UpdateAssumeRolePolicy failed: Internal failure (ServiceFailureException). Fix: AWS reported a failure on its side; run again later');
      expect(out).toContain('  done (kept): set version v1 of arn:aws:iam::123456789012:policy/app-data-read as default (was v2)');
      expect(out).toContain('  done (kept): set permissions boundary arn:aws:iam::123456789012:policy/iam-platform-boundary on role app-ci');
      expect(out).toContain('  still open (failed): restore the trust policy of role app-ci');
      expect(out).toContain('  still open (not attempted): delete inline policy console-added from role app-operator');
      expect(out).not.toContain('rolled back');
      // And the fixes made stay in place: the boundary is back, the policy's default is v1 again
      const role = await iam.send(new GetRoleCommand({ RoleName: 'app-ci' }));
      expect(role.Role?.PermissionsBoundary?.PermissionsBoundaryArn).toBe('arn:aws:iam::123456789012:policy/iam-platform-boundary');
      const after = await driftJson();
      expect(after.report.drift.map((d) => [d.name, d.attribute])).toEqual([
        ['app-ci', 'trustPolicy'],
        ['app-operator', 'inlinePolicies.console-added'],
        ['app-operator', 'managedPolicies'],
        ['console-made', null],
      ]);
      // And the journal has before/applied per change and the failure, no undo
      const phases = journalEntries().map((e) => `${e.sequence}:${e.phase}`);
      expect(phases).toEqual(['0:before', '0:applied', '1:before', '1:applied', '2:before', '2:failed']);
    });
  });
});
