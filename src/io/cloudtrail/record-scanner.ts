/**
 * A streaming field scanner for CloudTrail log files: finds each record in the gunzipped bytes and
 * reads only the fields the analyzer needs, without building the whole record (JSON.parse builds
 * every field of every record, which is most of the cost of reading CloudTrail).
 *
 * Accepted layouts: the `{"Records":[...]}` envelope of S3 delivery (Records need not be the first
 * key), a bare array of records (`cloudtrail lookup-events` dumps, Stratus Red Team), one record, and
 * JSON lines. Bytes arrive in chunks of any size; at most one record (bounded by `maxRecordBytes`)
 * plus one chunk is held at a time, so file size never decides whether events count.
 *
 * What it checks: the JSON grammar of every byte outside strings (brackets, commas, colons,
 * literals, numbers) and that strings end. What it does not check inside strings: raw control
 * characters and escape sequences of values it does not read (CloudTrail never writes either); a
 * string the analyzer reads that holds an escape is decoded with JSON.parse. A key written with escapes
 * counts as the key it decodes to, as for JSON.parse.
 *
 * Each record is first read by the fast path (record-fast-path.ts: recursive descent that enters only
 * the objects the analyzer reads); when it is not sure to read the record as the general reader here
 * does, the general reader reads it and {@link RecordScanner.fallbacks} counts it.
 */
import { TAG_REQUEST_KEYS } from '../../core/analyzer/usage-aggregate';
import { DecodedStringCache } from './decoded-string-cache';
import { type CompiledRecordReader, sharedRecordReader } from './record-batch';
import { FastRecordReader, UNSURE } from './record-fast-path';
import * as jsonBytes from './json-bytes';

// Copied into module constants once: read through the import binding, every byte comparison would be a
// property read (a getter call under tsx's CommonJS transform: 67 percent of the scanner's time, measured).
const { QUOTE, BACKSLASH, OPEN_OBJECT, CLOSE_OBJECT, OPEN_ARRAY, CLOSE_ARRAY, COMMA, COLON, NEWLINE } = jsonBytes;

/** The fields of one record the analyzer reads; absent keys stay undefined. */
export interface ScannedRecord {
  eventSource?: unknown;
  eventName?: unknown;
  eventTime?: unknown;
  eventType?: unknown;
  errorCode?: unknown;
  userIdentity?: unknown;
  /** `{ <tag key>: true }` for each request parameter that carries tags; `{}` when none. */
  requestParameters?: unknown;
}

/** What the scanner tells its consumer. */
export interface RecordScannerSink {
  /** One record (an object with the fields above), or a record that is not an object (`[]`, a scalar). */
  readonly record: (record: unknown) => void;
  /** Records given up for a reason (`invalid-json` lines, `record-too-large`). */
  readonly skipRecords: (reason: string, count: number) => void;
}

/** How a file ended. */
export type ScanOutcome =
  | { readonly kind: 'records' }
  /** The whole file is unusable: `invalid-json` (nothing could be read), `not-cloudtrail`. */
  | { readonly kind: 'file-skipped'; readonly reason: string };

/** Options of {@link RecordScanner}. */
export interface RecordScannerOptions {
  /**
   * Largest record (bytes of JSON) held in memory; a larger one is skipped and counted as
   * `record-too-large`. CloudTrail caps an event at 256 KB (larger request parameters are
   * omitted), so the default leaves a wide margin.
   * @default 8 MiB
   */
  readonly maxRecordBytes?: number;
  /**
   * Read the records of an envelope or array through the compiled batch reader (record-batch.ts): true uses
   * the thread's reader when the module is built, false reads every record in JavaScript (same results,
   * slower), a reader uses that one (tests give one with a small window).
   * @default true
   */
  readonly compiled?: boolean | CompiledRecordReader;
}

/** Default record bound: 32 × CloudTrail's 256 KB event limit. */
export const DEFAULT_MAX_RECORD_BYTES = 8 * 1024 * 1024;

/** Thrown by the flat scanner when a record holds a `Records` array: the tree reader takes over. */
const NESTED_RECORDS = { nested: true } as const;
/** Deepest nesting the flat scanner follows; deeper records are counted as invalid JSON. */
const MAX_DEPTH = 1024;
const KIND_OBJECT = 1;
const KIND_ARRAY = 2;
// What the next token may be.
const S_KEY_OR_CLOSE = 1;
const S_KEY = 2;
const S_COLON = 3;
const S_VALUE = 4;
const S_VALUE_OR_CLOSE = 5;
const S_COMMA_OR_CLOSE = 6;
// Which keys matter at a depth.
const CTX_NONE = 0;
const CTX_RECORD = 1;
const CTX_IDENTITY = 2;
const CTX_SESSION = 3;
const CTX_ISSUER = 4;
const CTX_PARAMS = 5;
// Fields read.
const F_NONE = 0;
const F_EVENT_SOURCE = 1;
const F_EVENT_NAME = 2;
const F_EVENT_TIME = 3;
const F_EVENT_TYPE = 4;
const F_ERROR_CODE = 5;
const F_USER_IDENTITY = 6;
const F_REQUEST_PARAMETERS = 7;
const F_RECORDS = 8;
const F_IDENTITY_TYPE = 10;
const F_IDENTITY_ARN = 11;
const F_IDENTITY_ACCOUNT = 12;
const F_SESSION_CONTEXT = 13;
const F_SESSION_ISSUER = 20;
const F_ISSUER_ARN = 30;
const F_ISSUER_TYPE = 31;
const F_TAG = 40;

