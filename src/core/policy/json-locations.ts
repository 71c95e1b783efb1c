/**
 * Line and column of every value of a JSON text, keyed by the JSON paths the linter reports
 * (`$.Statement[0].Action[1]`, `$.Statement[0].Condition.StringEquals["aws:SourceIp"]`).
 */

/** 1-based line and column of a value's first character. */
export interface JsonLocation {
  readonly line: number;
  readonly column: number;
}

/** Locations by path; {@link findJsonLocation} looks one up, falling back to the nearest enclosing value. */
export type JsonLocations = ReadonlyMap<string, JsonLocation>;

/**
 * Scans the text once (it must be valid JSON; returns what it found up to an error otherwise).
 * Keys of a Condition operator block are written `["key"]`, every other key `.Key`, as the linter writes them.
 */
export function locateJsonValues(text: string): JsonLocations {
  const out = new Map<string, JsonLocation>();
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const skipSpace = (): void => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 10) {
        line++;
        lineStart = i + 1;
      } else if (c !== 32 && c !== 9 && c !== 13) break;
      i++;
    }
  };
  const readString = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: string): void => {
    skipSpace();
    out.set(path, { line, column: i - lineStart + 1 });
    const c = text[i];
    if (c === '{') {
      i++;
      const inOperatorBlock = /\.Condition\.[^.[\]]+$/.test(path);
      for (;;) {
        skipSpace();
        if (text[i] === '}') {
          i++;
          return;
        }
        const key = readString();
        skipSpace();
        i++; // ':'
        value(inOperatorBlock ? `${path}[${JSON.stringify(key)}]` : `${path}.${key}`);
        skipSpace();
        if (text[i] === ',') i++;
      }
    } else if (c === '[') {
      i++;
      for (let n = 0; ; n++) {
        skipSpace();
        if (text[i] === ']') {
          i++;
          return;
        }
        value(`${path}[${n}]`);
        skipSpace();
        if (text[i] === ',') i++;
      }
    } else if (c === '"') {
      readString();
    } else {
      while (i < text.length && !/[\s,\]}]/.test(text[i])) i++;
    }
  };
  try {
    value('$');
  } catch {
    // Invalid JSON: keep what was located.
  }
  return out;
}

/** The location of a path, or of its nearest enclosing value (`$.Statement[0].Action` for `$.Statement[0].Action[3]` on a string). */
export function findJsonLocation(locations: JsonLocations, path: string): JsonLocation | undefined {
  let p = path;
  for (;;) {
    const hit = locations.get(p);
    if (hit) return hit;
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    if (cut <= 0) return locations.get('$');
    p = p.slice(0, cut);
  }
}
