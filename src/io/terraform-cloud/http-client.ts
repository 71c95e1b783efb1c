/**
 * A small JSON:API client for the Terraform Cloud / HCP Terraform API (`https://<host>/api/v2/`) over the
 * global `fetch`: Bearer token, `application/vnd.api+json`, retries on 429 honouring `Retry-After`, and
 * IamPlatformError(REMOTE_API) messages that name the call, the HTTP status and the API's `errors[].detail`.
 */
import { ERROR_CODES, IamPlatformError } from '../../core/errors';

/** The JSON:API media type the Terraform Cloud API speaks. */
export const JSON_API_MEDIA_TYPE = 'application/vnd.api+json';

/** A `fetch`-compatible function (the global one, or a test double). */
export type FetchFunction = (input: string, init?: RequestInit) => Promise<Response>;

/** Waits `ms` milliseconds (setTimeout, or a fake clock in tests). */
export type SleepFunction = (ms: number) => Promise<void>;

/** Options of {@link TfcHttpClient}. */
export interface TfcHttpClientOptions {
  /** API token (a team or user token). */
  readonly token: string;
  /** Terraform Cloud hostname (`app.terraform.io`). */
  readonly hostname: string;
  /** Base address overriding `https://<hostname>` (a loopback fake in tests; `TFE_ADDRESS` in CI). @default `https://<hostname>` */
  readonly address?: string;
  /** Name of the token variable, quoted in 401 messages. @default 'the API token' */
  readonly tokenSource?: string;
  /** HTTP implementation. @default globalThis.fetch */
  readonly fetch?: FetchFunction;
  /** Sleep implementation for retries. @default setTimeout */
  readonly sleep?: SleepFunction;
  /** Retries of a call answered 429 Too Many Requests. @default 5 */
  readonly maxRetries?: number;
  /** Wait before a retry when the 429 has no usable Retry-After. @default 1000 */
  readonly defaultRetryDelayMs?: number;
  /** Longest wait before one retry, whatever Retry-After says. @default 60000 */
  readonly maxRetryDelayMs?: number;
}

/** One JSON:API resource object. */
export interface JsonApiResource<A = Record<string, unknown>> {
  readonly id: string;
  readonly type: string;
  readonly attributes: A;
  readonly relationships?: Readonly<Record<string, { readonly data?: { readonly id: string; readonly type: string } | null }>>;
  readonly links?: Readonly<Record<string, string>>;
}

/** A JSON:API document with one primary resource. */
export interface JsonApiDocument<A = Record<string, unknown>> {
  readonly data: JsonApiResource<A>;
}

/** One request to the API. */
export interface TfcRequest {
  /** What the call does, for error messages (`show workspace iam-app-prod`). */
  readonly call: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path under `/api/v2/` without the leading slash (`runs/run-123`). */
  readonly path: string;
  /** JSON:API body. @default - no body */
  readonly body?: unknown;
}

/** Redirects one call may follow (same origin, or cross-origin without a body and without the token). */
export const MAX_REDIRECTS = 5;
/** Server text quoted in an error message, at most (characters). */
export const MAX_QUOTED_SERVER_TEXT = 200;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const REDACTED = '[redacted]';

/**
 * Removes what could be a credential from server text before it goes into a message: the token itself,
 * `Authorization: …` values and `Bearer …` tokens (a server or proxy that reflects request headers).
 */
