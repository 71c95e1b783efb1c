// AssemblyScript (compiled to dist/cli/record-batch.wasm by `npm run build` with AssemblyScript 0.28.20, Apache-2.0), not TypeScript for Node.
//
// The compiled batch reader of the CloudTrail field scanner: reads consecutive records of a
// `{"Records":[...]}` array (or a bare array) from bytes copied into this module's memory and writes,
// for each record, where the fields the analyzer reads are (offsets into the bytes). The JavaScript
// side (src/io/cloudtrail/record-batch.ts) decodes those ranges and builds the records.
//
// It is exact or it stops: it reads a record only when it reads it exactly as the JavaScript fast path
// (src/io/cloudtrail/record-fast-path.ts) does, and it is stricter than that path, never looser. At the
// first record it is not sure of (bytes that end inside the record, anything that is not JSON, an escape
// in a key at a level that counts or in a value it reads, a value it reads that is not a string or
// null, a duplicated object field, a `Records` key, deep nesting) it stops before that record; the
// JavaScript readers read it and call this module again for the records after it.
//
// Memory: [heap base, OUT) static data; OUT: MAX_RECORDS slot rows of SLOTS i32; TAGS: the tag keys the
// host writes (count, then length + bytes for each); IN: the input bytes, grown on demand.

/** Version of the slot layout below; the host refuses a module of another version. */
const LAYOUT_VERSION: i32 = 4;

/** i32 slots per record. */
const SLOTS: i32 = 37;
/** Records per call at most. */
const MAX_RECORDS: i32 = 1024;
/** Bytes reserved for the tag keys table. */
const TAGS_BYTES: i32 = 1024;
/** Deepest nesting followed inside a record (the JavaScript fast path follows 64). */
const MAX_DEPTH: i32 = 60;

// Slot offsets (in i32) of one record row; a string field is a pair [start, stop) of offsets into the input,
// start -1 when the key is absent and -2 when its value is null.
const S_RECORD_START: i32 = 0;
const S_RECORD_STOP: i32 = 1;
const S_EVENT_SOURCE: i32 = 2;
const S_EVENT_NAME: i32 = 4;
const S_EVENT_TIME: i32 = 6;
const S_EVENT_TYPE: i32 = 8;
const S_ERROR_CODE: i32 = 10;
/** userIdentity: -1 absent, -2 null, 1 object. */
const S_IDENTITY: i32 = 12;
const S_IDENTITY_TYPE: i32 = 13;
const S_IDENTITY_ARN: i32 = 15;
const S_IDENTITY_ACCOUNT: i32 = 17;
/** sessionContext: -1 absent, -2 null, 1 object. */
const S_SESSION: i32 = 19;
/** sessionIssuer: -1 absent, -2 null, 1 object. */
const S_ISSUER: i32 = 20;
const S_ISSUER_ARN: i32 = 21;
const S_ISSUER_TYPE: i32 = 23;
/** requestParameters: -1 absent, -2 null, 1 object. */
const S_PARAMS: i32 = 25;
/** Bit i: tag key i present. */
const S_TAGS_PRESENT: i32 = 26;
/** Bit i: tag key i (its last occurrence) carries a value (not null, false, "", [], {}). */
const S_TAGS_CARRY: i32 = 27;
// The string ids of the values that repeat from record to record (see intern), or -3 when not interned.
const S_ID_EVENT_SOURCE: i32 = 28;
const S_ID_EVENT_NAME: i32 = 29;
const S_ID_EVENT_TYPE: i32 = 30;
const S_ID_ERROR_CODE: i32 = 31;
const S_ID_IDENTITY_TYPE: i32 = 32;
const S_ID_IDENTITY_ACCOUNT: i32 = 33;
const S_ID_ISSUER_ARN: i32 = 34;
const S_ID_ISSUER_TYPE: i32 = 35;
const S_ID_EVENT_TIME: i32 = 36;
/** No id: the identity ARN is nearly unique per record and read only for IAM users and root, so it is not interned. */
const NO_ID: i32 = -1;