const FIELD_KEYS: readonly (readonly [number, string, number])[] = [
  [CTX_RECORD, 'eventSource', F_EVENT_SOURCE],
  [CTX_RECORD, 'eventName', F_EVENT_NAME],
  [CTX_RECORD, 'eventTime', F_EVENT_TIME],
  [CTX_RECORD, 'eventType', F_EVENT_TYPE],
  [CTX_RECORD, 'errorCode', F_ERROR_CODE],
  [CTX_RECORD, 'userIdentity', F_USER_IDENTITY],
  [CTX_RECORD, 'requestParameters', F_REQUEST_PARAMETERS],
  [CTX_RECORD, 'Records', F_RECORDS],
  [CTX_IDENTITY, 'type', F_IDENTITY_TYPE],
  [CTX_IDENTITY, 'arn', F_IDENTITY_ARN],
  [CTX_IDENTITY, 'accountId', F_IDENTITY_ACCOUNT],
  [CTX_IDENTITY, 'sessionContext', F_SESSION_CONTEXT],
  [CTX_SESSION, 'sessionIssuer', F_SESSION_ISSUER],
  [CTX_ISSUER, 'arn', F_ISSUER_ARN],
  [CTX_ISSUER, 'type', F_ISSUER_TYPE],
  ...TAG_REQUEST_KEYS.map((k, i) => [CTX_PARAMS, k, F_TAG + i] as const),
];
/** Keys per context and length: a key is compared only with the few of its length. */
const FIELDS_BY_CONTEXT: readonly (readonly (readonly [Uint8Array, number])[] | undefined)[][] = (() => {
  const table: (readonly [Uint8Array, number])[][][] = [[], [], [], [], [], []];
  for (const [ctx, key, id] of FIELD_KEYS) {
    const byLength = table[ctx];
    (byLength[key.length] ??= []).push([Buffer.from(key, 'latin1'), id]);
  }
  return table;
})();

/** Field ids per context by key name, for keys written with escapes (decoded first). */
const FIELDS_BY_NAME: readonly ReadonlyMap<string, number>[] = (() => {
  const table = [0, 1, 2, 3, 4, 5].map(() => new Map<string, number>());
  for (const [ctx, key, id] of FIELD_KEYS) table[ctx].set(key, id);
  return table;
})();

/** The field id of the key in buf[start, stop) in context `ctx`, or F_NONE. */
function matchField(buf: Buffer, start: number, stop: number, ctx: number): number {
  const candidates = FIELDS_BY_CONTEXT[ctx][stop - start];
  if (candidates === undefined) return F_NONE;
  for (const [key, id] of candidates) {
    let k = 0;
    while (k < key.length && buf[start + k] === key[k]) k++;
    if (k === key.length) return id;
  }
  return F_NONE;
}

function assignField(
  field: number,
  value: unknown,
  out: ScannedRecord,
  identity: Record<string, unknown> | undefined,
  session: Record<string, unknown> | undefined,
  issuer: Record<string, unknown> | undefined,
): void {
  switch (field) {
    case F_EVENT_SOURCE:
      out.eventSource = value;
      return;
    case F_EVENT_NAME:
      out.eventName = value;
      return;
    case F_EVENT_TIME:
      out.eventTime = value;
      return;
    case F_EVENT_TYPE:
      out.eventType = value;
      return;
    case F_ERROR_CODE:
      out.errorCode = value;
      return;
    case F_USER_IDENTITY:
      out.userIdentity = value;
      return;
    case F_REQUEST_PARAMETERS:
      out.requestParameters = value;
      return;
    case F_IDENTITY_TYPE:
      identity!.type = value;
      return;
    case F_IDENTITY_ARN:
      identity!.arn = value;
      return;
    case F_IDENTITY_ACCOUNT:
      identity!.accountId = value;
      return;
    case F_SESSION_CONTEXT:
      identity!.sessionContext = value;
      return;
    case F_SESSION_ISSUER:
      session!.sessionIssuer = value;
      return;
    case F_ISSUER_ARN:
      issuer!.arn = value;
      return;
    case F_ISSUER_TYPE:
      issuer!.type = value;
      return;
  }
}

/** Thrown inside the scanner when the bytes are not JSON; never leaves this module. */
class SyntaxFault {
  constructor(readonly at: number) {}
}
/** Thrown when the bytes run out before the value ends (more bytes needed); never leaves this module. */
const NEED_MORE = { needMore: true } as const;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function keyBytes(text: string): Uint8Array {
  return Buffer.from(text, 'latin1');
}

