/**
 * The fast path of the field scanner: reads one CloudTrail record (an object in the gunzipped bytes)
 * by recursive descent over the bytes, going into the objects the analyzer reads (userIdentity,
 * sessionContext, sessionIssuer, requestParameters) and skipping every other value, with its grammar
 * checked. Long strings it skips are crossed with the native `Buffer.indexOf`; keys are matched only
 * at the level where they count.
 *
 * It is exact or it gives up: whenever it cannot be sure to read the record as the general reader
 * (record-scanner.ts) does — bytes that end inside the record, anything that is not JSON, an escape
 * in a key that counts or in a number it would read, a `Records` key, nesting deeper than
 * {@link FAST_MAX_DEPTH} — it returns {@link UNSURE} and the caller reads the record the general way
 * (and counts it). Giving up is never an error: the general reader decides what the bytes are.
 */
import { TAG_REQUEST_KEYS } from '../../core/analyzer/usage-aggregate';
import type { DecodedStringCache } from './decoded-string-cache';
import * as jsonBytes from './json-bytes';

// Copied into module constants once: read through the import binding, every byte comparison would be a
// property read (a getter call under tsx's CommonJS transform: 67 percent of the scanner's time, measured).
const { QUOTE, BACKSLASH, OPEN_OBJECT, CLOSE_OBJECT, OPEN_ARRAY, CLOSE_ARRAY, COMMA, COLON } = jsonBytes;

/** What {@link readRecordFast} returns when the general reader must read the record. */
export const UNSURE = -1;
/** Deepest nesting the fast path follows (CloudTrail records nest about 6 deep); deeper records take the general reader. */
export const FAST_MAX_DEPTH = 64;
/** Strings skipped at least this long are crossed with Buffer.indexOf; shorter ones byte by byte (the native call costs more). */
const NATIVE_SKIP_MIN_BYTES = 48;

function bytesOf(text: string): Uint8Array {
  return Buffer.from(text, 'latin1');
}

// Keys read, per level.
const K_EVENT_SOURCE = bytesOf('eventSource');
const K_EVENT_NAME = bytesOf('eventName');
const K_EVENT_TIME = bytesOf('eventTime');
const K_EVENT_TYPE = bytesOf('eventType');
const K_ERROR_CODE = bytesOf('errorCode');
const K_USER_IDENTITY = bytesOf('userIdentity');
const K_REQUEST_PARAMETERS = bytesOf('requestParameters');
const K_RECORDS = bytesOf('Records');
const K_TYPE = bytesOf('type');
const K_ARN = bytesOf('arn');
const K_ACCOUNT_ID = bytesOf('accountId');
const K_SESSION_CONTEXT = bytesOf('sessionContext');
const K_SESSION_ISSUER = bytesOf('sessionIssuer');
const TAG_KEYS: readonly (readonly [Uint8Array, string])[] = TAG_REQUEST_KEYS.map((k) => [bytesOf(k), k] as const);

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function isNumberByte(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d;
}

/** True when buf[start, start + key.length) is `key` and the key is that long. */
function keyIs(buf: Buffer, start: number, length: number, key: Uint8Array): boolean {
  if (length !== key.length) return false;
  for (let k = 0; k < length; k++) if (buf[start + k] !== key[k]) return false;
  return true;
}

/** One record as the analyzer reads it; the same shape the general reader builds. */
type Fields = Record<string, unknown>;

/**
 * Reads records with one string cache (values that repeat are decoded once). Not reentrant: one
 * reader per scanner.
 */
export class FastRecordReader {
  private buf: Buffer = Buffer.alloc(0);
  private end = 0;
  /** The record read by the last successful {@link read}. */
  record: Fields = {};
  /** Set by {@link readString}: where the last string read ends (after its closing quote) and whether it held a backslash. */
  private escaped = false;

  constructor(private readonly strings: DecodedStringCache) {}

