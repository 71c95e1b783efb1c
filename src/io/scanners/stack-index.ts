/**
 * Reads the synthesized stacks (`<stacks-dir>/<stack>/cdk.tf.json`) and indexes their resources, so a
 * scanner finding on `aws_iam_role.x` maps back to the account, the construct path, the accounts/
 * file an engineer edits and the line there where the offending value is written.
 *
 * Where a resource came from is the stack's source map (`sources.json`, written by synth from the
 * construct layer's source markers: file and path inside it, per Terraform address). The line is
 * the line of the value a check reads ({@link locateCheckedValue}: a role's `trust`, a policy's
 * `document`, an attachment's entry of `managedPolicies`, an inline policy itself), found in the
 * YAML file only when a finding asks for it, each file parsed once.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { LineLocator } from '../../config/config-file';
import { ERROR_CODES, IamPlatformError } from '../../core/errors';
import type { ScannerResult } from '../../core/scan';

/** File name cdktf writes per stack. */
export const STACK_FILE_NAME = 'cdk.tf.json';
/** Stack folders are `iam-<account>`. */
const STACK_PREFIX = 'iam-';
/** Tags that carry the source file, on the resource or in the provider's default_tags. */
const SOURCE_TAG_KEYS = ['iam-platform:source', 'source-file'] as const;
/** The source map synth writes next to each cdk.tf.json (modules/source-marker `SOURCE_MAP_FILE`). */
export const SOURCE_MAP_FILE_NAME = 'sources.json';
/** The ARN prefix of AWS managed policies (attachments name them `aws:<name>` in accounts/). */
const AWS_MANAGED_POLICY_ARN = /^arn:aws[\w-]*:iam::aws:policy\/(.+)$/;

/** A resource of a stack and where it came from. */
export interface StackResource {
  /** `aws_iam_role.app_role_1A2B3C4D` (data sources: `data.aws_iam_policy_document.x`). */
  readonly address: string;
  /** Construct path from `"//".metadata.path`. @default - unknown */
  readonly constructPath?: string;
  /** Repo-relative accounts/ file. */
  readonly file: string;
  /** JSON path of the value the checks read, inside `file` (`$.roleTemplates[0].role.trust`). @default - unknown */
  readonly valuePath?: string;
  /** Line of that value in `file` (computed on first read). @default - unknown */
  readonly line?: number;
  /** The role's trust policy as Terraform is told it (`assume_role_policy`, parsed), for aws_iam_role. @default - none */
  readonly trustPolicy?: unknown;
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
  /** True when the stack is an account's own stack (`iam-<account>` with `<account>/account.yaml` in accounts/). @default false */
  readonly isAccountStack?: boolean;
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

/** Lines of accounts/ files, each file read and parsed once, on the first line asked of it. */
class SourceLines {
  private readonly locators = new Map<string, LineLocator | null>();
  private readonly data = new Map<string, { readonly value: unknown }>();

  constructor(private readonly cwd: string) {}

  /** 1-based line of `valuePath` in the repo-relative `file`; undefined when the file cannot be read. */
  public lineOf(file: string, valuePath: string): number | undefined {
    return this.locator(file)?.lineOf(valuePath);
  }

  /** The value at `valuePath` in the file's data (undefined when absent or unreadable). */
  public dataAt(file: string, valuePath: string): unknown {
    const locator = this.locator(file);
    if (!locator) return undefined;
    let data = this.data.get(file);
    if (data === undefined) {
      data = { value: locator.parsed().document.toJS() as unknown };
      this.data.set(file, data);
    }
    return valueAt(data.value, valuePath);
  }

  private locator(file: string): LineLocator | undefined {
    let locator = this.locators.get(file);
    if (locator === undefined) {
      try {
        locator = new LineLocator(readFileSync(path.resolve(this.cwd, file), 'utf8'));
      } catch {
        locator = null; // a moved or deleted file: the finding keeps its file, without a line
      }
      this.locators.set(file, locator);
    }
    return locator ?? undefined;
  }
}

/** A resource's entry of the stack's source map. */
interface MappedSource {
  readonly file: string;
  readonly path: string;
}

function readSourceMap(stackDir: string): ReadonlyMap<string, MappedSource> {
  const file = path.join(stackDir, SOURCE_MAP_FILE_NAME);
  if (!existsSync(file)) return new Map();
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new IamPlatformError(ERROR_CODES.UNREADABLE_INPUT, `${file} is not valid JSON (${(error as Error).message}): rerun \`iamctl synth\``, { cause: error });
  }
  const resources = isObject(data) && isObject(data.resources) ? data.resources : {};
  const out = new Map<string, MappedSource>();
  for (const [address, source] of Object.entries(resources)) {
    if (isObject(source) && typeof source.file === 'string' && typeof source.path === 'string') out.set(address, { file: source.file, path: source.path });
  }
  return out;
}

/** A reference to a customer managed policy of the same stack (`${aws_iam_policy.<name>.arn}`). */
const POLICY_ARN_REFERENCE = /^\$\{aws_iam_policy\.([^.}]+)\.arn\}$/;

/**
 * How accounts/ names the policy an attachment attaches: `aws:<name>` for an AWS managed policy, the policy's
 * name for one of the stack's own policies. @returns undefined when the ARN is neither
 */
export function nameAttachedPolicy(policyArn: unknown, stackPolicies: unknown): string | undefined {
  if (typeof policyArn !== 'string') return undefined;
  const aws = AWS_MANAGED_POLICY_ARN.exec(policyArn);
  if (aws) return `aws:${aws[1]}`;
  const reference = POLICY_ARN_REFERENCE.exec(policyArn);
  const policy = reference && isObject(stackPolicies) ? stackPolicies[reference[1]] : undefined;
  return isObject(policy) && typeof policy.name === 'string' ? policy.name : undefined;
}

