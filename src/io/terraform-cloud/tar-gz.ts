/**
 * Packs a stack folder as the `.tar.gz` a configuration version upload takes: a minimal POSIX ustar
 * writer (regular files and folders only) compressed with node:zlib's gzip. Deterministic: entries are
 * sorted and every mtime is 0, so the same stack always gives the same bytes.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ERROR_CODES, IamPlatformError } from '../../core/errors';

/** A ustar header and data blocks are 512 bytes (POSIX.1-1988 ustar, pax "ustar Interchange Format"). */
const BLOCK_SIZE = 512;
/** Longest `name` field of a ustar header. */
const MAX_NAME_BYTES = 100;
/** Longest `prefix` field of a ustar header (joined to name with a slash). */
const MAX_PREFIX_BYTES = 155;
/** Largest file size an 11-digit octal size field holds (8 GiB - 1). */
const MAX_FILE_BYTES = 0o77777777777;

/**
 * Folders left out of the archive, as Terraform's default `.terraformignore` does: provider caches and
 * VCS metadata are never part of a configuration.
 */
export const IGNORED_FOLDERS: readonly string[] = ['.terraform', '.git'];

/** One entry to archive: a file with its bytes, or a folder. */
export interface TarEntry {
  /** Path inside the archive, with forward slashes; folders end without a slash. */
  readonly path: string;
  /** File contents; undefined for a folder. */
  readonly data?: Uint8Array;
}

/** Writes `value` as a NUL-terminated octal field of `width` bytes. */
function writeOctal(header: Buffer, offset: number, width: number, value: number): void {
  header.write(`${value.toString(8).padStart(width - 1, '0')}\0`, offset, width, 'ascii');
}

/** Splits a path into ustar `prefix` and `name`; throws when it cannot fit. */
function splitPath(path: string): { prefix: string; name: string } {
  if (Buffer.byteLength(path) <= MAX_NAME_BYTES) return { prefix: '', name: path };
  for (let i = path.indexOf('/'); i !== -1; i = path.indexOf('/', i + 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= MAX_PREFIX_BYTES && Buffer.byteLength(name) <= MAX_NAME_BYTES) return { prefix, name };
  }
  throw new IamPlatformError(ERROR_CODES.UNREADABLE_INPUT, `cannot archive ${path}: a ustar path is at most ${MAX_PREFIX_BYTES}+${MAX_NAME_BYTES} bytes; shorten the file or folder name`);
}

/** The 512-byte ustar header of an entry. */
function buildHeader(entry: TarEntry): Buffer {
  const isFolder = entry.data === undefined;
  const size = entry.data?.length ?? 0;
  if (size > MAX_FILE_BYTES) throw new IamPlatformError(ERROR_CODES.UNREADABLE_INPUT, `cannot archive ${entry.path}: larger than the ustar limit of 8 GiB`);
  const { prefix, name } = splitPath(isFolder ? `${entry.path}/` : entry.path);
  const header = Buffer.alloc(BLOCK_SIZE);
  header.write(name, 0, MAX_NAME_BYTES, 'utf8');
  writeOctal(header, 100, 8, isFolder ? 0o755 : 0o644); // mode
  writeOctal(header, 108, 8, 0); // uid
  writeOctal(header, 116, 8, 0); // gid
  writeOctal(header, 124, 12, size);
  writeOctal(header, 136, 12, 0); // mtime: fixed, for reproducible archives
  header.fill(' ', 148, 156); // checksum is computed with its own field as spaces
  header.write(isFolder ? '5' : '0', 156, 1, 'ascii'); // typeflag
  header.write('ustar\0', 257, 6, 'ascii'); // magic
  header.write('00', 263, 2, 'ascii'); // version
  header.write(prefix, 345, MAX_PREFIX_BYTES, 'utf8');
  let checksum = 0;
  for (const byte of header) checksum += byte;
  header.write(`${checksum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return header;
}

/** The uncompressed ustar archive of the entries, ending with two zero blocks. */
export function buildTar(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    parts.push(buildHeader(entry));
    if (entry.data && entry.data.length > 0) {
      parts.push(Buffer.from(entry.data));
      const padding = (BLOCK_SIZE - (entry.data.length % BLOCK_SIZE)) % BLOCK_SIZE;
      if (padding > 0) parts.push(Buffer.alloc(padding));
    }
  }
  parts.push(Buffer.alloc(BLOCK_SIZE * 2));
  return Buffer.concat(parts);
}

/** Every file and folder under `dir` (sorted, without IGNORED_FOLDERS), relative to it. */
export function listStackEntries(dir: string): readonly TarEntry[] {
  const entries: TarEntry[] = [];
  const walk = (absolute: string, relative: string): void => {
    const names = readdirSync(absolute).sort();
    for (const name of names) {
      const childAbsolute = join(absolute, name);
      const childRelative = relative ? `${relative}/${name}` : name;
      const stat = statSync(childAbsolute);
      if (stat.isDirectory()) {
        if (IGNORED_FOLDERS.includes(name)) continue;
        entries.push({ path: childRelative });
        walk(childAbsolute, childRelative);
      } else if (stat.isFile()) {
        entries.push({ path: childRelative, data: readFileSync(childAbsolute) });
      }
    }
  };
  walk(dir, '');
  return entries;
}

/** The `.tar.gz` of a stack folder, for a configuration version upload. */
export function packStackDirectory(dir: string): Buffer {
  let entries: readonly TarEntry[];
  try {
    entries = listStackEntries(dir);
  } catch (error) {
    throw new IamPlatformError(ERROR_CODES.UNREADABLE_INPUT, `cannot read stack folder ${dir}: ${(error as Error).message}`, { cause: error });
  }
  return gzipSync(buildTar(entries));
}
