/**
 * A small client for the GitLab REST API v4 (`CI_API_V4_URL`) over the global `fetch`: merge-request notes
 * (one note per merge request, found again by a marker and updated in place) and merge requests (rollback branches).
 * Errors are IamPlatformError(REMOTE_API) naming the call and the HTTP status; the token never appears in them.
 */
import { ERROR_CODES, IamPlatformError } from '../../core/errors';

/** A `fetch`-compatible function (the global one, or a test double). */
export type FetchFunction = (input: string, init?: RequestInit) => Promise<Response>;

/** Notes fetched per page (GitLab's largest `per_page`). @see https://docs.gitlab.com/api/rest/#pagination */
export const GITLAB_MAX_PER_PAGE = 100;
/** Pages of notes read before giving up looking for ours (10,000 notes). */
export const MAX_NOTE_PAGES = 100;

/** Options of {@link GitLabClient}. */
export interface GitLabClientOptions {
  /** API base (`https://gitlab.example.com/api/v4`, `CI_API_V4_URL`). */
  readonly apiUrl: string;
  /** Project id or URL-encoded path (`CI_PROJECT_ID`). */
  readonly projectId: string;
  /** Token with `api` scope: a personal or project access token (`PRIVATE-TOKEN`), or an OAuth access token (`bearer`). */
  readonly token: string;
  /** How the token is sent: `private-token` (PRIVATE-TOKEN header) or `bearer` (OAuth2, Authorization header). @default 'private-token' */
  readonly authScheme?: 'private-token' | 'bearer';
  /** @default globalThis.fetch */
  readonly fetch?: FetchFunction;
}

/** A merge-request note as the API returns it (fields used here). */
export interface GitLabNote {
  readonly id: number;
  readonly body: string;
  readonly system?: boolean;
}

/** What {@link GitLabClient.upsertMergeRequestNote} did. */
export interface UpsertNoteResult {
  readonly action: 'created' | 'updated';
  readonly noteId: number;
}

/** A merge request as the API returns it (fields used here). */
export interface GitLabMergeRequest {
  readonly iid: number;
  readonly web_url: string;
  /** @default - not returned */
  readonly title?: string;
  /** `opened`, `merged`, `closed`, `locked`. @default - not returned */
  readonly state?: string;
  /** @default - not returned */
  readonly source_branch?: string;
  /** Latest pipeline of the source branch (single merge request only). @default - none */
  readonly head_pipeline?: { readonly id: number; readonly status: string; readonly web_url?: string } | null;
}

/** One action of a commit (POST /projects/:id/repository/commits). @see https://docs.gitlab.com/api/commits/#create-a-commit-with-multiple-files-and-actions */
export interface GitLabCommitAction {
  readonly action: 'create' | 'update' | 'delete';
  readonly file_path: string;
  /** File content (create, update). @default - none */
  readonly content?: string;
}

/** Options of {@link GitLabClient.createMergeRequest}. */
export interface CreateMergeRequestOptions {
  /** Labels. @default - none */
  readonly labels?: readonly string[];
}

/** The signed-in user (GET /user). */
export interface GitLabUser {
  readonly id: number;
  readonly username: string;
  readonly name?: string;
}

export class GitLabClient {
  private readonly fetch: FetchFunction;
  private readonly base: string;

  constructor(private readonly options: GitLabClientOptions) {
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.base = `${options.apiUrl.replace(/\/+$/, '')}/projects/${encodeURIComponent(options.projectId)}`;
  }

