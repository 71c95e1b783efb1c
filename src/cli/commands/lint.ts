import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { createYamlPositionFinder, loadOrganization, readYamlPolicyText } from '../../config';
import {
  LINT_REPORT_FORMATS,
  LINT_SEVERITIES,
  guessPolicyType,
  isAtLeast,
  lintOrganization,
  lintPolicy,
  renderLintReport,
  type LintReportEntry,
  type LintReportFormat,
  type LintSeverity,
} from '../../core/lint';
import { decodePolicyText, findJsonLocation, locateJsonValues, type JsonLocations, type PolicyType } from '../../core/policy';
import { loadActionCatalog } from '../../io/catalog';
import { EXIT_CODES } from '../exit-codes';
import { invalidArgument, type CommandModule } from '../program';

/** Policy types `--type` accepts. */
const POLICY_TYPES: readonly PolicyType[] = ['identity', 'trust', 'resource', 'boundary', 'scp'];

interface LintCliOptions {
  readonly type?: string;
  readonly format: string;
  readonly failOn: string;
  readonly awsManaged?: boolean;
}

function pick<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  return invalidArgument(`${flag} must be one of ${allowed.join(', ')}, got "${value}"`);
}

/** One policy file: its JSON and value locations, or the finding that says why it could not be read. */
type PolicyFile =
  | { readonly json: unknown; readonly root?: string; readonly locate?: (path: string) => { readonly line: number; readonly column: number } | undefined }
  | { readonly problem: LintReportEntry; readonly unreadable: boolean };

/** A YAML policy file: a bare document, or an accounts/ policy file whose policy is under `document:`. */
function readYamlPolicyFile(file: string, text: string): PolicyFile {
  const read = readYamlPolicyText(text);
  if ('error' in read) {
    return { unreadable: true, problem: { file, rule: 'invalid-document', severity: 'error', path: '$', ...read.position, message: `${file} is not valid YAML: ${read.error}` } };
  }
  const data = read.data as Record<string, unknown> | null;
  const wrapped = typeof data === 'object' && data !== null && !Array.isArray(data) && data.Statement === undefined && data.document !== undefined;
  return { json: wrapped ? data.document : data, root: wrapped ? '$.document' : '$', locate: read.positionOf };
}

/** Reads and parses one policy file; an unreadable file or bad JSON becomes a finding naming the file (the run goes on). */
function readPolicyFile(cwd: string, file: string): PolicyFile {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, file), 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    return { unreadable: true, problem: { file, rule: 'invalid-document', severity: 'error', path: '$', message: `Cannot read ${file}: ${reason}` } };
  }
  if (/\.ya?ml$/i.test(file)) return readYamlPolicyFile(file, text);
  const decoded = decodePolicyText(text);
  try {
    const json: unknown = JSON.parse(decoded);
    const locations: JsonLocations | undefined = decoded === text ? locateJsonValues(text) : undefined;
    return { json, ...(locations ? { locate: (path: string) => findJsonLocation(locations, path) } : {}) };
  } catch (e) {
    const message = (e as Error).message;
    const at = /position (\d+)/.exec(message);
    const offset = at ? Number(at[1]) : /end of JSON input/i.test(message) ? decoded.length : undefined;
    const before = offset !== undefined ? decoded.slice(0, offset).split('\n') : undefined;
    const where = before ? { line: before.length, column: before[before.length - 1].length + 1 } : {};
    return { unreadable: true, problem: { file, rule: 'invalid-document', severity: 'error', path: '$', ...where, message: `${file} is not valid JSON: ${message}` } };
  }
}

/**
 * `iamctl lint [FILE ...] [--type T] [--format F] [--fail-on S]`: lints policy JSON files, or with no
 * files every policy of the accounts/ model. Exit 0 clean, 1 findings at or above --fail-on, 2 could not run.
 */
export const lintCommand: CommandModule = {
  register(program, context) {
    program
      .command('lint')
      .description('Lint IAM policies: policy JSON files, or with no files every policy, trust and boundary in accounts/')
      .argument('[files...]', 'policy JSON files (default: the whole accounts/ model)')
      .option('--type <type>', `policy type of the files (${POLICY_TYPES.join(', ')}); default: trust or resource when a statement has a Principal, else identity (never scp: pass --type scp)`)
      .option('--format <format>', `output format (${LINT_REPORT_FORMATS.join(', ')})`, 'text')
      .option('--fail-on <severity>', `exit 1 on findings at or above this severity (${LINT_SEVERITIES.join(', ')})`, 'error')
      .option('--aws-managed', 'the files are AWS managed policies: the customer managed policy size quota does not apply to them')
      .action((files: string[], options: LintCliOptions) => {
        const format: LintReportFormat = pick('--format', options.format, LINT_REPORT_FORMATS);
        const failOn: LintSeverity = pick('--fail-on', options.failOn, LINT_SEVERITIES);
        const type = options.type === undefined ? undefined : pick('--type', options.type, POLICY_TYPES);
        const catalog = loadActionCatalog();
        const entries: LintReportEntry[] = [];
        let checked: string[];
        let unreadable = false;
        if (files.length > 0) {
          // Every file is linted; the ones that cannot be read become findings and make the run exit 2 at the end.
          for (const file of files) {
            const read = readPolicyFile(context.cwd, file);
            if ('problem' in read) {
              entries.push(read.problem);
              unreadable = true;
              continue;
            }
            const findings = lintPolicy(read.json, { type: type ?? guessPolicyType(read.json), catalog, awsManaged: options.awsManaged === true, path: read.root ?? '$' });
            entries.push(...findings.map((f) => ({ ...f, file, ...(read.locate?.(f.path) ?? {}) })));
          }
          checked = files;
        } else {
          if (type !== undefined) invalidArgument('--type applies to policy files; the accounts/ model knows the type of each policy');
          if (options.awsManaged) invalidArgument('--aws-managed applies to policy files; the accounts/ model holds customer managed policies');
          const org = loadOrganization(context.cwd);
          const findings = lintOrganization(org, catalog);
          // Line and column of the offending element in its YAML file (the model knows where documents start only).
          const positionOf = createYamlPositionFinder((file) => readFileSync(resolve(org.rootDir, file), 'utf8'));
          entries.push(...findings.map((f) => ({ ...f, ...(positionOf(f.file, f.path) ?? {}) })));
          checked = [...new Set(org.accounts.flatMap((a) => [a.source.file, ...a.policies.map((p) => p.source.file), ...a.roles.map((r) => r.source.file), ...(a.permissionBoundary ? [a.permissionBoundary.source.file] : [])]))].map((f) =>
            f.startsWith('/') ? relative(context.cwd, f) : f,
          );
        }
        context.output.result(renderLintReport(entries, format, { files: checked, toolVersion: readToolVersion() }));
        const failing = entries.some((e) => !e.suppressed && isAtLeast(e.severity, failOn));
        context.setExitCode(unreadable ? EXIT_CODES.ERROR : failing ? EXIT_CODES.FOUND : EXIT_CODES.CLEAN);
      });
  },
};

function readToolVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('../../../package.json') as { version: string }).version;
}
