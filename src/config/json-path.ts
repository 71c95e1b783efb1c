/**
 * JSON paths into config files (`$.trust.accounts[0].principals[1]`), the form every problem and
 * SourceRef uses. Keys that are not plain words are quoted (`$.tags["cost:center"]`), as
 * validatePolicyDocument does for condition keys.
 */

/** One step of a path: a map key or a list index. */
export type PathSegment = string | number;

const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

/** Appends one segment to a path string. */
export function appendPath(path: string, segment: PathSegment): string {
  if (typeof segment === 'number') return `${path}[${segment}]`;
  return PLAIN_KEY.test(segment) ? `${path}.${segment}` : `${path}[${JSON.stringify(segment)}]`;
}

/** Renders segments as a path string rooted at `$`. */
export function formatPath(segments: readonly PathSegment[], root = '$'): string {
  let path = root;
  for (const segment of segments) path = appendPath(path, segment);
  return path;
}

/**
 * Parses a path string back into segments. Accepts `.key` (anything up to the next `.` or `[`),
 * `[0]` and `["quoted key"]`. Unparseable rests are dropped (a line lookup then stops early).
 */
export function parsePath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  let i = path.startsWith('$') ? 1 : 0;
  while (i < path.length) {
    const ch = path[i];
    if (ch === '.') {
      let j = i + 1;
      while (j < path.length && path[j] !== '.' && path[j] !== '[') j++;
      segments.push(path.slice(i + 1, j));
      i = j;
    } else if (ch === '[') {
      if (path[i + 1] === '"') {
        let j = i + 2;
        while (j < path.length && !(path[j] === '"' && path[j - 1] !== '\\')) j++;
        try {
          segments.push(JSON.parse(path.slice(i + 1, j + 1)) as string);
        } catch {
          return segments;
        }
        i = j + 2;
      } else {
        const end = path.indexOf(']', i);
        if (end < 0) return segments;
        const index = Number(path.slice(i + 1, end));
        if (!Number.isInteger(index)) return segments;
        segments.push(index);
        i = end + 1;
      }
    } else {
      return segments;
    }
  }
  return segments;
}
