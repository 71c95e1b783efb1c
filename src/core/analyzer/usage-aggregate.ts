import { type ClassifyPrincipalOptions, type EventPrincipal, type PrincipalType, classifyPrincipal, isDeniedErrorCode } from './classify-event';

/**
 * One aggregate of CloudTrail events: the same principal, event source, event name and outcome.
 * This is the shape both the local engine and the Athena query produce, so events never need keeping.
 */
export interface UsageRow {
  readonly principalArn: string;
  readonly principalType: PrincipalType;
  /** `s3.amazonaws.com`. */
  readonly eventSource: string;
  /** `GetObject`, as CloudTrail spells it. */
  readonly eventName: string;
  /** `denied` when errorCode is a denial; `allowed` otherwise (including non-authorization errors). */
  readonly outcome: 'allowed' | 'denied';
  readonly count: number;
  /** Of `count`, the calls whose request carried tags (tag-on-create needs a tagging permission). @default 0 */
  readonly withTags?: number;
  /** Earliest eventTime (ISO 8601). */
  readonly firstSeen: string;
  /** Latest eventTime (ISO 8601). */
  readonly lastSeen: string;
}

/** One file (or object) that was skipped in whole or in part, and why. */
export interface SkippedFile {
  readonly file: string;
  readonly reason: string;
  /** Records skipped in that file for that reason (0 when the whole file was unreadable). */
  readonly records: number;
}

/** Records and files the analysis did not use, with reasons: nothing is dropped silently. */
export interface SkippedSummary {
  /** Files that could not be read or were not CloudTrail. */
  readonly files: number;
  /** Records not counted (bad records, excluded identities, permissionless calls, outside the window). */
  readonly records: number;
  /** Count per reason (files and records). */
  readonly reasons: Readonly<Record<string, number>>;
  /**
   * Which files each reason came from: the {@link MAX_SKIPPED_DETAILS} first by file, then reason, whatever
   * order the files were read in (worker threads finish in any order), so the same logs give the same report.
   */
  readonly details: readonly SkippedFile[];
}

/** Cap on listed skipped files so a broken bucket does not make the report unreadable. */
export const MAX_SKIPPED_DETAILS = 200;

/** The serializable state of an aggregation (what a worker thread returns). */
export interface UsageSnapshot {
  readonly rows: readonly UsageRow[];
  readonly skipped: SkippedSummary;
  /** Records read, counted or not. */
  readonly recordsRead: number;
  /** Files read. */
  readonly filesRead: number;
  /** Earliest and latest eventTime among counted records; undefined when none. */
  readonly firstEventTime?: string;
  readonly lastEventTime?: string;
}

/**
 * Reasons that mean the input was broken (as opposed to records excluded on purpose).
 * `--strict` fails when any of these occurs.
 */
export const BAD_INPUT_REASON_PREFIXES: readonly string[] = [
  'unreadable-file:',
  'unreadable-object:',
  'truncated-gzip',
  'invalid-gzip',
  'invalid-json',
  'not-cloudtrail',
  'missing-field:',
  'invalid-field:',
  'implausible-event-time',
  'invalid-record',
  'record-too-large',
];

/**
 * Earliest plausible eventTime: CloudTrail was announced on 2013-11-13; an earlier time is a
 * broken or forged record and would stretch the observation window.
 * @see https://aws.amazon.com/about-aws/whats-new/2013/11/13/announcing-aws-cloudtrail/
 */
export const CLOUDTRAIL_EPOCH = '2013-11-13T00:00:00Z';
/** How far past the run's clock an eventTime may be (clock skew of the log source). */
export const MAX_FUTURE_SKEW_MS = 86_400_000;

/** True when a skip reason means broken input. */
export function isBadInputReason(reason: string): boolean {
  return BAD_INPUT_REASON_PREFIXES.some((p) => reason === p || (p.endsWith(':') && reason.startsWith(p)));
}

