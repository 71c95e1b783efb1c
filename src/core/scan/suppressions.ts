/**
 * scan-suppressions.yaml: reviewed exceptions to scanner checks, each with a reason, an owner and an
 * expiry date. Parsing validates every entry and reports every problem with file, line and path.
 *
 * ```yaml
 * suppressions:
 *   - check: CKV_AWS_61
 *     resource: security-audit/aws_iam_role.*   # glob on the address, optionally account/address
 *     reason: Trust is to the audit account's root with an ExternalId and MFA condition ...
 *     owner: platform-security
 *     expires: 2027-05-31
 * ```
 */
import { LineCounter, isMap, isSeq, parseDocument, type Document } from 'yaml';
import { z } from 'zod';
import { ERROR_CODES, IamPlatformError, type Problem } from '../errors';
import type { ScanSuppression } from './types';

/** Pattern of a valid date (`2027-05-31`). */
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

function isCalendarDate(value: string): boolean {
  if (!DATE_PATTERN.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

const entrySchema = z.strictObject({
  check: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'check must be one check id such as CKV_AWS_61 or AVD-AWS-0057'),
  resource: z
    .string()
    .min(1, 'resource must be a resource address glob such as aws_iam_role.* or account/aws_iam_role.*')
    .refine((value) => value.split('/').length <= 2, 'resource is an address glob, optionally prefixed by one account name and "/"'),
  reason: z.string().trim().min(20, 'reason must say, in at least 20 characters, why a security reviewer accepts the finding'),
  owner: z.string().trim().min(1, 'owner must name the person or team who answers for the suppression'),
  expires: z.string().refine(isCalendarDate, 'expires must be a date written YYYY-MM-DD (quote it or leave it bare)'),
});

const fileSchema = z.strictObject({
  suppressions: z.array(entrySchema).default([]),
});

function formatJsonPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : `${acc}.${String(key)}`), '$');
}

function lineOfPath(document: Document.Parsed, counter: LineCounter, path: readonly PropertyKey[]): number | undefined {
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const node = depth === 0 ? document.contents : document.getIn(path.slice(0, depth) as (string | number)[], true);
    if (node && typeof node === 'object' && 'range' in node && Array.isArray(node.range)) {
      return counter.linePos(node.range[0] as number).line;
    }
  }
  return undefined;
}

/**
 * Parses and validates the suppression file text. An empty file means no suppressions.
 * @throws IamPlatformError INVALID_CONFIG listing every problem with file, line and JSON path.
 */
export function parseSuppressions(text: string, file: string): readonly ScanSuppression[] {
  const counter = new LineCounter();
  const document = parseDocument(text, { lineCounter: counter, prettyErrors: true });
  if (document.errors.length > 0) {
    const problems: Problem[] = document.errors.map((error) => ({
      file,
      line: error.linePos?.[0].line,
      path: '$',
      message: `YAML syntax error: ${error.message.split('\n')[0]}`,
    }));
    throw new IamPlatformError(ERROR_CODES.INVALID_CONFIG, `${file} is not valid YAML: fix the syntax error and rerun`, { problems });
  }
  const data: unknown = document.toJS() ?? {};
  const parsed = fileSchema.safeParse(data);
  if (!parsed.success) {
    const problems: Problem[] = parsed.error.issues.map((issue) => {
      const path = issue.path as PropertyKey[];
      const key = path[path.length - 1];
      const message =
        issue.code === 'unrecognized_keys'
          ? `unknown keys ${issue.keys.join(', ')}: allowed are check, resource, reason, owner, expires`
          : issue.code === 'invalid_type' && issue.input === undefined && typeof key === 'string'
            ? `required key "${key}" is missing`
            : issue.message;
      return { file, line: lineOfPath(document, counter, path), path: formatJsonPath(path), message };
    });
    throw new IamPlatformError(
      ERROR_CODES.INVALID_CONFIG,
      `${file} has ${problems.length} problem${problems.length === 1 ? '' : 's'}: each suppression needs check, resource, reason, owner and expires (YYYY-MM-DD)`,
      { problems },
    );
  }
  const entries = isMap(document.contents) ? document.get('suppressions', true) : undefined;
  return parsed.data.suppressions.map((entry, index) => {
    const node = isSeq(entries) ? entries.items[index] : undefined;
    const line = node && typeof node === 'object' && 'range' in node && Array.isArray(node.range) ? counter.linePos(node.range[0] as number).line : undefined;
    return { ...entry, file, ...(line === undefined ? {} : { line }) };
  });
}