const KEY_RECORDS = keyBytes('Records');
const RECORD_KEYS: readonly [Uint8Array, keyof ScannedRecord][] = [
  [keyBytes('eventSource'), 'eventSource'],
  [keyBytes('eventName'), 'eventName'],
  [keyBytes('eventTime'), 'eventTime'],
  [keyBytes('eventType'), 'eventType'],
  [keyBytes('errorCode'), 'errorCode'],
  [keyBytes('userIdentity'), 'userIdentity'],
  [keyBytes('requestParameters'), 'requestParameters'],
];
const IDENTITY_KEYS: readonly [Uint8Array, string][] = ['type', 'arn', 'accountId', 'sessionContext'].map((k) => [keyBytes(k), k]);
const SESSION_KEYS: readonly [Uint8Array, string][] = [[keyBytes('sessionIssuer'), 'sessionIssuer']];
const ISSUER_KEYS: readonly [Uint8Array, string][] = ['arn', 'type'].map((k) => [keyBytes(k), k]);
const TAG_KEYS: readonly [Uint8Array, string][] = TAG_REQUEST_KEYS.map((k) => [keyBytes(k), k]);
const RECORD_KEYS_WITH_RECORDS: readonly (readonly [Uint8Array, unknown])[] = [...RECORD_KEYS, [KEY_RECORDS, 'Records']];

/**
 * Scans one JSON value held in `buf` from `pos`. Every method returns the position after what it
 * read; `end` is the end of the bytes available. Throws {@link SyntaxFault} on bad JSON and
 * {@link NEED_MORE} when the value does not end before `end`.
 */
class ValueReader {
  buf: Buffer = Buffer.alloc(0);
  end = 0;
  /** Set while reading a record when a Records array was found inside it (a non-first `Records` key). */
  nestedRecords?: unknown[];

  skipSpace(pos: number): number {
    const buf = this.buf;
    const end = this.end;
    while (pos < end) {
      const c = buf[pos];
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return pos;
      pos++;
    }
    throw NEED_MORE;
  }

  /** Position after the closing quote of the string whose opening quote is at `pos`; sets `escaped`. */
  endOfString(pos: number): number {
    const buf = this.buf;
    const end = this.end;
    let i = pos + 1;
    this.escaped = false;
    while (i < end) {
      const c = buf[i];
      if (c === QUOTE) return i + 1;
      if (c === BACKSLASH) {
        this.escaped = true;
        i += 2;
        continue;
      }
      i++;
    }
    throw NEED_MORE;
  }
  escaped = false;

  /** The string value whose opening quote is at `start`, ending at `stop` (after the closing quote). */
  decodeString(start: number, stop: number): string {
    if (!this.escaped) return this.buf.toString('utf8', start + 1, stop - 1);
    try {
      return JSON.parse(this.buf.toString('utf8', start, stop)) as string;
    } catch {
      throw new SyntaxFault(start);
    }
  }

  /** True when the key at [start+1, stop-1) equals `key`. */
  keyIs(start: number, stop: number, key: Uint8Array): boolean {
    const n = key.length;
    if (stop - start - 2 !== n) return false;
    const buf = this.buf;
    for (let i = 0; i < n; i++) if (buf[start + 1 + i] !== key[i]) return false;
    return true;
  }