/** Open-addressing slots of the interning table (a power of 2); entries at most, and bytes of interned text at most. */
const INTERN_SLOTS: i32 = 32768;
const INTERN_MAX: i32 = 16384;
const ARENA_BYTES: i32 = 1024 * 1024;

// Why the last call stopped.
const STOP_FULL: i32 = 0;
const STOP_UNSURE: i32 = 1;
const STOP_END: i32 = 2;
const STOP_OTHER: i32 = 3;

const QUOTE: u8 = 0x22;
const BACKSLASH: u8 = 0x5c;
const OPEN_OBJECT: u8 = 0x7b;
const CLOSE_OBJECT: u8 = 0x7d;
const OPEN_ARRAY: u8 = 0x5b;
const CLOSE_ARRAY: u8 = 0x5d;
const COMMA: u8 = 0x2c;
const COLON: u8 = 0x3a;

let outBase: usize = 0;
let tagsBase: usize = 0;
let inBase: usize = 0;
let tableBase: usize = 0;
let arenaBase: usize = 0;
let arenaUsed: i32 = 0;
let interned: i32 = 0;
/** Counts the resets of the interning table: the host drops the strings of the ids it knew when it changes. */
let generation: i32 = 0;
let inCapacity: usize = 0;
let stopReason: i32 = STOP_FULL;
/** Set by strEnd: whether the string held a backslash. */
let escaped: bool = false;
/** End of the input (absolute): no byte at or after it is read as input. */
let end: usize = 0;

function setup(): void {
  if (outBase != 0) return;
  outBase = (__heap_base + 15) & ~15;
  tagsBase = outBase + <usize>(MAX_RECORDS * SLOTS * 4);
  tableBase = tagsBase + <usize>TAGS_BYTES;
  arenaBase = tableBase + <usize>(INTERN_SLOTS * 16);
  inBase = arenaBase + <usize>ARENA_BYTES;
  inCapacity = 0;
  grow(inBase + 16);
}

/** Grows the memory to hold `bytes`; false when it cannot. */
function grow(bytes: usize): bool {
  const have = <usize>memory.size() << 16;
  if (bytes <= have) return true;
  return memory.grow(<i32>((bytes - have + 0xffff) >> 16)) >= 0;
}

/** The slot layout version. */
export function layoutVersion(): i32 {
  return LAYOUT_VERSION;
}

/** Slots per record row. */
export function slotsPerRecord(): i32 {
  return SLOTS;
}

/** Records per call at most. */
export function maxRecords(): i32 {
  return MAX_RECORDS;
}

/** Where the record rows are. */
export function outputAt(): usize {
  setup();
  return outBase;
}

/** Where the host writes the tag keys table (at most 1,024 bytes). */
export function tagsAt(): usize {
  setup();
  return tagsBase;
}

/** Makes room for `length` input bytes (16 more for the vector loads) and returns where they go. */
export function inputAt(length: i32): usize {
  setup();
  if (!grow(inBase + <usize>length + 16)) return 0;
  inCapacity = <usize>length;
  return inBase;
}

/** The interning table's generation: ids of an earlier generation mean nothing any more. */
export function internGeneration(): i32 {
  return generation;
}

/** Empties the interning table when it is half full, before a call hands out ids (never within one). */
function maybeResetInterning(): void {
  if (interned < INTERN_MAX / 2 && arenaUsed < ARENA_BYTES / 2) return;
  memory.fill(tableBase, 0, <usize>(INTERN_SLOTS * 16));
  interned = 0;
  arenaUsed = 0;
  generation++;
}

/** Why the last {@link readRecords} stopped: 0 full, 1 a record it is not sure of, 2 the end of the bytes, 3 something other than `,{`. */
export function lastStop(): i32 {
  return stopReason;
}

@inline
function isSpace(c: u8): bool {
  return c == 0x20 || c == 0x0a || c == 0x0d || c == 0x09;
}

