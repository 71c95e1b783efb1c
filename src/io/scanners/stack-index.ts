/**
 * Reads the synthesized stacks (`<stacks-dir>/<stack>/cdk.tf.json`) and indexes their resources, so a
 * scanner finding on `aws_iam_role.x` maps back to the account, the construct path and the
 * accounts/ file an engineer edits.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { ERROR_CODES, IamPlatformError } from '../../core/errors';

/** File name cdktf writes per stack. */
export const STACK_FILE_NAME = 'cdk.tf.json';
/** Stack folders are `iam-<account>`. */
const STACK_PREFIX = 'iam-';
/** Tags that carry the source file, on the resource or in the provider's default_tags. */
const SOURCE_TAG_KEYS = ['iam-platform:source', 'source-file'] as const;

/** A resource of a stack and where it came from. */
export interface StackResource {
  /** `aws_iam_role.app_role_1A2B3C4D` (data sources: `data.aws_iam_policy_document.x`). */
  readonly address: string;
  /** Construct path from `"//".metadata.path`. @default - unknown */
  readonly constructPath?: string;
  /** Repo-relative accounts/ file. */
  readonly file: string;
  /** Line in that file, when the source marker has one. @default - unknown */
  readonly line?: number;
}

/** One synthesized stack. */
export interface StackInfo {
  /** Account name (`iam-app-prod` → `app-prod`). */
  readonly account: string;
  /** Absolute path of cdk.tf.json. */
  readonly absPath: string;
  /** Repo-relative path of cdk.tf.json. */
  readonly stackFile: string;
  /** The file for findings with no resource-level source: the account file, else the stack file. */
  readonly accountFile: string;
  /** Resources by address. */
  readonly resources: ReadonlyMap<string, StackResource>;
  /** Addresses by resource name (checkov's terraform_json results say `resource.<name>`). */
  readonly addressesByName: ReadonlyMap<string, readonly string[]>;
}

