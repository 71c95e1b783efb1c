/**
 * The compiled batch reader of the field scanner: assembly/record-batch.ts, compiled to WebAssembly by
 * `npm run build` (dist/cli/record-batch.wasm), reads many records per call and says where the fields
 * the analyzer reads are; this module copies the bytes in, decodes those ranges and builds the records,
 * in the same shape as the JavaScript fast path (record-fast-path.ts).
 *
 * It reads a record only when it reads it exactly as the fast path does, and stops at the first record
 * it is not sure of; the JavaScript readers read that one. When the module is missing (no build), stale
 * (assembly/record-batch.ts changed since the build) or refused, {@link loadRecordBatch} says why and the
 * scanner reads every record in JavaScript: slower, same results.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NO_REQUEST_TAGS, TAG_REQUEST_KEYS } from '../../core/analyzer/usage-aggregate';
import type { ScannedRecord } from './record-scanner';

/** Slot layout version this module reads (assembly/record-batch.ts LAYOUT_VERSION). */
const LAYOUT_VERSION = 4;
/** Environment variable: `js` makes the scanner read every record in JavaScript (benchmarks, debugging). */
export const RECORD_SCANNER_ENV = 'IAMCTL_RECORD_SCANNER';
/** Bytes copied into the module per window; a record crossing a window's end is read from a new window. */
const WINDOW_BYTES = 8 * 1024 * 1024;
/** A window is moved when fewer bytes than this are left in it (CloudTrail events are at most 256 KB). */
const MIN_AHEAD_BYTES = 512 * 1024;

// Row slots (assembly/record-batch.ts S_*).
const S_RECORD_START = 0;
const S_RECORD_STOP = 1;
const S_EVENT_SOURCE = 2;
const S_EVENT_NAME = 4;
const S_EVENT_TIME = 6;
const S_EVENT_TYPE = 8;
const S_ERROR_CODE = 10;
const S_IDENTITY = 12;
const S_IDENTITY_TYPE = 13;
const S_IDENTITY_ARN = 15;
const S_IDENTITY_ACCOUNT = 17;
const S_SESSION = 19;
const S_ISSUER = 20;
const S_ISSUER_ARN = 21;
const S_ISSUER_TYPE = 23;
const S_PARAMS = 25;
const S_TAGS_PRESENT = 26;
const S_TAGS_CARRY = 27;
const S_ID_EVENT_SOURCE = 28;
const S_ID_EVENT_NAME = 29;
const S_ID_EVENT_TYPE = 30;
const S_ID_ERROR_CODE = 31;
const S_ID_IDENTITY_TYPE = 32;
const S_ID_IDENTITY_ACCOUNT = 33;
const S_ID_ISSUER_ARN = 34;
const S_ID_ISSUER_TYPE = 35;
const S_ID_EVENT_TIME = 36;
const ABSENT = -1;
const NULL = -2;
const STOP_UNSURE = 1;

/** A compiled WebAssembly module (opaque). */
export interface WasmModule {
  readonly __wasmModule: never;
}

/** The part of the WebAssembly JS API used here (the project's TypeScript lib has no DOM types). */
interface WasmApi {
  readonly Module: new (bytes: Uint8Array) => WasmModule;
  readonly Instance: new (module: WasmModule, imports: Record<string, never>) => { readonly exports: unknown };
}
const wasmApi = (globalThis as unknown as { readonly WebAssembly: WasmApi }).WebAssembly;

interface RecordBatchExports {
  readonly memory: { readonly buffer: ArrayBuffer };
  layoutVersion(): number;
  slotsPerRecord(): number;
  maxRecords(): number;
  outputAt(): number;
  tagsAt(): number;
  inputAt(length: number): number;
  lastStop(): number;
  readRecords(start: number, length: number, limit: number): number;
  internGeneration(): number;
}

/** The compiled module, or why it cannot be used. */
export type RecordBatchModule = { readonly kind: 'ready'; readonly module: WasmModule; readonly file: string } | { readonly kind: 'unavailable'; readonly reason: string };

/** Where the module is, and its source when running from the sources (whose hash the module must carry). */
export interface RecordBatchLocation {
  readonly wasm: string;
  readonly source?: string;
}

