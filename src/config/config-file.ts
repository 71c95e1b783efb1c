/**
 * Reading one YAML file of accounts/: data and syntax errors through js-yaml (about 8× faster than
 * the `yaml` package; the synth benchmark reads 10,000 files), lines of paths through the `yaml`
 * package's parseDocument + node ranges + LineCounter, computed only when a problem or a SourceRef
 * asks for one.
 */
import { readFileSync } from 'node:fs';
import * as jsyaml from 'js-yaml';
import { LineCounter, parseDocument, isMap, isScalar, isSeq, type Document } from 'yaml';
import type { Problem } from '../core/errors';
import type { SourceRef } from '../core/model';
import { parsePath } from './json-path';

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
    const { document, counter } = this.parsed();
    const lineAt = (offset: number): number => counter.linePos(offset).line;
    let node: unknown = document.contents;
    let line = node && typeof node === 'object' && 'range' in node && Array.isArray(node.range) ? lineAt(node.range[0] as number) : 1;
    for (const segment of parsePath(path)) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
        if (!pair) break;
        if (isScalar(pair.key) && pair.key.range) line = lineAt(pair.key.range[0]);
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment];
        if (!item) break;
        if (typeof item === 'object' && item !== null && 'range' in item && Array.isArray(item.range)) line = lineAt(item.range[0] as number);
        node = item;
      } else {
        break;
      }
    }
    return line;
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

/** Parses YAML text; syntax errors become problems with file and line. */
export function parseConfigText(text: string, file: string, absPath: string): ConfigFile {
  const locator = new LineLocator(text);
  try {
    const data = jsyaml.load(text, { schema: jsyaml.CORE_SCHEMA, filename: file });
    return { absPath, file, data, syntaxProblems: [], locator };
  } catch (error) {
    // js-yaml reports one error, at the line where the text stops making sense.
    const problems: Problem[] =
      error instanceof jsyaml.YAMLException
        ? [{ file, line: error.mark.line + 1, path: '$', message: `YAML syntax error: ${error.reason}` }]
        : [{ file, line: 1, path: '$', message: `YAML syntax error: ${String(error)}` }];
    return { absPath, file, data: undefined, syntaxProblems: problems, locator };
  }
}

/** Reads and parses one YAML file. */
export function readConfigFile(absPath: string, file: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(absPath, 'utf8');
  } catch (error) {
    const locator = new LineLocator('');
    return { absPath, file, data: undefined, syntaxProblems: [{ file, path: '$', message: `cannot read the file: ${(error as Error).message}` }], locator };
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
