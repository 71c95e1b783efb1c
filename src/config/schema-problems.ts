/**
 * Turns zod issues into problems that say what is expected: one problem per unknown key (with a
 * "did you mean"), the matching branch of a union instead of every branch, messages in plain words.
 */
import { z } from 'zod';
import { findClosestMatch } from './closest-match';
import { formatPath, type PathSegment } from './json-path';

/** A schema problem inside one file, before the file and line are attached. */
export interface SchemaProblem {
  /** JSON path in the file (`$.trust.accounts[0].kind`). */
  readonly path: string;
  readonly message: string;
}

/** Allowed keys of the object that raised an unrecognized_keys issue, keyed by the issue's `keys` array. */
const allowedKeys = new WeakMap<object, readonly string[]>();

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  return `${typeof value} ${JSON.stringify(value)}`;
}

const EXPECTED_NAMES: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'a map (key: value)',
  record: 'a map (key: value)',
  array: 'a list',
};

function describeSchema(inst: unknown): string | undefined {
  return inst instanceof z.ZodType ? inst.description : undefined;
}

function lastKey(path: readonly PropertyKey[] | undefined): string | undefined {
  const last = path?.[path.length - 1];
  return typeof last === 'string' ? last : undefined;
}

/** The error map: builds the message of every issue that its schema did not word itself. */
function mapIssue(iss: z.core.$ZodRawIssue): string | undefined {
  switch (iss.code) {
    case 'unrecognized_keys': {
      if (iss.inst instanceof z.ZodObject) allowedKeys.set(iss.keys, Object.keys(iss.inst.shape));
      return `unknown keys ${iss.keys.join(', ')}`;
    }
    case 'invalid_type': {
      const expected = EXPECTED_NAMES[iss.expected] ?? iss.expected;
      if (iss.input === undefined) {
        const key = lastKey(iss.path);
        if (key === undefined) return `expected ${expected}, the file is empty`;
        const description = describeSchema(iss.inst);
        return `required key "${key}" is missing${description ? ` (${description.replace(/\s*Required\.?$/, '').replace(/\.$/, '')})` : ''}`;
      }
      return `expected ${expected}, got ${describeValue(iss.input)}`;
    }
    case 'invalid_value': {
      const values = iss.values.map((v) => String(v));
      const got = typeof iss.input === 'string' ? findClosestMatch(iss.input, values) : undefined;
      return `expected one of ${values.join(', ')}, got ${describeValue(iss.input)}${got ? `: did you mean "${got}"?` : ''}`;
    }
    case 'too_small': {
      const min = Number(iss.minimum);
      if (iss.origin === 'string') return min <= 1 ? 'must not be empty' : `must have at least ${min} characters`;
      if (iss.origin === 'array' || iss.origin === 'set') return `must list at least ${min} item${min === 1 ? '' : 's'}`;
      return `must be at least ${min}, got ${describeValue(iss.input)}`;
    }
    case 'too_big': {
      const max = Number(iss.maximum);
      if (iss.origin === 'string') return `must have at most ${max} characters`;
      if (iss.origin === 'array' || iss.origin === 'set') return `must list at most ${max} items`;
      return `must be at most ${max}, got ${describeValue(iss.input)}`;
    }
    case 'invalid_format':
      return `does not match the expected format${iss.pattern ? ` ${iss.pattern}` : ''}`;
    case 'invalid_key':
      return `invalid key ${describeValue(iss.input)}`;
    default:
      return undefined;
  }
}

function isMatchingBranch(issues: readonly z.core.$ZodIssue[]): boolean {
  return issues.every((i) => i.path.length > 0 || i.code === 'unrecognized_keys');
}

function collectProblems(issues: readonly z.core.$ZodIssue[], base: readonly PathSegment[], out: SchemaProblem[]): void {
  for (const issue of issues) {
    const path: PathSegment[] = [...base, ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))];
    if (issue.code === 'unrecognized_keys') {
      const allowed = allowedKeys.get(issue.keys) ?? [];
      for (const key of issue.keys) {
        const suggestion = findClosestMatch(key, allowed);
        const hint = suggestion ? `did you mean "${suggestion}"?` : allowed.length > 0 ? `allowed keys are ${allowed.join(', ')}` : 'remove it';
        out.push({ path: formatPath([...path, key]), message: `unknown key "${key}": ${hint}` });
      }
    } else if (issue.code === 'invalid_union') {
      const branches = issue.errors.filter(isMatchingBranch).sort((a, b) => a.length - b.length);
      if (branches.length > 0) collectProblems(branches[0], path, out);
      else out.push({ path: formatPath(path), message: issue.message });
    } else if (issue.code === 'invalid_key' || issue.code === 'invalid_element') {
      const nested: SchemaProblem[] = [];
      collectProblems(issue.issues, [], nested);
      const key = issue.code === 'invalid_key' ? `key ${JSON.stringify(issue.input ?? path[path.length - 1])}` : 'value';
      for (const n of nested) out.push({ path: formatPath(path), message: `invalid ${key}: ${n.message}` });
    } else {
      out.push({ path: formatPath(path), message: issue.message });
    }
  }
}

/** Result of {@link checkSchema}. */
export type SchemaCheck<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problems: readonly SchemaProblem[] };

/** Validates data against a schema and returns the value or every problem, each with its path. */
export function checkSchema<T>(schema: z.ZodType<T>, data: unknown): SchemaCheck<T> {
  const result = schema.safeParse(data, { error: mapIssue, reportInput: true });
  if (result.success) return { ok: true, value: result.data };
  const problems: SchemaProblem[] = [];
  collectProblems(result.error.issues, [], problems);
  return { ok: false, problems };
}
