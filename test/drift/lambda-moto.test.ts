/**
 * The drift Lambda handlers, invoked in-process with real-shaped events, against moto (IAM, S3, SNS, Config).
 * SNS delivers to an HTTP subscription on a loopback server, so the test reads what subscribers get.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { AttachRolePolicyCommand, CreateRoleCommand, GetRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { type DesiredInventory, detectDrift } from '../../src/core/drift';
import { FileRemediationLock, readLiveInventory } from '../../src/io/iam';
import { type CloudTrailEventBridgeEvent, type ConfigRuleEvent, handleConfigRuleEvent, handleIamEvent, type IamEventHandlerDeps, loadDesiredInventory } from '../../src/lambda';
import { findFreePort, MOTO_CREDENTIALS, MOTO_REGION, type MotoServer, startMotoServer } from '../support/moto-server';
import { bundleDriftLambda } from '../../modules/drift-detection/lambda-bundle';
import { buildTestAccount, TEST_ACCOUNT_ID, desiredOf } from './support/account';
import { applyDesiredInventory } from './support/apply-desired';
import { CONSOLE, createDeployRole, makeConsoleChanges } from './support/console-changes';

const BUCKET = 'iam-platform-desired';
const KEY = 'desired/app-prod.json';
const ADMIN = 'arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_0123456789abcdef';
const TEMPLATE = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'drift', 'events', 'put-role-policy.json'), 'utf8')) as CloudTrailEventBridgeEvent;

/** The template event with another call, parameters and (optionally) caller. */
function cloudTrailEvent(eventName: string, requestParameters: Record<string, unknown>, callerRoleArn = ADMIN): CloudTrailEventBridgeEvent {
  const detail = TEMPLATE.detail;
  return {
    ...TEMPLATE,
    detail: {
      ...detail,
      eventName,
      requestParameters,
      userIdentity: { ...detail.userIdentity, sessionContext: { sessionIssuer: { arn: callerRoleArn } } },
    },
  };
}

/** Events CloudTrail records for the scripted console changes. */
const CONSOLE_EVENTS: readonly CloudTrailEventBridgeEvent[] = [
  cloudTrailEvent('PutRolePolicy', { roleName: 'app-operator', policyName: 'console-added', policyDocument: JSON.stringify(CONSOLE.inlinePolicy) }),
  cloudTrailEvent('AttachRolePolicy', { roleName: 'app-operator', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }),
  cloudTrailEvent('UpdateAssumeRolePolicy', { roleName: 'app-ci', policyDocument: JSON.stringify(CONSOLE.wideTrust) }),
  cloudTrailEvent('DeleteRolePermissionsBoundary', { roleName: 'app-ci' }),
  cloudTrailEvent('CreatePolicyVersion', { policyArn: `arn:aws:iam::${TEST_ACCOUNT_ID}:policy/app-data-read`, setAsDefault: true }),
  cloudTrailEvent('CreateRole', { roleName: 'console-made', assumeRolePolicyDocument: JSON.stringify(CONSOLE.wideTrust) }),
];

interface Notification {
  readonly Subject: string;
  readonly Message: string;
}

