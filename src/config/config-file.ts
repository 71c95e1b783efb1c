/**
 * Reading one YAML file of accounts/: data and syntax errors through js-yaml (about 8× faster than
 * the `yaml` package; the synth benchmark reads 10,000 files), lines of paths through the `yaml`
 * package's parseDocument + node ranges + LineCounter, computed only when a problem or a SourceRef
 * asks for one.
 */
import { lstatSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { sep } from 'node:path';
import * as jsyaml from 'js-yaml';
import { LineCounter, parseDocument, isMap, isScalar, isSeq, visit, type Document } from 'yaml';
import type { Problem } from '../core/errors';
import type { SourceRef } from '../core/model';
import { parsePath } from './json-path';

/** Largest config file read (bytes); the biggest file of the example organization is about 8 KB. */
export const MAX_CONFIG_FILE_BYTES = 1_048_576;
/** Most YAML aliases (`*name`) in one file: the `yaml` package's default maxAliasCount. */
export const MAX_YAML_ALIASES = 100;
/** Most values a file may expand to once aliases are resolved (an alias bomb expands to billions). */
export const MAX_YAML_VALUES = 100_000;

/** Something that may be a YAML alias: `*name` after whitespace or a flow indicator (not `iam:*`, not `"*"`). */
const ALIAS_CANDIDATE = /(?:^|[\s[{,])\*[^\s[\]{},]+/m;

/** Finds the line of a JSON path in a YAML text; parses the text on first use only. */
export class LineLocator {
  private document?: Document.Parsed;
  private counter?: LineCounter;

  constructor(private readonly text: string) {}

  /** Parsed document and its line counter (cached). */
  public parsed(): { readonly document: Document.Parsed; readonly counter: LineCounter } {
    if (!this.document || !this.counter) {
      this.counter = new LineCounter();
      this.document = parseDocument(this.text, { lineCounter: this.counter, prettyErrors: false });
    }
    return { document: this.document, counter: this.counter };
  }

  /**
   * 1-based line of the value at `path` (for a map key, the line of the key). When the path does
   * not exist (a missing key), the line of its nearest existing ancestor.
   */
  public lineOf(path: string): number {
    return this.positionOf(path).line;
  }

  /**
   * 1-based line and column of the value at `path`: for a map entry, where its key starts; for a list item, where
   * the item starts. Paths are those of problems and lint findings (`$.inlinePolicies.read.Statement[0].Action[1]`,
   * `...Condition.StringEquals["aws:SourceIp"]`). When the path does not exist, the position of its nearest existing
   * ancestor, or undefined with `exact`.
   */
  public positionOf(path: string): { readonly line: number; readonly column: number };
  public positionOf(path: string, exact: true): { readonly line: number; readonly column: number } | undefined;
  public positionOf(path: string, exact = false): { readonly line: number; readonly column: number } | undefined {
    const { document, counter } = this.parsed();
    const at = (offset: number): { line: number; column: number } => {
      const pos = counter.linePos(offset);
      return { line: pos.line, column: pos.col };
    };
    let node: unknown = document.contents;
    let position = node && typeof node === 'object' && 'range' in node && Array.isArray(node.range) ? at(node.range[0] as number) : { line: 1, column: 1 };
    for (const segment of parsePath(path)) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
        if (!pair) return exact ? undefined : position;
        if (isScalar(pair.key) && pair.key.range) position = at(pair.key.range[0]);
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment];
        if (!item) return exact ? undefined : position;
        if (typeof item === 'object' && item !== null && 'range' in item && Array.isArray(item.range)) position = at(item.range[0] as number);
        node = item;
      } else {
        return exact ? undefined : position;
      }
    }
    return position;
  }
}

/** One YAML file of accounts/, read and parsed. */
export interface ConfigFile {
  /** Absolute path. */
  readonly absPath: string;
  /** Path relative to the repository root, with forward slashes (`accounts/org.yaml`). */
  readonly file: string;
  /** Parsed data; undefined when the file has YAML syntax errors (see `problems`). */
  readonly data: unknown;
  /** YAML syntax problems (file cannot be used). */
  readonly syntaxProblems: readonly Problem[];
  readonly locator: LineLocator;
}

/**
 * Aliases of a file: at most MAX_YAML_ALIASES, none inside the node it names (recursion), and the data
 * they expand to at most MAX_YAML_VALUES values. Runs only on files that seem to hold an alias.
 */
