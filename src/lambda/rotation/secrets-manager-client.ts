/**
 * A minimal AWS Secrets Manager client: the four calls the rotation handler makes, over the service's
 * JSON protocol with Signature Version 4. The repository has no `@aws-sdk/client-secrets-manager`
 * dependency yet; this file goes away when it is added (the port {@link SecretStore} stays).
 */
import { createHash, createHmac } from 'node:crypto';
import { ERROR_CODES, IamPlatformError } from '../../core/errors';
import type { SecretStore, SecretVersion } from './rotate-access-key';

/** AWS credentials (the Lambda's role, from its environment). */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** @default - none (long-term keys) */
  readonly sessionToken?: string;
}

/** Options of {@link SecretsManagerJsonClient}. */
export interface SecretsManagerClientOptions {
  readonly region: string;
  readonly credentials: AwsCredentials;
  /** Service endpoint. @default https://secretsmanager.<region>.amazonaws.com */
  readonly endpoint?: string;
}

/** Secrets Manager's error for a missing secret or version. */
export const RESOURCE_NOT_FOUND = 'ResourceNotFoundException';

/** An error answer of Secrets Manager, with its `__type`. */
export class SecretsManagerError extends IamPlatformError {
  constructor(
    public readonly type: string,
    message: string,
  ) {
    super(ERROR_CODES.AWS_API, `Secrets Manager ${type}: ${message}`, { source: 'internal' });
  }
}

function sha256Hex(data: string): string {
  return createHash('sha256').update(data, 'utf8').digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/** Signature Version 4 headers of a POST with a JSON body (AWS General Reference, "Create a signed AWS API request"). */
export function signJsonRequest(options: {
  readonly url: URL;
  readonly region: string;
  readonly service: string;
  readonly target: string;
  readonly body: string;
  readonly credentials: AwsCredentials;
  readonly now: Date;
}): Record<string, string> {
  const amzDate = options.now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const headers: Record<string, string> = {
    'content-type': 'application/x-amz-json-1.1',
    host: options.url.host,
    'x-amz-date': amzDate,
    'x-amz-target': options.target,
    ...(options.credentials.sessionToken ? { 'x-amz-security-token': options.credentials.sessionToken } : {}),
  };
  const names = Object.keys(headers).sort();
  const canonical = ['POST', options.url.pathname || '/', '', ...names.map((n) => `${n}:${headers[n].trim()}`), '', names.join(';'), sha256Hex(options.body)].join('\n');
  const scope = `${day}/${options.region}/${options.service}/aws4_request`;
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonical)].join('\n');
  const key = hmac(hmac(hmac(hmac(`AWS4${options.credentials.secretAccessKey}`, day), options.region), options.service), 'aws4_request');
  const signature = createHmac('sha256', key).update(toSign, 'utf8').digest('hex');
  return {
    ...headers,
    authorization: `AWS4-HMAC-SHA256 Credential=${options.credentials.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
  };
}

interface DescribeSecretOutput {
  readonly RotationEnabled?: boolean;
  readonly VersionIdsToStages?: Readonly<Record<string, readonly string[]>>;
}

interface GetSecretValueOutput {
  readonly VersionId?: string;
  readonly SecretString?: string;
  readonly VersionStages?: readonly string[];
  readonly CreatedDate?: number;
}

/** {@link SecretStore} over the Secrets Manager API. */
export class SecretsManagerJsonClient implements SecretStore {
  private readonly url: URL;

  constructor(private readonly options: SecretsManagerClientOptions) {
    this.url = new URL(options.endpoint ?? `https://secretsmanager.${options.region}.amazonaws.com`);
  }

  private async call<T>(operation: string, input: Record<string, unknown>): Promise<T> {
    const body = JSON.stringify(input);
    const headers = signJsonRequest({ url: this.url, region: this.options.region, service: 'secretsmanager', target: `secretsmanager.${operation}`, body, credentials: this.options.credentials, now: new Date() });
    const { host: _host, ...sent } = headers;
    const response = await fetch(this.url, { method: 'POST', headers: sent, body });
    const text = await response.text();
    const parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    if (!response.ok) {
      const type = String(parsed.__type ?? `HTTP ${response.status}`).split('#').pop() ?? 'Unknown';
      throw new SecretsManagerError(type, String(parsed.message ?? parsed.Message ?? text));
    }
    return parsed as T;
  }

  async describeVersions(secretId: string): Promise<Readonly<Record<string, readonly string[]>>> {
    const out = await this.call<DescribeSecretOutput>('DescribeSecret', { SecretId: secretId });
    return out.VersionIdsToStages ?? {};
  }

  async getVersion(secretId: string, selector: { readonly stage: string; readonly versionId?: string }): Promise<SecretVersion | undefined> {
    try {
      const out = await this.call<GetSecretValueOutput>('GetSecretValue', { SecretId: secretId, VersionStage: selector.stage, ...(selector.versionId ? { VersionId: selector.versionId } : {}) });
      if (out.SecretString === undefined || out.VersionId === undefined) return undefined;
      return { versionId: out.VersionId, value: out.SecretString, createdAt: new Date((out.CreatedDate ?? 0) * 1000) };
    } catch (error) {
      if (error instanceof SecretsManagerError && error.type === RESOURCE_NOT_FOUND) return undefined;
      throw error;
    }
  }

  async putPending(secretId: string, versionId: string, value: string): Promise<void> {
    await this.call('PutSecretValue', { SecretId: secretId, ClientRequestToken: versionId, SecretString: value, VersionStages: ['AWSPENDING'] });
  }

  async promote(secretId: string, versionId: string, fromVersionId: string | undefined): Promise<void> {
    await this.call('UpdateSecretVersionStage', { SecretId: secretId, VersionStage: 'AWSCURRENT', MoveToVersionId: versionId, ...(fromVersionId ? { RemoveFromVersionId: fromVersionId } : {}) });
  }
}
