/**
 * A policy written in YAML, for `iamctl lint FILE.yaml` and for placing findings of accounts/ files: the data,
 * and the line and column of any path in it (the `yaml` package's parseDocument with a LineCounter).
 */
import { LineCounter, parseDocument } from 'yaml';
import { LineLocator } from './config-file';

/** 1-based line and column. */
export interface YamlPosition {
  readonly line: number;
  readonly column: number;
}

/** A YAML text read for linting: its data and positions, or the syntax error with its position. */
export type YamlPolicyText =
  | {
      readonly data: unknown;
      /** Position of the path, or of its nearest existing ancestor. */
      readonly positionOf: (path: string) => YamlPosition;
      /** Position of the path when it exists in the file. @returns undefined otherwise */
      readonly exactPositionOf: (path: string) => YamlPosition | undefined;
    }
  | { readonly error: string; readonly position: YamlPosition };

/** Parses one YAML text (one document). */
export function readYamlPolicyText(text: string): YamlPolicyText {
  const counter = new LineCounter();
  const document = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const first = document.errors[0];
  if (first) {
    const pos = counter.linePos(first.pos[0]);
    return { error: first.message.split('\n')[0], position: { line: pos.line, column: pos.col } };
  }
  const locator = new LineLocator(text);
  return { data: document.toJS({ maxAliasCount: 100 }) as unknown, positionOf: (path) => locator.positionOf(path), exactPositionOf: (path) => locator.positionOf(path, true) };
}

/**
 * Positions of paths in files, each file read and parsed once; undefined for a file that cannot be read or parsed
 * and for a path the file does not hold (a finding on a generated document, such as a role's trust policy).
 */
export function createYamlPositionFinder(read: (file: string) => string): (file: string, path: string) => YamlPosition | undefined {
  const cache = new Map<string, YamlPolicyText | undefined>();
  return (file, path) => {
    if (!cache.has(file)) {
      let parsed: YamlPolicyText | undefined;
      try {
        parsed = readYamlPolicyText(read(file));
      } catch {
        parsed = undefined;
      }
      cache.set(file, parsed);
    }
    const parsed = cache.get(file);
    return parsed && 'exactPositionOf' in parsed ? parsed.exactPositionOf(path) : undefined;
  };
}
