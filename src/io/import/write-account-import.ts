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
import { IMPORT_MARKER, isAdoptionEmpty, mergeAdopting, mergeImportIds, type ImportedFile, type ImportIds, type ImportPlan } from '../../core/import';
import type { AdoptingResources } from '../../core/model';

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

/** What an account folder's imports.yaml holds (empty when there is none). */
export interface ImportsFileContent {
  readonly ids: ImportIds;
  /** @default - nothing is being adopted */
  readonly adopting?: AdoptingResources;
}

function readImportsFile(accountDir: string): ImportsFileContent {
  const abs = join(accountDir, IMPORTS_FILE);
  const empty: ImportIds = { roles: [], rolePolicies: [], rolePolicyAttachments: [], policies: [], oidcProviders: [] };
  if (!existsSync(abs)) return { ids: empty };
  let data: unknown;
  try {
    data = jsyaml.load(readFileSync(abs, 'utf8'));
  } catch (error) {
    throw new IamPlatformError(ERROR_CODES.UNREADABLE_INPUT, `${abs} is not valid YAML (${(error as Error).message}): fix or delete it, then run iamctl import again`);
  }
  const value = (data ?? {}) as Partial<Record<keyof ImportIds | 'adopting', unknown>>;
  const list = (key: keyof ImportIds): string[] => (Array.isArray(value[key]) ? (value[key] as unknown[]).map(String) : []);
  const ids = { roles: list('roles'), rolePolicies: list('rolePolicies'), rolePolicyAttachments: list('rolePolicyAttachments'), policies: list('policies'), oidcProviders: list('oidcProviders') };
  const raw = (typeof value.adopting === 'object' && value.adopting !== null ? value.adopting : undefined) as Partial<Record<keyof AdoptingResources, unknown>> | undefined;
  const tags = (key: keyof AdoptingResources): AdoptingResources[typeof key] => (typeof raw?.[key] === 'object' && raw[key] !== null ? (raw[key] as AdoptingResources[typeof key]) : {});
  return raw ? { ids, adopting: { roles: tags('roles'), policies: tags('policies'), oidcProviders: tags('oidcProviders') } } : { ids };
}

/** The import ids an account folder lists already (empty when it has no imports.yaml). */
export function readImportIds(accountDir: string): ImportIds {
  return readImportsFile(accountDir).ids;
}

function importsHeader(account: string, accountId: string): string[] {
  return [
    `${IMPORT_MARKER} for account ${account} (${accountId}): existing IAM that the account stack adopts with`,
    'Terraform import blocks instead of creating it. Ids as the AWS provider documents them. Harmless once applied;',
    'delete an entry only together with the resource it names. `adopting:` keeps the live tags until',
    '`iamctl import --finish` (after the import is applied); the plan after that adds the platform tags.',
  ];
}

function writeImportsFile(options: WriteAccountImportOptions, account: string, accountId: string, content: ImportsFileContent): WrittenFile {
  const abs = join(options.accountDir, IMPORTS_FILE);
  const body = { ...content.ids, ...(content.adopting && !isAdoptionEmpty(content.adopting) ? { adopting: content.adopting } : {}) };
  return writeIfChanged(options.rootDir, abs, renderFile(options.rootDir, abs, 'imports.schema.json', importsHeader(account, accountId), body));
}

/** The result of {@link finishAdoption}. */
export interface FinishedAdoption {
  readonly file: WrittenFile;
  /** What moved onto the default provider (it gets the platform tags at the next apply). */
  readonly finished: AdoptingResources;
}

/**
 * `iamctl import --finish`: removes `adopting:` from imports.yaml, so the account's next plan moves those
 * resources onto the provider with the platform's default tags (a tag change, reviewed in its own plan).
 */
export function finishAdoption(options: WriteAccountImportOptions & { readonly account: string; readonly accountId: string }): FinishedAdoption {
  const content = readImportsFile(options.accountDir);
  if (!existsSync(join(options.accountDir, IMPORTS_FILE))) {
    throw new IamPlatformError(ERROR_CODES.INVALID_ARGUMENT, `${repoPath(options.rootDir, join(options.accountDir, IMPORTS_FILE))} does not exist: run iamctl import --account ${options.account} first`);
  }
  const finished = content.adopting ?? { roles: {}, policies: {}, oidcProviders: {} };
  return { file: writeImportsFile(options, options.account, options.accountId, { ids: content.ids }), finished };
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
  const previous = readImportsFile(options.accountDir);
  const ids = mergeImportIds(previous.ids, plan.imports);
  const adopting = mergeAdopting(plan.adopting, previous.ids, previous.adopting);
  written.push(writeImportsFile(options, plan.account, plan.accountId, { ids, adopting }));
  return written;
}