/**
 * The path of the value a scanner's checks read on a resource, inside the accounts/ file it came from:
 * a role's checks read its trust (`assume_role_policy`), a managed policy's and an SCP's their `document`,
 * an attachment's its entry of the role's `managedPolicies` (by the attached policy's name, else the list),
 * an inline policy is the value itself. Other resources keep the path of their source.
 */
export function locateCheckedValue(type: string, sourcePath: string, attachedPolicy: string | undefined, data: (valuePath: string) => unknown): string {
  if (type === 'aws_iam_role') return `${sourcePath}.trust`;
  if (type === 'aws_iam_policy' || type === 'aws_organizations_policy') return `${sourcePath}.document`;
  if (type === 'aws_iam_role_policy_attachment') {
    const list = `${sourcePath}.managedPolicies`;
    const entries = attachedPolicy ? data(list) : undefined;
    if (attachedPolicy && Array.isArray(entries)) {
      const index = entries.findIndex((entry) => typeof entry === 'string' && entry.toLowerCase() === attachedPolicy.toLowerCase());
      if (index >= 0) return `${list}[${index}]`;
    }
    return list;
  }
  return sourcePath;
}

/** The value at a JSON path (`$.a[0].b`) of parsed YAML data; undefined when absent. */
function valueAt(data: unknown, valuePath: string): unknown {
  let node = data;
  for (const match of valuePath.slice(1).matchAll(/\.([^.[\]]+)|\[(\d+)\]/g)) {
    if (match[1] !== undefined) node = isObject(node) ? node[match[1]] : undefined;
    else node = Array.isArray(node) ? node[Number(match[2])] : undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

function parseTrustPolicy(body: JsonObject): unknown {
  if (typeof body.assume_role_policy !== 'string') return undefined;
  try {
    return JSON.parse(body.assume_role_policy);
  } catch {
    return undefined; // a Terraform reference, not a literal document
  }
}

function indexResources(
  stack: JsonObject,
  fallbackFile: string,
  defaultTagFile: string | undefined,
  sourceMap: ReadonlyMap<string, MappedSource>,
  lines: SourceLines,
): { resources: Map<string, StackResource>; byName: Map<string, string[]> } {
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
      for (const [name, raw] of Object.entries(byResourceName)) {
        const address = `${prefix}${type}.${name}`;
        const body = isObject(raw) ? raw : {};
        const comment = isObject(body['//']) ? body['//'] : {};
        const metadata = isObject(comment.metadata) ? comment.metadata : {};
        const mapped = prefix ? undefined : sourceMap.get(address);
        // A `"//"."iam-platform"` marker (`{ source, line }`) is read too: hand-written stacks carry one.
        const marker = isObject(comment['iam-platform']) ? comment['iam-platform'] : {};
        const markerSource = typeof marker.source === 'string' ? marker.source : undefined;
        const markerLine = markerSource && typeof marker.line === 'number' ? marker.line : undefined;
        const tagSource = sourceTag(body.tags) ?? sourceTag(body.tags_all);
        const file = mapped?.file ?? markerSource ?? tagSource ?? defaultTagFile ?? fallbackFile;
        const trustPolicy = type === 'aws_iam_role' && !prefix ? parseTrustPolicy(body) : undefined;
        let resource: StackResource = {
          address,
          ...(typeof metadata.path === 'string' ? { constructPath: metadata.path } : {}),
          file,
          ...(!mapped && markerLine !== undefined ? { line: markerLine } : {}),
          ...(trustPolicy === undefined ? {} : { trustPolicy }),
        };
        if (mapped) {
          // Path and line are found on first read: only findings ask, and the YAML is parsed then, once per file.
          let located: { valuePath: string; line: number | undefined } | undefined;
          const locate = () => {
            if (!located) {
              const attached = type === 'aws_iam_role_policy_attachment' ? nameAttachedPolicy(body.policy_arn, isObject(stack.resource) ? stack.resource.aws_iam_policy : undefined) : undefined;
              const valuePath = locateCheckedValue(type, mapped.path, attached, (p) => lines.dataAt(mapped.file, p));
              located = { valuePath, line: lines.lineOf(mapped.file, valuePath) };
            }
            return located;
          };
          resource = {
            ...resource,
            get valuePath(): string {
              return locate().valuePath;
            },
            get line(): number | undefined {
              return locate().line;
            },
          };
        }
        resources.set(address, resource);
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
  const lines = new SourceLines(options.cwd);
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
      const { resources, byName } = indexResources(json, accountFile, providerSource(json), readSourceMap(path.dirname(absPath)), lines);
      return { account, absPath, stackFile, accountFile: providerSource(json) ?? accountFile, isAccountStack: accountYaml !== undefined, resources, addressesByName: byName };
    });
}

/**
 * The fields a scanner result takes from its resource: file and construct path always; for a failed check also
 * the line of the checked value and (roles) the trust policy, which the gate's built-in rationales judge.
 * Passed checks do not ask for lines, so the YAML files are parsed only for findings.
 */
export function describeResourceForResult(
  resource: StackResource,
  result: 'failed' | 'passed',
): Pick<ScannerResult, 'resource' | 'file' | 'line' | 'constructPath' | 'trustPolicy'> {
  const line = result === 'failed' ? resource.line : undefined;
  return {
    resource: resource.address,
    file: resource.file,
    ...(line === undefined ? {} : { line }),
    ...(resource.constructPath === undefined ? {} : { constructPath: resource.constructPath }),
    ...(result === 'failed' && resource.trustPolicy !== undefined ? { trustPolicy: resource.trustPolicy } : {}),
  };
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
