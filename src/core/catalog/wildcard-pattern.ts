/** IAM wildcard patterns (`*`, `?`) as used in Action, NotAction and Resource elements. */

const REGEX_SPECIALS = /[.+^${}()|[\]\\]/g;

/** True when the text holds an IAM wildcard (`*` or `?`). */
export function hasWildcard(text: string): boolean {
  return text.includes('*') || text.includes('?');
}

/**
 * Compiles an IAM wildcard pattern into an anchored regular expression:
 * `*` matches any run of characters, `?` exactly one.
 */
export function compileWildcard(pattern: string, caseInsensitive = true): RegExp {
  const source = pattern.replace(REGEX_SPECIALS, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, caseInsensitive ? 'i' : '');
}

/** Compiled patterns by `i|pattern` / `s|pattern`: policies repeat their patterns, compiling dominated the linter's profile. */
const compiledCache = new Map<string, RegExp>();
const MAX_COMPILED = 20000;

/** True when `text` matches the IAM wildcard `pattern` (case-insensitive by default). */
export function matchesWildcard(pattern: string, text: string, caseInsensitive = true): boolean {
  if (!hasWildcard(pattern)) return caseInsensitive ? pattern.toLowerCase() === text.toLowerCase() : pattern === text;
  const key = `${caseInsensitive ? 'i' : 's'}|${pattern}`;
  let re = compiledCache.get(key);
  if (!re) {
    re = compileWildcard(pattern, caseInsensitive);
    if (compiledCache.size >= MAX_COMPILED) compiledCache.clear();
    compiledCache.set(key, re);
  }
  return re.test(text);
}
