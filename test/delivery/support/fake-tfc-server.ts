/**
 * A fake Terraform Cloud API on a loopback port (node:http), answering with the documented JSON:API shapes
 * of the Workspaces, Configuration Versions, Runs and Plans APIs. It records every request so tests can
 * assert exactly what the client sent. It is a test double built from the API docs, not Terraform Cloud.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One request the fake received. */
export interface RecordedRequest {
  readonly method: string;
  /** Path with query, as received (`/api/v2/runs/run-1`). */
  readonly path: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Raw body bytes. */
  readonly body: Buffer;
  /** Body parsed as JSON, when it is JSON. */
  readonly json?: unknown;
}

/** A canned answer for the next request whose `METHOD path` matches. */
interface InjectedFailure {
  readonly match: RegExp;
  readonly status: number;
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string>>;
  remaining: number;
}

/** Scripted behaviour of one workspace. */
export interface FakeWorkspace {
  readonly name: string;
  readonly id: string;
  /** Statuses a new run goes through on each `GET runs/:id`, the last one sticking. @default ['planning', 'planned'] */
  readonly planStatuses?: readonly string[];
  /** Statuses after an apply is confirmed. @default ['apply_queued', 'applying', 'applied'] */
  readonly applyStatuses?: readonly string[];
  /** Plan JSON of the workspace's runs (`terraform show -json`). @default one create */
  readonly planJson?: unknown;
  /** `data` of `GET runs/:id/policy-checks`. @default [] */
  readonly policyChecks?: readonly unknown[];
  /** `data` of `GET runs/:id/task-stages`. @default [] */
  readonly taskStages?: readonly unknown[];
}

interface FakeRun {
  readonly id: string;
  readonly workspaceId: string;
  readonly planId: string;
  readonly configurationVersionId: string;
  readonly planOnly: boolean;
  readonly attributes: Record<string, unknown>;
  statuses: string[];
  status: string;
}

export interface FakeTfc {
  /** `http://127.0.0.1:<port>`: the TFE_ADDRESS of the fake. */
  readonly address: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Archives uploaded per configuration version id (gunzipped tar). */
  readonly uploads: Map<string, Buffer>;
  /** Runs by id, for tests that change a run's status (superseded, discarded). */
  readonly setRunStatus: (runId: string, status: string) => void;
  /** Answers the next `count` requests matching `METHOD path` with this status, body and headers. */
  readonly failNext: (match: RegExp, status: number, body: unknown, headers?: Record<string, string>, count?: number) => void;
  /** Requests other than the upload PUTs and downloads, as `METHOD path`. */
  readonly apiCalls: () => string[];
  readonly close: () => Promise<void>;
}

const JSON_API = 'application/vnd.api+json';

