import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { loadOrganization } from '../../config';
import { ERROR_CODES, IamPlatformError } from '../../core/errors';
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
import { decodePolicyText, type PolicyType } from '../../core/policy';
import { loadActionCatalog } from '../../io/catalog';
import { EXIT_CODES } from '../exit-codes';
import { invalidArgument, type CommandModule } from '../program';

/** Policy types `--type` accepts. */
const POLICY_TYPES: readonly PolicyType[] = ['identity', 'trust', 'resource', 'boundary', 'scp'];

interface LintCliOptions {
  readonly type?: string;
  readonly format: string;
  readonly failOn: string;
}

function pick<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  return invalidArgument(`${flag} must be one of ${allowed.join(', ')}, got "${value}"`);
}

/** Reads and parses one policy file; unreadable files and bad JSON are "could not run" errors naming the file. */
function readPolicyFile(cwd: string, file: string): unknown {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, file), 'utf8');
  } catch (e) {
    throw new IamPlatformError(ERROR_CODES.UNREADABLE_INPUT, `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return JSON.parse(decodePolicyText(text));
  } catch (e) {
    throw new IamPlatformError(ERROR_CODES.UNREADABLE_INPUT, `${file} is not valid JSON: ${(e as Error).message}`);
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
      .option('--type <type>', `policy type of the files (${POLICY_TYPES.join(', ')}); default: guessed from each file`)
      .option('--format <format>', `output format (${LINT_REPORT_FORMATS.join(', ')})`, 'text')
      .option('--fail-on <severity>', `exit 1 on findings at or above this severity (${LINT_SEVERITIES.join(', ')})`, 'error')
      .action((files: string[], options: LintCliOptions) => {
        const format: LintReportFormat = pick('--format', options.format, LINT_REPORT_FORMATS);
        const failOn: LintSeverity = pick('--fail-on', options.failOn, LINT_SEVERITIES);
        const type = options.type === undefined ? undefined : pick('--type', options.type, POLICY_TYPES);
        const catalog = loadActionCatalog();
        const entries: LintReportEntry[] = [];
        let checked: string[];
        if (files.length > 0) {
          const documents = files.map((file) => ({ file, json: readPolicyFile(context.cwd, file) }));
          for (const { file, json } of documents) {
            const findings = lintPolicy(json, { type: type ?? guessPolicyType(json), catalog });
            entries.push(...findings.map((f) => ({ ...f, file })));
          }
          checked = files;
        } else {
          if (type !== undefined) invalidArgument('--type applies to policy files; the accounts/ model knows the type of each policy');
          const org = loadOrganization(context.cwd);
          const findings = lintOrganization(org, catalog);
          entries.push(...findings);
          checked = [...new Set(org.accounts.flatMap((a) => [a.source.file, ...a.policies.map((p) => p.source.file), ...a.roles.map((r) => r.source.file), ...(a.permissionBoundary ? [a.permissionBoundary.source.file] : [])]))].map((f) =>
            f.startsWith('/') ? relative(context.cwd, f) : f,
          );
        }
        context.output.result(renderLintReport(entries, format, { files: checked, toolVersion: readToolVersion() }));
        const failing = entries.some((e) => !e.suppressed && isAtLeast(e.severity, failOn));
        context.setExitCode(failing ? EXIT_CODES.FOUND : EXIT_CODES.CLEAN);
      });
  },
};

function readToolVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('../../../package.json') as { version: string }).version;
}