  /**
   * Reads the record whose `{` is at `pos` in buf[0, end): the position after its `}` (the record is
   * then in {@link record}), or {@link UNSURE}.
   */
  read(buf: Buffer, pos: number, end: number): number {
    this.buf = buf;
    this.end = end;
    const out: Fields = { eventSource: undefined, eventName: undefined, eventTime: undefined, eventType: undefined, errorCode: undefined, userIdentity: undefined, requestParameters: undefined };
    let i = this.space(pos + 1);
    if (i < 0) return UNSURE;
    if (buf[i] === CLOSE_OBJECT) {
      this.record = out;
      return i + 1;
    }
    for (;;) {
      if (buf[i] !== QUOTE) return UNSURE;
      const keyStart = i + 1;
      i = this.stringEnd(keyStart);
      if (i < 0 || (this.escaped && this.decodedKey(keyStart, i) === undefined)) return UNSURE;
      const keyStop = i;
      const length = this.escaped ? -1 : i - keyStart;
      i = this.colon(i + 1);
      if (i < 0) return UNSURE;
      if (length === 9 || length === 11 || length === 12 || length === 17 || length === 7 || length < 0) {
        if (this.keyIs(keyStart, keyStop, K_EVENT_NAME, 'eventName')) { i = this.readValue(i); out.eventName = this.value; }
        else if (this.keyIs(keyStart, keyStop, K_EVENT_TIME, 'eventTime')) { i = this.readValue(i, false); out.eventTime = this.value; }
        else if (this.keyIs(keyStart, keyStop, K_EVENT_SOURCE, 'eventSource')) { i = this.readValue(i); out.eventSource = this.value; }
        else if (this.keyIs(keyStart, keyStop, K_EVENT_TYPE, 'eventType')) { i = this.readValue(i); out.eventType = this.value; }
        else if (this.keyIs(keyStart, keyStop, K_ERROR_CODE, 'errorCode')) { i = this.readValue(i); out.errorCode = this.value; }
        else if (this.keyIs(keyStart, keyStop, K_USER_IDENTITY, 'userIdentity')) { if (buf[i] === OPEN_OBJECT) i = this.readIdentity(out, i); else { i = this.readValue(i); out.userIdentity = this.value; } }
        else if (this.keyIs(keyStart, keyStop, K_REQUEST_PARAMETERS, 'requestParameters')) { if (buf[i] === OPEN_OBJECT) i = this.readParameters(out, i); else { i = this.readValue(i); out.requestParameters = this.value; } }
        else if (this.keyIs(keyStart, keyStop, K_RECORDS, 'Records')) return UNSURE;
        else i = this.skipValue(i, 1);
      } else i = this.skipValue(i, 1);
      i = this.after(i, CLOSE_OBJECT);
      if (i < 0) return UNSURE;
      if (buf[i - 1] === CLOSE_OBJECT) {
        this.record = out;
        return i;
      }
    }
  }

  /** userIdentity `{...}` at `pos`: type, arn, accountId, sessionContext.sessionIssuer.{arn, type}. */
  private readIdentity(out: Fields, pos: number): number {
    const buf = this.buf;
    const identity: Fields = { type: undefined, arn: undefined, accountId: undefined, sessionContext: undefined };
    out.userIdentity = identity;
    let i = this.space(pos + 1);
    if (i < 0) return UNSURE;
    if (buf[i] === CLOSE_OBJECT) return i + 1;
    for (;;) {
      if (buf[i] !== QUOTE) return UNSURE;
      const keyStart = i + 1;
      i = this.stringEnd(keyStart);
      if (i < 0 || (this.escaped && this.decodedKey(keyStart, i) === undefined)) return UNSURE;
      const keyStop = i;
      i = this.colon(i + 1);
      if (i < 0) return UNSURE;
      if (this.keyIs(keyStart, keyStop, K_TYPE, 'type')) { i = this.readValue(i); identity.type = this.value; }
      else if (this.keyIs(keyStart, keyStop, K_ARN, 'arn')) { i = this.readValue(i, false); identity.arn = this.value; }
      else if (this.keyIs(keyStart, keyStop, K_ACCOUNT_ID, 'accountId')) { i = this.readValue(i); identity.accountId = this.value; }
      else if (this.keyIs(keyStart, keyStop, K_SESSION_CONTEXT, 'sessionContext')) { if (buf[i] === OPEN_OBJECT) i = this.readSession(identity, i); else { i = this.readValue(i); identity.sessionContext = this.value; } }
      else i = this.skipValue(i, 2);
      i = this.after(i, CLOSE_OBJECT);
      if (i < 0 || buf[i - 1] === CLOSE_OBJECT) return i;
    }
  }

