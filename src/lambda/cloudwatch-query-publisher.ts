/**
 * PutMetricData over CloudWatch's documented query protocol (form-encoded POST, SigV4 signed), the adapter
 * behind {@link MetricsPublisher}. The project has no `@aws-sdk/client-cloudwatch`; the query protocol is
 * the one the API reference documents and the one moto serves alongside JSON and CBOR.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricData.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/making-api-requests.html
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, Checksum, SourceData } from '@smithy/types';
import { ERROR_CODES, IamPlatformError } from '../core/errors';
import type { MetricDatum, MetricsPublisher } from './drift-metrics';

/** API version of the CloudWatch query API. */
export const CLOUDWATCH_API_VERSION = '2010-08-01';
/** SigV4 signing name of CloudWatch. */
const SIGNING_SERVICE = 'monitoring';
/** How long one PutMetricData call may take before it is abandoned. */
export const PUT_METRIC_DATA_TIMEOUT_MS = 10_000;

/** Options of {@link CloudWatchQueryPublisher}. */
export interface CloudWatchQueryPublisherOptions {
  /** Region the metrics are written in (the Lambda's region). */
  readonly region: string;
  /** Credentials (the Lambda role's, from its environment). */
  readonly credentials: () => Promise<AwsCredentialIdentity>;
  /** Endpoint URL (moto in tests, `AWS_ENDPOINT_URL`). @default - the regional CloudWatch endpoint */
  readonly endpoint?: string;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

class NodeSha256 implements Checksum {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', toBuffer(this.secret));
  }
  update(chunk: Uint8Array): void {
    this.hash.update(chunk);
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

function toBuffer(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** The form fields of one PutMetricData request (`MetricData.member.N...`), in the API's names. */
export function encodePutMetricData(namespace: string, data: readonly MetricDatum[]): URLSearchParams {
  const form = new URLSearchParams({ Action: 'PutMetricData', Version: CLOUDWATCH_API_VERSION, Namespace: namespace });
  data.forEach((d, i) => {
    const p = `MetricData.member.${i + 1}`;
    form.set(`${p}.MetricName`, d.metricName);
    d.dimensions.forEach((dim, j) => {
      form.set(`${p}.Dimensions.member.${j + 1}.Name`, dim.name);
      form.set(`${p}.Dimensions.member.${j + 1}.Value`, dim.value);
    });
    form.set(`${p}.Value`, String(d.value));
    form.set(`${p}.Unit`, d.unit);
    form.set(`${p}.Timestamp`, d.timestamp);
  });
  return form;
}

/** PutMetricData through the query API; a refused call is an `IAMP_AWS_API` error naming the AWS error code. */
export class CloudWatchQueryPublisher implements MetricsPublisher {
  private readonly signer: SignatureV4;
  private readonly url: URL;

  constructor(private readonly options: CloudWatchQueryPublisherOptions) {
    this.url = new URL(options.endpoint ?? `https://${SIGNING_SERVICE}.${options.region}.amazonaws.com/`);
    this.signer = new SignatureV4({ service: SIGNING_SERVICE, region: options.region, credentials: options.credentials, sha256: NodeSha256 });
  }

  async putMetricData(namespace: string, data: readonly MetricDatum[]): Promise<void> {
    const body = encodePutMetricData(namespace, data).toString();
    const signed = await this.signer.sign({
      method: 'POST',
      protocol: this.url.protocol,
      hostname: this.url.hostname,
      ...(this.url.port ? { port: Number(this.url.port) } : {}),
      path: this.url.pathname || '/',
      query: {},
      headers: { host: this.url.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body,
    });
    let response: Response;
    try {
      response = await (this.options.fetch ?? fetch)(this.url, { method: 'POST', headers: signed.headers, body, signal: AbortSignal.timeout(PUT_METRIC_DATA_TIMEOUT_MS) });
    } catch (error) {
      throw new IamPlatformError(ERROR_CODES.AWS_API, `CloudWatch PutMetricData failed: ${(error as Error).message}. Fix: check the endpoint ${this.url.origin} and the network`, { cause: error });
    }
    if (!response.ok) {
      const text = await response.text();
      const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? `HTTP ${response.status}`;
      const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1] ?? text.slice(0, 200);
      const fix = /AccessDenied/.test(code) ? `the role may not call cloudwatch:PutMetricData in namespace ${namespace}; grant it (modules/drift-detection)` : 'see the AWS error; the metrics of this event are lost, the alert was sent';
      throw new IamPlatformError(ERROR_CODES.AWS_API, `CloudWatch PutMetricData failed: ${message} (${code}). Fix: ${fix}`);
    }
  }
}
