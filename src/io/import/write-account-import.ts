/**
 * Writes what `iamctl import` planned into an account folder: roles/<name>.yaml, policies/<name>.yaml
 * (each with a comment saying where it came from) and imports.yaml (the Terraform import ids, merged
 * with what an earlier run listed). The same plan writes the same bytes, so a re-run changes nothing.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { stringify } from 'yaml';
import * as jsyaml from 'js-yaml';
import { ERROR_CODES, IamPlatformError } from '../../core/errors';
import { IMPORT_MARKER, mergeImportIds, type ImportedFile, type ImportIds, type ImportPlan } from '../../core/import';

/** What happened to one file. */
export interface WrittenFile {
  /** Repository-relative path. */
  readonly file: string;
  readonly status: 'created' | 'updated' | 'unchanged';
}

/** Options of {@link writeAccountImport}. */
export interface WriteAccountImportOptions {
  /** Repository root (for repository-relative paths and the schema comment). */
  readonly rootDir: string;
  /** The account folder (absolute). */
  readonly accountDir: string;
}

/** File name of the import ids in an account folder. */
export const IMPORTS_FILE = 'imports.yaml';

function repoPath(rootDir: string, abs: string): string {
  return relative(rootDir, abs).split(sep).join('/');
}

/** YAML 1.1 quoting, so `2012-10-17`, `yes` and `0123` stay strings for every YAML reader (js-yaml reads timestamps). */
function renderYaml(value: unknown): string {
  return stringify(value, { version: '1.1', lineWidth: 0 });
}

function renderFile(rootDir: string, abs: string, schema: string, header: readonly string[], body: unknown): string {
  const schemaPath = relative(dirname(abs), join(rootDir, 'schemas', schema)).split(sep).join('/');
  return [`# yaml-language-server: $schema=${schemaPath}`, '#', ...header.map((line) => `# ${line}`), renderYaml(body)].join('\n');
}

function writeIfChanged(rootDir: string, abs: string, text: string): WrittenFile {
  const before = existsSync(abs) ? readFileSync(abs, 'utf8') : undefined;
  if (before === text) return { file: repoPath(rootDir, abs), status: 'unchanged' };
  mkdirSync(dirname(abs), { recursive: true });
  writeFileSync(abs, text);
  return { file: repoPath(rootDir, abs), status: before === undefined ? 'created' : 'updated' };
}

/** True when a file was written by `iamctl import` (its comment block carries IMPORT_MARKER). */
export function isWrittenByImport(abs: string): boolean {
  if (!existsSync(abs)) return false;
  const head = readFileSync(abs, 'utf8').split('\n', 6);
  return head.some((line) => line.startsWith(`# ${IMPORT_MARKER}`));
}

/** The import ids an account folder lists already (empty when it has no imports.yaml). */
export function readImportIds(accountDir: string): ImportIds {
  const abs = join(accountDir, IMPORTS_FILE);
  const empty: ImportIds = { roles: [], rolePolicies: [], rolePolicyAttachments: [], policies: [], oidcProviders: [] };
  if (!existsSync(abs)) return empty;
  let data: unknown;
  try {
    data = jsyaml.load(readFileSync(abs, 'utf8'));
  } catch (error) {
    throw new IamPlatformError(ERROR_CODES.UNREADABLE_INPUT, `${abs} is not valid YAML (${(error as Error).message}): fix or delete it, then run iamctl import again`);
  }
  const value = (data ?? {}) as Partial<Record<keyof ImportIds, unknown>>;
  const list = (key: keyof ImportIds): string[] => (Array.isArray(value[key]) ? (value[key] as unknown[]).map(String) : []);
  return { roles: list('roles'), rolePolicies: list('rolePolicies'), rolePolicyAttachments: list('rolePolicyAttachments'), policies: list('policies'), oidcProviders: list('oidcProviders') };
}

function writeDefinition<T>(options: WriteAccountImportOptions, file: ImportedFile<T>, schema: string): WrittenFile {
  const abs = join(options.accountDir, file.file);
  return writeIfChanged(options.rootDir, abs, renderFile(options.rootDir, abs, schema, file.header, file.spec));
}

/**
 * Writes the plan's files into the account folder. Returns every file with what happened to it.
 * Role and policy files that the plan does not name are left alone.
 */
export function writeAccountImport(plan: ImportPlan, options: WriteAccountImportOptions): WrittenFile[] {
  const written: WrittenFile[] = [];
  for (const policy of plan.policies) written.push(writeDefinition(options, policy, 'policy.schema.json'));
  for (const role of plan.roles) written.push(writeDefinition(options, role, 'role.schema.json'));
  const ids = mergeImportIds(readImportIds(options.accountDir), plan.imports);
  const abs = join(options.accountDir, IMPORTS_FILE);
  const header = [
    `${IMPORT_MARKER} for account ${plan.account} (${plan.accountId}): existing IAM that the account stack adopts with`,
    'Terraform import blocks instead of creating it. Ids as the AWS provider documents them. Harmless once applied;',
    'delete an entry only together with the resource it names.',
  ];
  written.push(writeIfChanged(options.rootDir, abs, renderFile(options.rootDir, abs, 'imports.schema.json', header, ids)));
  return written;
}