  /** Reads a scalar (number, true, false, null) at `pos`: its value and end. */
  readScalar(pos: number): [unknown, number] {
    const buf = this.buf;
    const c = buf[pos];
    if (c === 0x74) return [true, this.literal(pos, 'true')];
    if (c === 0x66) return [false, this.literal(pos, 'false')];
    if (c === 0x6e) return [null, this.literal(pos, 'null')];
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      let i = pos + 1;
      while (i < this.end) {
        const d = buf[i];
        if ((d >= 0x30 && d <= 0x39) || d === 0x2e || d === 0x65 || d === 0x45 || d === 0x2b || d === 0x2d) i++;
        else break;
      }
      if (i >= this.end) throw NEED_MORE;
      const text = buf.toString('latin1', pos, i);
      if (!/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(text)) throw new SyntaxFault(pos);
      return [Number(text), i];
    }
    throw new SyntaxFault(pos);
  }

  private literal(pos: number, word: string): number {
    if (pos + word.length > this.end) throw NEED_MORE;
    for (let i = 0; i < word.length; i++) if (this.buf[pos + i] !== word.charCodeAt(i)) throw new SyntaxFault(pos);
    return pos + word.length;
  }

  /** Skips any value at `pos` (checking its grammar); returns the position after it. */
  skipValue(pos: number): number {
    const buf = this.buf;
    const c = buf[pos];
    if (c === QUOTE) return this.endOfString(pos);
    if (c === OPEN_OBJECT) {
      let i = this.skipSpace(pos + 1);
      if (buf[i] === CLOSE_OBJECT) return i + 1;
      for (;;) {
        if (buf[i] !== QUOTE) throw new SyntaxFault(i);
        i = this.skipSpace(this.endOfString(i));
        if (buf[i] !== COLON) throw new SyntaxFault(i);
        i = this.skipSpace(this.skipValue(this.skipSpace(i + 1)));
        if (buf[i] === COMMA) i = this.skipSpace(i + 1);
        else if (buf[i] === CLOSE_OBJECT) return i + 1;
        else throw new SyntaxFault(i);
      }
    }
    if (c === OPEN_ARRAY) {
      let i = this.skipSpace(pos + 1);
      if (buf[i] === CLOSE_ARRAY) return i + 1;
      for (;;) {
        i = this.skipSpace(this.skipValue(i));
        if (buf[i] === COMMA) i = this.skipSpace(i + 1);
        else if (buf[i] === CLOSE_ARRAY) return i + 1;
        else throw new SyntaxFault(i);
      }
    }
    return this.readScalar(pos)[1];
  }

  /**
   * Reads the value at `pos` as the analyzer sees it: strings decoded, scalars parsed, objects and
   * arrays as `{}`/`[]` (their content is not needed, only their type).
   */
  readOpaque(pos: number): [unknown, number] {
    const c = this.buf[pos];
    if (c === QUOTE) {
      const stop = this.endOfString(pos);
      return [this.decodeString(pos, stop), stop];
    }
    if (c === OPEN_OBJECT) return [{}, this.skipValue(pos)];
    if (c === OPEN_ARRAY) return [[], this.skipValue(pos)];
    return this.readScalar(pos);
  }

  /**
   * Reads an object at `pos`, calling `onKey(index, valuePos)` for keys in `keys` (which must return
   * the position after the value) and skipping the others.
   */
  readObject(pos: number, keys: readonly (readonly [Uint8Array, unknown])[], onKey: (index: number, valuePos: number) => number): number {
    const buf = this.buf;
    let i = this.skipSpace(pos + 1);
    if (buf[i] === CLOSE_OBJECT) return i + 1;
    for (;;) {
      if (buf[i] !== QUOTE) throw new SyntaxFault(i);
      const keyStart = i;
      const keyStop = this.endOfString(i);
      i = this.skipSpace(keyStop);
      if (buf[i] !== COLON) throw new SyntaxFault(i);
      i = this.skipSpace(i + 1);
      let matched = -1;
      if (!this.escaped) {
        for (let k = 0; k < keys.length; k++) {
          if (this.keyIs(keyStart, keyStop, keys[k][0] as Uint8Array)) {
            matched = k;
            break;
          }
        }
      } else {
        // A key written with escapes is the key it decodes to, as for JSON.parse.
        const name = this.decodeString(keyStart, keyStop);
        matched = keys.findIndex((k) => k[1] === name);
      }
      i = this.skipSpace(matched >= 0 ? onKey(matched, i) : this.skipValue(i));
      if (buf[i] === COMMA) i = this.skipSpace(i + 1);
      else if (buf[i] === CLOSE_OBJECT) return i + 1;
      else throw new SyntaxFault(i);
    }
  }

  /** Reads an object value keeping the keys listed (strings decoded, others opaque). */
  readPicked(pos: number, keys: readonly (readonly [Uint8Array, string])[], nested?: (name: string, valuePos: number, into: Record<string, unknown>) => number): [unknown, number] {
    if (this.buf[pos] !== OPEN_OBJECT) return this.readOpaque(pos);
    const out: Record<string, unknown> = {};
    const stop = this.readObject(pos, keys, (index, valuePos) => {
      const name = keys[index][1];
      if (nested !== undefined) {
        const handled = nested(name, valuePos, out);
        if (handled >= 0) return handled;
      }
      const [value, next] = this.readOpaque(valuePos);
      out[name] = value;
      return next;
    });
    return [out, stop];
  }

  readIdentity(pos: number): [unknown, number] {
    return this.readPicked(pos, IDENTITY_KEYS, (name, valuePos, into) => {
      if (name !== 'sessionContext') return -1;
      const [session, next] = this.readPicked(valuePos, SESSION_KEYS, (_n, issuerPos, sessionOut) => {
        const [issuer, after] = this.readPicked(issuerPos, ISSUER_KEYS);
        sessionOut.sessionIssuer = issuer;
        return after;
      });
      into.sessionContext = session;
      return next;
    });
  }

  /** requestParameters → `{ <tag key>: true }` for tag keys whose value is not empty. */
  readRequestTags(pos: number): [unknown, number] {
    if (this.buf[pos] !== OPEN_OBJECT) return this.readOpaque(pos);
    const out: Record<string, unknown> = {};
    const stop = this.readObject(pos, TAG_KEYS, (index, valuePos) => {
      const next = this.skipValue(valuePos);
      out[TAG_KEYS[index][1]] = !isEmptyJson(this.buf, valuePos, next);
      return next;
    });
    return [out, stop];
  }

  /**
   * Reads one record at `pos`: the flat scanner, or (for the rare record holding a `Records` array)
   * the tree reader. Sets {@link nestedRecords} when the record was an envelope.
   */
  readRecord(pos: number): [unknown, number] {
    this.nestedRecords = undefined;
    if (this.buf[pos] !== OPEN_OBJECT) return this.readOpaque(pos);
    const stop = this.fast.read(this.buf, pos, this.end);
    if (stop !== UNSURE) return [this.fast.record, stop];
    const read = this.readRecordGeneral(pos);
    this.fallbacks += 1;
    return read;
  }

  /** Reads one record the general way: the flat scanner, or the tree reader for a record holding `Records`. */
  private readRecordGeneral(pos: number): [unknown, number] {
    try {
      return this.readRecordFlat(pos);
    } catch (e) {
      if (e !== NESTED_RECORDS) throw e;
      return this.readRecordTree(pos);
    }
  }

  /**
   * The hot path: one loop over the record's bytes with a container stack, reading keys only where
   * the analyzer needs them and strings only when they are values it reads.
   */
  readRecordFlat(pos: number): [unknown, number] {
    const buf = this.buf;
    const end = this.end;
    const kinds = this.kinds;
    const contexts = this.contexts;
    const out: ScannedRecord = {};
    let identity: Record<string, unknown> | undefined;
    let session: Record<string, unknown> | undefined;
    let issuer: Record<string, unknown> | undefined;
    let params: Record<string, unknown> | undefined;
    let depth = 1;
    kinds[1] = KIND_OBJECT;
    contexts[1] = CTX_RECORD;
    let state = S_KEY_OR_CLOSE;
    let field = F_NONE;
    let i = pos + 1;
    for (;;) {
      if (i >= end) throw NEED_MORE;
      const c = buf[i];
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
        i++;
        continue;
      }
      if (c === QUOTE) {
        const start = i + 1;
        let j = start;
        let escaped = false;
        for (;;) {
          if (j >= end) throw NEED_MORE;
          const d = buf[j];
          if (d === QUOTE) break;
          if (d === BACKSLASH) {
            escaped = true;
            j += 2;
            continue;
          }
          j++;
        }
        i = j + 1;
        if (state === S_KEY_OR_CLOSE || state === S_KEY) {
          const ctx = contexts[depth];
          // A key written with escapes (`"event\u004eame"`) is the key it decodes to, as for JSON.parse.
          field = ctx === CTX_NONE ? F_NONE : escaped ? (FIELDS_BY_NAME[ctx].get(this.decodeEscaped(start - 1, j + 1)) ?? F_NONE) : matchField(buf, start, j, ctx);
          state = S_COLON;
          continue;
        }
        if (state !== S_VALUE && state !== S_VALUE_OR_CLOSE) throw new SyntaxFault(i);
        if (field !== F_NONE) {
          const value = escaped ? this.decodeEscaped(start - 1, j + 1) : field === F_EVENT_TIME || field === F_IDENTITY_ARN ? buf.toString('utf8', start, j) : this.strings.decode(buf, start, j);
          if (field >= F_TAG) params![TAG_REQUEST_KEYS[field - F_TAG]] = value !== '';
          else assignField(field, value, out, identity, session, issuer);
          field = F_NONE;
        }
        state = S_COMMA_OR_CLOSE;
        continue;
      }
      switch (c) {
        case COLON:
          if (state !== S_COLON) throw new SyntaxFault(i);
          state = S_VALUE;
          i++;
          continue;
        case COMMA:
          if (state !== S_COMMA_OR_CLOSE) throw new SyntaxFault(i);
          state = kinds[depth] === KIND_OBJECT ? S_KEY : S_VALUE;
          i++;
          continue;
        case CLOSE_OBJECT:
          if ((state !== S_KEY_OR_CLOSE && state !== S_COMMA_OR_CLOSE) || kinds[depth] !== KIND_OBJECT) throw new SyntaxFault(i);
          depth--;
          i++;
          if (depth === 0) return [out, i];
          state = S_COMMA_OR_CLOSE;
          continue;
        case CLOSE_ARRAY:
          if ((state !== S_VALUE_OR_CLOSE && state !== S_COMMA_OR_CLOSE) || kinds[depth] !== KIND_ARRAY) throw new SyntaxFault(i);
          depth--;
          i++;
          state = S_COMMA_OR_CLOSE;
          continue;
        case OPEN_OBJECT:
        case OPEN_ARRAY: {
          if (state !== S_VALUE && state !== S_VALUE_OR_CLOSE) throw new SyntaxFault(i);
          let ctx = CTX_NONE;
          if (field !== F_NONE) {
            if (c === OPEN_OBJECT && field === F_USER_IDENTITY) {
              identity = {};
              out.userIdentity = identity;
              ctx = CTX_IDENTITY;
            } else if (c === OPEN_OBJECT && field === F_SESSION_CONTEXT) {
              session = {};
              identity!.sessionContext = session;
              ctx = CTX_SESSION;
            } else if (c === OPEN_OBJECT && field === F_SESSION_ISSUER) {
              issuer = {};
              session!.sessionIssuer = issuer;
              ctx = CTX_ISSUER;
            } else if (c === OPEN_OBJECT && field === F_REQUEST_PARAMETERS) {
              params = {};
              out.requestParameters = params;
              ctx = CTX_PARAMS;
            } else if (field >= F_TAG) {
              let k = i + 1;
              while (k < end && isSpace(buf[k])) k++;
              if (k >= end) throw NEED_MORE;
              params![TAG_REQUEST_KEYS[field - F_TAG]] = buf[k] !== (c === OPEN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY);
            } else if (field === F_RECORDS) {
              if (c === OPEN_ARRAY) throw NESTED_RECORDS;
            } else {
              assignField(field, c === OPEN_OBJECT ? {} : [], out, identity, session, issuer);
            }
            field = F_NONE;
          }
          depth++;
          if (depth >= MAX_DEPTH) throw new SyntaxFault(i);
          kinds[depth] = c === OPEN_OBJECT ? KIND_OBJECT : KIND_ARRAY;
          contexts[depth] = ctx;
          state = c === OPEN_OBJECT ? S_KEY_OR_CLOSE : S_VALUE_OR_CLOSE;
          i++;
          continue;
        }
        default: {
          if (state !== S_VALUE && state !== S_VALUE_OR_CLOSE) throw new SyntaxFault(i);
          const [value, next] = this.readScalar(i);
          if (field !== F_NONE) {
            if (field >= F_TAG) params![TAG_REQUEST_KEYS[field - F_TAG]] = value !== null && value !== false;
            else if (field !== F_RECORDS) assignField(field, value, out, identity, session, issuer);
            field = F_NONE;
          }
          i = next;
          state = S_COMMA_OR_CLOSE;
        }
      }
    }
  }

  /** Repeated values (event sources and names, identity types, role ARNs) decoded once. */
  private readonly strings = new DecodedStringCache();
  /** The fast path, tried first for every record. */
  private readonly fast = new FastRecordReader(this.strings);
  /** Records the fast path gave up on and the general reader read. */
  fallbacks = 0;

  /** Container kind per depth of the record being read (flat scanner). */
  private readonly kinds = new Uint8Array(MAX_DEPTH + 1);
  /** Which fields matter per depth (flat scanner). */
  private readonly contexts = new Uint8Array(MAX_DEPTH + 1);

  decodeEscaped(start: number, stop: number): string {
    try {
      return JSON.parse(this.buf.toString('utf8', start, stop)) as string;
    } catch {
      throw new SyntaxFault(start);
    }
  }

  /** Reads one record (an object) at `pos` value by value (the slower reader, kept for nested Records). */
  readRecordTree(pos: number): [unknown, number] {
    if (this.buf[pos] !== OPEN_OBJECT) return this.readOpaque(pos);
    const out: ScannedRecord = {};
    let nested: unknown[] | undefined;
    const stop = this.readObject(pos, RECORD_KEYS_WITH_RECORDS, (index, valuePos) => {
      if (index === RECORD_KEYS.length) {
        if (this.buf[valuePos] !== OPEN_ARRAY) return this.skipValue(valuePos);
        nested = [];
        return this.readArray(valuePos, (p) => {
          const [record, next] = this.readRecordTree(p);
          nested!.push(record);
          return next;
        });
      }
      const name = RECORD_KEYS[index][1];
      let read: [unknown, number];
      if (name === 'userIdentity') read = this.readIdentity(valuePos);
      else if (name === 'requestParameters') read = this.readRequestTags(valuePos);
      else read = this.readOpaque(valuePos);
      out[name] = read[0];
      return read[1];
    });
    this.nestedRecords = nested;
    return [out, stop];
  }

  /** Reads an array at `pos`, calling `onElement` for each element. */
  readArray(pos: number, onElement: (valuePos: number) => number): number {
    const buf = this.buf;
    let i = this.skipSpace(pos + 1);
    if (buf[i] === CLOSE_ARRAY) return i + 1;
    for (;;) {
      i = this.skipSpace(onElement(i));
      if (buf[i] === COMMA) i = this.skipSpace(i + 1);
      else if (buf[i] === CLOSE_ARRAY) return i + 1;
      else throw new SyntaxFault(i);
    }
  }
}