/** Where the module and its source are: next to the bundle (dist/cli/), or three levels up from src/io/cloudtrail/. */
function locate(): RecordBatchLocation {
  const beside = join(__dirname, 'record-batch.wasm');
  if (existsSync(beside)) return { wasm: beside };
  const root = resolve(__dirname, '../../..');
  return { wasm: join(root, 'dist', 'cli', 'record-batch.wasm'), source: join(root, 'assembly', 'record-batch.ts') };
}

let loaded: RecordBatchModule | undefined;

/** Compiles the module once per thread (a few milliseconds); the same answer after that. */
export function loadRecordBatch(): RecordBatchModule {
  if (loaded !== undefined) return loaded;
  loaded = process.env[RECORD_SCANNER_ENV] === 'js' ? { kind: 'unavailable', reason: `${RECORD_SCANNER_ENV}=js` } : compileRecordBatch(locate());
  return loaded;
}

/** Compiles the module at `location.wasm`, or says why it cannot be used (missing, compiled from another source, refused). */
export function compileRecordBatch(location: RecordBatchLocation): RecordBatchModule {
  const { wasm, source } = location;
  if (!existsSync(wasm)) return { kind: 'unavailable', reason: `${wasm} has not been built (npm run build)` };
  if (source !== undefined && existsSync(source)) {
    // Running from the sources: the module must be compiled from this source.
    let recorded: string | undefined;
    try {
      recorded = (JSON.parse(readFileSync(`${wasm}.json`, 'utf8')) as { sha256?: string }).sha256;
    } catch {
      recorded = undefined;
    }
    const actual = createHash('sha256').update(readFileSync(source)).digest('hex');
    if (recorded !== actual) return { kind: 'unavailable', reason: `${wasm} was not compiled from this ${source} (npm run build)` };
  }
  try {
    const module = new wasmApi.Module(readFileSync(wasm));
    const probe = new wasmApi.Instance(module, {}).exports as unknown as RecordBatchExports;
    if (probe.layoutVersion() !== LAYOUT_VERSION) return { kind: 'unavailable', reason: `${wasm} has slot layout ${probe.layoutVersion()}, this reader ${LAYOUT_VERSION} (npm run build)` };
    return { kind: 'ready', module, file: wasm };
  } catch (e) {
    return { kind: 'unavailable', reason: `${wasm} cannot be loaded: ${(e as Error).message}` };
  }
}

/** String ids the module hands out are below this (assembly/record-batch.ts INTERN_MAX). */
const INTERN_IDS = 16384;

/** Freezes an object and the objects it holds: shared between records, it must not change. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/**
 * userIdentity with the fast path's fields (type, arn, accountId, sessionContext). `arn` is decoded on first
 * read: it is nearly unique per record, and the analyzer reads it only for IAM users and root (an assumed
 * role is known by its session issuer), so most records never pay for it.
 */
class CompiledIdentity {
  /** The ARN once decoded (or absent, or null); undefined while it is still bytes. */
  #arn: unknown;
  #decoded: boolean;
  readonly #buf: Buffer;
  readonly #start: number;
  readonly #stop: number;

  constructor(
    readonly type: unknown,
    buf: Buffer,
    arnStart: number,
    arnStop: number,
    readonly accountId: unknown,
    readonly sessionContext: unknown,
  ) {
    this.#buf = buf;
    this.#start = arnStart;
    this.#stop = arnStop;
    this.#decoded = arnStart < 0;
    this.#arn = arnStart === NULL ? null : undefined;
  }

  get arn(): unknown {
    if (!this.#decoded) {
      this.#arn = this.#buf.toString('utf8', this.#start, this.#stop);
      this.#decoded = true;
    }
    return this.#arn;
  }
}

let shared: CompiledRecordReader | null | undefined;

/** This thread's compiled reader, or undefined when the module cannot be used ({@link loadRecordBatch} says why). */
export function sharedRecordReader(): CompiledRecordReader | undefined {
  if (shared === undefined) {
    const batch = loadRecordBatch();
    shared = batch.kind === 'ready' ? new CompiledRecordReader(batch.module) : null;
  }
  return shared ?? undefined;
}

/** What one {@link CompiledRecordReader.read} gives the scanner for each record. */
export type BatchSink = (record: ScannedRecord, start: number, stop: number) => void;

/**
 * Reads records through the compiled module: one instance (its own memory) per reader, shared by the
 * scanners of a thread ({@link sharedRecordReader}). Each {@link read} is one synchronous call that copies
 * what it needs, so scanners may take turns with it.
 */