export function redactSecrets(text: string, token: string): string {
  let out = token.length >= 4 ? text.split(token).join(REDACTED) : text;
  out = out.replace(/(authorization"?\s*[:=]\s*"?)(?:(bearer|basic|token)\s+)?[^\s",;}]+/gi, (_m, head: string, scheme?: string) => `${head}${scheme ? `${scheme} ` : ''}${REDACTED}`);
  out = out.replace(/\b(bearer)\s+(?!\[redacted\])[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`);
  return out;
}

/** Hint appended to an error of the given HTTP status. */
function hintFor(status: number, tokenSource: string): string {
  if (status === 401) return ` Check ${tokenSource}: it is missing, expired or revoked (create a team token in Terraform Cloud under Organization settings → API tokens).`;
  if (status === 404) return ' Terraform Cloud answers 404 both when the resource does not exist and when the token may not see it: check the organization and workspace names and the token\'s team access.';
  if (status === 403) return ' The token may see the resource but lacks the permission for this call (plan or apply access on the workspace).';
  return '';
}

/** The `errors[].detail` (or title) of a JSON:API error body, joined; empty when the body has none. */
export function readErrorDetails(bodyText: string): string {
  try {
    const body = JSON.parse(bodyText) as { errors?: readonly ({ detail?: unknown; title?: unknown } | string)[] };
    if (!Array.isArray(body.errors)) return '';
    return body.errors
      .map((e) => (typeof e === 'string' ? e : typeof e?.detail === 'string' && e.detail ? e.detail : typeof e?.title === 'string' ? e.title : ''))
      .filter(Boolean)
      .join('; ');
  } catch {
    return '';
  }
}

/** Seconds (or an HTTP date) of a Retry-After header as milliseconds, or undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** A failed API call: an IamPlatformError(REMOTE_API) that also carries the HTTP status, when there was an answer. */
export class TfcApiError extends IamPlatformError {
  /** HTTP status of the answer; undefined when the call could not connect or the body was unreadable. */
  public readonly status?: number;

  constructor(message: string, status?: number, cause?: unknown) {
    super(ERROR_CODES.REMOTE_API, message, cause === undefined ? {} : { cause });
    this.status = status;
  }
}

const defaultSleep: SleepFunction = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export class TfcHttpClient {
  /** `https://<hostname>` or the address override, without a trailing slash. */
  public readonly address: string;
  private readonly token: string;
  private readonly tokenSource: string;
  private readonly fetchFn: FetchFunction;
  private readonly sleep: SleepFunction;
  private readonly maxRetries: number;
  private readonly defaultRetryDelayMs: number;
  private readonly maxRetryDelayMs: number;

  constructor(options: TfcHttpClientOptions) {
    this.address = (options.address ?? `https://${options.hostname}`).replace(/\/+$/, '');
    this.token = options.token;
    this.tokenSource = options.tokenSource ?? 'the API token';
    this.fetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.sleep = options.sleep ?? defaultSleep;
    this.maxRetries = options.maxRetries ?? 5;
    this.defaultRetryDelayMs = options.defaultRetryDelayMs ?? 1000;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 60_000;
  }

  /** Sends a JSON:API request and returns the parsed body (undefined for an empty body, as `202 Accepted` has). */
  public async request<T>(request: TfcRequest): Promise<T | undefined> {
    const url = `${this.address}/api/v2/${request.path}`;
    const headers: Record<string, string> = { Authorization: `Bearer ${this.token}`, Accept: JSON_API_MEDIA_TYPE };
    if (request.body !== undefined) headers['Content-Type'] = JSON_API_MEDIA_TYPE;
    const text = await this.send(request, url, { method: request.method, headers, body: request.body === undefined ? undefined : JSON.stringify(request.body) });
    if (text.trim() === '') return undefined;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new TfcApiError(`Terraform Cloud ${request.call} (${request.method} ${this.describe(url)}) returned a body that is not JSON: ${redactSecrets(text, this.token).slice(0, MAX_QUOTED_SERVER_TEXT)}`);
    }
  }

  /** Sends a request that must return a JSON:API document with `data`. */
  public async requestDocument<A>(request: TfcRequest): Promise<JsonApiDocument<A>> {
    const body = await this.request<JsonApiDocument<A>>(request);
    if (!body || typeof body !== 'object' || typeof body.data !== 'object' || body.data === null || typeof body.data.id !== 'string') {
      throw new TfcApiError(`Terraform Cloud ${request.call} (${request.method} /api/v2/${request.path}) returned no JSON:API "data" resource`);
    }
    return body;
  }

  /**
   * PUTs an archive to a configuration version's `upload-url`. The URL carries its own credentials, so
   * the request has NO Authorization header (Configuration Versions API, "Upload Configuration Files").
   */
  public async upload(uploadUrl: string, archive: Uint8Array, call: string): Promise<void> {
    await this.send({ call, method: 'PUT', path: uploadUrl }, uploadUrl, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: archive,
    });
  }

  /**
   * One request, redirects followed by hand (`redirect: 'manual'`): same origin as asked; to another
   * origin only without a body and without the Authorization header. A 307/308 that would re-send a
   * body (POST, PATCH, PUT) to another origin is refused.
   */
  private async fetchFollowing(request: TfcRequest, url: string, init: RequestInit): Promise<Response> {
    let current = url;
    let currentInit: RequestInit = { ...init, redirect: 'manual' };
    for (let hops = 0; ; hops += 1) {
      const response = await this.fetchFn(current, currentInit);
      const location = response.headers.get('location');
      if (!REDIRECT_STATUSES.has(response.status) || location === null) return response;
      await response.text().catch(() => '');
      if (hops >= MAX_REDIRECTS) {
        throw new TfcApiError(`Terraform Cloud ${request.call} (${request.method} ${this.describe(url)}) was redirected more than ${MAX_REDIRECTS} times: check TFE_ADDRESS and the hostname`, response.status);
      }
      let next: URL;
      try {
        next = new URL(location, current);
      } catch {
        throw new TfcApiError(`Terraform Cloud ${request.call} (${request.method} ${this.describe(url)}) answered HTTP ${response.status} with an unreadable Location`, response.status);
      }
      const sameOrigin = next.origin === new URL(current).origin;
      const keepsBody = response.status === 307 || response.status === 308;
      const hasBody = currentInit.body !== undefined && currentInit.body !== null;
      if (!sameOrigin && hasBody && keepsBody) {
        throw new TfcApiError(
          `Terraform Cloud ${request.call} (${request.method} ${this.describe(url)}) answered HTTP ${response.status} with a redirect to another origin (${next.origin}): refusing to re-send the request body there; check TFE_ADDRESS and the hostname`,
          response.status,
        );
      }
      const headers = new Headers(currentInit.headers);
      if (!sameOrigin) headers.delete('authorization');
      const toGet = !keepsBody && currentInit.method !== 'GET' && currentInit.method !== 'HEAD';
      if (toGet) headers.delete('content-type');
      currentInit = { ...currentInit, headers, ...(toGet ? { method: 'GET', body: undefined } : {}), ...(!sameOrigin && hasBody ? { method: 'GET', body: undefined } : {}) };
      current = next.toString();
    }
  }

  /** Sends with 429 retries; returns the body text of a 2xx answer, throws REMOTE_API otherwise. */
  private async send(request: TfcRequest, url: string, init: RequestInit): Promise<string> {
    for (let attempt = 0; ; attempt += 1) {
      let response: Response;
      try {
        response = await this.fetchFollowing(request, url, init);
      } catch (error) {
        if (error instanceof TfcApiError) throw error;
        const raw = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
        const reason = redactSecrets(String(raw), this.token);
        throw new TfcApiError(
          `Terraform Cloud ${request.call} (${request.method} ${this.describe(url)}) could not connect: ${reason}. Check the hostname in backend.terraformCloud and the network.`,
          undefined,
          error,
        );
      }
      const text = await response.text();
      if (response.ok) return text;
      if (response.status === 429 && attempt < this.maxRetries) {
        const wait = Math.min(parseRetryAfter(response.headers.get('retry-after')) ?? this.defaultRetryDelayMs, this.maxRetryDelayMs);
        await this.sleep(wait);
        continue;
      }
      const details = redactSecrets(readErrorDetails(text), this.token).slice(0, MAX_QUOTED_SERVER_TEXT);
      const retried = response.status === 429 ? ` after ${attempt} retr${attempt === 1 ? 'y' : 'ies'}` : '';
      throw new TfcApiError(
        `Terraform Cloud ${request.call} (${request.method} ${this.describe(url)}) failed with HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}${retried}${details ? `: ${details}` : ''}.${hintFor(response.status, this.tokenSource)}`,
        response.status,
      );
    }
  }

  /** The URL as shown in messages: the API path for API calls; only the origin of an upload URL, whose path is a secret. */
  private describe(url: string): string {
    if (url.startsWith(`${this.address}/api/v2/`)) return `/api/v2/${url.slice(this.address.length + '/api/v2/'.length).split('?')[0]}`;
    try {
      return `${new URL(url).origin}/…`;
    } catch {
      return 'upload-url';
    }
  }
}