/** Options of {@link UsageAggregator}. */
export interface UsageAggregatorOptions extends ClassifyPrincipalOptions {
  /** Only count events at or after this ISO time. @default - no lower bound */
  readonly from?: string;
  /** Only count events before this ISO time (exclusive). @default - no upper bound */
  readonly toExclusive?: string;
  /** Only count principals of these account ids. @default - every account */
  readonly accountIds?: readonly string[];
  /**
   * Latest plausible eventTime (ISO, `YYYY-MM-DDTHH:MM:SSZ`); later records are skipped as
   * `implausible-event-time`. Give the same value to every worker.
   * @default - one day after the aggregator is created
   */
  readonly notAfter?: string;
}

/** A group of identical events counted elsewhere (an Athena GROUP BY row). */
export interface AggregatedEvents {
  /** The userIdentity of the group: type, arn, sessionContext.sessionIssuer.{arn,type}, accountId. */
  readonly userIdentity: unknown;
  readonly eventSource: string;
  readonly eventName: string;
  /** True when the group's errorCode is a denial. */
  readonly denied: boolean;
  readonly count: number;
  readonly firstSeen: string;
  readonly lastSeen: string;
}

interface MutableRow {
  principalArn: string;
  principalType: PrincipalType;
  eventSource: string;
  eventName: string;
  outcome: 'allowed' | 'denied';
  count: number;
  withTags: number;
  firstSeen: string;
  lastSeen: string;
}

interface RecordLike {
  readonly eventSource?: unknown;
  readonly eventName?: unknown;
  readonly eventTime?: unknown;
  readonly eventType?: unknown;
  readonly errorCode?: unknown;
  readonly userIdentity?: unknown;
  readonly requestParameters?: unknown;
}

/**
 * Request parameter keys that carry tags on create calls (RDS/Lambda `tags`, EC2
 * `tagSpecificationSet`, ...): a call with one of them not empty needs the service's tagging
 * permission too (see TAG_ON_CREATE_ACTIONS). Conservative: a tag specification that is present
 * and not empty counts even when it holds no tag, which keeps the tagging permission rather than
 * risk breaking the workload.
 */
export const TAG_REQUEST_KEYS: readonly string[] = ['tags', 'Tags', 'tagSpecificationSet', 'tagSpecifications', 'TagSpecifications', 'tagList', 'TagList'];

/**
 * requestParameters without any tag key, one frozen object that readers building many records may share (the
 * compiled CloudTrail reader does): {@link requestCarriesTags} answers it without looking up each tag key.
 */
export const NO_REQUEST_TAGS: Readonly<Record<string, never>> = Object.freeze({});

/** True when request parameters carry tags: one of TAG_REQUEST_KEYS with a value that is not null or empty. */
export function requestCarriesTags(requestParameters: unknown): boolean {
  if (requestParameters === NO_REQUEST_TAGS) return false;
  if (typeof requestParameters !== 'object' || requestParameters === null || Array.isArray(requestParameters)) return false;
  const params = requestParameters as Record<string, unknown>;
  for (const key of TAG_REQUEST_KEYS) {
    const value = params[key];
    if (value === undefined || value === null || value === false || value === '') continue;
    if (Array.isArray(value) && value.length === 0) continue;
    if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) continue;
    return true;
  }
  return false;
}

/** eventTypes that are not calls by a principal: AWS acting on its own, and CloudTrail Insights. */
const NON_CALL_EVENT_TYPES: Readonly<Record<string, string>> = {
  AwsServiceEvent: 'aws-service-event',
  AwsCloudTrailInsight: 'insight-event',
};
/** Console sign-in events (ConsoleLogin, CheckMfa, ...) often carry no ARN (failed or pre-MFA sign-in). */
const SIGNIN_EVENT_SOURCE = 'signin.amazonaws.com';

function digitAt(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -100;
}

/**
 * The eventTime as CloudTrail writes it (`2026-05-01T12:00:00Z`), or undefined when it does not
 * parse. Other ISO 8601 forms (fractions, offsets) are normalized to that form.
 */
