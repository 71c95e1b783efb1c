/**
 * The esbuild bundle the drift module deploys publishes its drift metrics: the bundled entry point, run with the
 * environment the module sets (METRICS_NAMESPACE included), handles a console change on moto and the metric lands
 * in moto's CloudWatch (query protocol), next to the SNS alert.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AttachRolePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { bundleDriftLambda } from '../../modules/drift-detection/lambda-bundle';
import type { CloudTrailEventBridgeEvent } from '../../src/lambda';
import { buildTestAccount, desiredOf } from '../drift/support/account';
import { applyDesiredInventory } from '../drift/support/apply-desired';
import { MOTO_CREDENTIALS, MOTO_REGION, type MotoServer, startMotoServer } from '../support/moto-server';

jest.setTimeout(180_000);

const BUCKET = 'iam-platform-desired';
const KEY = 'desired/app-prod.json';
const ADMIN = 'arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_0123456789abcdef';
const TEMPLATE = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'drift', 'events', 'put-role-policy.json'), 'utf8')) as CloudTrailEventBridgeEvent;

/** The metric name and dimensions of every metric in IamPlatform, and its sum (moto, query protocol). */
async function readMetrics(endpoint: string): Promise<string[]> {
  const call = async (params: Record<string, string>) =>
    (
      await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'AWS4-HMAC-SHA256 Credential=testing/20261201/us-east-1/monitoring/aws4_request, SignedHeaders=host, Signature=0' },
        body: new URLSearchParams({ Version: '2010-08-01', Namespace: 'IamPlatform', ...params }).toString(),
      })
    ).text();
  const list = await call({ Action: 'ListMetrics' });
  const names = [...list.matchAll(/<MetricName>([^<]+)<\/MetricName>/g)].map((m) => m[1]);
  const dims = [...list.matchAll(/<Dimensions>([\s\S]*?)<\/Dimensions>/g)].map((m) => [...m[1].matchAll(/<Name>([^<]+)<\/Name>\s*<Value>([^<]+)<\/Value>/g)].map((d) => `${d[1]}=${d[2]}`).sort().join(','));
  return names.map((n, i) => `${n} ${dims[i] ?? ''}`).sort();
}

describe('drift Lambda bundle publishes metrics (moto)', () => {
  let moto: MotoServer;
  beforeAll(async () => {
    moto = await startMotoServer();
  });
  afterAll(() => moto.stop());

  it('after an alerted change, DriftItems of app-prod (total and changed) are in CloudWatch', async () => {
    // Given the desired state (alert mode) in S3, the topic, and AdministratorAccess attached to app-operator by hand
    const common = { endpoint: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS };
    const iam = new IAMClient(common);
    const s3 = new S3Client({ ...common, forcePathStyle: true });
    const desired = desiredOf(buildTestAccount({ drift: { mode: 'alert', enabled: true } }));
    await applyDesiredInventory(iam, desired);
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: KEY, Body: JSON.stringify(desired) }));
    const topicArn = (await new SNSClient(common).send(new CreateTopicCommand({ Name: 'iam-platform-drift-alerts' }))).TopicArn ?? '';
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
      METRICS_NAMESPACE: 'IamPlatform',
    });
    try {
      // When the bundled entry point handles the CloudTrail event of that change
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const bundle = require(join(bundleDriftLambda(), 'index.js')) as { iamEventHandler: (e: CloudTrailEventBridgeEvent) => Promise<{ status: string }> };
      const detail = TEMPLATE.detail;
      const outcome = await bundle.iamEventHandler({
        ...TEMPLATE,
        detail: { ...detail, eventName: 'AttachRolePolicy', requestParameters: { roleName: 'app-operator', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }, userIdentity: { ...detail.userIdentity, sessionContext: { sessionIssuer: { arn: ADMIN } } } },
      });
      // Then it alerted on one changed item, and the metrics say so
      expect(outcome).toMatchObject({ status: 'alerted', drift: [{ kind: 'changed', attribute: 'managedPolicies' }] });
      expect(await readMetrics(moto.endpoint)).toEqual(['DriftItems Account=app-prod', 'DriftItems Account=app-prod,Kind=changed']);
    } finally {
      process.env = saved;
    }
  });
});