  /** sessionContext `{...}` at `pos`: only sessionIssuer is read. */
  private readSession(identity: Fields, pos: number): number {
    const buf = this.buf;
    const session: Fields = { sessionIssuer: undefined };
    identity.sessionContext = session;
    let i = this.space(pos + 1);
    if (i < 0) return UNSURE;
    if (buf[i] === CLOSE_OBJECT) return i + 1;
    for (;;) {
      if (buf[i] !== QUOTE) return UNSURE;
      const keyStart = i + 1;
      i = this.stringEnd(keyStart);
      if (i < 0 || (this.escaped && this.decodedKey(keyStart, i) === undefined)) return UNSURE;
      const keyStop = i;
      i = this.colon(i + 1);
      if (i < 0) return UNSURE;
      if (this.keyIs(keyStart, keyStop, K_SESSION_ISSUER, 'sessionIssuer')) { if (buf[i] === OPEN_OBJECT) i = this.readIssuer(session, i); else { i = this.readValue(i); session.sessionIssuer = this.value; } }
      else i = this.skipValue(i, 3);
      i = this.after(i, CLOSE_OBJECT);
      if (i < 0 || buf[i - 1] === CLOSE_OBJECT) return i;
    }
  }

  /** sessionIssuer `{...}` at `pos`: arn and type. */
  private readIssuer(session: Fields, pos: number): number {
    const buf = this.buf;
    const issuer: Fields = { arn: undefined, type: undefined };
    session.sessionIssuer = issuer;
    let i = this.space(pos + 1);
    if (i < 0) return UNSURE;
    if (buf[i] === CLOSE_OBJECT) return i + 1;
    for (;;) {
      if (buf[i] !== QUOTE) return UNSURE;
      const keyStart = i + 1;
      i = this.stringEnd(keyStart);
      if (i < 0 || (this.escaped && this.decodedKey(keyStart, i) === undefined)) return UNSURE;
      const keyStop = i;
      i = this.colon(i + 1);
      if (i < 0) return UNSURE;
      if (this.keyIs(keyStart, keyStop, K_ARN, 'arn')) { i = this.readValue(i); issuer.arn = this.value; }
      else if (this.keyIs(keyStart, keyStop, K_TYPE, 'type')) { i = this.readValue(i); issuer.type = this.value; }
      else i = this.skipValue(i, 4);
      i = this.after(i, CLOSE_OBJECT);
      if (i < 0 || buf[i - 1] === CLOSE_OBJECT) return i;
    }
  }

  /** requestParameters `{...}` at `pos`: `{ <tag key>: <value not empty> }` for the tag keys present. */
  private readParameters(out: Fields, pos: number): number {
    const buf = this.buf;
    const params: Fields = {};
    out.requestParameters = params;
    let i = this.space(pos + 1);
    if (i < 0) return UNSURE;
    if (buf[i] === CLOSE_OBJECT) return i + 1;
    for (;;) {
      if (buf[i] !== QUOTE) return UNSURE;
      const keyStart = i + 1;
      i = this.stringEnd(keyStart);
      if (i < 0 || (this.escaped && this.decodedKey(keyStart, i) === undefined)) return UNSURE;
      const keyStop = i;
      const length = this.escaped ? -1 : i - keyStart;
      i = this.colon(i + 1);
      if (i < 0) return UNSURE;
      let tag: string | undefined;
      if (length === 4 || length === 7 || length === 17 || length === 19 || length < 0) {
        for (const [key, name] of TAG_KEYS) {
          if (this.keyIs(keyStart, keyStop, key, name)) {
            tag = name;
            break;
          }
        }
      }
      const valueStart = i;
      i = this.skipValue(i, 2);
      if (tag !== undefined && i >= 0) params[tag] = carriesValue(buf, valueStart, i);
      i = this.after(i, CLOSE_OBJECT);
      if (i < 0 || buf[i - 1] === CLOSE_OBJECT) return i;
    }
  }

  /** The value read by the last {@link readValue}. */
  private value: unknown;

