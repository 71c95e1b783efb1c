import { ERROR_CODES } from '../../src/core/errors';
import type { TfcRunRecord } from '../../src/core/delivery';
import { TfcApi, TfcHttpClient, applyRuns, planStacks, readRunStatuses } from '../../src/io/terraform-cloud';
import { startFakeTfc, type FakeTfc, type FakeWorkspace } from './support/fake-tfc-server';
import { FAST_POLL, TARGETS, makeTempDir, writeStacks } from './support/stacks';

const TOKEN = 'test-token';
const WORKSPACES: readonly FakeWorkspace[] = [
  { name: 'iam-app', id: 'ws-app' },
  { name: 'iam-security', id: 'ws-sec' },
];

function apiFor(fake: FakeTfc, extra: { token?: string; sleep?: (ms: number) => Promise<void> } = {}): TfcApi {
  return new TfcApi(new TfcHttpClient({ token: extra.token ?? TOKEN, hostname: 'app.terraform.io', address: fake.address, tokenSource: 'TF_TOKEN_app_terraform_io', sleep: extra.sleep }));
}

describe('Terraform Cloud client against a fake API on loopback', () => {
  let fake: FakeTfc;
  let stacksDir: string;

  async function start(workspaces: readonly FakeWorkspace[] = WORKSPACES): Promise<void> {
    fake = await startFakeTfc({ token: TOKEN, organization: 'acme', workspaces });
    stacksDir = writeStacks(makeTempDir('tfc-'), ['iam-app', 'iam-security']);
  }

  afterEach(async () => {
    await fake?.close();
  });

  it('plans each stack with the documented requests: workspace, configuration version, upload, run, plan JSON', async () => {
    // Given two workspaces whose runs plan to `planned`
    await start();
    // When both stacks are planned, one at a time so the request order is fixed
    const records = await planStacks(apiFor(fake), 'app.terraform.io', TARGETS, { stacksDir, message: 'iamctl plan abc123', poll: FAST_POLL, concurrency: 1 });
    // Then the client made exactly these API calls, in this order
    expect(fake.apiCalls()).toEqual([
      'GET /organizations/acme/workspaces/iam-app',
      'GET /organizations/acme/workspaces/iam-security',
      'POST /workspaces/ws-app/configuration-versions',
      'GET /configuration-versions/cv-1',
      'POST /runs',
      'GET /runs/run-2',
      'GET /runs/run-2',
      'GET /plans/plan-2/json-output',
      'POST /workspaces/ws-sec/configuration-versions',
      'GET /configuration-versions/cv-3',
      'POST /runs',
      'GET /runs/run-4',
      'GET /runs/run-4',
      'GET /plans/plan-4/json-output',
    ]);
    // And every API call carries the Bearer token and the JSON:API media type
    for (const request of fake.requests.filter((r) => r.path.startsWith('/api/v2/'))) {
      expect(request.headers.authorization).toBe('Bearer test-token');
      expect(request.headers.accept).toBe('application/vnd.api+json');
    }
    // And the configuration version is not auto-queued and not speculative
    const createVersion = fake.requests.find((r) => r.path === '/api/v2/workspaces/ws-app/configuration-versions');
    expect(createVersion?.headers['content-type']).toBe('application/vnd.api+json');
    expect(createVersion?.json).toEqual({ data: { type: 'configuration-versions', attributes: { 'auto-queue-runs': false, speculative: false } } });
    // And the upload PUT has no Authorization header and an octet-stream body holding the stack, without .terraform
    const upload = fake.requests.find((r) => r.method === 'PUT');
    expect(upload?.path).toBe('/_archivist/upload/cv-1');
    expect(upload?.headers.authorization).toBeUndefined();
    expect(upload?.headers['content-type']).toBe('application/octet-stream');
    const tar = fake.uploads.get('cv-1')!.toString('latin1');
    expect(tar).toContain('cdk.tf.json');
    expect(tar).toContain('reader-iam-app');
    expect(tar).not.toContain('.terraform');
    // And the run is created with auto-apply=false against that workspace and configuration version
    const createRun = fake.requests.find((r) => r.method === 'POST' && r.path === '/api/v2/runs');
    expect(createRun?.json).toEqual({
      data: {
        type: 'runs',
        attributes: { message: 'iamctl plan abc123', 'auto-apply': false, 'is-destroy': false, 'plan-only': false },
        relationships: {
          workspace: { data: { type: 'workspaces', id: 'ws-app' } },
          'configuration-version': { data: { type: 'configuration-versions', id: 'cv-1' } },
        },
      },
    });
    // And the records name each run, its status, its counts from the plan JSON and its page
    expect(records).toEqual([
      {
        account: 'app',
        organization: 'acme',
        environment: 'nonprod',
        workspace: 'iam-app',
        workspaceId: 'ws-app',
        runId: 'run-2',
        status: 'planned',
        planCounts: { create: 1, update: 0, delete: 0 },
        speculative: false,
        url: 'https://app.terraform.io/app/acme/workspaces/iam-app/runs/run-2',
      },
      {
        account: 'security',
        organization: 'acme',
        environment: 'prod',
        workspace: 'iam-security',
        workspaceId: 'ws-sec',
        runId: 'run-4',
        status: 'planned',
        planCounts: { create: 1, update: 0, delete: 0 },
        speculative: false,
        url: 'https://app.terraform.io/app/acme/workspaces/iam-security/runs/run-4',
      },
    ]);
  });

  it('creates speculative, plan-only runs that end planned_and_finished', async () => {
    await start([{ name: 'iam-app', id: 'ws-app', planStatuses: ['planning', 'planned_and_finished'] }]);
    const records = await planStacks(apiFor(fake), 'app.terraform.io', [TARGETS[0]], { stacksDir, message: 'mr', speculative: true, poll: FAST_POLL });
    expect(fake.requests.find((r) => r.path.endsWith('/configuration-versions'))?.json).toEqual({ data: { type: 'configuration-versions', attributes: { 'auto-queue-runs': false, speculative: true } } });
    expect((fake.requests.find((r) => r.path === '/api/v2/runs')?.json as { data: { attributes: Record<string, unknown> } }).data.attributes['plan-only']).toBe(true);
    expect(records[0]).toMatchObject({ status: 'planned_and_finished', speculative: true, planCounts: { create: 1, update: 0, delete: 0 } });
  });

  it('falls back to the plan summary when the token may not read the plan JSON (401/403/404, as cdktf does)', async () => {
    await start();
    fake.failNext(/^GET \/api\/v2\/plans\/plan-\d+\/json-output$/, 403, { errors: [{ status: '403', title: 'forbidden' }] });
    const records = await planStacks(apiFor(fake), 'app.terraform.io', [TARGETS[0]], { stacksDir, message: 'm', poll: FAST_POLL });
    expect(fake.apiCalls().slice(-2)).toEqual(['GET /plans/plan-2/json-output', 'GET /plans/plan-2']);
    expect(records[0].planCounts).toEqual({ create: 2, update: 1, delete: 0 });
  });

  it('records an errored run with no plan counts instead of throwing', async () => {
    await start([{ name: 'iam-app', id: 'ws-app', planStatuses: ['planning', 'errored'] }]);
    const records = await planStacks(apiFor(fake), 'app.terraform.io', [TARGETS[0]], { stacksDir, message: 'm', poll: FAST_POLL });
    expect(records[0]).toMatchObject({ runId: 'run-2', status: 'errored', planCounts: null });
    expect(fake.apiCalls()).not.toContain('GET /plans/plan-2/json-output');
  });

  it('fails on 401 naming the call, the status and the token variable', async () => {
    await start();
    const plan = planStacks(apiFor(fake, { token: 'wrong' }), 'app.terraform.io', [TARGETS[0]], { stacksDir, message: 'm', poll: FAST_POLL });
    await expect(plan).rejects.toMatchObject({
      code: ERROR_CODES.REMOTE_API,
      status: 401,
      message:
        'Terraform Cloud show workspace iam-app of organization acme (GET /api/v2/organizations/acme/workspaces/iam-app) failed with HTTP 401 Unauthorized: unauthorized. ' +
        'Check TF_TOKEN_app_terraform_io: it is missing, expired or revoked (create a team token in Terraform Cloud under Organization settings → API tokens).',
    });
    // And nothing was created
    expect(fake.apiCalls()).toEqual(['GET /organizations/acme/workspaces/iam-app']);
  });

  it('fails on a missing workspace before creating any run, with the 404 explained', async () => {
    await start([{ name: 'iam-app', id: 'ws-app' }]);
    const plan = planStacks(apiFor(fake), 'app.terraform.io', TARGETS, { stacksDir, message: 'm', poll: FAST_POLL, concurrency: 1 });
    await expect(plan).rejects.toThrow(
      "Terraform Cloud show workspace iam-security of organization acme (GET /api/v2/organizations/acme/workspaces/iam-security) failed with HTTP 404 Not Found: not found. Terraform Cloud answers 404 both when the resource does not exist and when the token may not see it: check the organization and workspace names and the token's team access.",
    );
    expect(fake.apiCalls().filter((c) => c.startsWith('POST'))).toEqual([]);
  });

  it('quotes the API errors[].detail of a rejected call', async () => {
    await start();
    fake.failNext(/^POST \/api\/v2\/runs$/, 422, { errors: [{ status: '422', title: 'invalid attribute', detail: 'Workspace is locked' }, { status: '422', title: 'second' }] });
    await expect(planStacks(apiFor(fake), 'app.terraform.io', [TARGETS[0]], { stacksDir, message: 'm', poll: FAST_POLL })).rejects.toThrow(
      'Terraform Cloud create run for workspace iam-app (POST /api/v2/runs) failed with HTTP 422 Unprocessable Entity: Workspace is locked; second.',
    );
  });

  it('retries a 429 after the Retry-After delay, then succeeds', async () => {
    await start();
    fake.failNext(/^GET \/api\/v2\/organizations\//, 429, { errors: [{ status: '429', title: 'Too many requests' }] }, { 'Retry-After': '2' }, 2);
    const waits: number[] = [];
    const records = await planStacks(apiFor(fake, { sleep: async (ms) => void waits.push(ms) }), 'app.terraform.io', [TARGETS[0]], { stacksDir, message: 'm', poll: FAST_POLL });
    expect(waits).toEqual([2000, 2000]);
    expect(fake.apiCalls().slice(0, 3)).toEqual(['GET /organizations/acme/workspaces/iam-app', 'GET /organizations/acme/workspaces/iam-app', 'GET /organizations/acme/workspaces/iam-app']);
    expect(records[0].status).toBe('planned');
  });

  it('gives up after the retries of a lasting 429, saying so', async () => {
    await start();
    fake.failNext(/^GET \/api\/v2\/organizations\//, 429, { errors: [{ status: '429', title: 'Too many requests' }] }, { 'Retry-After': '0' }, 10);
    const client = new TfcHttpClient({ token: TOKEN, hostname: 'app.terraform.io', address: fake.address, maxRetries: 2 });
    await expect(new TfcApi(client).showWorkspace('acme', 'iam-app')).rejects.toThrow(
      'Terraform Cloud show workspace iam-app of organization acme (GET /api/v2/organizations/acme/workspaces/iam-app) failed with HTTP 429 Too Many Requests after 2 retries: Too many requests.',
    );
    expect(fake.apiCalls()).toHaveLength(3);
  });

  it('times out a run that never finishes planning, naming the run and its last status', async () => {
    await start([{ name: 'iam-app', id: 'ws-app', planStatuses: ['planning'] }]);
    let clock = 0;
    const poll = { initialIntervalMs: 1000, maxIntervalMs: 5000, timeoutMs: 30_000, now: () => clock, sleep: async (ms: number) => void (clock += ms) };
    await expect(planStacks(apiFor(fake), 'app.terraform.io', [TARGETS[0]], { stacksDir, message: 'm', poll })).rejects.toThrow(
      'timed out after 30s waiting for run run-2 of iam-app to finish planning (last status: planning); raise --timeout or check the run in Terraform Cloud',
    );
  });

  it('fails clearly when the server cannot be reached', async () => {
    await start();
    const address = fake.address;
    await fake.close();
    const client = new TfcHttpClient({ token: TOKEN, hostname: 'app.terraform.io', address });
    await expect(new TfcApi(client).showRun('run-1', 'workspace iam-app')).rejects.toThrow(
      /^Terraform Cloud show run run-1 of workspace iam-app \(GET \/api\/v2\/runs\/run-1\) could not connect: .*ECONNREFUSED.*\. Check the hostname in backend\.terraformCloud and the network\.$/,
    );
    fake = await startFakeTfc({ token: TOKEN, organization: 'acme', workspaces: [] });
  });

  describe('apply', () => {
    async function planBoth(): Promise<TfcRunRecord[]> {
      await start();
      return planStacks(apiFor(fake), 'app.terraform.io', TARGETS, { stacksDir, message: 'm', poll: FAST_POLL, concurrency: 1 });
    }

    it('applies exactly the recorded runs with the comment and waits for applied', async () => {
      const records = await planBoth();
      const before = fake.requests.length;
      const outcomes = await applyRuns(apiFor(fake), records, { comment: 'approved by alice in pipeline 42', poll: FAST_POLL });
      const calls = fake.requests.slice(before).map((r) => `${r.method} ${r.path.slice('/api/v2'.length)}`);
      expect(calls).toEqual([
        'GET /runs/run-2',
        'GET /runs/run-4',
        'POST /runs/run-2/actions/apply',
        'GET /runs/run-2',
        'GET /runs/run-2',
        'GET /runs/run-2',
        'POST /runs/run-4/actions/apply',
        'GET /runs/run-4',
        'GET /runs/run-4',
        'GET /runs/run-4',
      ]);
      const apply = fake.requests.find((r) => r.path === '/api/v2/runs/run-2/actions/apply');
      expect(apply?.json).toEqual({ comment: 'approved by alice in pipeline 42' });
      expect(outcomes.map((o) => [o.record.runId, o.decision.action, o.record.status])).toEqual([
        ['run-2', 'apply', 'applied'],
        ['run-4', 'apply', 'applied'],
      ]);
    });

    it('refuses everything, applying nothing, when one reviewed run was superseded', async () => {
      const records = await planBoth();
      fake.setRunStatus('run-4', 'discarded');
      const outcomes = await applyRuns(apiFor(fake), records, { comment: 'c', poll: FAST_POLL });
      expect(fake.apiCalls().filter((c) => c.includes('/actions/'))).toEqual([]);
      expect(outcomes[1].decision).toEqual({
        action: 'refuse',
        reason:
          'run run-4 (iam-security) is discarded, not planned: it was discarded, canceled or superseded by a newer run, so the reviewed plan can no longer be applied. Run `iamctl tfc plan` again and have the new plan reviewed',
      });
      expect(outcomes[0].decision).toEqual({ action: 'apply' });
    });

    it('refuses a record whose run belongs to another workspace', async () => {
      const records = await planBoth();
      const swapped = [{ ...records[0], runId: records[1].runId }];
      const outcomes = await applyRuns(apiFor(fake), swapped, { comment: 'c', poll: FAST_POLL });
      expect(outcomes[0].decision).toEqual({
        action: 'refuse',
        reason: 'run run-4 belongs to workspace ws-sec, not iam-app (ws-app): the run manifest does not match Terraform Cloud',
      });
    });

    it('reports an apply that errors', async () => {
      await start([{ name: 'iam-app', id: 'ws-app', applyStatuses: ['applying', 'errored'] }]);
      const records = await planStacks(apiFor(fake), 'app.terraform.io', [TARGETS[0]], { stacksDir, message: 'm', poll: FAST_POLL });
      const outcomes = await applyRuns(apiFor(fake), records, { comment: 'c', poll: FAST_POLL });
      expect(outcomes[0].record.status).toBe('errored');
    });

    it('reads the current status of recorded runs', async () => {
      const records = await planBoth();
      fake.setRunStatus('run-2', 'applied');
      expect((await readRunStatuses(apiFor(fake), records)).map((r) => r.status)).toEqual(['applied', 'planned']);
    });
  });
});