/** Options of {@link readStacks}. */
export interface ReadStacksOptions {
  /** Repository root: paths in reports are relative to it. */
  readonly cwd: string;
  /** Folder holding one folder per stack. */
  readonly stacksDir: string;
  /** Only these accounts. @default - every stack */
  readonly accounts?: readonly string[];
  /** accounts/ folder, searched for `<account>/account.yaml`. @default '<cwd>/accounts' */
  readonly accountsDir?: string;
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Repo-relative path with forward slashes (absolute when outside the repository). */
export function toRepoPath(cwd: string, absPath: string): string {
  const relative = path.relative(cwd, absPath);
  return relative.startsWith('..') || path.isAbsolute(relative) ? absPath : relative.split(path.sep).join('/');
}

function sourceTag(tags: unknown): string | undefined {
  if (!isObject(tags)) return undefined;
  for (const key of SOURCE_TAG_KEYS) {
    if (typeof tags[key] === 'string') return tags[key] as string;
  }
  return undefined;
}

function providerSource(stack: JsonObject): string | undefined {
  const providers = isObject(stack.provider) ? stack.provider.aws : undefined;
  for (const provider of Array.isArray(providers) ? providers : [providers]) {
    if (!isObject(provider)) continue;
    const defaultTags = provider.default_tags;
    for (const block of Array.isArray(defaultTags) ? defaultTags : [defaultTags]) {
      const found = isObject(block) ? sourceTag(block.tags) : undefined;
      if (found) return found;
    }
  }
  return undefined;
}

/** Walks accounts/ (a few levels) for `<account>/account.yaml`. */
function findAccountFile(accountsDir: string, account: string, depth = 4): string | undefined {
  if (depth < 0 || !existsSync(accountsDir)) return undefined;
  const direct = path.join(accountsDir, account, 'account.yaml');
  if (existsSync(direct)) return direct;
  for (const entry of readdirSync(accountsDir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const found = findAccountFile(path.join(accountsDir, entry.name), account, depth - 1);
    if (found) return found;
  }
  return undefined;
}

function indexResources(stack: JsonObject, fallbackFile: string, defaultTagFile: string | undefined): { resources: Map<string, StackResource>; byName: Map<string, string[]> } {
  const resources = new Map<string, StackResource>();
  const byName = new Map<string, string[]>();
  const blocks: Array<[string, unknown]> = [
    ['', stack.resource],
    ['data.', stack.data],
  ];
  for (const [prefix, block] of blocks) {
    if (!isObject(block)) continue;
    for (const [type, byResourceName] of Object.entries(block)) {
      if (!isObject(byResourceName)) continue;
      for (const [name, body] of Object.entries(byResourceName)) {
        const address = `${prefix}${type}.${name}`;
        const comment = isObject(body) && isObject(body['//']) ? body['//'] : {};
        const metadata = isObject(comment.metadata) ? comment.metadata : {};
        const marker = isObject(comment['iam-platform']) ? comment['iam-platform'] : {};
        const markerSource = typeof marker.source === 'string' ? marker.source : undefined;
        const tagSource = isObject(body) ? (sourceTag(body.tags) ?? sourceTag(body.tags_all)) : undefined;
        const file = markerSource ?? tagSource ?? defaultTagFile ?? fallbackFile;
        const line = markerSource && typeof marker.line === 'number' ? marker.line : undefined;
        resources.set(address, {
          address,
          ...(typeof metadata.path === 'string' ? { constructPath: metadata.path } : {}),
          file,
          ...(line === undefined ? {} : { line }),
        });
        const key = prefix ? `data.${name}` : name;
        byName.set(key, [...(byName.get(key) ?? []), address]);
      }
    }
  }
  return { resources, byName };
}

/** Account name of a stack folder: `iam-<account>` → `<account>`; other folders keep their name. */
export function accountOfStackFolder(folder: string): string {
  return folder.startsWith(STACK_PREFIX) ? folder.slice(STACK_PREFIX.length) : folder;
}

/**
 * Reads every stack under the stacks folder.
 * @throws IamPlatformError UNREADABLE_INPUT when the folder has no stacks (run `iamctl synth` first),
 * an asked account has no stack, or a cdk.tf.json is not valid JSON.
 */
export function readStacks(options: ReadStacksOptions): readonly StackInfo[] {
  const stacksDir = path.resolve(options.cwd, options.stacksDir);
  const accountsDir = path.resolve(options.cwd, options.accountsDir ?? 'accounts');
  const shownDir = toRepoPath(options.cwd, stacksDir);
  const folders = existsSync(stacksDir) && statSync(stacksDir).isDirectory() ? readdirSync(stacksDir).filter((f) => existsSync(path.join(stacksDir, f, STACK_FILE_NAME))).sort() : [];
  if (folders.length === 0) {
    throw new IamPlatformError(ERROR_CODES.UNREADABLE_INPUT, `no synthesized stacks in ${shownDir} (no */${STACK_FILE_NAME}): run \`iamctl synth\` first, or pass --stacks-dir`);
  }
  const wanted = options.accounts && options.accounts.length > 0 ? new Set(options.accounts) : undefined;
  const available = folders.map(accountOfStackFolder);
  const missing = wanted ? [...wanted].filter((a) => !available.includes(a)) : [];
  if (missing.length > 0) {
    throw new IamPlatformError(
      ERROR_CODES.UNKNOWN_ACCOUNT,
      `no stack for account${missing.length === 1 ? '' : 's'} ${missing.join(', ')} in ${shownDir}: accounts with stacks are ${available.join(', ')} (run \`iamctl synth\` after adding an account)`,
    );
  }
  return folders
    .filter((folder) => !wanted || wanted.has(accountOfStackFolder(folder)))
    .map((folder) => {
      const absPath = path.join(stacksDir, folder, STACK_FILE_NAME);
      const stackFile = toRepoPath(options.cwd, absPath);
      let stack: unknown;
      try {
        stack = JSON.parse(readFileSync(absPath, 'utf8'));
      } catch (error) {
        throw new IamPlatformError(ERROR_CODES.UNREADABLE_INPUT, `${stackFile} is not valid JSON (${(error as Error).message}): rerun \`iamctl synth\``, { cause: error });
      }
      const account = accountOfStackFolder(folder);
      const accountYaml = findAccountFile(accountsDir, account);
      const accountFile = accountYaml ? toRepoPath(options.cwd, accountYaml) : stackFile;
      const json = isObject(stack) ? stack : {};
      const { resources, byName } = indexResources(json, accountFile, providerSource(json));
      return { account, absPath, stackFile, accountFile: providerSource(json) ?? accountFile, resources, addressesByName: byName };
    });
}

/** Finds a resource of a stack by a scanner's address: `type.name`, `resource.name`, `data.name` or `provider.aws`. */
export function lookupResource(stack: StackInfo, scannerAddress: string): StackResource {
  const direct = stack.resources.get(scannerAddress);
  if (direct) return direct;
  const [head, ...rest] = scannerAddress.split('.');
  const name = rest.join('.');
  const key = head === 'data' ? `data.${name}` : name;
  const addresses = head === 'resource' || head === 'data' ? stack.addressesByName.get(key) : undefined;
  if (addresses && addresses.length > 0) return stack.resources.get(addresses[0]) as StackResource;
  return { address: scannerAddress, file: stack.accountFile };
}