/** The first index at or after p that is not space (may be `end`). */
@inline
function ws(p: usize): usize {
  if (p < end) {
    const c = load<u8>(p);
    if (c > 0x20) return p;
    if (c == 0x20 && p + 1 < end && load<u8>(p + 1) > 0x20) return p + 1;
  }
  while (p < end && isSpace(load<u8>(p))) p++;
  return p;
}

/** The closing quote of the string whose content starts at p, or 0; sets `escaped`. */
@inline
function strEnd(p: usize): usize {
  escaped = false;
  const quotes = i8x16.splat(<i8>QUOTE);
  const backslashes = i8x16.splat(<i8>BACKSLASH);
  while (true) {
    if (p + 16 <= end) {
      const v = v128.load(p);
      const mask = i8x16.bitmask(v128.or(i8x16.eq(v, quotes), i8x16.eq(v, backslashes)));
      if (mask == 0) {
        p += 16;
        continue;
      }
      p += <usize>ctz(mask);
    } else {
      if (p >= end) return 0;
      const c = load<u8>(p);
      if (c != QUOTE && c != BACKSLASH) {
        p++;
        continue;
      }
    }
    if (load<u8>(p) == QUOTE) return p;
    escaped = true;
    p += 2;
  }
}

/** A JSON number at p, followed by a byte that cannot continue it: the index after it, or 0. */
function skipNumber(p: usize): usize {
  let j = p;
  if (j < end && load<u8>(j) == 0x2d) j++;
  if (j >= end) return 0;
  let c = load<u8>(j);
  if (c == 0x30) j++;
  else if (c >= 0x31 && c <= 0x39) {
    j++;
    while (j < end && load<u8>(j) >= 0x30 && load<u8>(j) <= 0x39) j++;
  } else return 0;
  if (j < end && load<u8>(j) == 0x2e) {
    const digits = ++j;
    while (j < end && load<u8>(j) >= 0x30 && load<u8>(j) <= 0x39) j++;
    if (j == digits) return 0;
  }
  if (j < end && (load<u8>(j) == 0x65 || load<u8>(j) == 0x45)) {
    j++;
    if (j < end && (load<u8>(j) == 0x2b || load<u8>(j) == 0x2d)) j++;
    const digits = j;
    while (j < end && load<u8>(j) >= 0x30 && load<u8>(j) <= 0x39) j++;
    if (j == digits) return 0;
  }
  if (j >= end) return 0;
  c = load<u8>(j);
  if ((c >= 0x30 && c <= 0x39) || c == 0x2e || c == 0x65 || c == 0x45 || c == 0x2b || c == 0x2d) return 0;
  return j;
}

/** `true`, `false` or `null` at p: the index after it, or 0. */
function skipLiteral(p: usize): usize {
  const c = load<u8>(p);
  if (c == 0x66) {
    if (p + 5 > end) return 0;
    return load<u8>(p + 1) == 0x61 && load<u8>(p + 2) == 0x6c && load<u8>(p + 3) == 0x73 && load<u8>(p + 4) == 0x65 ? p + 5 : 0;
  }
  if (p + 4 > end) return 0;
  if (c == 0x74) return load<u8>(p + 1) == 0x72 && load<u8>(p + 2) == 0x75 && load<u8>(p + 3) == 0x65 ? p + 4 : 0;
  return load<u8>(p + 1) == 0x75 && load<u8>(p + 2) == 0x6c && load<u8>(p + 3) == 0x6c ? p + 4 : 0;
}

/** At a key's opening quote: the index of its value (after `:` and space), or 0. */
@inline
function keyToValue(p: usize): usize {
  if (p >= end || load<u8>(p) != QUOTE) return 0;
  const q = strEnd(p + 1);
  if (q == 0) return 0;
  let i = ws(q + 1);
  if (i >= end || load<u8>(i) != COLON) return 0;
  i = ws(i + 1);
  return i < end ? i : 0;
}

/** Skips a member's value at p: a string directly (the common case), anything else through {@link skipValue}. */
@inline
function skipMember(p: usize, depth: i32): usize {
  if (load<u8>(p) == QUOTE) {
    const q = strEnd(p + 1);
    return q == 0 ? 0 : q + 1;
  }
  return skipValue(p, depth);
}