  /**
   * Reads the value at `pos` into {@link value} as the general reader does: strings decoded, objects
   * and arrays as `{}`/`[]`, true/false/null and numbers as values. `cached` decodes through the
   * string cache (values that repeat from record to record). The caller stores the value under a
   * fixed property name, so the records keep one shape.
   */
  private readValue(pos: number, cached = true): number {
    const buf = this.buf;
    const c = buf[pos];
    if (c === QUOTE) {
      const stop = this.stringEnd(pos + 1);
      if (stop < 0) return UNSURE;
      if (this.escaped) {
        try {
          this.value = JSON.parse(buf.toString('utf8', pos, stop + 1)) as string;
        } catch {
          return UNSURE;
        }
      } else this.value = cached ? this.strings.decode(buf, pos + 1, stop) : buf.toString('utf8', pos + 1, stop);
      return stop + 1;
    }
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      this.value = c === OPEN_OBJECT ? {} : [];
      return this.skipValue(pos, 2);
    }
    if (c === 0x74 || c === 0x66 || c === 0x6e) {
      this.value = c === 0x74 ? true : c === 0x66 ? false : null;
      return this.skipValue(pos, 2);
    }
    const next = this.skipNumber(pos);
    if (next >= 0) this.value = Number(buf.toString('latin1', pos, next));
    return next;
  }

  /**
   * The key whose opening quote is at `start - 1` and closing quote at `stop`, when it holds escapes:
   * the text it decodes to (JSON.parse's key), or undefined when the escapes are not JSON.
   */
  private decodedKey(start: number, stop: number): string | undefined {
    try {
      return JSON.parse(this.buf.toString('utf8', start - 1, stop + 1)) as string;
    } catch {
      return undefined;
    }
  }

  /** True when the key in buf[start, stop) (escaped as {@link escaped} says) is `key` (`name` decoded). */
  private keyIs(start: number, stop: number, key: Uint8Array, name: string): boolean {
    return this.escaped ? this.decodedKey(start, stop) === name : keyIs(this.buf, start, stop - start, key);
  }

  /** The index of the closing quote of the string starting at `start` (after its opening quote); sets {@link escaped}. */
  private stringEnd(start: number): number {
    const buf = this.buf;
    const end = this.end;
    this.escaped = false;
    let j = start;
    while (j < end) {
      const c = buf[j];
      if (c === QUOTE) return j;
      if (c === BACKSLASH) {
        this.escaped = true;
        j += 2;
      } else j++;
    }
    return UNSURE;
  }

  /**
   * Like {@link stringEnd} for a string that is skipped: the first bytes byte by byte, then from
   * {@link NATIVE_SKIP_MIN_BYTES} on with Buffer.indexOf, a quote after an odd run of backslashes
   * being part of the string.
   */
  private skippedStringEnd(start: number): number {
    const buf = this.buf;
    const end = this.end;
    const stop = Math.min(end, start + NATIVE_SKIP_MIN_BYTES);
    let j = start;
    while (j < stop) {
      const c = buf[j];
      if (c === QUOTE) return j;
      if (c === BACKSLASH) j += 2;
      else j++;
    }
    if (j >= end) return UNSURE;
    for (;;) {
      const q = buf.indexOf(QUOTE, j);
      if (q < 0 || q >= end) return UNSURE;
      let run = 0;
      for (let b = q - 1; b >= start && buf[b] === BACKSLASH; b--) run++;
      // A backslash before `j` that escapes the byte at `j` cannot be counted twice: `j` is never past an escape's second byte.
      if ((run & 1) === 0) return q;
      j = q + 1;
    }
  }

  /** The next non-space index from `i`, or UNSURE at the end of the bytes. */
  private space(i: number): number {
    const buf = this.buf;
    const end = this.end;
    while (i < end) {
      if (!isSpace(buf[i])) return i;
      i++;
    }
    return UNSURE;
  }

  /** After a key's closing quote at `i - 1`: the index of the value after `:` and spaces, or UNSURE. */
  private colon(i: number): number {
    const buf = this.buf;
    if (i < this.end && buf[i] === COLON) return this.space(i + 1);
    const j = this.space(i);
    if (j < 0 || buf[j] !== COLON) return UNSURE;
    return this.space(j + 1);
  }

  /**
   * After a member or element ending at `i`: past `,` to the next one, or past the container's
   * `close`. The result is the index after the comma's spaces (the next member), or the index after
   * `close` (buf[result - 1] is `close`), or UNSURE.
   */
  private after(i: number, close: number): number {
    if (i < 0) return UNSURE;
    const buf = this.buf;
    let j = i;
    if (j >= this.end) return UNSURE;
    let c = buf[j];
    if (isSpace(c)) {
      j = this.space(j);
      if (j < 0) return UNSURE;
      c = buf[j];
    }
    if (c === close) return j + 1;
    if (c !== COMMA) return UNSURE;
    j = this.space(j + 1);
    // The next member or element must not be the container's end (a trailing comma).
    if (j < 0 || buf[j] === close) return UNSURE;
    return j;
  }

  /** Skips the value at `pos` (its grammar checked); the index after it, or UNSURE. */
  private skipValue(pos: number, depth: number): number {
    const buf = this.buf;
    const c = buf[pos];
    if (c === QUOTE) {
      const q = this.skippedStringEnd(pos + 1);
      return q < 0 ? UNSURE : q + 1;
    }
    if (c === OPEN_OBJECT) {
      if (depth >= FAST_MAX_DEPTH) return UNSURE;
      let i = this.space(pos + 1);
      if (i < 0) return UNSURE;
      if (buf[i] === CLOSE_OBJECT) return i + 1;
      for (;;) {
        if (buf[i] !== QUOTE) return UNSURE;
        i = this.skippedStringEnd(i + 1);
        if (i < 0) return UNSURE;
        i = this.colon(i + 1);
        if (i < 0) return UNSURE;
        i = this.after(this.skipValue(i, depth + 1), CLOSE_OBJECT);
        if (i < 0 || buf[i - 1] === CLOSE_OBJECT) return i;
      }
    }
    if (c === OPEN_ARRAY) {
      if (depth >= FAST_MAX_DEPTH) return UNSURE;
      let i = this.space(pos + 1);
      if (i < 0) return UNSURE;
      if (buf[i] === CLOSE_ARRAY) return i + 1;
      for (;;) {
        i = this.after(this.skipValue(i, depth + 1), CLOSE_ARRAY);
        if (i < 0 || buf[i - 1] === CLOSE_ARRAY) return i;
      }
    }
    if (c === 0x74) return this.literal(pos, 0x74, 0x72, 0x75, 0x65, 4);
    if (c === 0x66) return this.literal5False(pos);
    if (c === 0x6e) return this.literal(pos, 0x6e, 0x75, 0x6c, 0x6c, 4);
    return this.skipNumber(pos);
  }

  private literal(pos: number, a: number, b: number, c: number, d: number, length: number): number {
    const buf = this.buf;
    if (pos + length > this.end) return UNSURE;
    return buf[pos] === a && buf[pos + 1] === b && buf[pos + 2] === c && buf[pos + 3] === d ? pos + length : UNSURE;
  }

  private literal5False(pos: number): number {
    const buf = this.buf;
    if (pos + 5 > this.end) return UNSURE;
    return buf[pos + 1] === 0x61 && buf[pos + 2] === 0x6c && buf[pos + 3] === 0x73 && buf[pos + 4] === 0x65 ? pos + 5 : UNSURE;
  }

  /** A JSON number at `pos` (`-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`), followed by a byte that cannot continue it. */
  private skipNumber(pos: number): number {
    const buf = this.buf;
    const end = this.end;
    let j = pos;
    if (j < end && buf[j] === 0x2d) j++;
    if (j >= end) return UNSURE;
    let c = buf[j];
    if (c === 0x30) j++;
    else if (c >= 0x31 && c <= 0x39) {
      j++;
      while (j < end && buf[j] >= 0x30 && buf[j] <= 0x39) j++;
    } else return UNSURE;
    if (j < end && buf[j] === 0x2e) {
      const digits = ++j;
      while (j < end && buf[j] >= 0x30 && buf[j] <= 0x39) j++;
      if (j === digits) return UNSURE;
    }
    if (j < end && (buf[j] === 0x65 || buf[j] === 0x45)) {
      j++;
      if (j < end && (buf[j] === 0x2b || buf[j] === 0x2d)) j++;
      const digits = j;
      while (j < end && buf[j] >= 0x30 && buf[j] <= 0x39) j++;
      if (j === digits) return UNSURE;
    }
    if (j >= end) return UNSURE;
    c = buf[j];
    return isNumberByte(c) ? UNSURE : j;
  }
}

/** Whether a tag parameter's value (JSON in buf[start, stop)) is not null, false, `""`, `[]` or `{}`. */
function carriesValue(buf: Buffer, start: number, stop: number): boolean {
  const c = buf[start];
  if (c === 0x6e || c === 0x66) return false;
  if (c === QUOTE) return stop - start > 2;
  if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
    for (let i = start + 1; i < stop - 1; i++) if (!isSpace(buf[i])) return true;
    return false;
  }
  return true;
}