/** True when the JSON value in [start, stop) is null, empty (`""`, `[]`, `{}`) or only space inside. */
function isEmptyJson(buf: Buffer, start: number, stop: number): boolean {
  const c = buf[start];
  if (c === 0x6e) return true;
  if (c !== QUOTE && c !== OPEN_ARRAY && c !== OPEN_OBJECT) return false;
  for (let i = start + 1; i < stop - 1; i++) if (!isSpace(buf[i])) return false;
  return true;
}

type Mode =
  /** Before the first value. */
  | 'start'
  /** Inside `{"Records":[` (or a bare array): records are the elements. */
  | 'elements'
  /** After the Records array, inside the envelope: the remaining keys are skipped. */
  | 'envelope-tail'
  /** Top-level values, one after another: one record, or JSON lines. */
  | 'values'
  /** After a syntax error in JSON lines: skip to the next line. */
  | 'resync'
  /** Done (the envelope or array closed); only space may follow. */
  | 'closed';

/** Incremental state of skipping a record larger than the bound, byte by byte. */
interface OversizeSkip {
  depth: number;
  inString: boolean;
  escape: boolean;
}

/**
 * Feeds chunks of a log file; calls the sink for each record. Call {@link RecordScanner.push} for
 * each chunk and {@link RecordScanner.finish} at the end.
 */
