import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AttachRolePolicyCommand, CreatePolicyCommand, CreateRoleCommand, IAMClient, PutRolePermissionsBoundaryCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { analyzeCommand } from '../../src/cli/commands/analyze';
import { runCli } from '../../src/cli/program';
import { captureOutput } from '../support/capture-output';
import { MOTO_ACCOUNT_ID, MOTO_CREDENTIALS, MOTO_REGION, type MotoServer, startMotoServer, useMotoEnvironment } from '../support/moto-server';

const saved = { ...process.env };
let moto: MotoServer;
let cwd: string;

const doc = (Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const event = (role: string, eventSource: string, eventName: string, eventTime: string, extra: object = {}) => ({
  eventTime,
  eventSource,
  eventName,
  userIdentity: { type: 'AssumedRole', sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${MOTO_ACCOUNT_ID}:role/${role}` } } },
  ...extra,
});

beforeAll(async () => {
  moto = await startMotoServer();
  useMotoEnvironment();
  // Given a live role with an inline policy, a customer managed policy, an AWS managed policy and a boundary
  const iam = new IAMClient({ endpoint: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS });
  const trust = doc([{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
  await iam.send(new CreateRoleCommand({ RoleName: 'worker', AssumeRolePolicyDocument: trust }));
  await iam.send(new PutRolePolicyCommand({ RoleName: 'worker', PolicyName: 'queue', PolicyDocument: doc([{ Effect: 'Allow', Action: ['sqs:GetQueueUrl', 'sqs:CreateQueue', 'iam:PassRole'], Resource: '*' }]) }));
  const managed = await iam.send(new CreatePolicyCommand({ PolicyName: 'logs', PolicyDocument: doc([{ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:DeleteLogGroup'], Resource: '*' }]) }));
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'worker', PolicyArn: managed.Policy!.Arn! }));
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'worker', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
  const boundary = await iam.send(new CreatePolicyCommand({ PolicyName: 'boundary', PolicyDocument: doc([{ Effect: 'Allow', NotAction: 'logs:Delete*', Resource: '*' }]) }));
  await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'worker', PermissionsBoundary: boundary.Policy!.Arn! }));
  // and a day of its CloudTrail events
  cwd = mkdtempSync(join(tmpdir(), 'iamctl-analyze-live-'));
  mkdirSync(join(cwd, 'logs'));
  writeFileSync(
    join(cwd, 'logs', 'events.json'),
    JSON.stringify([
      event('worker', 'sqs.amazonaws.com', 'GetQueueUrl', '2026-05-01T10:00:00Z'),
      event('worker', 'logs.amazonaws.com', 'CreateLogStream', '2026-05-01T11:00:00Z'),
      event('worker', 'sqs.amazonaws.com', 'CreateQueue', '2026-05-01T12:00:00Z', { errorCode: 'AccessDenied' }),
    ]),
  );
});

afterAll(async () => {
  process.env = saved;
  rmSync(cwd, { recursive: true, force: true });
  await moto?.stop();
});

describe('iamctl analyze --granted live (moto IAM)', () => {
  it('reads grants with GetAccountAuthorizationDetails: inline, customer managed, boundary; AWS managed not evaluated', async () => {
    // When analyze runs with live grants, outside a repository
    const output = captureOutput();
    const code = await runCli(['analyze', '--logs', 'logs', '--granted', 'live', '--endpoint-url', moto.endpoint, '--format', 'json', '--min-days', '0', '--workers', '0'], [analyzeCommand], { output, cwd });
    // Then the role's grants are the live ones
    expect(code).toBe(0);
    const report = JSON.parse(output.stdout());
    const worker = report.principals.find((p: { arn: string }) => p.arn === `arn:aws:iam::${MOTO_ACCOUNT_ID}:role/worker`);
    expect(worker).toMatchObject({
      managed: true,
      granted: 4, // sqs:GetQueueUrl, sqs:CreateQueue, iam:PassRole, logs:CreateLogStream (the boundary removes logs:DeleteLogGroup)
      grantedComplete: false,
      notEvaluated: ['AWS managed policy ReadOnlyAccess: its content is not available offline, so its grants are not counted'],
      unused: ['sqs:CreateQueue'],
      denied: [{ action: 'sqs:CreateQueue', count: 1 }],
      unobservable: ['iam:PassRole'],
    });
    expect(worker.used.map((u: { action: string }) => u.action)).toEqual(['logs:CreateLogStream', 'sqs:GetQueueUrl']);
    expect(report.warnings).toContain('no accounts/ folder here: grants are unknown and every principal is reported as unmanaged');
  });
});
