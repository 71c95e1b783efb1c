/**
 * The Terraform Cloud API calls the delivery uses, typed (HCP Terraform API docs: Workspaces, Configuration
 * Versions, Runs, Plans; hashicorp/go-tfe run.go, configuration_version.go, plan.go).
 */
import { ERROR_CODES, IamPlatformError } from '../../core/errors';
import type { PlanResourceAttributes, PolicyCheckSummary, TaskStageSummary } from '../../core/delivery';
import { TfcApiError, type TfcHttpClient, type TfcRequest } from './http-client';

/** A workspace, as `GET organizations/:org/workspaces/:name` returns it. */
export interface TfcWorkspace {
  readonly id: string;
  readonly name: string;
  /** The workspace's current run (`relationships.current-run`), which new non-speculative runs queue behind. @default - none */
  readonly currentRunId?: string;
}

/** A configuration version: its id, upload URL and status (`pending`, `uploaded`, `errored`, …). */
export interface TfcConfigurationVersion {
  readonly id: string;
  readonly status: string;
  /** One-time URL the archive is PUT to; only present while the version is pending. */
  readonly uploadUrl?: string;
  /** Why the version errored. @default - none */
  readonly errorMessage?: string;
}

/** A run, as `GET runs/:id` returns it. */
export interface TfcRun {
  readonly id: string;
  readonly status: string;
  /** Workspace id of the run. */
  readonly workspaceId?: string;
  /** Plan id, for the plan JSON. */
  readonly planId?: string;
  /** Whether the plan has changes. @default - unknown until planned */
  readonly hasChanges?: boolean;
  /** Whether the run is plan-only (speculative). */
  readonly planOnly: boolean;
  /** Configuration version the run planned (`relationships.configuration-version`). @default - not given */
  readonly configurationVersionId?: string;
}

/** Options of {@link TfcApi.createRun}. */
export interface CreateRunOptions {
  readonly workspaceId: string;
  readonly configurationVersionId: string;
  /** Run message shown in Terraform Cloud. */
  readonly message: string;
  /** Plan only (speculative): the run can never be applied. */
  readonly planOnly: boolean;
}

type Attributes = Record<string, unknown>;

function readString(attributes: Attributes, key: string): string | undefined {
  const value = attributes[key];
  return typeof value === 'string' ? value : undefined;
}

export class TfcApi {
  constructor(private readonly client: TfcHttpClient) {}

  /** `GET organizations/:org/workspaces/:name`. */
  public async showWorkspace(organization: string, name: string): Promise<TfcWorkspace> {
    const doc = await this.client.requestDocument<Attributes>({
      call: `show workspace ${name} of organization ${organization}`,
      method: 'GET',
      path: `organizations/${encodeURIComponent(organization)}/workspaces/${encodeURIComponent(name)}`,
    });
    return { id: doc.data.id, name: readString(doc.data.attributes ?? {}, 'name') ?? name, currentRunId: doc.data.relationships?.['current-run']?.data?.id };
  }

  /** `POST workspaces/:id/configuration-versions` with `auto-queue-runs: false`: the run is created explicitly. */
  public async createConfigurationVersion(workspaceId: string, speculative: boolean, label: string): Promise<TfcConfigurationVersion> {
    const doc = await this.client.requestDocument<Attributes>({
      call: `create configuration version for ${label}`,
      method: 'POST',
      path: `workspaces/${encodeURIComponent(workspaceId)}/configuration-versions`,
      body: { data: { type: 'configuration-versions', attributes: { 'auto-queue-runs': false, speculative } } },
    });
    return this.toConfigurationVersion(doc.data.id, doc.data.attributes ?? {});
  }

  /** `GET configuration-versions/:id`. */
  public async showConfigurationVersion(id: string, label: string): Promise<TfcConfigurationVersion> {
    const doc = await this.client.requestDocument<Attributes>({ call: `show configuration version ${id} of ${label}`, method: 'GET', path: `configuration-versions/${encodeURIComponent(id)}` });
    return this.toConfigurationVersion(doc.data.id, doc.data.attributes ?? {});
  }

  /** PUTs the archive to the version's upload URL (no Authorization header). */
  public async uploadConfiguration(version: TfcConfigurationVersion, archive: Uint8Array, label: string): Promise<void> {
    if (!version.uploadUrl) {
      throw new IamPlatformError(ERROR_CODES.REMOTE_API, `Terraform Cloud create configuration version for ${label} returned no "upload-url" (status ${version.status})`);
    }
    await this.client.upload(version.uploadUrl, archive, `upload configuration version ${version.id} of ${label}`);
  }

  /** `POST runs` with `auto-apply: false`, so the run stops at `planned` until someone applies it. */
  public async createRun(options: CreateRunOptions, label: string): Promise<TfcRun> {
    const doc = await this.client.requestDocument<Attributes>({
      call: `create run for ${label}`,
      method: 'POST',
      path: 'runs',
      body: {
        data: {
          type: 'runs',
          attributes: { message: options.message, 'auto-apply': false, 'is-destroy': false, 'plan-only': options.planOnly },
          relationships: {
            workspace: { data: { type: 'workspaces', id: options.workspaceId } },
            'configuration-version': { data: { type: 'configuration-versions', id: options.configurationVersionId } },
          },
        },
      },
    });
    return this.toRun(doc.data);
  }