  private async call<T>(call: string, method: string, path: string, body?: unknown, root = false): Promise<{ value: T; headers: Headers }> {
    let response: Response;
    const auth: Record<string, string> = this.options.authScheme === 'bearer' ? { Authorization: `Bearer ${this.options.token}` } : { 'PRIVATE-TOKEN': this.options.token };
    try {
      response = await this.fetch(`${root ? this.options.apiUrl.replace(/\/+$/, '') : this.base}${path}`, {
        method,
        headers: { ...auth, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new IamPlatformError(ERROR_CODES.REMOTE_API, `GitLab ${call} failed: ${(error as Error).message} (${this.options.apiUrl})`, { cause: error });
    }
    const text = await response.text();
    if (!response.ok) {
      const hint = response.status === 401 || response.status === 403 ? ': check that the project access token is set, unexpired and has the api scope' : '';
      throw new IamPlatformError(ERROR_CODES.REMOTE_API, `GitLab ${call} failed: HTTP ${response.status} ${text.slice(0, 200)}${hint}`);
    }
    try {
      return { value: (text === '' ? undefined : JSON.parse(text)) as T, headers: response.headers };
    } catch (error) {
      throw new IamPlatformError(ERROR_CODES.REMOTE_API, `GitLab ${call} returned a body that is not JSON: ${text.slice(0, 200)}`, { cause: error });
    }
  }

  /** Every note of a merge request, following `x-next-page`. */
  public async listMergeRequestNotes(iid: string | number): Promise<GitLabNote[]> {
    const out: GitLabNote[] = [];
    let page = '1';
    for (let i = 0; i < MAX_NOTE_PAGES && page !== ''; i++) {
      const { value, headers } = await this.call<GitLabNote[]>(`list notes of merge request !${iid}`, 'GET', `/merge_requests/${iid}/notes?per_page=${GITLAB_MAX_PER_PAGE}&page=${page}&sort=asc&order_by=created_at`);
      out.push(...value);
      page = headers.get('x-next-page') ?? '';
    }
    return out;
  }

  /** Posts `body` as a note, or updates the note that already holds `marker` (one note per merge request, updated on every push). */
  public async upsertMergeRequestNote(iid: string | number, body: string, marker: string): Promise<UpsertNoteResult> {
    const ours = (await this.listMergeRequestNotes(iid)).find((n) => !n.system && n.body.includes(marker));
    if (ours) {
      const { value } = await this.call<GitLabNote>(`update note ${ours.id} of merge request !${iid}`, 'PUT', `/merge_requests/${iid}/notes/${ours.id}`, { body });
      return { action: 'updated', noteId: value.id };
    }
    const { value } = await this.call<GitLabNote>(`create a note on merge request !${iid}`, 'POST', `/merge_requests/${iid}/notes`, { body });
    return { action: 'created', noteId: value.id };
  }

  /** Opens a merge request from `sourceBranch` into `targetBranch`. */
  public async createMergeRequest(sourceBranch: string, targetBranch: string, title: string, description: string, options: CreateMergeRequestOptions = {}): Promise<GitLabMergeRequest> {
    const { value } = await this.call<GitLabMergeRequest>(`open a merge request from ${sourceBranch}`, 'POST', '/merge_requests', {
      source_branch: sourceBranch,
      target_branch: targetBranch,
      title,
      description,
      remove_source_branch: true,
      ...(options.labels !== undefined && options.labels.length > 0 ? { labels: options.labels.join(',') } : {}),
    });
    return value;
  }

  /** Creates `branch` from `startBranch` with one commit of these actions (one call: branch and commit). */
  public async createCommit(branch: string, startBranch: string, message: string, actions: readonly GitLabCommitAction[]): Promise<{ readonly id: string }> {
    const { value } = await this.call<{ id: string }>(`commit to branch ${branch}`, 'POST', '/repository/commits', { branch, start_branch: startBranch, commit_message: message, actions });
    return value;
  }

  /** The text of a file at a ref, or undefined when the file does not exist there. */
  public async readFile(path: string, ref: string): Promise<string | undefined> {
    try {
      const { value } = await this.call<{ content: string; encoding: string }>(`read ${path} at ${ref}`, 'GET', `/repository/files/${encodeURIComponent(path)}?ref=${encodeURIComponent(ref)}`);
      return value.encoding === 'base64' ? Buffer.from(value.content, 'base64').toString('utf8') : value.content;
    } catch (error) {
      if (error instanceof IamPlatformError && / HTTP 404 /.test(error.message)) return undefined;
      throw error;
    }
  }

  /** Merge requests of the project by author and label, newest first (first page, at most 100). */
  public async listMergeRequests(filter: { readonly authorUsername: string; readonly labels?: readonly string[] }): Promise<GitLabMergeRequest[]> {
    const query = new URLSearchParams({ author_username: filter.authorUsername, state: 'all', order_by: 'created_at', sort: 'desc', per_page: String(GITLAB_MAX_PER_PAGE) });
    if (filter.labels !== undefined && filter.labels.length > 0) query.set('labels', filter.labels.join(','));
    const { value } = await this.call<GitLabMergeRequest[]>(`list merge requests of ${filter.authorUsername}`, 'GET', `/merge_requests?${query.toString()}`);
    return value;
  }

  /** One merge request, with its head pipeline. */
  public async getMergeRequest(iid: string | number): Promise<GitLabMergeRequest> {
    const { value } = await this.call<GitLabMergeRequest>(`read merge request !${iid}`, 'GET', `/merge_requests/${iid}`);
    return value;
  }

  /** The user the token belongs to (GET /user). */
  public async getCurrentUser(): Promise<GitLabUser> {
    const { value } = await this.call<GitLabUser>('read the signed-in user', 'GET', '/user', undefined, true);
    return value;
  }
}

/** The GitLab CI variables a merge-request pipeline job has. */
export interface MergeRequestContext {
  readonly apiUrl: string;
  readonly projectId: string;
  readonly mergeRequestIid: string;
  readonly token: string;
}

/** Environment variable holding the project access token (masked CI/CD variable). */
export const GITLAB_TOKEN_VARIABLE = 'IAMCTL_GITLAB_TOKEN';

/** Reads the merge-request context from CI variables, or a user error naming every missing one. */
export function readMergeRequestContext(env: NodeJS.ProcessEnv): MergeRequestContext {
  const names = ['CI_API_V4_URL', 'CI_PROJECT_ID', 'CI_MERGE_REQUEST_IID', GITLAB_TOKEN_VARIABLE] as const;
  const missing = names.filter((n) => !env[n]);
  if (missing.length > 0) {
    throw new IamPlatformError(
      ERROR_CODES.INVALID_ARGUMENT,
      `posting the merge-request note needs ${missing.join(', ')}: run in a merge-request pipeline and set ${GITLAB_TOKEN_VARIABLE} as a masked CI/CD variable (project access token, api scope)`,
    );
  }
  return { apiUrl: env.CI_API_V4_URL!, projectId: env.CI_PROJECT_ID!, mergeRequestIid: env.CI_MERGE_REQUEST_IID!, token: env[GITLAB_TOKEN_VARIABLE]! };
}