export class RecordScanner {
  private readonly reader = new ValueReader();

  /** Records the fast path gave up on (read by the general reader instead); for tests and benchmarks. */
  public get fallbacks(): number {
    return this.reader.fallbacks;
  }

  /** Records read by the compiled batch reader; for tests and benchmarks. */
  public get compiledRecords(): number {
    return this.compiledCount;
  }
  private compiledCount = 0;

  /** The compiled batch reader, when it is built and not turned off. */
  private readonly compiled: CompiledRecordReader | undefined;
  private readonly maxRecordBytes: number;
  private pending: Buffer = Buffer.alloc(0);
  private pos = 0;
  private mode: Mode = 'start';
  /** Where the value being read starts (JSON lines resume after a broken line from here). */
  private valueStart = 0;
  private records = 0;
  private badLines = 0;
  /** True once an element was read in elements mode (so the next must follow a comma). */
  private afterElement = false;
  private sawEnvelope = false;
  /** The first top-level object when it is not a record: CloudTrail only if more values follow. */
  private pendingFirst?: unknown;
  private valuesRead = 0;
  /** Set when the bytes stop being JSON outside JSON lines: the rest of the file is not read. */
  private fault = false;
  private oversize?: OversizeSkip;

  constructor(
    private readonly sink: RecordScannerSink,
    options: RecordScannerOptions = {},
  ) {
    this.maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
    const compiled = options.compiled ?? true;
    this.compiled = compiled === false ? undefined : compiled === true ? sharedRecordReader() : compiled;
  }

