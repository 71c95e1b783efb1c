/**
 * CloudTrail's S3 delivery layout:
 * `[prefix/]AWSLogs/[o-<org id>/]<account>/CloudTrail/<region>/<yyyy>/<mm>/<dd>/<account>_CloudTrail_<region>_<time>_<id>.json.gz`.
 * Used to skip whole folders (or S3 prefixes) outside the accounts, regions and dates asked for.
 * @see https://docs.aws.amazon.com/awscloudtrail/latest/userguide/get-and-view-cloudtrail-log-files.html
 */

/** Which part of the delivery layout to read. */
export interface DeliveryFilter {
  /** Account ids to read. @default - every account */
  readonly accounts?: readonly string[];
  /** Regions to read. @default - every region */
  readonly regions?: readonly string[];
  /** First day to read (YYYY-MM-DD), inclusive. @default - no lower bound */
  readonly fromDate?: string;
  /** Last day to read (YYYY-MM-DD), inclusive. @default - no upper bound */
  readonly toDate?: string;
}

/** The folder name of the delivery layout's root. */
export const AWS_LOGS_FOLDER = 'AWSLogs';
/** The folder that holds event logs (beside CloudTrail-Digest and CloudTrail-Insight). */
export const EVENT_LOG_FOLDER = 'CloudTrail';

const ACCOUNT_ID = /^\d{12}$/;
const ORG_ID = /^o-[a-z0-9]{10,32}$/;
/** Log files are delivered up to about 15 minutes after their events: a day folder can hold the previous day's last events. */
const DELIVERY_SLACK_DAYS = 1;

/** What a path below `AWSLogs/` says about its contents. */
export type LayoutVerdict = 'read' | 'prune' | { readonly skip: string };

function shiftDay(day: string, delta: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + delta);
  return d.toISOString().slice(0, 10);
}

/**
 * Decides, from the path segments after `AWSLogs`, whether a folder (or file) may hold wanted events:
 * `prune` when the account, region or date is outside the filter; `{skip}` for digest and insight
 * folders (not event logs); `read` otherwise. Partial paths are judged on what they show.
 */
export function judgeDeliveryPath(segments: readonly string[], filter: DeliveryFilter): LayoutVerdict {
  let i = 0;
  if (i < segments.length && ORG_ID.test(segments[i])) i += 1;
  if (i >= segments.length) return 'read';
  const account = segments[i];
  if (!ACCOUNT_ID.test(account)) return 'read';
  if (filter.accounts !== undefined && !filter.accounts.includes(account)) return 'prune';
  i += 1;
  if (i >= segments.length) return 'read';
  const kind = segments[i];
  if (kind !== EVENT_LOG_FOLDER) return kind.startsWith('CloudTrail-') ? { skip: `not-event-log:${kind}` } : 'read';
  i += 1;
  if (i >= segments.length) return 'read';
  if (filter.regions !== undefined && !filter.regions.includes(segments[i])) return 'prune';
  i += 1;
  const date = segments.slice(i, i + 3);
  if (date.length === 0 || !/^\d{4}$/.test(date[0])) return 'read';
  const from = filter.fromDate !== undefined ? shiftDay(filter.fromDate, -DELIVERY_SLACK_DAYS) : undefined;
  const to = filter.toDate !== undefined ? shiftDay(filter.toDate, DELIVERY_SLACK_DAYS) : undefined;
  const parts = [date[0]];
  if (date.length > 1 && /^\d{2}$/.test(date[1])) parts.push(date[1]);
  if (parts.length === 2 && date.length > 2 && /^\d{2}$/.test(date[2])) parts.push(date[2]);
  const shown = parts.join('-');
  if (from !== undefined && shown < from.slice(0, shown.length)) return 'prune';
  if (to !== undefined && shown > to.slice(0, shown.length)) return 'prune';
  return 'read';
}

/** The segments after the last `AWSLogs` segment, or undefined when the path is not in the delivery layout. */
export function segmentsAfterAwsLogs(path: string): string[] | undefined {
  const segments = path.split(/[\\/]/).filter((s) => s !== '');
  const at = segments.lastIndexOf(AWS_LOGS_FOLDER);
  return at < 0 ? undefined : segments.slice(at + 1);
}

/** File names the local and S3 sources read. */
export const LOG_FILE_PATTERN = /\.(json|jsonl|ndjson)(\.gz)?$|\.gz$/i;