  /** `GET runs/:id`. */
  public async showRun(runId: string, label: string): Promise<TfcRun> {
    const doc = await this.client.requestDocument<Attributes>({ call: `show run ${runId} of ${label}`, method: 'GET', path: `runs/${encodeURIComponent(runId)}` });
    return this.toRun(doc.data);
  }

  /** `POST runs/:id/actions/apply` with a comment (202 Accepted, empty body). */
  public async applyRun(runId: string, comment: string, label: string): Promise<void> {
    await this.client.request({ call: `apply run ${runId} of ${label}`, method: 'POST', path: `runs/${encodeURIComponent(runId)}/actions/apply`, body: { comment } });
  }

  /** `POST runs/:id/actions/discard` with a comment. */
  public async discardRun(runId: string, comment: string, label: string): Promise<void> {
    await this.client.request({ call: `discard run ${runId} of ${label}`, method: 'POST', path: `runs/${encodeURIComponent(runId)}/actions/discard`, body: { comment } });
  }

  /** `GET plans/:id`: the resource counts of a finished plan. */
  public async showPlan(planId: string, label: string): Promise<PlanResourceAttributes & { readonly status?: string }> {
    const doc = await this.client.requestDocument<Attributes>({ call: `show plan ${planId} of ${label}`, method: 'GET', path: `plans/${encodeURIComponent(planId)}` });
    return doc.data.attributes as PlanResourceAttributes & { readonly status?: string };
  }

  /**
   * `GET plans/:id/json-output` (a redirect to the JSON plan). Needs a token with admin or "download
   * sentinel mocks" rights; returns undefined on 401/403/404 so the caller can fall back to `showPlan`,
   * as cdktf does.
   */
  public async readPlanJson(planId: string, label: string): Promise<unknown> {
    try {
      return await this.client.request<unknown>({ call: `read plan JSON ${planId} of ${label}`, method: 'GET', path: `plans/${encodeURIComponent(planId)}/json-output` });
    } catch (error) {
      if (error instanceof TfcApiError && (error.status === 401 || error.status === 403 || error.status === 404)) return undefined;
      throw error;
    }
  }

  /** `GET runs/:id/policy-checks` (Sentinel policy checks); an empty list when the API answers 404. */
  public async listPolicyChecks(runId: string, label: string): Promise<PolicyCheckSummary[]> {
    const items = await this.listOrEmpty({ call: `list policy checks of run ${runId} of ${label}`, method: 'GET', path: `runs/${encodeURIComponent(runId)}/policy-checks` });
    return items.map((item) => {
      const result = (item.attributes?.result ?? {}) as Record<string, unknown>;
      const count = (key: string): number => (typeof result[key] === 'number' ? (result[key] as number) : 0);
      return { status: readString(item.attributes ?? {}, 'status') ?? 'unknown', hardFailed: count('hard-failed'), softFailed: count('soft-failed'), advisoryFailed: count('advisory-failed') };
    });
  }

  /** `GET runs/:id/task-stages` (run tasks and policy evaluations); an empty list when the API answers 404. */
  public async listTaskStages(runId: string, label: string): Promise<TaskStageSummary[]> {
    const items = await this.listOrEmpty({ call: `list task stages of run ${runId} of ${label}`, method: 'GET', path: `runs/${encodeURIComponent(runId)}/task-stages` });
    return items.map((item) => ({ stage: readString(item.attributes ?? {}, 'stage') ?? 'unknown', status: readString(item.attributes ?? {}, 'status') ?? 'unknown' }));
  }

  /** The `data` list of a JSON:API list document; empty on 404 (an older Terraform Enterprise without the endpoint). */
  private async listOrEmpty(request: TfcRequest): Promise<readonly { readonly attributes?: Attributes }[]> {
    try {
      const body = await this.client.request<{ data?: unknown }>(request);
      return Array.isArray(body?.data) ? (body.data as { attributes?: Attributes }[]) : [];
    } catch (error) {
      if (error instanceof TfcApiError && error.status === 404) return [];
      throw error;
    }
  }

  private toConfigurationVersion(id: string, attributes: Attributes): TfcConfigurationVersion {
    return {
      id,
      status: readString(attributes, 'status') ?? 'unknown',
      uploadUrl: readString(attributes, 'upload-url'),
      errorMessage: readString(attributes, 'error-message'),
    };
  }

  private toRun(data: { readonly id: string; readonly attributes: Attributes; readonly relationships?: Readonly<Record<string, { readonly data?: { readonly id: string } | null }>> }): TfcRun {
    const attributes = data.attributes ?? {};
    const hasChanges = attributes['has-changes'];
    return {
      id: data.id,
      status: readString(attributes, 'status') ?? 'unknown',
      workspaceId: data.relationships?.workspace?.data?.id,
      planId: data.relationships?.plan?.data?.id,
      hasChanges: typeof hasChanges === 'boolean' ? hasChanges : undefined,
      planOnly: attributes['plan-only'] === true,
      configurationVersionId: data.relationships?.['configuration-version']?.data?.id,
    };
  }
}
