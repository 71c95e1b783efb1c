/**
 * Alert messages for SNS, bounded: the whole record when it fits in one message, else a summary that
 * links the full record (kept in the drift bucket by the caller).
 */
import type { DriftItem } from '../../core/drift';

/**
 * Largest SNS message: 256 KiB in UTF-8 bytes (Publish, `Message`).
 * @see https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
 */
export const MAX_SNS_MESSAGE_BYTES = 262_144;

/** Longest drift or action list a summary message carries; the rest is counted and in the full record. */
export const SUMMARY_LIST_LIMIT = 20;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** UTF-8 size of a message. */
function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

function summarizeList(value: unknown): unknown {
  if (!Array.isArray(value) || value.length <= SUMMARY_LIST_LIMIT) return value;
  return [...value.slice(0, SUMMARY_LIST_LIMIT), `... and ${value.length - SUMMARY_LIST_LIMIT} more (see the full record)`];
}

/** The record cut to a summary: drift items as one line each, lists bounded, the journal left to the full record. */
function summarize(record: Record<string, unknown>): Record<string, unknown> {
  const drift = Array.isArray(record.drift) ? (record.drift as DriftItem[]).map((d) => `${d.kind} ${d.resourceType} ${d.name}${d.attribute ? ` ${d.attribute}` : ''}`) : [];
  const remediation = isRecord(record.remediation)
    ? Object.fromEntries(Object.entries(record.remediation).map(([k, v]) => [k, summarizeList(v)]))
    : undefined;
  return {
    ...Object.fromEntries(Object.entries(record).filter(([k]) => !['drift', 'journal', 'remediation', 'requestParameters', 'skipped'].includes(k))),
    drift: summarizeList(drift),
    driftCount: drift.length,
    ...(remediation ? { remediation } : {}),
  };
}

/**
 * The SNS message for a record, always under {@link MAX_SNS_MESSAGE_BYTES}: the whole record when it fits,
 * else a summary that links the full record; a last-resort cut keeps who/what/when and the link.
 */
export function boundAlertMessage(record: Record<string, unknown>, fullRecord: string | undefined): string {
  const link = fullRecord ? { fullRecord } : { fullRecord: null, note: 'the record was larger than an SNS message and no drift bucket is configured: see the Lambda log' };
  const whole = JSON.stringify({ ...record, ...(fullRecord ? { fullRecord } : {}) }, null, 2);
  if (byteLength(whole) <= MAX_SNS_MESSAGE_BYTES) return whole;
  const summary = JSON.stringify({ ...summarize(record), summarized: true, ...link }, null, 2);
  if (byteLength(summary) <= MAX_SNS_MESSAGE_BYTES) return summary;
  const essentials = ['account', 'accountId', 'who', 'what', 'when', 'sourceIpAddress', 'action', 'driftCount'];
  const summaryRecord = summarize(record);
  return JSON.stringify({ ...Object.fromEntries(essentials.filter((k) => k in summaryRecord).map((k) => [k, summaryRecord[k]])), summarized: true, ...link });
}