describe('drift Lambda handlers against moto', () => {
  let moto: MotoServer;
  let iam: IAMClient;
  let sns: SNSClient;
  let s3: S3Client;
  let config: ConfigServiceClient;
  let receiver: Server;
  let receiverUrl: string;
  let notifications: Notification[];
  let topicArn: string;

  async function publishDesired(desired: DesiredInventory): Promise<void> {
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: KEY, Body: JSON.stringify(desired) }));
  }

  function deps(): IamEventHandlerDeps {
    return { iam, sns, topicArn, loadDesired: () => loadDesiredInventory(s3, BUCKET, KEY), log: () => undefined };
  }

  async function waitForNotifications(count: number): Promise<Notification[]> {
    for (let i = 0; i < 100 && notifications.length < count; i++) await new Promise((r) => setTimeout(r, 50));
    return notifications;
  }

  beforeAll(async () => {
    moto = await startMotoServer();
    const common = { endpoint: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS };
    iam = new IAMClient(common);
    sns = new SNSClient(common);
    s3 = new S3Client({ ...common, forcePathStyle: true });
    config = new ConfigServiceClient(common);
    const port = await findFreePort();
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        const parsed = JSON.parse(body) as { Type: string } & Notification;
        if (parsed.Type === 'Notification') notifications.push(parsed);
        res.end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(port, '127.0.0.1', r));
    receiverUrl = `http://127.0.0.1:${port}/sns`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => receiver.close(() => r()));
    await moto.stop();
  });
  beforeEach(async () => {
    await moto.reset();
    notifications = [];
    topicArn = (await sns.send(new CreateTopicCommand({ Name: 'iam-platform-drift-alerts' }))).TopicArn ?? '';
    await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'http', Endpoint: receiverUrl }));
  });

  it('remediates each console change from its CloudTrail event and publishes who, what, when and the action', async () => {
    // Given the desired state applied, the artifact in S3 (mode remediate), and the console changes made
    const desired = desiredOf(buildTestAccount({ drift: { mode: 'remediate', enabled: true } }));
    await applyDesiredInventory(iam, desired);
    await createDeployRole(iam);
    await publishDesired(desired);
    await makeConsoleChanges(iam);

    // When the handler receives the event of each change
    const outcomes = [];
    for (const event of CONSOLE_EVENTS) outcomes.push(await handleIamEvent(event, deps()));

    // Then each was remediated (the two app-operator changes are both fixed by the first event)
    expect(outcomes.map((o) => [o.status, o.drift.map((d) => d.attribute ?? d.kind)])).toEqual([
      ['remediated', ['inlinePolicies.console-added', 'managedPolicies']],
      ['clean', []],
      ['remediated', ['permissionsBoundary', 'trustPolicy']],
      ['clean', []],
      ['remediated', ['defaultVersion']],
      ['remediated', ['unmanaged']],
    ]);
    expect(outcomes[0].drift[0].changedBy).toEqual({ actor: ADMIN, eventName: 'PutRolePolicy', eventTime: '2026-11-28T07:00:00Z', sourceIpAddress: '203.0.113.10' });
    // And the account is clean again, with the unmanaged role quarantined
    const report = detectDrift(desired, await readLiveInventory(iam, { accountId: TEST_ACCOUNT_ID }));
    expect(report.drift).toEqual([]);
    expect(report.quarantined).toEqual(['console-made']);
    // And subscribers got one message per remediation, with who, what, when, the action and the replaced documents
    const received = await waitForNotifications(4);
    expect(received.map((n) => n.Subject)).toEqual([
      'IAM drift in app-prod: PutRolePolicy on role app-operator (remediated)',
      'IAM drift in app-prod: UpdateAssumeRolePolicy on role app-ci (remediated)',
      'IAM drift in app-prod: CreatePolicyVersion on policy app-data-read (remediated)',
      'IAM drift in app-prod: CreateRole on role console-made (remediated)',
    ]);
    const first = JSON.parse(received[0].Message) as Record<string, unknown>;
    expect(first).toMatchObject({
      account: 'app-prod',
      who: ADMIN,
      what: 'PutRolePolicy',
      when: '2026-11-28T07:00:00Z',
      action: 'remediated',
      remediation: {
        applied: ['delete inline policy console-added from role app-operator', 'detach arn:aws:iam::aws:policy/AdministratorAccess from role app-operator'],
        stillOpen: [],
      },
      journal: [
        { description: 'delete inline policy console-added from role app-operator', replaced: CONSOLE.inlinePolicy },
        { description: 'detach arn:aws:iam::aws:policy/AdministratorAccess from role app-operator', replaced: 'arn:aws:iam::aws:policy/AdministratorAccess' },
      ],
    });
  });

  it('only alerts in alert mode, verifies the pipeline role\'s calls (alert, never remediate), and ignores failed calls', async () => {
    const desired = desiredOf(buildTestAccount({ drift: { mode: 'alert', enabled: true } }));
    await applyDesiredInventory(iam, desired);
    await publishDesired(desired);
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'app-operator', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
    const attach = cloudTrailEvent('AttachRolePolicy', { roleName: 'app-operator', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' });

    const alerted = await handleIamEvent(attach, deps());
    const byPipeline = await handleIamEvent(cloudTrailEvent('AttachRolePolicy', { roleName: 'app-operator' }, `arn:aws:iam::${TEST_ACCOUNT_ID}:role/iam-platform-deploy`), deps());
    const failed = await handleIamEvent({ ...attach, detail: { ...attach.detail, errorCode: 'AccessDenied' } }, deps());

    expect(alerted).toMatchObject({ status: 'alerted', drift: [{ attribute: 'managedPolicies' }] });
    // The pipeline's call is checked against the desired state too (the drift is reported), never ignored
    expect(byPipeline).toMatchObject({
      status: 'alerted',
      reason: `made by the pipeline role arn:aws:iam::${TEST_ACCOUNT_ID}:role/iam-platform-deploy: verified and reported, not remediated`,
      drift: [{ attribute: 'managedPolicies' }],
    });
    expect(failed).toEqual({ status: 'ignored', reason: 'the call failed (AccessDenied): nothing changed', drift: [] });
    const received = await waitForNotifications(2);
    expect(received.map((n) => n.Subject)).toEqual(['IAM drift in app-prod: AttachRolePolicy on role app-operator', 'IAM drift in app-prod: AttachRolePolicy on role app-operator']);
    expect(JSON.parse(received[0].Message)).toMatchObject({ action: 'alerted', who: ADMIN });
    // The change is still there: alert mode never changes IAM
    const live = await readLiveInventory(iam, { accountId: TEST_ACCOUNT_ID });
    expect(live.roles.find((r) => r.name === 'app-operator')?.managedPolicyArns).toContain('arn:aws:iam::aws:policy/AdministratorAccess');
  });

  it('in remediate mode, only alerts on a break-glass change (protected roles are never remediated)', async () => {
    const desired = desiredOf(buildTestAccount({ drift: { mode: 'remediate', enabled: true } }));
    await applyDesiredInventory(iam, desired);
    await publishDesired(desired);
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'break-glass', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));

    const outcome = await handleIamEvent(cloudTrailEvent('AttachRolePolicy', { roleName: 'break-glass', policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }), deps());

    expect(outcome).toMatchObject({ status: 'alerted', reason: 'nothing remediation may change', drift: [{ name: 'break-glass', attribute: 'managedPolicies', protected: true }] });
    const live = await readLiveInventory(iam, { accountId: TEST_ACCOUNT_ID });
    expect(live.roles.find((r) => r.name === 'break-glass')?.managedPolicyArns).toContain('arn:aws:iam::aws:policy/ReadOnlyAccess');
    const [message] = await waitForNotifications(1);
    expect(JSON.parse(message.Message)).toMatchObject({
      action: 'alerted',
      skipped: ['break-glass managedPolicies: protected role (break-glass, pipeline or deploy role): never remediated'],
    });
  });

  it('treats a case-variant name in an event as the same role: BREAK-GLASS is protected, never quarantined', async () => {
    // Given a change to break-glass, and an event that spells its name as IAM accepts it in another case
    const desired = desiredOf(buildTestAccount({ drift: { mode: 'remediate', enabled: true } }));
    await applyDesiredInventory(iam, desired);
    await publishDesired(desired);
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'break-glass', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
    // When the handler evaluates the role as the event names it (moto is case-sensitive: the live role is read by its own name)
    const outcome = await handleIamEvent(
      cloudTrailEvent('AttachRolePolicy', { roleName: 'break-glass', policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }),
      { ...deps(), loadDesired: async () => ({ ...desired, roles: desired.roles.map((r) => (r.name === 'break-glass' ? { ...r, name: 'BREAK-GLASS' } : r)) }) },
    );
    // Then it is the protected role, reported, not quarantined as unmanaged
    expect(outcome).toMatchObject({ status: 'alerted', reason: 'nothing remediation may change', drift: [{ kind: 'changed', attribute: 'managedPolicies', protected: true }] });
    const live = await readLiveInventory(iam, { accountId: TEST_ACCOUNT_ID });
    expect(live.roles.find((r) => r.name === 'break-glass')?.inlinePolicies).toEqual([]);
  });

  it('remediates iam-platform-backdoor (a platform-like name is no identity) and verifies calls made by platform roles', async () => {
    // Given a role named like the platform's own, trusting everyone with AdministratorAccess, made by an admin
    const desired = desiredOf(buildTestAccount({ drift: { mode: 'remediate', enabled: true } }));
    await applyDesiredInventory(iam, desired);
    await publishDesired(desired);
    await iam.send(new CreateRoleCommand({ RoleName: 'iam-platform-backdoor', AssumeRolePolicyDocument: JSON.stringify(CONSOLE.wideTrust), Tags: [{ Key: 'managed-by', Value: 'iam-platform' }] }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'iam-platform-backdoor', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
    // And a change made under the drift handler's own role (a borrowed platform role)
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'app-operator', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
    const handlerRole = `arn:aws:iam::${TEST_ACCOUNT_ID}:role/iam-platform-drift-handler`;

    // When the handler receives both events
    const backdoor = await handleIamEvent(cloudTrailEvent('CreateRole', { roleName: 'iam-platform-backdoor' }), deps());
    const byPlatformRole = await handleIamEvent(cloudTrailEvent('AttachRolePolicy', { roleName: 'app-operator', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }, handlerRole), deps());

    // Then the backdoor is quarantined and the platform role's change is remediated, not ignored
    expect(backdoor).toMatchObject({ status: 'remediated', drift: [{ kind: 'unmanaged', name: 'iam-platform-backdoor' }] });
    expect(byPlatformRole).toMatchObject({ status: 'remediated', drift: [{ name: 'app-operator', attribute: 'managedPolicies' }] });
    const report = detectDrift(desired, await readLiveInventory(iam, { accountId: TEST_ACCOUNT_ID }));
    expect(report.quarantined).toEqual(['iam-platform-backdoor']);
    expect(report.drift).toEqual([]);
  });

  it('does not remediate while another remediation of the account holds the lock; it alerts instead', async () => {
    // Given a drift and the account's lock held by another run
    const desired = desiredOf(buildTestAccount({ drift: { mode: 'remediate', enabled: true } }));
    await applyDesiredInventory(iam, desired);
    await publishDesired(desired);
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'app-operator', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
    const lock = new FileRemediationLock(mkdtempSync(join(tmpdir(), 'lambda-lock-')));
    const held = await lock.acquire('app-prod', 'other-run');
    try {
      // When the handler gets the event
      const outcome = await handleIamEvent(cloudTrailEvent('AttachRolePolicy', { roleName: 'app-operator' }), { ...deps(), lock });
      // Then it alerts, naming the lock, and changes nothing
      expect(outcome.status).toBe('alerted');
      expect(outcome.reason).toMatch(/^not remediated: Another remediation of account app-prod is running by run other-run/);
      const live = await readLiveInventory(iam, { accountId: TEST_ACCOUNT_ID });
      expect(live.roles.find((r) => r.name === 'app-operator')?.managedPolicyArns).toContain('arn:aws:iam::aws:policy/AdministratorAccess');
    } finally {
      await held.release();
    }
  });

  it('rejects a null or malformed event with a clear error', async () => {
    await expect(handleIamEvent(null, deps())).rejects.toThrow('The drift Lambda received null instead of an EventBridge event: invoke it only from the module\'s EventBridge rule');
    await expect(handleIamEvent({ 'detail-type': 'AWS API Call via CloudTrail', source: 'aws.iam', detail: { eventName: 7 } }, deps())).rejects.toThrow(
      'The drift Lambda received a malformed EventBridge event: "detail.eventName" is not a string; "detail.eventTime" is not a string. Only "AWS API Call via CloudTrail" events from the module\'s rule are handled',
    );
  });

  it('keeps the full alert record in the drift bucket and links it from the SNS message', async () => {
    // Given alert mode and a drift
    const desired = desiredOf(buildTestAccount({ drift: { mode: 'alert', enabled: true } }));
    await applyDesiredInventory(iam, desired);
    await publishDesired(desired);
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'app-operator', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
    // When the handler alerts with a records bucket
    await handleIamEvent(cloudTrailEvent('AttachRolePolicy', { roleName: 'app-operator' }), { ...deps(), records: { s3, bucket: BUCKET } });
    // Then the message links an S3 object that holds the whole record
    const [message] = await waitForNotifications(1);
    const body = JSON.parse(message.Message) as { fullRecord: string; drift: unknown[] };
    expect(body.fullRecord).toMatch(/^s3:\/\/iam-platform-desired\/alerts\/app-prod\/.+-AttachRolePolicy\.json$/);
    const key = body.fullRecord.replace(`s3://${BUCKET}/`, '');
    const stored = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body!.transformToString()) as { drift: unknown[]; who: string };
    expect(stored).toMatchObject({ who: ADMIN, drift: body.drift });
  });

  it('the Config rule marks drifted and untagged roles NON_COMPLIANT and reports them with PutEvaluations', async () => {
    // Given the desired state, an inline policy added to app-operator, and a hand-made untagged role
    const desired = desiredOf(buildTestAccount());
    await applyDesiredInventory(iam, desired);
    await createDeployRole(iam);
    await publishDesired(desired);
    await iam.send(new PutRolePolicyCommand({ RoleName: 'app-operator', PolicyName: 'console-added', PolicyDocument: JSON.stringify(CONSOLE.inlinePolicy) }));
    await iam.send(new CreateRoleCommand({ RoleName: 'hand-made', AssumeRolePolicyDocument: JSON.stringify(CONSOLE.wideTrust) }));
    await iam.send(new CreateRoleCommand({ RoleName: 'iam-platform-backdoor', AssumeRolePolicyDocument: JSON.stringify(CONSOLE.wideTrust) }));
    const roleId = (await iam.send(new GetRoleCommand({ RoleName: 'app-operator' }))).Role?.RoleId ?? '';
    // moto accepts PutEvaluations only in test mode; record what reaches it.
    const sent: { Evaluations?: { ComplianceResourceId?: string; ComplianceType?: string }[]; TestMode?: boolean }[] = [];
    config.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'PutEvaluationsCommand') sent.push(args.input as (typeof sent)[number]);
        return next(args);
      },
      { step: 'initialize', name: 'recordPutEvaluations' },
    );
    const ruleDeps = { iam, config, loadDesired: () => loadDesiredInventory(s3, BUCKET, KEY), testMode: true };

    // When Config sends a change notification for app-operator, then a scheduled notification
    const change: ConfigRuleEvent = {
      invokingEvent: JSON.stringify({
        messageType: 'ConfigurationItemChangeNotification',
        notificationCreationTime: '2026-11-28T07:01:00.000Z',
        configurationItem: { resourceType: 'AWS::IAM::Role', resourceId: roleId, resourceName: 'app-operator', ARN: `arn:aws:iam::${TEST_ACCOUNT_ID}:role/app-operator`, configurationItemStatus: 'OK' },
      }),
      resultToken: 'token-1',
      configRuleName: 'iam-platform-drift',
    };
    const one = await handleConfigRuleEvent(change, ruleDeps);
    const all = await handleConfigRuleEvent({ ...change, invokingEvent: JSON.stringify({ messageType: 'ScheduledNotification', notificationCreationTime: '2026-11-28T07:02:00.000Z' }) }, ruleDeps);

    // Then the verdicts say what is wrong
    expect(one).toEqual([{ resourceType: 'AWS::IAM::Role', resourceId: roleId, resourceName: 'app-operator', compliance: 'NON_COMPLIANT', annotation: 'differs from accounts/: inlinePolicies.console-added' }]);
    expect(Object.fromEntries(all.map((e) => [e.resourceName, [e.compliance, e.annotation]]))).toEqual({
      'app-operator': ['NON_COMPLIANT', 'differs from accounts/: inlinePolicies.console-added'],
      'app-ci': ['COMPLIANT', 'matches accounts/'],
      'break-glass': ['COMPLIANT', 'matches accounts/'],
      'iam-platform-deploy': ['NOT_APPLICABLE', "the pipeline's deploy role (created at bootstrap, outside the stack)"],
      // The module's own roles are evaluated like every other, and a platform-like name gets no pass
      'iam-platform-drift-config': ['COMPLIANT', 'matches accounts/'],
      'iam-platform-drift-handler': ['COMPLIANT', 'matches accounts/'],
      'iam-platform-backdoor': ['NON_COMPLIANT', 'lacks the managed-by=iam-platform tag: not managed by the platform'],
      'hand-made': ['NON_COMPLIANT', 'lacks the managed-by=iam-platform tag: not managed by the platform'],
      'app-data-read': ['COMPLIANT', 'matches accounts/'],
      'iam-platform-boundary': ['COMPLIANT', 'matches accounts/'],
    });
    // And every verdict reached Config through PutEvaluations
    expect(sent.map((s) => s.Evaluations?.length)).toEqual([1, 10]);
    expect(sent[0]).toMatchObject({ TestMode: true, Evaluations: [{ ComplianceResourceId: roleId, ComplianceType: 'NON_COMPLIANT' }] });
  });

  it('the esbuild bundle the module deploys runs the same handler from its environment', async () => {
    // Given the desired state (alert mode) in S3, a change, and the Lambda environment the module sets
    const desired = desiredOf(buildTestAccount({ drift: { mode: 'alert', enabled: true } }));
    await applyDesiredInventory(iam, desired);
    await publishDesired(desired);
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'app-operator', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
      AWS_REGION: MOTO_REGION,
      DESIRED_INVENTORY_BUCKET: BUCKET,
      DESIRED_INVENTORY_KEY: KEY,
      ALERT_TOPIC_ARN: topicArn,
    });
    try {
      // When the bundled entry point handles the event
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const bundle = require(join(bundleDriftLambda(), 'index.js')) as { iamEventHandler: (e: CloudTrailEventBridgeEvent) => Promise<{ status: string }> };
      const outcome = await bundle.iamEventHandler(cloudTrailEvent('AttachRolePolicy', { roleName: 'app-operator', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
      // Then it alerts through SNS
      expect(outcome).toMatchObject({ status: 'alerted', drift: [{ attribute: 'managedPolicies' }] });
      expect((await waitForNotifications(1)).map((n) => n.Subject)).toEqual(['IAM drift in app-prod: AttachRolePolicy on role app-operator']);
    } finally {
      process.env = saved;
    }
  });
});
