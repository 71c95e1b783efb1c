/**
 * SQL for analyzing CloudTrail in Athena: the table DDL (partition projection over account, region
 * and day, so no MSCK REPAIR or crawler is needed) and the aggregation query, which returns the same
 * groups the local engine builds (principal × event source × event name × denied), so only aggregates
 * leave AWS. Denial detection is generated from the analyzer's tables (DENIED_ERROR_CODES), not restated.
 * @see https://docs.aws.amazon.com/athena/latest/ug/create-cloudtrail-table-partition-projection.html
 */
import { DENIED_ERROR_CODES, DENIED_ERROR_CODE_SUFFIXES } from '../../../core/analyzer';
import { ERROR_CODES, IamPlatformError } from '../../../core/errors';

/** Options of {@link buildCloudTrailTableDdl}. */
export interface CloudTrailTableOptions {
  /** Glue database. */
  readonly database: string;
  /** Table name. */
  readonly table: string;
  /** S3 folder that holds `<account>/CloudTrail/...`: `s3://bucket/prefix/AWSLogs/` (or `.../AWSLogs/o-xxxx/` for an organization trail). */
  readonly location: string;
  /** Account ids to project. */
  readonly accounts: readonly string[];
  /** Regions to project. */
  readonly regions: readonly string[];
  /** First day of the projection range (YYYY-MM-DD). */
  readonly fromDate: string;
}

/** Options of {@link buildUsageQuery}. */
export interface UsageQueryOptions {
  readonly database: string;
  readonly table: string;
  /** First event time, inclusive (ISO, `2026-05-01T00:00:00Z`). */
  readonly from: string;
  /** Last event time, exclusive. */
  readonly toExclusive: string;
  /** Only these accounts (partition filter). @default - every projected account */
  readonly accounts?: readonly string[];
  /** Only these regions (partition filter). @default - every projected region */
  readonly regions?: readonly string[];
}

const IDENTIFIER = /^[a-z0-9_]{1,255}$/;
const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const ISO_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

function check(value: string, pattern: RegExp, what: string, fix: string): string {
  if (!pattern.test(value)) throw new IamPlatformError(ERROR_CODES.INVALID_ARGUMENT, `${what} "${value}" is invalid: ${fix}`);
  return value;
}

function quoteString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function qualified(database: string, table: string): string {
  check(database, IDENTIFIER, 'Athena database', 'use lower-case letters, digits and _');
  check(table, IDENTIFIER, 'Athena table', 'use lower-case letters, digits and _');
  return `"${database}"."${table}"`;
}

/** The CREATE EXTERNAL TABLE statement for CloudTrail logs with partition projection. */
export function buildCloudTrailTableDdl(options: CloudTrailTableOptions): string {
  const name = qualified(options.database, options.table);
  const location = options.location.endsWith('/') ? options.location : `${options.location}/`;
  if (!/^s3:\/\/[a-z0-9][a-z0-9.-]+[a-z0-9]\/(?:.+\/)?$/.test(location)) {
    throw new IamPlatformError(ERROR_CODES.INVALID_ARGUMENT, `Athena table location "${options.location}" is invalid: give the s3:// folder that holds <account>/CloudTrail (…/AWSLogs/)`);
  }
  const accounts = options.accounts.map((a) => check(a, ACCOUNT, 'account id', 'use the 12-digit id'));
  const regions = options.regions.map((r) => check(r, REGION, 'region', 'use a region code such as eu-west-1'));
  if (accounts.length === 0 || regions.length === 0) {
    throw new IamPlatformError(ERROR_CODES.INVALID_ARGUMENT, 'the Athena table needs at least one account and one region to project');
  }
  const from = check(options.fromDate, DAY, 'projection start day', 'use YYYY-MM-DD').replace(/-/g, '/');
  return `CREATE EXTERNAL TABLE IF NOT EXISTS ${name} (
  eventversion STRING,
  useridentity STRUCT<
    type: STRING,
    principalid: STRING,
    arn: STRING,
    accountid: STRING,
    invokedby: STRING,
    accesskeyid: STRING,
    username: STRING,
    onbehalfof: STRUCT<userid: STRING, identitystorearn: STRING>,
    sessioncontext: STRUCT<
      attributes: STRUCT<mfaauthenticated: STRING, creationdate: STRING>,
      sessionissuer: STRUCT<type: STRING, principalid: STRING, arn: STRING, accountid: STRING, username: STRING>,
      ec2roledelivery: STRING,
      webidfederationdata: STRUCT<federatedprovider: STRING, attributes: MAP<STRING, STRING>>,
      sourceidentity: STRING>>,
  eventtime STRING,
  eventsource STRING,
  eventname STRING,
  awsregion STRING,
  sourceipaddress STRING,
  useragent STRING,
  errorcode STRING,
  errormessage STRING,
  requestparameters STRING,
  responseelements STRING,
  additionaleventdata STRING,
  requestid STRING,
  eventid STRING,
  readonly STRING,
  resources ARRAY<STRUCT<arn: STRING, accountid: STRING, type: STRING>>,
  eventtype STRING,
  apiversion STRING,
  recipientaccountid STRING,
  serviceeventdetails STRING,
  sharedeventid STRING,
  vpcendpointid STRING,
  vpcendpointaccountid STRING,
  eventcategory STRING,
  addendum STRUCT<reason: STRING, updatedfields: STRING, originalrequestid: STRING, originaleventid: STRING>,
  sessioncredentialfromconsole STRING,
  edgedevicedetails STRING,
  tlsdetails STRUCT<tlsversion: STRING, ciphersuite: STRING, clientprovidedhostheader: STRING>
)
COMMENT 'CloudTrail logs for iamctl analyze (partition projection: account, region, day)'
PARTITIONED BY (account STRING, region STRING, day STRING)
ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'
STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'
OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
LOCATION ${quoteString(location)}
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.account.type' = 'enum',
  'projection.account.values' = ${quoteString(accounts.join(','))},
  'projection.region.type' = 'enum',
  'projection.region.values' = ${quoteString(regions.join(','))},
  'projection.day.type' = 'date',
  'projection.day.format' = 'yyyy/MM/dd',
  'projection.day.range' = ${quoteString(`${from},NOW`)},
  'projection.day.interval' = '1',
  'projection.day.interval.unit' = 'DAYS',
  'storage.location.template' = ${quoteString(`${location}\${account}/CloudTrail/\${region}/\${day}`)}
)
`;
}