/** Starts the fake on a free loopback port. Requests to /api/v2 need `Authorization: Bearer <token>`. */
export async function startFakeTfc(options: { readonly token: string; readonly organization: string; readonly workspaces: readonly FakeWorkspace[] }): Promise<FakeTfc> {
  const requests: RecordedRequest[] = [];
  const uploads = new Map<string, Buffer>();
  const failures: InjectedFailure[] = [];
  const versions = new Map<string, { status: string; workspaceId: string; speculative: boolean }>();
  const runs = new Map<string, FakeRun>();
  let counter = 0;
  let address = '';

  const send = (res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void => {
    res.writeHead(status, body === undefined ? headers : { 'Content-Type': JSON_API, ...headers });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };
  const notFound = (res: ServerResponse): void => send(res, 404, { errors: [{ status: '404', title: 'not found' }] });
  const workspaceById = (id: string): FakeWorkspace | undefined => options.workspaces.find((w) => w.id === id);
  const runDocument = (run: FakeRun): unknown => ({
    data: {
      id: run.id,
      type: 'runs',
      attributes: { ...run.attributes, status: run.status, 'has-changes': true, 'plan-only': run.planOnly, actions: { 'is-confirmable': run.status === 'planned' } },
      relationships: {
        workspace: { data: { id: run.workspaceId, type: 'workspaces' } },
        plan: { data: { id: run.planId, type: 'plans' } },
        'configuration-version': { data: { id: run.configurationVersionId, type: 'configuration-versions' } },
      },
      links: { self: `/api/v2/runs/${run.id}` },
    },
  });

  const handle = (req: IncomingMessage, res: ServerResponse, body: Buffer): void => {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    let json: unknown;
    try {
      json = body.length > 0 ? JSON.parse(body.toString('utf8')) : undefined;
    } catch {
      json = undefined;
    }
    requests.push({ method, path, headers: req.headers, body, json });
    const failure = failures.find((f) => f.remaining > 0 && f.match.test(`${method} ${path}`));
    if (failure) {
      failure.remaining -= 1;
      send(res, failure.status, failure.body, failure.headers);
      return;
    }
    // The archivist: upload and download URLs carry their own authorization, like Terraform Cloud's.
    let m = /^\/_archivist\/upload\/(cv-\d+)$/.exec(path);
    if (m && method === 'PUT') {
      const version = versions.get(m[1]);
      if (!version) return notFound(res);
      uploads.set(m[1], gunzipSync(body));
      version.status = 'uploaded';
      return send(res, 200);
    }
    m = /^\/_archivist\/plan-json\/(plan-\d+)$/.exec(path);
    if (m && method === 'GET') {
      const run = [...runs.values()].find((r) => r.planId === m![1]);
      if (!run) return notFound(res);
      const planJson = workspaceById(run.workspaceId)?.planJson ?? { format_version: '1.2', resource_changes: [{ address: 'aws_iam_role.a', change: { actions: ['create'] } }] };
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(planJson));
      return;
    }
    if (!path.startsWith('/api/v2/')) return notFound(res);
    if (req.headers.authorization !== `Bearer ${options.token}`) {
      return send(res, 401, { errors: [{ status: '401', title: 'unauthorized' }] });
    }
    const api = path.slice('/api/v2/'.length);
    m = /^organizations\/([^/]+)\/workspaces\/([^/]+)$/.exec(api);
    if (m && method === 'GET') {
      const workspace = options.workspaces.find((w) => w.name === decodeURIComponent(m![2]));
      if (decodeURIComponent(m[1]) !== options.organization || !workspace) return notFound(res);
      const current = [...runs.values()].filter((r) => r.workspaceId === workspace.id && !r.planOnly).pop();
      return send(res, 200, {
        data: {
          id: workspace.id,
          type: 'workspaces',
          attributes: { name: workspace.name, 'auto-apply': false },
          relationships: { 'current-run': { data: current ? { id: current.id, type: 'runs' } : null } },
        },
      });
    }
    m = /^workspaces\/([^/]+)\/configuration-versions$/.exec(api);
    if (m && method === 'POST') {
      if (!workspaceById(m[1])) return notFound(res);
      const attributes = (json as { data?: { attributes?: Record<string, unknown> } })?.data?.attributes ?? {};
      counter += 1;
      const id = `cv-${counter}`;
      versions.set(id, { status: 'pending', workspaceId: m[1], speculative: attributes.speculative === true });
      return send(res, 201, {
        data: {
          id,
          type: 'configuration-versions',
          attributes: { 'auto-queue-runs': attributes['auto-queue-runs'], speculative: attributes.speculative === true, status: 'pending', 'upload-url': `${address}/_archivist/upload/${id}` },
        },
      });
    }
    m = /^configuration-versions\/([^/]+)$/.exec(api);
    if (m && method === 'GET') {
      const version = versions.get(m[1]);
      if (!version) return notFound(res);
      return send(res, 200, { data: { id: m[1], type: 'configuration-versions', attributes: { status: version.status, speculative: version.speculative } } });
    }
    if (api === 'runs' && method === 'POST') {
      const data = (json as { data?: { attributes?: Record<string, unknown>; relationships?: Record<string, { data?: { id?: string } }> } })?.data;
      const workspaceId = data?.relationships?.workspace?.data?.id ?? '';
      const versionId = data?.relationships?.['configuration-version']?.data?.id ?? '';
      const workspace = workspaceById(workspaceId);
      const version = versions.get(versionId);
      if (!workspace) return notFound(res);
      if (!version || version.status !== 'uploaded') {
        return send(res, 422, { errors: [{ status: '422', title: 'invalid attribute', detail: 'Configuration version is not uploaded' }] });
      }
      counter += 1;
      const run: FakeRun = {
        id: `run-${counter}`,
        workspaceId,
        planId: `plan-${counter}`,
        configurationVersionId: versionId,
        planOnly: data?.attributes?.['plan-only'] === true || version.speculative,
        attributes: { ...(data?.attributes ?? {}) },
        statuses: [...(workspace.planStatuses ?? ['planning', 'planned'])],
        status: 'pending',
      };
      runs.set(run.id, run);
      return send(res, 201, runDocument(run));
    }
    m = /^runs\/([^/]+)$/.exec(api);
    if (m && method === 'GET') {
      const run = runs.get(m[1]);
      if (!run) return notFound(res);
      const next = run.statuses.shift();
      if (next !== undefined) run.status = next;
      return send(res, 200, runDocument(run));
    }
    m = /^runs\/([^/]+)\/(policy-checks|task-stages)$/.exec(api);
    if (m && method === 'GET') {
      const run = runs.get(m[1]);
      if (!run) return notFound(res);
      const workspace = workspaceById(run.workspaceId);
      return send(res, 200, { data: (m[2] === 'policy-checks' ? workspace?.policyChecks : workspace?.taskStages) ?? [] });
    }
    m = /^runs\/([^/]+)\/actions\/(apply|discard)$/.exec(api);
    if (m && method === 'POST') {
      const run = runs.get(m[1]);
      if (!run) return notFound(res);
      if (run.status !== 'planned' && run.status !== 'policy_checked' && run.status !== 'cost_estimated') {
        return send(res, 409, { errors: [{ status: '409', title: 'transition not allowed', detail: `The run cannot be ${m[2] === 'apply' ? 'applied' : 'discarded'} in state ${run.status}` }] });
      }
      if (m[2] === 'apply') {
        run.status = 'confirmed';
        run.statuses = [...(workspaceById(run.workspaceId)?.applyStatuses ?? ['apply_queued', 'applying', 'applied'])];
      } else {
        run.status = 'discarded';
        run.statuses = [];
      }
      return send(res, 202);
    }
    m = /^plans\/([^/]+)\/json-output$/.exec(api);
    if (m && method === 'GET') {
      return send(res, 307, undefined, { Location: `${address}/_archivist/plan-json/${m[1]}` });
    }
    m = /^plans\/([^/]+)$/.exec(api);
    if (m && method === 'GET') {
      return send(res, 200, { data: { id: m[1], type: 'plans', attributes: { status: 'finished', 'resource-additions': 2, 'resource-changes': 1, 'resource-destructions': 0 } } });
    }
    notFound(res);
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  address = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    address,
    requests,
    uploads,
    setRunStatus: (runId, status) => {
      const run = runs.get(runId);
      if (!run) throw new Error(`fake has no run ${runId}`);
      run.status = status;
      run.statuses = [];
    },
    failNext: (match, status, body, headers = {}, count = 1) => {
      failures.push({ match, status, body, headers, remaining: count });
    },
    apiCalls: () => requests.filter((r) => r.path.startsWith('/api/v2/')).map((r) => `${r.method} ${r.path.slice('/api/v2'.length)}`),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
