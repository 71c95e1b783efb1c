import type { AthenaClient, GetQueryResultsCommandOutput } from '@aws-sdk/client-athena';
import { UsageAggregator, type UsageAggregatorOptions, type UsageSnapshot } from '../../../core/analyzer';
import { ERROR_CODES, IamPlatformError } from '../../../core/errors';
import { USAGE_QUERY_COLUMNS, buildUsageQuery, type UsageQueryOptions } from './athena-sql';

/** The Athena SDK, loaded on first use: runs that read logs from files never load it. */
function loadAthenaSdk(): typeof import('@aws-sdk/client-athena') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@aws-sdk/client-athena') as typeof import('@aws-sdk/client-athena');
}

/** The part of the Athena client the runner uses (an in-memory fake in tests). */
export type AthenaSender = Pick<AthenaClient, 'send'>;

/** Options of {@link runAthenaQuery}. */
export interface RunAthenaQueryOptions {
  readonly sql: string;
  /** Athena workgroup. @default 'primary' */
  readonly workgroup?: string;
  /** s3:// folder for query results. @default - the workgroup's setting */
  readonly outputLocation?: string;
  /** Wait between status checks, in ms. @default 1000 */
  readonly pollIntervalMs?: number;
  /** Give up after this long, in ms. @default 1800000 (30 minutes) */
  readonly timeoutMs?: number;
  /** Sleeps between polls (replaced in tests). @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

const DEFAULT_POLL_MS = 1000;
const DEFAULT_TIMEOUT_MS = 30 * 60 * 1000;
/** Largest page GetQueryResults returns (Athena API reference, MaxResults). */
export const ATHENA_MAX_RESULTS = 1000;

function describe(error: unknown): string {
  const e = error as { name?: string; message?: string };
  return `${e.name ?? 'Error'}: ${e.message ?? String(error)}`;
}

async function call<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw new IamPlatformError(ERROR_CODES.AWS_API, `Athena ${what} failed: ${describe(error)}`, { cause: error });
  }
}

/**
 * Runs one query: StartQueryExecution, GetQueryExecution until it finishes, then every page of
 * GetQueryResults. Yields data rows as strings (the header row is skipped).
 */
export async function* runAthenaQuery(client: AthenaSender, options: RunAthenaQueryOptions): AsyncGenerator<(string | undefined)[]> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const started = await call('StartQueryExecution', () =>
    client.send(
      new (loadAthenaSdk().StartQueryExecutionCommand)({
        QueryString: options.sql,
        WorkGroup: options.workgroup ?? 'primary',
        ...(options.outputLocation ? { ResultConfiguration: { OutputLocation: options.outputLocation } } : {}),
      }),
    ),
  );
  const id = started.QueryExecutionId;
  if (!id) throw new IamPlatformError(ERROR_CODES.AWS_API, 'Athena StartQueryExecution returned no query id');
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  for (;;) {
    const execution = await call('GetQueryExecution', () => client.send(new (loadAthenaSdk().GetQueryExecutionCommand)({ QueryExecutionId: id })));
    const state = execution.QueryExecution?.Status?.State;
    if (state === 'SUCCEEDED') break;
    if (state === 'FAILED' || state === 'CANCELLED') {
      const reason = execution.QueryExecution?.Status?.StateChangeReason ?? 'no reason given';
      throw new IamPlatformError(ERROR_CODES.AWS_API, `Athena query ${id} ${state.toLowerCase()}: ${reason}`);
    }
    if (Date.now() > deadline) throw new IamPlatformError(ERROR_CODES.AWS_API, `Athena query ${id} did not finish in time (state ${state ?? 'unknown'})`);
    await sleep(options.pollIntervalMs ?? DEFAULT_POLL_MS);
  }
  let token: string | undefined;
  let first = true;
  do {
    const page: GetQueryResultsCommandOutput = await call('GetQueryResults', () =>
      client.send(new (loadAthenaSdk().GetQueryResultsCommand)({ QueryExecutionId: id, NextToken: token, MaxResults: ATHENA_MAX_RESULTS })),
    );
    const rows = page.ResultSet?.Rows ?? [];
    for (let i = first ? 1 : 0; i < rows.length; i++) yield (rows[i].Data ?? []).map((d) => d.VarCharValue);
    first = false;
    token = page.NextToken;
  } while (token);
}

/** Options of {@link collectUsageFromAthena}. */
export interface AthenaUsageOptions extends Omit<RunAthenaQueryOptions, 'sql'> {
  readonly query: UsageQueryOptions;
  /** Filters applied to the returned groups (identity exclusions, accounts). @default - none */
  readonly aggregator?: UsageAggregatorOptions;
}

/**
 * Runs the aggregation query in Athena and turns its rows into a usage snapshot, applying the same
 * principal rules as the local engine (service identities and service-linked roles excluded).
 */
export async function collectUsageFromAthena(client: AthenaSender, options: AthenaUsageOptions): Promise<UsageSnapshot> {
  const aggregator = new UsageAggregator(options.aggregator);
  const source = `athena:${options.query.database}.${options.query.table}`;
  const sql = buildUsageQuery(options.query);
  const index = Object.fromEntries(USAGE_QUERY_COLUMNS.map((c, i) => [c, i])) as Record<(typeof USAGE_QUERY_COLUMNS)[number], number>;
  for await (const row of runAthenaQuery(client, { ...options, sql })) {
    const cell = (c: (typeof USAGE_QUERY_COLUMNS)[number]) => row[index[c]] ?? '';
    const issuerArn = cell('issuer_arn');
    const userIdentity = {
      type: cell('identity_type') || undefined,
      arn: cell('identity_arn') || undefined,
      accountId: cell('identity_account') || undefined,
      ...(issuerArn ? { sessionContext: { sessionIssuer: { arn: issuerArn, type: cell('issuer_type') } } } : {}),
    };
    const count = Number(cell('calls'));
    aggregator.addAggregate(
      {
        userIdentity,
        eventSource: cell('eventsource'),
        eventName: cell('eventname'),
        denied: cell('denied') === 'true',
        count: Number.isFinite(count) ? count : 0,
        firstSeen: cell('first_seen'),
        lastSeen: cell('last_seen'),
      },
      source,
    );
  }
  return aggregator.snapshot();
}
