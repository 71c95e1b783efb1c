import type { DriftItem } from '../../src/core/drift';
import { CloudWatchQueryPublisher } from '../../src/lambda/cloudwatch-query-publisher';
import { buildDriftMetrics, type IamEventOutcome, publishDriftMetrics } from '../../src/lambda';
import { MOTO_CREDENTIALS, MOTO_REGION, type MotoServer, startMotoServer } from '../support/moto-server';

jest.setTimeout(120_000);

function item(kind: DriftItem['kind'], name: string): DriftItem {
  return { kind, resourceType: 'role', name, arn: `arn:aws:iam::111122223333:role/${name}`, attribute: kind === 'changed' ? 'trustPolicy' : null, expected: null, actual: null, protected: false };
}

const AT = new Date('2026-12-01T12:00:00.000Z');

/** Reads one statistic back through the query API (moto does not check signatures). */
async function readSum(endpoint: string, metricName: string, dimensions: Record<string, string>): Promise<number[]> {
  const form = new URLSearchParams({
    Action: 'GetMetricStatistics',
    Version: '2010-08-01',
    Namespace: 'IamPlatform',
    MetricName: metricName,
    StartTime: '2026-12-01T11:00:00Z',
    EndTime: '2026-12-01T13:00:00Z',
    Period: '3600',
    'Statistics.member.1': 'Sum',
  });
  Object.entries(dimensions).forEach(([name, value], i) => {
    form.set(`Dimensions.member.${i + 1}.Name`, name);
    form.set(`Dimensions.member.${i + 1}.Value`, value);
  });
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'AWS4-HMAC-SHA256 Credential=testing/20261201/us-east-1/monitoring/aws4_request, SignedHeaders=host, Signature=0' },
    body: form.toString(),
  });
  const text = await response.text();
  expect(response.status).toBe(200);
  return [...text.matchAll(/<Sum>([^<]+)<\/Sum>/g)].map((m) => Number(m[1]));
}

/** The metric name and dimension set of every metric in the namespace, sorted. */
async function listDimensionSets(endpoint: string): Promise<string[]> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'AWS4-HMAC-SHA256 Credential=testing/20261201/us-east-1/monitoring/aws4_request, SignedHeaders=host, Signature=0' },
    body: new URLSearchParams({ Action: 'ListMetrics', Version: '2010-08-01', Namespace: 'IamPlatform' }).toString(),
  });
  const text = await response.text();
  const metrics = [...text.matchAll(/<member>\s*<Namespace>[\s\S]*?<\/Namespace>[\s\S]*?(?=<member>\s*<Namespace>|<\/Metrics>)/g)].map((m) => m[0]);
  return metrics
    .map((m) => {
      const name = /<MetricName>([^<]+)<\/MetricName>/.exec(m)?.[1] ?? '?';
      const dims = [...m.matchAll(/<Name>([^<]+)<\/Name>\s*<Value>([^<]+)<\/Value>/g)].map((d) => `${d[1]}=${d[2]}`).sort();
      return `${name} ${dims.join(',')}`;
    })
    .sort();
}

describe('drift metrics: what one event publishes', () => {
  it('counts items per kind and in total, and a failed remediation as 1', () => {
    // Given an outcome with two changed items and one unmanaged role whose remediation failed
    const outcome: IamEventOutcome = { status: 'remediation-failed', drift: [item('changed', 'a'), item('unmanaged', 'b'), item('changed', 'c')] };
    // Then the data are written out by hand: total 3, changed 2, unmanaged 1, one failure
    const account = { name: 'Account', value: 'app-prod' };
    expect(buildDriftMetrics('app-prod', outcome, AT)).toEqual([
      { metricName: 'DriftItems', dimensions: [account], value: 3, unit: 'Count', timestamp: '2026-12-01T12:00:00.000Z' },
      { metricName: 'DriftItems', dimensions: [account, { name: 'Kind', value: 'changed' }], value: 2, unit: 'Count', timestamp: '2026-12-01T12:00:00.000Z' },
      { metricName: 'DriftItems', dimensions: [account, { name: 'Kind', value: 'unmanaged' }], value: 1, unit: 'Count', timestamp: '2026-12-01T12:00:00.000Z' },
      { metricName: 'RemediationFailures', dimensions: [account], value: 1, unit: 'Count', timestamp: '2026-12-01T12:00:00.000Z' },
    ]);
  });

  it('publishes 0 drift for a clean check, a 0 failure for a good remediation, and nothing for an ignored event', () => {
    expect(buildDriftMetrics('app-dev', { status: 'clean', drift: [] }, AT).map((d) => [d.metricName, d.value])).toEqual([['DriftItems', 0]]);
    expect(buildDriftMetrics('app-dev', { status: 'remediated', drift: [item('missing', 'x')] }, AT).map((d) => [d.metricName, d.dimensions.length, d.value])).toEqual([
      ['DriftItems', 1, 1],
      ['DriftItems', 2, 1],
      ['RemediationFailures', 1, 0],
    ]);
    expect(buildDriftMetrics('app-dev', { status: 'ignored', reason: 'read call', drift: [] }, AT)).toEqual([]);
  });
});