export class CompiledRecordReader {
  private readonly exports: RecordBatchExports;
  private readonly slots: number;
  private readonly limit: number;
  private readonly outAt: number;
  private rows: Int32Array;
  /** The bytes now in the module: buf[windowStart, windowEnd) of `windowBuf`. */
  private windowBuf: Buffer | undefined;
  private windowStart = 0;
  private windowEnd = 0;
  /** Records read by the module. */
  records = 0;
  /** The decoded text of each string id the module handed out. */
  private names: (string | undefined)[] = [];
  /** The module's interning generation the names belong to. */
  private generation = 0;
  /** sessionContext objects by issuer ARN and type ids (this generation). */
  private readonly sessions = new Map<number, unknown>();

  private readonly windowBytes: number;
  private readonly minAheadBytes: number;

  /** `options` sizes the window of bytes copied in (tests use small ones, so records cross window ends). */
  constructor(module: WasmModule, options: { readonly windowBytes?: number; readonly minAheadBytes?: number } = {}) {
    this.windowBytes = options.windowBytes ?? WINDOW_BYTES;
    this.minAheadBytes = options.minAheadBytes ?? MIN_AHEAD_BYTES;
    this.exports = new wasmApi.Instance(module, {}).exports as unknown as RecordBatchExports;
    this.slots = this.exports.slotsPerRecord();
    this.limit = this.exports.maxRecords();
    this.outAt = this.exports.outputAt();
    this.writeTagKeys();
    this.rows = this.view();
  }

  private view(): Int32Array {
    return new Int32Array(this.exports.memory.buffer, this.outAt, this.limit * this.slots);
  }

  /** The tag keys of request parameters (TAG_REQUEST_KEYS), as the module compares them. */
  private writeTagKeys(): void {
    const keys = TAG_REQUEST_KEYS.map((k) => Buffer.from(k, 'utf8'));
    if (keys.length > 31) throw new Error('the compiled record reader holds at most 31 tag keys');
    const table = Buffer.alloc(4 + keys.reduce((n, k) => n + 4 + k.length, 0));
    let at = table.writeInt32LE(keys.length, 0);
    for (const key of keys) {
      at = table.writeInt32LE(key.length, at);
      at += key.copy(table, at);
    }
    if (table.length > 1024) throw new Error('the tag keys do not fit the compiled record reader');
    const tableAt = this.exports.tagsAt();
    new Uint8Array(this.exports.memory.buffer, tableAt, table.length).set(table);
  }

  /** Copies buf[start, min(end, start + window)) into the module. */
  private copyWindow(buf: Buffer, start: number, end: number): boolean {
    const stop = Math.min(end, start + this.windowBytes);
    const at = this.exports.inputAt(stop - start);
    if (at === 0) return false;
    this.rows = this.view();
    new Uint8Array(this.exports.memory.buffer, at, stop - start).set(buf.subarray(start, stop));
    this.windowBuf = buf;
    this.windowStart = start;
    this.windowEnd = stop;
    return true;
  }

  /**
   * Reads the records of buf[0, end) from the one whose `{` is at `pos`, separated by commas, until the
   * array ends, the bytes end or a record the module is not sure of; calls `sink` for each. Returns the
   * index after the last record read, or -1 when it read none (the caller reads the record at `pos`).
   */
  read(buf: Buffer, pos: number, end: number, sink: BatchSink): number {
    const fresh = this.windowBuf === buf && pos >= this.windowStart && pos < this.windowEnd && (this.windowEnd === end || this.windowEnd - pos >= this.minAheadBytes);
    if (!fresh && !this.copyWindow(buf, pos, end)) return -1;
    let n = this.exports.readRecords(pos - this.windowStart, this.windowEnd - this.windowStart, this.limit);
    if (n === 0 && this.exports.lastStop() === STOP_UNSURE && this.windowEnd < end && this.windowStart < pos) {
      // Perhaps cut by the window's end: once more from a window that starts at this record.
      if (!this.copyWindow(buf, pos, end)) return -1;
      n = this.exports.readRecords(0, this.windowEnd - this.windowStart, this.limit);
    }
    if (n === 0) return -1;
    if (this.exports.internGeneration() !== this.generation) {
      this.generation = this.exports.internGeneration();
      this.names = [];
      this.sessions.clear();
    }
    const rows = this.rows;
    const base = this.windowStart;
    let next = -1;
    for (let r = 0; r < n; r++) {
      const row = r * this.slots;
      const start = base + rows[row + S_RECORD_START];
      next = base + rows[row + S_RECORD_STOP];
      sink(this.record(buf, rows, row, base), start, next);
    }
    this.records += n;
    return next;
  }