/** Skips the value at p (grammar checked; `depth` containers already open): the index after it, or 0. */
function skipValue(p: usize, depth: i32): usize {
  // Bit i of `stack`: 1 when the container opened i levels up is an object, 0 an array.
  let stack: u64 = 0;
  let open: i32 = 0;
  while (true) {
    // A value at p.
    if (p >= end) return 0;
    const c = load<u8>(p);
    if (c == QUOTE) {
      const q = strEnd(p + 1);
      if (q == 0) return 0;
      p = q + 1;
    } else if (c == OPEN_OBJECT || c == OPEN_ARRAY) {
      if (depth + open >= MAX_DEPTH) return 0;
      const object = c == OPEN_OBJECT;
      stack = (stack << 1) | (object ? 1 : 0);
      open++;
      p = ws(p + 1);
      if (p >= end) return 0;
      const d = load<u8>(p);
      if (object) {
        if (d == CLOSE_OBJECT) {
          p++;
          stack >>= 1;
          open--;
        } else {
          p = keyToValue(p);
          if (p == 0) return 0;
          continue;
        }
      } else if (d == CLOSE_ARRAY) {
        p++;
        stack >>= 1;
        open--;
      } else continue;
    } else if (c == 0x74 || c == 0x66 || c == 0x6e) {
      p = skipLiteral(p);
      if (p == 0) return 0;
    } else {
      p = skipNumber(p);
      if (p == 0) return 0;
    }
    // After a value: close containers, or go past a comma to the next value.
    while (true) {
      if (open == 0) return p;
      p = ws(p);
      if (p >= end) return 0;
      const d = load<u8>(p);
      const object = (stack & 1) != 0;
      if (d == COMMA) {
        p = ws(p + 1);
        if (p >= end) return 0;
        if (object) {
          p = keyToValue(p);
          if (p == 0) return 0;
        } else if (load<u8>(p) == CLOSE_ARRAY) return 0;
        break;
      }
      if (object ? d == CLOSE_OBJECT : d == CLOSE_ARRAY) {
        p++;
        stack >>= 1;
        open--;
        continue;
      }
      return 0;
    }
  }
}

@inline
function slot(row: usize, index: i32): usize {
  return row + (<usize>index << 2);
}

/** Whether the `length` bytes at a and b are the same. */
function sameBytes(a: usize, b: usize, length: i32): bool {
  let k: i32 = 0;
  for (; k + 8 <= length; k += 8) if (load<u64>(a + <usize>k) != load<u64>(b + <usize>k)) return false;
  for (; k < length; k++) if (load<u8>(a + <usize>k) != load<u8>(b + <usize>k)) return false;
  return true;
}

/**
 * The id of the text [start, start + length): the same bytes get the same id until the table is reset (ids
 * count up from 0, so the host keeps the decoded strings in an array), or -3 once the table is full. The
 * host decodes each id's bytes once per generation.
 */
function intern(start: usize, length: i32): i32 {
  // The last word may read up to 7 bytes past the text (masked off): the input has 16 bytes of room after its end (inputAt).
  let x: u64 = 0x9e3779b97f4a7c15 ^ <u64>length;
  let k: i32 = 0;
  for (; k + 8 <= length; k += 8) x = (x ^ load<u64>(start + <usize>k)) * 0xff51afd7ed558ccd;
  if (k < length) x = (x ^ (load<u64>(start + <usize>k) & ((<u64>1 << (<u64>(length - k) << 3)) - 1))) * 0xff51afd7ed558ccd;
  x ^= x >> 29;
  const h = <u32>x ^ <u32>(x >> 32);
  let i = <i32>(h & <u32>(INTERN_SLOTS - 1));
  while (true) {
    const e = tableBase + (<usize>i << 4);
    const id = load<i32>(e + 4);
    if (id == 0) break;
    if (load<u32>(e) == h && load<i32>(e + 12) == length && sameBytes(arenaBase + <usize>load<i32>(e + 8), start, length)) return id - 1;
    i = (i + 1) & (INTERN_SLOTS - 1);
  }
  if (interned >= INTERN_MAX || arenaUsed + length > ARENA_BYTES) return -3;
  const e = tableBase + (<usize>i << 4);
  memory.copy(arenaBase + <usize>arenaUsed, start, <usize>length);
  store<u32>(e, h);
  store<i32>(e + 4, interned + 1);
  store<i32>(e + 8, arenaUsed);
  store<i32>(e + 12, length);
  arenaUsed += length;
  return interned++;
}