describe('drift metrics on CloudWatch (moto, query protocol)', () => {
  let moto: MotoServer;
  beforeAll(async () => {
    moto = await startMotoServer();
  });
  afterEach(() => moto.reset());
  afterAll(() => moto.stop());

  it('writes DriftItems by account and kind and RemediationFailures, readable with GetMetricStatistics', async () => {
    // Given the publisher the Lambda uses, signed with moto's credentials
    const publisher = new CloudWatchQueryPublisher({ region: MOTO_REGION, endpoint: moto.endpoint, credentials: () => Promise.resolve(MOTO_CREDENTIALS) });
    // When two events of app-prod are published: one failed remediation (2 changed, 1 unmanaged), then one clean check
    const sent = await publishDriftMetrics(publisher, 'IamPlatform', 'app-prod', { status: 'remediation-failed', drift: [item('changed', 'a'), item('unmanaged', 'b'), item('changed', 'c')] }, AT);
    await publishDriftMetrics(publisher, 'IamPlatform', 'app-prod', { status: 'clean', drift: [] }, new Date('2026-12-01T12:05:00.000Z'));
    // Then CloudWatch holds the sums per dimension set
    expect(sent).toBe(4);
    // (moto's GetMetricStatistics matches every datum whose dimensions include the filter's; CloudWatch matches
    // the exact set. So the Account-only total is checked through ListMetrics' dimension sets, the sums per kind here.)
    expect(await listDimensionSets(moto.endpoint)).toEqual(['DriftItems Account=app-prod', 'DriftItems Account=app-prod,Kind=changed', 'DriftItems Account=app-prod,Kind=unmanaged', 'RemediationFailures Account=app-prod']);
    expect(await readSum(moto.endpoint, 'DriftItems', { Account: 'app-prod', Kind: 'changed' })).toEqual([2]);
    expect(await readSum(moto.endpoint, 'DriftItems', { Account: 'app-prod', Kind: 'unmanaged' })).toEqual([1]);
    expect(await readSum(moto.endpoint, 'RemediationFailures', { Account: 'app-prod' })).toEqual([1]);
    expect(await readSum(moto.endpoint, 'DriftItems', { Account: 'app-dev' })).toEqual([]);
  });

  it('reports a refused call with the AWS error code and the fix', async () => {
    // Given an endpoint that refuses PutMetricData the way CloudWatch does (query protocol error XML)
    const refusing: typeof fetch = () =>
      Promise.resolve(new Response('<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User is not authorized to perform: cloudwatch:PutMetricData</Message></Error></ErrorResponse>', { status: 403 }));
    const publisher = new CloudWatchQueryPublisher({ region: MOTO_REGION, endpoint: moto.endpoint, credentials: () => Promise.resolve(MOTO_CREDENTIALS), fetch: refusing });
    await expect(publisher.putMetricData('IamPlatform', buildDriftMetrics('app-prod', { status: 'clean', drift: [] }, AT))).rejects.toThrow(
      'CloudWatch PutMetricData failed: User is not authorized to perform: cloudwatch:PutMetricData (AccessDenied). Fix: the role may not call cloudwatch:PutMetricData in namespace IamPlatform; grant it (modules/drift-detection)',
    );
  });
});