function checkAliases(data: unknown, file: string, locator: LineLocator): Problem[] {
  const { document, counter } = locator.parsed();
  const problems: Problem[] = [];
  let aliases = 0;
  visit(document, {
    Alias(_key, alias) {
      aliases += 1;
      const target = alias.resolve(document);
      const at = alias.range?.[0] ?? 0;
      if (target?.range && at >= target.range[0] && at < target.range[1]) {
        problems.push({ file, line: counter.linePos(at).line, path: '$', message: `YAML alias *${alias.source} is inside the node it names (a recursive alias): write the value out instead` });
        return visit.BREAK;
      }
      return undefined;
    },
  });
  if (problems.length > 0) return problems;
  if (aliases > MAX_YAML_ALIASES) {
    return [{ file, line: 1, path: '$', message: `the file has ${aliases} YAML aliases, over MAX_YAML_ALIASES (${MAX_YAML_ALIASES}): write the values out or use a role template` }];
  }
  // Count values as the loader will walk them (an alias counts every time it is used), stopping at the limit.
  let values = 0;
  const stack: unknown[] = [data];
  while (stack.length > 0) {
    const value = stack.pop();
    values += 1;
    if (values > MAX_YAML_VALUES) {
      return [{ file, line: 1, path: '$', message: `the file expands to more than MAX_YAML_VALUES (${MAX_YAML_VALUES}) values through its YAML aliases (an alias bomb?): write the values out` }];
    }
    if (Array.isArray(value)) for (const item of value) stack.push(item);
    else if (typeof value === 'object' && value !== null) for (const key of Object.keys(value)) stack.push((value as Record<string, unknown>)[key]);
  }
  return [];
}

/** Parses YAML text; syntax errors become problems with file and line. */
export function parseConfigText(text: string, file: string, absPath: string): ConfigFile {
  const locator = new LineLocator(text);
  try {
    const data = jsyaml.load(text, { schema: jsyaml.CORE_SCHEMA, filename: file });
    const aliasProblems = ALIAS_CANDIDATE.test(text) ? checkAliases(data, file, locator) : [];
    if (aliasProblems.length > 0) return { absPath, file, data: undefined, syntaxProblems: aliasProblems, locator };
    return { absPath, file, data, syntaxProblems: [], locator };
  } catch (error) {
    // js-yaml reports one error, at the line where the text stops making sense. Some errors (several
    // documents) have no mark; none is shown with its stack or with a snippet of the text.
    let problem: Problem;
    if (error instanceof jsyaml.YAMLException && /single document/.test(error.reason)) {
      problem = { file, line: findSecondDocumentLine(text), path: '$', message: 'the file holds more than one YAML document (a second "---"): keep one document per file, one role or policy per file' };
    } else if (error instanceof jsyaml.YAMLException) {
      problem = { file, line: (error.mark?.line ?? 0) + 1, path: '$', message: `YAML syntax error: ${error.reason}` };
    } else {
      problem = { file, line: 1, path: '$', message: `YAML could not be read: ${error instanceof Error ? error.name : 'unknown error'}` };
    }
    return { absPath, file, data: undefined, syntaxProblems: [problem], locator };
  }
}

/** 1-based line of the `---` that starts a second document (after some content); 1 when not found. */
function findSecondDocumentLine(text: string): number {
  const lines = text.split('\n');
  let content = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^(---|\.\.\.)(\s|$)/.test(line)) {
      if (content) return i + 1;
    } else if (line.trim() !== '' && !line.trimStart().startsWith('#') && !line.startsWith('%')) {
      content = true;
    }
  }
  return 1;
}

/** True when `path` is `root` or inside it. */
export function isInside(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * Reads and parses one YAML file. With `rootDir`, the file's real path (symbolic links resolved) must be
 * inside the repository: a link that leaves it is refused, and nothing of the target (path or content)
 * appears in the problem. Files over MAX_CONFIG_FILE_BYTES are refused unread.
 */
export function readConfigFile(absPath: string, file: string, rootDir?: string): ConfigFile {
  const locator = new LineLocator('');
  const refuse = (message: string): ConfigFile => ({ absPath, file, data: undefined, syntaxProblems: [{ file, path: '$', message }], locator });
  let text: string;
  try {
    // The tree scan already refuses links that leave the repository; this holds for any caller. Only a
    // link costs the realpath calls (the synth benchmark reads 10,000 files).
    const link = lstatSync(absPath);
    if (rootDir !== undefined && link.isSymbolicLink() && !isInside(realpathSync(rootDir), realpathSync(absPath))) {
      return refuse('the file is a symbolic link to a file outside the repository: config files are read only inside the repository; replace the link with the file itself');
    }
    const size = link.isSymbolicLink() ? statSync(absPath).size : link.size;
    if (size > MAX_CONFIG_FILE_BYTES) return refuse(`the file has ${size} bytes, over MAX_CONFIG_FILE_BYTES (${MAX_CONFIG_FILE_BYTES}): split it (one role or policy per file)`);
    text = readFileSync(absPath, 'utf8');
  } catch (error) {
    // The error code only: a message could quote more than we want to show.
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
    return refuse(`cannot read the file (${code}): check that it exists and is readable${code === 'ENOENT' ? ' (a symbolic link whose target is missing?)' : ''}`);
  }
  return parseConfigText(text, file, absPath);
}

/**
 * A SourceRef whose `line` is computed on first read (an enumerable getter, so JSON output has it).
 * Loading 10,000 files never parses them twice unless someone asks for a line.
 */
export function createSourceRef(file: ConfigFile, path: string): SourceRef {
  let line: number | undefined;
  // An object-literal getter: enumerable (JSON output has the line) and cheap to create.
  return {
    file: file.file,
    path,
    get line(): number {
      if (line === undefined) line = file.locator.lineOf(path);
      return line;
    },
  };
}