/** A string field read at p (a string without escapes, or null) into the pair at `index`, and its string id at `idSlot` (unless NO_ID): the index after it, or 0. */
function readString(p: usize, row: usize, index: i32, idSlot: i32): usize {
  const c = load<u8>(p);
  if (c == QUOTE) {
    const q = strEnd(p + 1);
    if (q == 0 || escaped) return 0;
    store<i32>(slot(row, index), <i32>(p + 1 - inBase));
    store<i32>(slot(row, index + 1), <i32>(q - inBase));
    if (idSlot != NO_ID) store<i32>(slot(row, idSlot), intern(p + 1, <i32>(q - p - 1)));
    return q + 1;
  }
  if (c == 0x6e) {
    const next = skipLiteral(p);
    if (next == 0) return 0;
    store<i32>(slot(row, index), -2);
    store<i32>(slot(row, index + 1), -2);
    return next;
  }
  return 0;
}

/** True when the key in [start, start + length) is the ASCII text of the 8-byte words given (little-endian). */
@inline
function is4(start: usize, word: u32): bool {
  return load<u32>(start) == word;
}

/**
 * After a member's value ending at p: the index of the next member's key (after `,` and space), or the
 * index after `}` with `closed` set, or 0.
 */
let closed: bool = false;
@inline
function nextMember(p: usize): usize {
  closed = false;
  if (p == 0) return 0;
  if (p + 2 < end) {
    // The common cases, `,"` and `, "` (the bytes read are before `end`).
    const w = load<u32>(p);
    if ((w & 0xffff) == 0x222c) return p + 1;
    if ((w & 0xffffff) == 0x22202c) return p + 2;
  }
  p = ws(p);
  if (p >= end) return 0;
  const c = load<u8>(p);
  if (c == CLOSE_OBJECT) {
    closed = true;
    return p + 1;
  }
  if (c != COMMA) return 0;
  p = ws(p + 1);
  if (p >= end || load<u8>(p) != QUOTE) return 0;
  return p;
}

/** The first member's key of the object whose `{` is at p, or the index after `}` with `closed` set, or 0. */
function firstMember(p: usize): usize {
  closed = false;
  p = ws(p + 1);
  if (p >= end) return 0;
  const c = load<u8>(p);
  if (c == CLOSE_OBJECT) {
    closed = true;
    return p + 1;
  }
  return c == QUOTE ? p : 0;
}

// Keys compared as 4-byte little-endian words (all keys that count are ASCII).
const W_even: u32 = 0x6e657665; // "even"
const W_tNam: u32 = 0x6d614e74; // "tNam"
const W_tTim: u32 = 0x6d695474; // "tTim"
const W_tTyp: u32 = 0x70795474; // "tTyp"
const W_tSou: u32 = 0x756f5374; // "tSou"
const W_erro: u32 = 0x6f727265; // "erro"
const W_rCod: u32 = 0x646f4372; // "rCod"
const W_user: u32 = 0x72657375; // "user"
const W_Iden: u32 = 0x6e656449; // "Iden"
const W_tity: u32 = 0x79746974; // "tity"
const W_requ: u32 = 0x75716572; // "requ"
const W_estP: u32 = 0x50747365; // "estP"
const W_aram: u32 = 0x6d617261; // "aram"
const W_eter: u32 = 0x72657465; // "eter"
const W_Reco: u32 = 0x6f636552; // "Reco"
const W_type: u32 = 0x65707974; // "type"
const W_acco: u32 = 0x6f636361; // "acco"
const W_untI: u32 = 0x49746e75; // "untI"
const W_sess: u32 = 0x73736573; // "sess"
const W_ionC: u32 = 0x436e6f69; // "ionC"
const W_onte: u32 = 0x65746e6f; // "onte"
const W_ionI: u32 = 0x496e6f69; // "ionI"
const W_ssue: u32 = 0x65757373; // "ssue"