/** The SQL boolean for "this errorcode is a denial", from the analyzer's tables. */
export function buildDeniedPredicate(column = 'errorcode'): string {
  const codes = [...DENIED_ERROR_CODES].sort().map(quoteString).join(', ');
  const suffixes = DENIED_ERROR_CODE_SUFFIXES.map((s) => `${column} LIKE ${quoteString(`%${s}`)}`).join(' OR ');
  return `(${column} IN (${codes}) OR ${suffixes})`;
}

function dayPartition(iso: string, deltaDays: number): string {
  const d = new Date(iso);
  d.setUTCDate(d.getUTCDate() + deltaDays);
  return d.toISOString().slice(0, 10).replace(/-/g, '/');
}

/**
 * The aggregation query: one row per principal, identity type, event source, event name and denied
 * flag, with the count and first and last event time. The day partition is pruned with a day of
 * slack either side (files are delivered up to ~15 minutes after their events); eventtime is exact.
 */
export function buildUsageQuery(options: UsageQueryOptions): string {
  const name = qualified(options.database, options.table);
  const from = check(options.from, ISO_SECONDS, '--from time', 'use YYYY-MM-DDTHH:MM:SSZ');
  const to = check(options.toExclusive, ISO_SECONDS, '--to time', 'use YYYY-MM-DDTHH:MM:SSZ');
  const filters = [
    `day BETWEEN ${quoteString(dayPartition(from, -1))} AND ${quoteString(dayPartition(to, 1))}`,
    `eventtime >= ${quoteString(from)}`,
    `eventtime < ${quoteString(to)}`,
  ];
  if (options.accounts && options.accounts.length > 0) {
    filters.push(`account IN (${options.accounts.map((a) => quoteString(check(a, ACCOUNT, 'account id', 'use the 12-digit id'))).join(', ')})`);
  }
  if (options.regions && options.regions.length > 0) {
    filters.push(`region IN (${options.regions.map((r) => quoteString(check(r, REGION, 'region', 'use a region code such as eu-west-1'))).join(', ')})`);
  }
  return `SELECT
  useridentity.type AS identity_type,
  useridentity.arn AS identity_arn,
  useridentity.accountid AS identity_account,
  useridentity.sessioncontext.sessionissuer.type AS issuer_type,
  useridentity.sessioncontext.sessionissuer.arn AS issuer_arn,
  eventsource,
  eventname,
  ${buildDeniedPredicate()} AS denied,
  COUNT(*) AS calls,
  MIN(eventtime) AS first_seen,
  MAX(eventtime) AS last_seen
FROM ${name}
WHERE ${filters.join('\n  AND ')}
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
`;
}

/** Column order of {@link buildUsageQuery}'s result. */
export const USAGE_QUERY_COLUMNS = [
  'identity_type',
  'identity_arn',
  'identity_account',
  'issuer_type',
  'issuer_arn',
  'eventsource',
  'eventname',
  'denied',
  'calls',
  'first_seen',
  'last_seen',
] as const;