export function normalizeEventTime(value: string): string | undefined {
  if (value.length === 20 && value.charCodeAt(4) === 45 && value.charCodeAt(7) === 45 && value.charCodeAt(10) === 84 && value.charCodeAt(13) === 58 && value.charCodeAt(16) === 58 && value.charCodeAt(19) === 90) {
    const year = digitAt(value, 0) + digitAt(value, 1) + digitAt(value, 2) + digitAt(value, 3);
    const month = digitAt(value, 5) * 10 + digitAt(value, 6);
    const day = digitAt(value, 8) * 10 + digitAt(value, 9);
    const hour = digitAt(value, 11) * 10 + digitAt(value, 12);
    const minute = digitAt(value, 14) * 10 + digitAt(value, 15);
    const second = digitAt(value, 17) * 10 + digitAt(value, 18);
    if (year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour >= 0 && hour < 24 && minute >= 0 && minute < 60 && second >= 0 && second < 61) return value;
    return undefined;
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return undefined;
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Streams CloudTrail records into per principal × event × outcome counts. Keeps no events.
 * Permissionless calls are kept as rows here (mapping happens later, once per distinct event).
 */
export class UsageAggregator {
  private readonly rows: MutableRow[] = [];
  private readonly index = new Map<string, Map<string, Map<string, [MutableRow | undefined, MutableRow | undefined]>>>();
  private readonly principalCache = new Map<string, EventPrincipal | string>();
  private readonly reasons = new Map<string, number>();
  /** The kept details by file, then reason (fewer than twice MAX_SKIPPED_DETAILS in all; see trimDetails). */
  private readonly detailIndex = new Map<string, Map<string, SkippedFile & { records: number }>>();
  private detailCount = 0;
  /** Once the details were cut back: the last kept (file, reason) in their order; later ones are not kept. */
  private detailLimit?: SkippedFile;
  /** A file past the limit (none of its pairs is kept). */
  private rejectedFile?: string;
  /** The detail updated last: consecutive skips of one file for one reason update it without a lookup. */
  private lastDetail?: SkippedFile & { records: number };
  private skippedFiles = 0;
  private skippedRecords = 0;
  private recordsRead = 0;
  private filesRead = 0;
  private firstEventTime?: string;
  private lastEventTime?: string;
  private readonly accounts?: ReadonlySet<string>;
  private readonly notAfter: string;

  constructor(private readonly options: UsageAggregatorOptions = {}) {
    this.accounts = options.accountIds ? new Set(options.accountIds) : undefined;
    this.notAfter = options.notAfter ?? new Date(Date.now() + MAX_FUTURE_SKEW_MS).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  /** Counts one file as read. */
  public markFileRead(): void {
    this.filesRead += 1;
  }

  /** Records that a whole file was skipped. */
  public skipFile(file: string, reason: string): void {
    this.skippedFiles += 1;
    this.bump(reason, 1);
    this.note(file, reason, 0);
  }

  /** Records skipped records of a file (e.g. lines of JSON lines that do not parse). */
  public skipRecords(file: string, reason: string, count: number): void {
    this.recordsRead += count;
    this.skippedRecords += count;
    this.bump(reason, count);
    this.note(file, reason, count);
  }

  /** Adds one parsed record. */
  public addRecord(record: unknown, file: string): void {
    this.recordsRead += 1;
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      this.skipOne(file, 'invalid-record');
      return;
    }
    const r = record as RecordLike;
    const eventSource = r.eventSource;
    const eventName = r.eventName;
    const rawTime = r.eventTime;
    if (typeof eventSource !== 'string' || eventSource === '') return this.skipOne(file, 'missing-field:eventSource');
    if (typeof eventName !== 'string' || eventName === '') return this.skipOne(file, 'missing-field:eventName');
    if (typeof rawTime !== 'string' || rawTime === '') return this.skipOne(file, 'missing-field:eventTime');
    const eventTime = normalizeEventTime(rawTime);
    if (eventTime === undefined) return this.skipOne(file, 'invalid-field:eventTime');
    if (eventTime < CLOUDTRAIL_EPOCH || eventTime > this.notAfter) return this.skipOne(file, 'implausible-event-time');
    if (this.options.from !== undefined && eventTime < this.options.from) return this.skipOne(file, 'outside-date-range');
    if (this.options.toExclusive !== undefined && eventTime >= this.options.toExclusive) return this.skipOne(file, 'outside-date-range');
    const eventType = r.eventType;
    if (typeof eventType === 'string') {
      const nonCall = NON_CALL_EVENT_TYPES[eventType];
      if (nonCall !== undefined) return this.skipOne(file, nonCall);
    }
    let who = this.classify(r.userIdentity);
    if (typeof who === 'string') {
      // A console sign-in without a usable identity (failed login, MFA step) is AWS's record of the attempt, not broken input.
      if (eventSource === SIGNIN_EVENT_SOURCE && who.startsWith('missing-field:')) who = 'console-sign-in-event';
      return this.skipOne(file, who);
    }
    const errorCode = r.errorCode;
    const denied = typeof errorCode === 'string' && errorCode !== '' && isDeniedErrorCode(errorCode);
    const row = this.rowFor(who, eventSource, eventName, denied ? 'denied' : 'allowed', eventTime);
    row.count += 1;
    if (r.requestParameters !== undefined && requestCarriesTags(r.requestParameters)) row.withTags += 1;
    if (eventTime < row.firstSeen) row.firstSeen = eventTime;
    if (eventTime > row.lastSeen) row.lastSeen = eventTime;
    if (this.firstEventTime === undefined || eventTime < this.firstEventTime) this.firstEventTime = eventTime;
    if (this.lastEventTime === undefined || eventTime > this.lastEventTime) this.lastEventTime = eventTime;
  }

  /**
   * The principal of a userIdentity, or the reason it is excluded. Roles and users are cached by ARN,
   * so the common case allocates nothing per record.
   */
  private classify(userIdentity: unknown): EventPrincipal | string {
    const identity = userIdentity as { type?: unknown; arn?: unknown; sessionContext?: { sessionIssuer?: { arn?: unknown } } } | null | undefined;
    let cacheKey: unknown;
    if (typeof identity === 'object' && identity !== null) {
      if (identity.type === 'AssumedRole') cacheKey = identity.sessionContext?.sessionIssuer?.arn;
      else if (identity.type === 'IAMUser') cacheKey = identity.arn;
    }
    if (typeof cacheKey === 'string' && cacheKey !== '') {
      const cached = this.principalCache.get(cacheKey);
      if (cached !== undefined) return cached;
    }
    const result = classifyPrincipal(userIdentity, this.options);
    let verdict: EventPrincipal | string;
    if (result.kind === 'excluded') verdict = result.reason;
    else if (this.accounts !== undefined && !this.accounts.has(accountOfArn(result.principal.arn))) verdict = 'other-account';
    else verdict = result.principal;
    if (typeof cacheKey === 'string' && cacheKey !== '') this.principalCache.set(cacheKey, verdict);
    return verdict;
  }

  /** The row of principal × event × outcome, created on first use; nested maps avoid building keys. */
  private rowFor(principal: EventPrincipal, eventSource: string, eventName: string, outcome: 'allowed' | 'denied', eventTime: string): MutableRow {
    let bySource = this.index.get(principal.arn);
    if (bySource === undefined) {
      bySource = new Map();
      this.index.set(principal.arn, bySource);
    }
    let byName = bySource.get(eventSource);
    if (byName === undefined) {
      byName = new Map();
      bySource.set(eventSource, byName);
    }
    let pair = byName.get(eventName);
    if (pair === undefined) {
      pair = [undefined, undefined];
      byName.set(eventName, pair);
    }
    const at = outcome === 'allowed' ? 0 : 1;
    let row = pair[at];
    if (row === undefined) {
      row = { principalArn: principal.arn, principalType: principal.type, eventSource, eventName, outcome, count: 0, withTags: 0, firstSeen: eventTime, lastSeen: eventTime };
      pair[at] = row;
      this.rows.push(row);
    }
    return row;
  }

  /**
   * Adds events already grouped elsewhere (an Athena result row): same checks as addRecord, applied
   * once for `count` events. `denied` says whether the group's errorCode is a denial.
   */
  public addAggregate(group: AggregatedEvents, source: string): void {
    this.recordsRead += group.count;
    if (group.eventSource === '' || group.eventName === '' || group.firstSeen === '') return this.skipMany(source, 'missing-field:eventSource/eventName/eventTime', group.count);
    const who = classifyPrincipal(group.userIdentity, this.options);
    if (who.kind === 'excluded') return this.skipMany(source, who.reason, group.count);
    const principal = who.principal;
    if (this.accounts !== undefined && !this.accounts.has(accountOfArn(principal.arn))) return this.skipMany(source, 'other-account', group.count);
    const outcome = group.denied ? 'denied' : 'allowed';
    this.addSnapshot({
      rows: [{ principalArn: principal.arn, principalType: principal.type, eventSource: group.eventSource, eventName: group.eventName, outcome, count: group.count, firstSeen: group.firstSeen, lastSeen: group.lastSeen }],
      skipped: { files: 0, records: 0, reasons: {}, details: [] },
      recordsRead: 0,
      filesRead: 0,
      firstEventTime: group.firstSeen,
      lastEventTime: group.lastSeen,
    });
  }

  /** Merges another snapshot (from a worker thread) into this aggregation. */
  public addSnapshot(snapshot: UsageSnapshot): void {
    for (const row of snapshot.rows) {
      const mine = this.rowFor({ arn: row.principalArn, type: row.principalType }, row.eventSource, row.eventName, row.outcome, row.firstSeen);
      mine.count += row.count;
      mine.withTags += row.withTags ?? 0;
      if (row.firstSeen < mine.firstSeen) mine.firstSeen = row.firstSeen;
      if (row.lastSeen > mine.lastSeen) mine.lastSeen = row.lastSeen;
    }
    this.skippedFiles += snapshot.skipped.files;
    this.skippedRecords += snapshot.skipped.records;
    for (const [reason, n] of Object.entries(snapshot.skipped.reasons)) this.bump(reason, n);
    for (const d of snapshot.skipped.details) this.note(d.file, d.reason, d.records);
    this.recordsRead += snapshot.recordsRead;
    this.filesRead += snapshot.filesRead;
    if (snapshot.firstEventTime !== undefined && (this.firstEventTime === undefined || snapshot.firstEventTime < this.firstEventTime)) {
      this.firstEventTime = snapshot.firstEventTime;
    }
    if (snapshot.lastEventTime !== undefined && (this.lastEventTime === undefined || snapshot.lastEventTime > this.lastEventTime)) {
      this.lastEventTime = snapshot.lastEventTime;
    }
  }

  /** The aggregation as plain data, rows sorted for stable output. */
  public snapshot(): UsageSnapshot {
    const rows: UsageRow[] = this.rows.map(({ withTags, ...r }) => (withTags > 0 ? { ...r, withTags } : r));
    rows.sort((a, b) => compareStrings(a.principalArn, b.principalArn) || compareStrings(a.eventSource, b.eventSource) || compareStrings(a.eventName, b.eventName) || compareStrings(a.outcome, b.outcome));
    const reasons: Record<string, number> = {};
    for (const key of [...this.reasons.keys()].sort()) reasons[key] = this.reasons.get(key) ?? 0;
    return {
      rows,
      skipped: { files: this.skippedFiles, records: this.skippedRecords, reasons, details: this.sortedDetails() },
      recordsRead: this.recordsRead,
      filesRead: this.filesRead,
      ...(this.firstEventTime !== undefined ? { firstEventTime: this.firstEventTime } : {}),
      ...(this.lastEventTime !== undefined ? { lastEventTime: this.lastEventTime } : {}),
    };
  }

  private skipMany(file: string, reason: string, count: number): void {
    this.skippedRecords += count;
    this.bump(reason, count);
    this.note(file, reason, count);
  }

  private skipOne(file: string, reason: string): void {
    this.skippedRecords += 1;
    this.bump(reason, 1);
    this.note(file, reason, 1);
  }

  private bump(reason: string, n: number): void {
    this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + n);
  }

  /**
   * Counts `records` for (file, reason). Keeps the MAX_SKIPPED_DETAILS smallest pairs by (file, reason): a pair
   * past the limit is never kept later (the limit only moves down), so every kept count is complete, and the
   * kept set is the same whatever order the pairs arrive in.
   */
  private note(file: string, reason: string, records: number): void {
    const last = this.lastDetail;
    if (last !== undefined && last.file === file && last.reason === reason) {
      last.records += records;
      return;
    }
    let byReason = this.detailIndex.get(file);
    const existing = byReason?.get(reason);
    if (existing !== undefined) {
      existing.records += records;
      this.lastDetail = existing;
      return;
    }
    const limit = this.detailLimit;
    if (limit !== undefined) {
      if (file === this.rejectedFile) return;
      const byFile = compareStrings(file, limit.file);
      if (byFile > 0) {
        this.rejectedFile = file;
        return;
      }
      if (byFile === 0 && compareStrings(reason, limit.reason) > 0) return;
    }
    if (byReason === undefined) {
      byReason = new Map();
      this.detailIndex.set(file, byReason);
    }
    const entry = { file, reason, records };
    byReason.set(reason, entry);
    this.lastDetail = entry;
    this.detailCount += 1;
    if (this.detailCount >= 2 * MAX_SKIPPED_DETAILS) this.trimDetails();
  }

  /**
   * Cuts the kept details back to the MAX_SKIPPED_DETAILS first by file, then reason, and refuses later pairs from
   * then on: one sort each time twice as many are kept. (Keeping exactly MAX_SKIPPED_DETAILS scanned them all twice
   * for each pair kept once full: about 10 ms to merge two worker threads' details, issue 15.) A pair cut is after
   * MAX_SKIPPED_DETAILS others and refused from then on, so every pair kept has its full count.
   */
  private trimDetails(): void {
    const kept = this.sortedEntries();
    for (const d of kept.slice(MAX_SKIPPED_DETAILS)) {
      const byReason = this.detailIndex.get(d.file)!;
      byReason.delete(d.reason);
      if (byReason.size === 0) this.detailIndex.delete(d.file);
    }
    this.detailCount = Math.min(kept.length, MAX_SKIPPED_DETAILS);
    this.detailLimit = kept[this.detailCount - 1];
    this.lastDetail = undefined;
  }

  /** The kept pairs, sorted by file, then reason. */
  private sortedEntries(): (SkippedFile & { records: number })[] {
    const out: (SkippedFile & { records: number })[] = [];
    for (const byReason of this.detailIndex.values()) for (const d of byReason.values()) out.push(d);
    return out.sort((a, b) => compareDetails(a.file, a.reason, b));
  }

  private sortedDetails(): SkippedFile[] {
    return this.sortedEntries()
      .slice(0, MAX_SKIPPED_DETAILS)
      .map((d) => ({ ...d }));
  }
}

/** The 12-digit account of an IAM ARN (`arn:aws:iam::123456789012:role/x` → `123456789012`). */
export function accountOfArn(arn: string): string {
  const parts = arn.split(':');
  return parts.length > 4 ? parts[4] : '';
}

function compareDetails(file: string, reason: string, than: SkippedFile): number {
  return compareStrings(file, than.file) || compareStrings(reason, than.reason);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