/** The index in the tag keys table of the key [start, start + length), or -1. */
function tagIndex(start: usize, length: i32): i32 {
  const count = load<i32>(tagsBase);
  let at = tagsBase + 4;
  for (let t = 0; t < count; t++) {
    const n = load<i32>(at);
    if (n == length && memory.compare(at + 4, start, <usize>length) == 0) return t;
    at += 4 + <usize>n;
  }
  return -1;
}

/** Whether the value in [start, stop) is not null, false, `""`, `[]` or `{}` (the fast path's carriesValue). */
function carriesValue(start: usize, stop: usize): bool {
  const c = load<u8>(start);
  if (c == 0x6e || c == 0x66) return false;
  if (c == QUOTE) return stop - start > 2;
  if (c == OPEN_OBJECT || c == OPEN_ARRAY) {
    for (let i = start + 1; i < stop - 1; i++) if (!isSpace(load<u8>(i))) return true;
    return false;
  }
  return true;
}

/** Set by {@link readKey}: where the member's key starts and how long it is. */
let memberKeyStart: usize = 0;
let memberKeyLength: i32 = 0;

/**
 * The member whose key's opening quote is at i, at a level where keys count: the index of its value (after `:`
 * and space), with the key in memberKeyStart/memberKeyLength, or 0 when the key holds an escape or the grammar
 * fails.
 */
@inline
function readKey(i: usize): usize {
  const keyStart = i + 1;
  const keyStop = strEnd(keyStart);
  if (keyStop == 0 || escaped) return 0;
  memberKeyStart = keyStart;
  memberKeyLength = <i32>(keyStop - keyStart);
  let j = keyStop + 1;
  if (j >= end || load<u8>(j) != COLON) {
    j = ws(j);
    if (j >= end || load<u8>(j) != COLON) return 0;
  }
  j = ws(j + 1);
  return j < end ? j : 0;
}

/** sessionIssuer `{...}` at p: arn, type. The index after it, or 0. */
function readIssuer(p: usize, row: usize): usize {
  store<i32>(slot(row, S_ISSUER), 1);
  let i = firstMember(p);
  if (closed || i == 0) return i;
  while (true) {
    i = readKey(i);
    if (i == 0) return 0;
    const keyStart = memberKeyStart;
    const length = memberKeyLength;
    if (length == 3 && load<u8>(keyStart) == 0x61 && load<u8>(keyStart + 1) == 0x72 && load<u8>(keyStart + 2) == 0x6e) i = readString(i, row, S_ISSUER_ARN, S_ID_ISSUER_ARN);
    else if (length == 4 && is4(keyStart, W_type)) i = readString(i, row, S_ISSUER_TYPE, S_ID_ISSUER_TYPE);
    else i = skipMember(i, 4);
    i = nextMember(i);
    if (closed || i == 0) return i;
  }
}

/** sessionContext `{...}` at p: only sessionIssuer. The index after it, or 0. */
function readSession(p: usize, row: usize): usize {
  store<i32>(slot(row, S_SESSION), 1);
  let i = firstMember(p);
  if (closed || i == 0) return i;
  while (true) {
    i = readKey(i);
    if (i == 0) return 0;
    const keyStart = memberKeyStart;
    const length = memberKeyLength;
    if (length == 13 && is4(keyStart, W_sess) && is4(keyStart + 4, W_ionI) && is4(keyStart + 8, W_ssue) && load<u8>(keyStart + 12) == 0x72) i = readObjectField(i, row, S_ISSUER, READ_ISSUER);
    else i = skipMember(i, 3);
    i = nextMember(i);
    if (closed || i == 0) return i;
  }
}