  /** A record read by the compiled reader. */
  private readonly emitBatched = (record: unknown, start: number, stop: number): void => {
    this.valueStart = start;
    this.compiledCount += 1;
    this.emitElement(record, start, stop);
  };

  /** An element of an envelope or array in buf[start, stop): emitted, or skipped when over the bound. */
  private emitElement(record: unknown, start: number, stop: number): void {
    // The bound is the record's size, whether or not it arrived in one chunk.
    if (stop - start > this.maxRecordBytes) this.sink.skipRecords('record-too-large', 1);
    else this.emit(record);
  }

  /** Adds the next bytes of the file. */
  public push(chunk: Uint8Array): void {
    if (this.fault || chunk.byteLength === 0) return;
    let bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.oversize !== undefined) {
      const resume = this.skipOversize(bytes);
      if (resume < 0) return;
      bytes = bytes.subarray(resume);
    }
    const rest = this.pending.length - this.pos;
    this.pending = rest === 0 ? bytes : Buffer.concat([this.pending.subarray(this.pos), bytes]);
    this.pos = 0;
    this.scan(false);
  }

  /** Ends the file: the outcome for the whole file. */
  public finish(): ScanOutcome {
    if (!this.fault && this.oversize === undefined) this.scan(true);
    if (this.oversize !== undefined) {
      // The oversized record never ended: the file is cut.
      return this.records === 0 ? { kind: 'file-skipped', reason: 'invalid-json' } : { kind: 'records' };
    }
    if (this.mode === 'values' || this.mode === 'resync') {
      if (this.pendingFirst !== undefined) {
        if (this.badLines === 0) return { kind: 'file-skipped', reason: 'not-cloudtrail' };
        this.emit(this.pendingFirst);
      }
      if (this.records === 0) return { kind: 'file-skipped', reason: this.valuesRead === 0 && this.badLines === 0 ? 'not-cloudtrail' : 'invalid-json' };
      if (this.badLines > 0) this.sink.skipRecords('invalid-json', this.badLines);
      return { kind: 'records' };
    }
    if (this.mode === 'start') return { kind: 'file-skipped', reason: this.fault ? 'invalid-json' : 'not-cloudtrail' };
    if (this.mode !== 'closed' || this.fault) {
      // Envelope or array cut or broken: the records read so far count, the rest is one lost record at least.
      if (this.records === 0) return { kind: 'file-skipped', reason: 'invalid-json' };
      this.sink.skipRecords('invalid-json', 1);
    }
    return { kind: 'records' };
  }

  private scan(atEnd: boolean): void {
    const r = this.reader;
    r.buf = this.pending;
    r.end = this.pending.length;
    for (;;) {
      const start = this.pos;
      try {
        if (!this.step()) return;
      } catch (e) {
        if (e === NEED_MORE) {
          if (atEnd) return this.cutAtEnd();
          this.pos = start;
          if ((this.mode === 'elements' || this.mode === 'values') && this.pending.length - this.valueStart > this.maxRecordBytes) this.startOversize();
          return;
        }
        if (!(e instanceof SyntaxFault)) throw e;
        if (this.mode === 'values' || this.mode === 'start') {
          // JSON lines: a broken line is counted and reading goes on at the next line.
          this.mode = 'resync';
          this.badLines += 1;
          this.pos = this.valueStart + 1;
          continue;
        }
        this.fault = true;
        return;
      }
    }
  }

  /** The bytes ended inside a value. */
  private cutAtEnd(): void {
    if (this.mode === 'values') {
      this.badLines += 1;
      this.pos = this.pending.length;
      return;
    }
    this.fault = true;
  }

  /** Gives up the record being read (over the bound) and skips its bytes as they come. */
  private startOversize(): void {
    this.sink.skipRecords('record-too-large', 1);
    const state: OversizeSkip = { depth: 0, inString: false, escape: false };
    this.oversize = state;
    const tail = this.pending.subarray(this.valueStart);
    this.pending = Buffer.alloc(0);
    this.pos = 0;
    const resume = this.skipOversize(tail);
    if (resume >= 0) {
      this.pending = Buffer.from(tail.subarray(resume));
      this.scan(false);
    }
  }

  /** Skips the oversized record through `bytes`; the offset after its end, or -1 when it goes on. */
  private skipOversize(bytes: Buffer): number {
    const s = this.oversize!;
    for (let i = 0; i < bytes.length; i++) {
      const c = bytes[i];
      if (s.inString) {
        if (s.escape) s.escape = false;
        else if (c === BACKSLASH) s.escape = true;
        else if (c === QUOTE) s.inString = false;
        continue;
      }
      if (c === QUOTE) s.inString = true;
      else if (c === OPEN_OBJECT || c === OPEN_ARRAY) s.depth += 1;
      else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
        s.depth -= 1;
        if (s.depth === 0) {
          this.oversize = undefined;
          if (this.mode === 'elements') this.afterElement = true;
          return i + 1;
        }
      }
    }
    return -1;
  }

  /** Reads one thing at this.pos; false when the bytes are used up. */
  private step(): boolean {
    const r = this.reader;
    const buf = this.pending;
    let i = this.pos;
    if (this.mode === 'resync') {
      const nl = buf.indexOf(NEWLINE, i);
      if (nl < 0) {
        this.pos = buf.length;
        return false;
      }
      this.pos = nl + 1;
      this.mode = 'values';
      return true;
    }
    if (this.mode === 'start' && buf[i] === 0xef && buf[i + 1] === 0xbb && buf[i + 2] === 0xbf) i += 3;
    while (i < buf.length && isSpace(buf[i])) i++;
    this.pos = i;
    if (i >= buf.length) return false;
    const c = buf[i];
    switch (this.mode) {
      case 'start': {
        this.valueStart = i;
        if (c === OPEN_ARRAY) {
          this.mode = 'elements';
          this.pos = i + 1;
          return true;
        }
        if (c !== OPEN_OBJECT) throw new SyntaxFault(i);
        // `{"Records": [` opens the envelope; anything else is a record (or the first of JSON lines).
        const envelope = this.matchEnvelopeStart(i);
        if (envelope >= 0) {
          this.sawEnvelope = true;
          this.mode = 'elements';
          this.pos = envelope;
          return true;
        }
        this.mode = 'values';
        return true;
      }
      case 'elements': {
        if (c === CLOSE_ARRAY) {
          this.pos = i + 1;
          this.mode = this.sawEnvelope ? 'envelope-tail' : 'closed';
          return true;
        }
        if (this.afterElement) {
          if (c !== COMMA) throw new SyntaxFault(i);
          this.pos = i + 1;
          this.afterElement = false;
          return true;
        }
        this.valueStart = i;
        if (this.compiled !== undefined && c === OPEN_OBJECT) {
          const after = this.compiled.read(buf, i, buf.length, this.emitBatched);
          if (after >= 0) {
            this.pos = after;
            this.afterElement = true;
            return true;
          }
        }
        const [record, next] = r.readRecord(i);
        this.pos = next;
        this.afterElement = true;
        this.emitElement(record, i, next);
        return true;
      }
      case 'envelope-tail': {
        if (c === CLOSE_OBJECT) {
          this.pos = i + 1;
          this.mode = 'closed';
          return true;
        }
        if (c !== COMMA) throw new SyntaxFault(i);
        let k = r.skipSpace(i + 1);
        if (buf[k] !== QUOTE) throw new SyntaxFault(k);
        k = r.skipSpace(r.endOfString(k));
        if (buf[k] !== COLON) throw new SyntaxFault(k);
        this.pos = r.skipValue(r.skipSpace(k + 1));
        return true;
      }
      case 'values': {
        this.valueStart = i;
        if (c !== OPEN_OBJECT) throw new SyntaxFault(i);
        const [value, next] = r.readRecord(i);
        this.pos = next;
        this.valuesRead += 1;
        if (next - i > this.maxRecordBytes && r.nestedRecords === undefined) {
          this.sink.skipRecords('record-too-large', 1);
          return true;
        }
        const nested = r.nestedRecords;
        if (nested !== undefined) {
          for (const record of nested) this.emit(record);
          return true;
        }
        if (this.valuesRead === 1 && this.records === 0 && !isEventLike(value)) {
          this.pendingFirst = value;
          return true;
        }
        if (this.pendingFirst !== undefined) {
          this.emit(this.pendingFirst);
          this.pendingFirst = undefined;
        }
        this.emit(value);
        return true;
      }
      case 'closed':
        throw new SyntaxFault(i);
    }
    return false;
  }

  /**
   * At `{` of the first value: the position after `{"Records":[` when the file opens so, else -1.
   * Throws NEED_MORE when the bytes so far cannot tell.
   */
  private matchEnvelopeStart(at: number): number {
    const r = this.reader;
    const k = r.skipSpace(at + 1);
    if (this.pending[k] !== QUOTE) return -1;
    const stop = r.endOfString(k);
    if (!r.keyIs(k, stop, KEY_RECORDS)) return -1;
    const colon = r.skipSpace(stop);
    if (this.pending[colon] !== COLON) return -1;
    const value = r.skipSpace(colon + 1);
    return this.pending[value] === OPEN_ARRAY ? value + 1 : -1;
  }

  private emit(record: unknown): void {
    this.records += 1;
    this.sink.record(record);
  }
}

function isEventLike(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const v = value as ScannedRecord;
  return v.eventName !== undefined || v.eventSource !== undefined || v.eventTime !== undefined;
}
