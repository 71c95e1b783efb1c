/**
 * Placeholders in role and policy files: `{{account.id}}`, `{{account.name}}`,
 * `{{account.environment}}`, `{{account.ou}}`, `{{account.region}}` (primary region) and
 * `{{org.name}}`, replaced per account. They let a role template or a library policy name
 * account-specific ARNs and Terraform Cloud workspaces. IAM policy variables (`${aws:username}`)
 * are left alone.
 */
import { formatPath, type PathSegment } from './json-path';

/** Placeholder name → value for one account. */
export type PlaceholderValues = Readonly<Record<string, string>>;

/** The placeholder names the loader fills in. */
export const PLACEHOLDER_NAMES = ['account.id', 'account.name', 'account.environment', 'account.ou', 'account.region', 'org.name'] as const;

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/**
 * Returns `value` with placeholders replaced in every string (keys included). Unknown placeholders
 * are reported through `onUnknown` with the JSON path of the string and left as written.
 */
export function substitutePlaceholders<T>(value: T, values: PlaceholderValues, path: string, onUnknown: (path: string, name: string) => void): T {
  return substitute(value, values, { base: path, segments: [], onUnknown }) as T;
}

/** Where the walk is: a stack of segments under `base`, formatted only when a problem is reported. */
interface WalkState {
  readonly base: string;
  readonly segments: PathSegment[];
  readonly onUnknown: (path: string, name: string) => void;
}

function replaceInString(text: string, values: PlaceholderValues, state: WalkState): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => {
    // Own properties only: `{{constructor}}` or `{{__proto__}}` must not reach Object.prototype.
    const replacement = Object.prototype.hasOwnProperty.call(values, name) ? values[name] : undefined;
    if (typeof replacement !== 'string') {
      state.onUnknown(formatPath(state.segments, state.base), name);
      return whole;
    }
    return replacement;
  });
}

/** Copy-on-write walk: returns the same object when nothing under it changed. */
function substitute(value: unknown, values: PlaceholderValues, state: WalkState): unknown {
  if (typeof value === 'string') return value.includes('{{') ? replaceInString(value, values, state) : value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      let next = item;
      if (typeof item !== 'string' || item.includes('{{')) {
        state.segments.push(i);
        next = substitute(item, values, state);
        state.segments.pop();
      }
      if (next !== item && !out) out = value.slice(0, i);
      if (out) out.push(next);
    }
    return out ?? value;
  }
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value);
    const record = value as Record<string, unknown>;
    let out: Record<string, unknown> | undefined;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const item = record[key];
      let next = item;
      let newKey = key;
      if (key.includes('{{') || typeof item !== 'string' || item.includes('{{')) {
        state.segments.push(key);
        if (key.includes('{{')) newKey = replaceInString(key, values, state);
        next = substitute(item, values, state);
        state.segments.pop();
      }
      if ((next !== item || newKey !== key) && !out) {
        out = {};
        for (let j = 0; j < i; j++) out[keys[j]] = record[keys[j]];
      }
      if (out) out[newKey] = next;
    }
    return out ?? value;
  }
  return value;
}