/** userIdentity `{...}` at p: type, arn, accountId, sessionContext. The index after it, or 0. */
function readIdentity(p: usize, row: usize): usize {
  store<i32>(slot(row, S_IDENTITY), 1);
  let i = firstMember(p);
  if (closed || i == 0) return i;
  while (true) {
    i = readKey(i);
    if (i == 0) return 0;
    const keyStart = memberKeyStart;
    const length = memberKeyLength;
    if (length == 4 && is4(keyStart, W_type)) i = readString(i, row, S_IDENTITY_TYPE, S_ID_IDENTITY_TYPE);
    else if (length == 3 && load<u8>(keyStart) == 0x61 && load<u8>(keyStart + 1) == 0x72 && load<u8>(keyStart + 2) == 0x6e) i = readString(i, row, S_IDENTITY_ARN, NO_ID);
    else if (length == 9 && is4(keyStart, W_acco) && is4(keyStart + 4, W_untI) && load<u8>(keyStart + 8) == 0x64) i = readString(i, row, S_IDENTITY_ACCOUNT, S_ID_IDENTITY_ACCOUNT);
    else if (length == 14 && is4(keyStart, W_sess) && is4(keyStart + 4, W_ionC) && is4(keyStart + 8, W_onte) && load<u8>(keyStart + 12) == 0x78 && load<u8>(keyStart + 13) == 0x74) i = readObjectField(i, row, S_SESSION, READ_SESSION);
    else i = skipMember(i, 2);
    i = nextMember(i);
    if (closed || i == 0) return i;
  }
}

/** requestParameters `{...}` at p: which tag keys are present and carry a value. The index after it, or 0. */
function readParameters(p: usize, row: usize): usize {
  store<i32>(slot(row, S_PARAMS), 1);
  let present: i32 = 0;
  let carry: i32 = 0;
  let i = firstMember(p);
  if (closed || i == 0) return i;
  while (true) {
    i = readKey(i);
    if (i == 0) return 0;
    const keyStart = memberKeyStart;
    const length = memberKeyLength;
    const tag = tagIndex(keyStart, length);
    const valueStart = i;
    i = skipMember(i, 2);
    if (tag >= 0 && i != 0) {
      present |= 1 << tag;
      if (carriesValue(valueStart, i)) carry |= 1 << tag;
      else carry &= ~(1 << tag);
    }
    store<i32>(slot(row, S_TAGS_PRESENT), present);
    store<i32>(slot(row, S_TAGS_CARRY), carry);
    i = nextMember(i);
    if (closed || i == 0) return i;
  }
}

// Which reader readObjectField uses.
const READ_IDENTITY: i32 = 0;
const READ_PARAMETERS: i32 = 1;
const READ_SESSION: i32 = 2;
const READ_ISSUER: i32 = 3;

/** An object field (userIdentity, requestParameters, sessionContext, sessionIssuer) at p, once only: its object, or null. */
function readObjectField(p: usize, row: usize, state: i32, reader: i32): usize {
  if (load<i32>(slot(row, state)) != -1) return 0;
  const c = load<u8>(p);
  if (c == OPEN_OBJECT) {
    if (reader == READ_IDENTITY) return readIdentity(p, row);
    if (reader == READ_PARAMETERS) return readParameters(p, row);
    return reader == READ_SESSION ? readSession(p, row) : readIssuer(p, row);
  }
  if (c == 0x6e) {
    const next = skipLiteral(p);
    store<i32>(slot(row, state), -2);
    return next;
  }
  return 0;
}

function clearRow(row: usize): void {
  for (let k: i32 = S_EVENT_SOURCE; k < S_TAGS_PRESENT; k++) store<i32>(slot(row, k), -1);
  store<i32>(slot(row, S_TAGS_PRESENT), 0);
  store<i32>(slot(row, S_TAGS_CARRY), 0);
}

