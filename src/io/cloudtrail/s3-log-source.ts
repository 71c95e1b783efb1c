import type { ListObjectsV2CommandOutput, S3Client } from '@aws-sdk/client-s3';
import { ERROR_CODES, IamPlatformError } from '../../core/errors';
import { type DeliveryFilter, LOG_FILE_PATTERN, judgeDeliveryPath, segmentsAfterAwsLogs } from './delivery-layout';
import type { LogListingOptions } from './local-log-source';
import type { LogTask } from './log-task';

/** A parsed `s3://bucket/prefix` location. */
export interface S3Location {
  readonly bucket: string;
  /** Key prefix, without a leading slash; '' for the whole bucket. */
  readonly prefix: string;
}

/** Objects fetched at once; bounds memory (each CloudTrail file is a few hundred KB at most). */
export const DEFAULT_S3_CONCURRENCY = 16;
/** Segments below AWSLogs down to the day folder: [o-org/]account/CloudTrail/region/yyyy/mm/dd. */
const DAY_DEPTH = 7;

/** Parses `s3://bucket/prefix`; throws a user error for anything else. */
export function parseS3Url(url: string): S3Location {
  const match = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(url);
  if (match === null) throw new IamPlatformError(ERROR_CODES.INVALID_ARGUMENT, `--logs ${url}: expected s3://bucket or s3://bucket/prefix`);
  return { bucket: match[1], prefix: match[2] ?? '' };
}

/**
 * The S3 SDK, loaded on first use: reading local logs never loads it (about 0.8 s of module loading
 * per run on the benchmark machine, measured with `node --require tsx/cjs`).
 */
function loadS3Sdk(): typeof import('@aws-sdk/client-s3') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@aws-sdk/client-s3') as typeof import('@aws-sdk/client-s3');
}

/** Options of {@link createS3Client}. */
export interface S3ClientOptions {
  /** Endpoint (moto, LocalStack). @default - AWS_ENDPOINT_URL, else AWS */
  readonly endpoint?: string;
  /** @default - AWS_REGION, else us-east-1 */
  readonly region?: string;
  /** @default - the standard credential chain */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
}

/** An S3 client; path-style addressing when a custom endpoint is used. */
export function createS3Client(options: S3ClientOptions = {}): S3Client {
  const endpoint = options.endpoint ?? (process.env.AWS_ENDPOINT_URL || undefined);
  return new (loadS3Sdk().S3Client)({
    region: options.region ?? process.env.AWS_REGION ?? 'us-east-1',
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
}

/** Options of {@link listS3LogTasks}. */
export interface S3ListingOptions extends LogListingOptions {
  /** Objects fetched at once. @default DEFAULT_S3_CONCURRENCY */
  readonly concurrency?: number;
}

function describeS3Error(error: unknown): string {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  return `${e.name ?? 'Error'}${e.$metadata?.httpStatusCode ? ` (HTTP ${e.$metadata.httpStatusCode})` : ''}: ${e.message ?? String(error)}`;
}

async function listPage(client: S3Client, location: S3Location, prefix: string, delimiter: boolean, token?: string): Promise<ListObjectsV2CommandOutput> {
  try {
    return await client.send(new (loadS3Sdk().ListObjectsV2Command)({ Bucket: location.bucket, Prefix: prefix, ...(delimiter ? { Delimiter: '/' } : {}), ContinuationToken: token }));
  } catch (error) {
    throw new IamPlatformError(ERROR_CODES.UNREADABLE_INPUT, `cannot list s3://${location.bucket}/${prefix}: ${describeS3Error(error)}. Fix: check the bucket name, region and that the credentials may s3:ListBucket`, {
      cause: error,
    });
  }
}

/**
 * Lists the keys of log files under the location, walking folder by folder with a delimiter so
 * accounts, regions and days outside the filter are never listed; below the day folder it lists flat.
 */
async function* listKeys(client: S3Client, location: S3Location, filter: DeliveryFilter, onSkip: (file: string, reason: string) => void): AsyncGenerator<string> {
  const stack = [location.prefix];
  while (stack.length > 0) {
    const prefix = stack.pop()!;
    const segments = segmentsAfterAwsLogs(prefix);
    const flat = segments !== undefined && segments.length - (segments[0]?.startsWith('o-') ? 1 : 0) >= DAY_DEPTH - 1;
    const children: string[] = [];
    let token: string | undefined;
    do {
      const page = await listPage(client, location, prefix, !flat, token);
      for (const cp of page.CommonPrefixes ?? []) if (cp.Prefix) children.push(cp.Prefix);
      for (const object of page.Contents ?? []) {
        const key = object.Key;
        if (!key || key.endsWith('/')) continue;
        const name = `s3://${location.bucket}/${key}`;
        const keySegments = segmentsAfterAwsLogs(key);
        if (keySegments !== undefined) {
          const verdict = judgeDeliveryPath(keySegments.slice(0, -1), filter);
          if (verdict === 'prune') continue;
          if (verdict !== 'read') {
            onSkip(name, verdict.skip);
            continue;
          }
        }
        if (LOG_FILE_PATTERN.test(key)) yield key;
        else onSkip(name, 'not-a-log-file');
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    // Depth-first in key order: push children reversed so the smallest is listed first.
    for (const child of children.sort().reverse()) {
      const childSegments = segmentsAfterAwsLogs(child);
      if (childSegments !== undefined) {
        const verdict = judgeDeliveryPath(childSegments, filter);
        if (verdict === 'prune') continue;
        if (verdict !== 'read') {
          onSkip(`s3://${location.bucket}/${child}`, verdict.skip);
          continue;
        }
      }
      stack.push(child);
    }
  }
}

async function fetchObject(client: S3Client, bucket: string, key: string): Promise<Uint8Array | { error: string }> {
  try {
    const response = await client.send(new (loadS3Sdk().GetObjectCommand)({ Bucket: bucket, Key: key }));
    if (response.Body === undefined) return { error: 'empty-body' };
    return await response.Body.transformToByteArray();
  } catch (error) {
    return { error: (error as { name?: string }).name ?? 'error' };
  }
}

/**
 * Streams the CloudTrail files under `s3://bucket/prefix` as byte tasks, fetching a few objects at
 * once. Objects that cannot be read are reported through onSkip (`unreadable-object:<error>`).
 */
export async function* listS3LogTasks(client: S3Client, location: S3Location, options: S3ListingOptions): AsyncGenerator<LogTask> {
  const concurrency = Math.max(1, options.concurrency ?? DEFAULT_S3_CONCURRENCY);
  const pending: { key: string; body: Promise<Uint8Array | { error: string }> }[] = [];
  const drain = async (): Promise<LogTask | undefined> => {
    const next = pending.shift()!;
    const body = await next.body;
    const name = `s3://${location.bucket}/${next.key}`;
    if ('error' in body) {
      options.onSkip(name, `unreadable-object:${body.error}`);
      return undefined;
    }
    return { kind: 'bytes', data: body, name };
  };
  for await (const key of listKeys(client, location, options.filter ?? {}, options.onSkip)) {
    pending.push({ key, body: fetchObject(client, location.bucket, key) });
    if (pending.length >= concurrency) {
      const task = await drain();
      if (task) yield task;
    }
  }
  while (pending.length > 0) {
    const task = await drain();
    if (task) yield task;
  }
}