  /**
   * The string of a row's pair at `slot` whose id is at `idSlot`: undefined (absent), null, or the text,
   * decoded once per id (the module interns the bytes of values that repeat).
   */
  private internedAt(buf: Buffer, rows: Int32Array, slot: number, idSlot: number, base: number): unknown {
    const start = rows[slot];
    if (start === ABSENT) return undefined;
    if (start === NULL) return null;
    const id = rows[idSlot];
    if (id < 0) return buf.toString('utf8', base + start, base + rows[slot + 1]);
    let text = this.names[id];
    if (text === undefined) {
      text = buf.toString('utf8', base + start, base + rows[slot + 1]);
      this.names[id] = text;
    }
    return text;
  }

  /** The record of one row, in the fast path's shape. */
  private record(buf: Buffer, rows: Int32Array, row: number, base: number): ScannedRecord {
    const out: ScannedRecord = {
      eventSource: this.internedAt(buf, rows, row + S_EVENT_SOURCE, row + S_ID_EVENT_SOURCE, base),
      eventName: this.internedAt(buf, rows, row + S_EVENT_NAME, row + S_ID_EVENT_NAME, base),
      eventTime: this.internedAt(buf, rows, row + S_EVENT_TIME, row + S_ID_EVENT_TIME, base),
      eventType: this.internedAt(buf, rows, row + S_EVENT_TYPE, row + S_ID_EVENT_TYPE, base),
      errorCode: this.internedAt(buf, rows, row + S_ERROR_CODE, row + S_ID_ERROR_CODE, base),
      userIdentity: undefined,
      requestParameters: undefined,
    };
    const identity = rows[row + S_IDENTITY];
    if (identity === NULL) out.userIdentity = null;
    else if (identity !== ABSENT) {
      const session = rows[row + S_SESSION];
      let sessionContext: unknown;
      if (session === NULL) sessionContext = null;
      else if (session !== ABSENT) {
        const issuer = rows[row + S_ISSUER];
        const arnId = rows[row + S_ID_ISSUER_ARN];
        const typeId = rows[row + S_ID_ISSUER_TYPE];
        // The common case, an issuer with an interned ARN and type: one frozen object per pair, shared by the records.
        const key = issuer === 1 && rows[row + S_ISSUER_ARN] >= 0 && rows[row + S_ISSUER_TYPE] >= 0 && arnId >= 0 && typeId >= 0 ? arnId * INTERN_IDS + typeId : -1;
        const known = key >= 0 ? this.sessions.get(key) : undefined;
        if (known !== undefined) sessionContext = known;
        else {
          sessionContext = { sessionIssuer: issuer === NULL ? null : issuer === ABSENT ? undefined : { arn: this.internedAt(buf, rows, row + S_ISSUER_ARN, row + S_ID_ISSUER_ARN, base), type: this.internedAt(buf, rows, row + S_ISSUER_TYPE, row + S_ID_ISSUER_TYPE, base) } };
          if (key >= 0) this.sessions.set(key, deepFreeze(sessionContext));
        }
      }
      const arnStart = rows[row + S_IDENTITY_ARN];
      const at = arnStart < 0 ? arnStart : base + arnStart;
      out.userIdentity = new CompiledIdentity(this.internedAt(buf, rows, row + S_IDENTITY_TYPE, row + S_ID_IDENTITY_TYPE, base), buf, at, base + rows[row + S_IDENTITY_ARN + 1], this.internedAt(buf, rows, row + S_IDENTITY_ACCOUNT, row + S_ID_IDENTITY_ACCOUNT, base), sessionContext);
    }
    const params = rows[row + S_PARAMS];
    if (params === NULL) out.requestParameters = null;
    else if (params !== ABSENT) {
      const present = rows[row + S_TAGS_PRESENT];
      if (present === 0) out.requestParameters = NO_REQUEST_TAGS;
      else {
        const tags: Record<string, unknown> = {};
        const carry = rows[row + S_TAGS_CARRY];
        for (let t = 0; t < TAG_REQUEST_KEYS.length; t++) if ((present & (1 << t)) !== 0) tags[TAG_REQUEST_KEYS[t]] = (carry & (1 << t)) !== 0;
        out.requestParameters = tags;
      }
    }
    return out;
  }
}