/** The record whose `{` is at p into `row`: the index after its `}`, or 0. */
function readRecord(p: usize, row: usize): usize {
  clearRow(row);
  let i = firstMember(p);
  if (closed || i == 0) return i;
  while (true) {
    i = readKey(i);
    if (i == 0) return 0;
    const keyStart = memberKeyStart;
    const length = memberKeyLength;
    if (length == 9) {
      if (is4(keyStart, W_even)) {
        const w = load<u32>(keyStart + 4);
        const last = load<u8>(keyStart + 8);
        if (w == W_tNam && last == 0x65) i = readString(i, row, S_EVENT_NAME, S_ID_EVENT_NAME);
        else if (w == W_tTim && last == 0x65) i = readString(i, row, S_EVENT_TIME, S_ID_EVENT_TIME);
        else if (w == W_tTyp && last == 0x65) i = readString(i, row, S_EVENT_TYPE, S_ID_EVENT_TYPE);
        else i = skipMember(i, 1);
      } else if (is4(keyStart, W_erro) && is4(keyStart + 4, W_rCod) && load<u8>(keyStart + 8) == 0x65) i = readString(i, row, S_ERROR_CODE, S_ID_ERROR_CODE);
      else i = skipMember(i, 1);
    } else if (length == 11 && is4(keyStart, W_even) && is4(keyStart + 4, W_tSou) && load<u8>(keyStart + 8) == 0x72 && load<u8>(keyStart + 9) == 0x63 && load<u8>(keyStart + 10) == 0x65) {
      i = readString(i, row, S_EVENT_SOURCE, S_ID_EVENT_SOURCE);
    } else if (length == 12 && is4(keyStart, W_user) && is4(keyStart + 4, W_Iden) && is4(keyStart + 8, W_tity)) {
      i = readObjectField(i, row, S_IDENTITY, READ_IDENTITY);
    } else if (length == 17 && is4(keyStart, W_requ) && is4(keyStart + 4, W_estP) && is4(keyStart + 8, W_aram) && is4(keyStart + 12, W_eter) && load<u8>(keyStart + 16) == 0x73) {
      i = readObjectField(i, row, S_PARAMS, READ_PARAMETERS);
    } else if (length == 7 && is4(keyStart, W_Reco) && load<u8>(keyStart + 4) == 0x72 && load<u8>(keyStart + 5) == 0x64 && load<u8>(keyStart + 6) == 0x73) {
      return 0;
    } else i = skipMember(i, 1);
    i = nextMember(i);
    if (closed || i == 0) return i;
  }
}

/**
 * Reads records from the input bytes [0, length) starting with the record whose `{` is at `start`,
 * each separated from the next by `,` (and space), at most `limit` (≤ MAX_RECORDS) of them. Returns how
 * many rows were written; {@link lastStop} says why it stopped. Offsets in the rows are input offsets.
 */
export function readRecords(start: i32, length: i32, limit: i32): i32 {
  setup();
  if (<usize>length > inCapacity || start < 0 || start >= length) {
    stopReason = STOP_END;
    return 0;
  }
  end = inBase + <usize>length;
  maybeResetInterning();
  if (limit > MAX_RECORDS) limit = MAX_RECORDS;
  let p = inBase + <usize>start;
  let n: i32 = 0;
  while (true) {
    if (n >= limit) {
      stopReason = STOP_FULL;
      return n;
    }
    if (load<u8>(p) != OPEN_OBJECT) {
      stopReason = STOP_OTHER;
      return n;
    }
    const row = outBase + <usize>(n * SLOTS * 4);
    const stop = readRecord(p, row);
    if (stop == 0) {
      stopReason = STOP_UNSURE;
      return n;
    }
    store<i32>(slot(row, S_RECORD_START), <i32>(p - inBase));
    store<i32>(slot(row, S_RECORD_STOP), <i32>(stop - inBase));
    n++;
    let q = ws(stop);
    if (q >= end) {
      stopReason = STOP_END;
      return n;
    }
    if (load<u8>(q) != COMMA) {
      stopReason = STOP_OTHER;
      return n;
    }
    q = ws(q + 1);
    if (q >= end) {
      stopReason = STOP_END;
      return n;
    }
    p = q;
  }
}
