import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AnnotationMetadataEntryType, App, TerraformResource, TerraformStack } from 'cdktf';
import type { Construct, IConstruct } from 'constructs';
import { createYamlPositionFinder } from '../src/config';
import { ERROR_CODES, IamPlatformError, type Problem } from '../src/core/errors';
import type { ActionCatalog } from '../src/core/catalog';
import type { ResolvedAccount, ResolvedOrganization } from '../src/core/model';
import { GUARDRAIL_ERROR_METADATA, type GuardrailProblem } from '../modules/guardrails';
import { collectSourceMap, SOURCE_MAP_FILE } from '../modules/source-marker';
import { type DesiredInventory, readAccountDesiredInventory, stackDeployAccountIds, type TerraformJson } from '../src/core/drift';
import { AccountStack, desiredStackMetadata } from './account-stack';
import { OrganizationLogArchiveStack, OrganizationStack, type OrganizationStackProps, addOrganizationStacks } from './organization-stack';
import { SecurityBaselineStack, addSecurityBaseline } from './security-baseline';

/** Options of {@link synthesizeOrganization}. */
export interface SynthesizeOrganizationOptions {
  /**
   * Output folder; stacks go to `<outdir>/stacks/<stack>/cdk.tf.json`. A full synth replaces it as a whole on success;
   * a synth of named accounts replaces only their stacks and keeps the other stacks of an earlier synth.
   */
  readonly outdir: string;
  /** Account names to synthesize. @default - every account */
  readonly accounts?: readonly string[];
  /** IAM action catalog for the guardrails that need it (policy lint). @default - none: those guardrails are skipped */
  readonly catalog?: ActionCatalog;
}

/** One stack written by the synth. */
export interface SynthesizedStack {
  /** Account name. */
  readonly account: string;
  /** Stack id (`iam-app-prod`). */
  readonly stack: string;
  /** Path of the stack's `cdk.tf.json`. */
  readonly file: string;
  /** Path of the stack's `sources.json`: Terraform address → accounts/ file and path. @default - none for a validation run (nothing is kept) */
  readonly sourcesFile?: string;
  /** Number of Terraform resources in the stack. */
  readonly resources: number;
}

/** An annotation left on a construct during synth. */
export interface SynthAnnotation {
  readonly level: 'error' | 'warning' | 'info';
  /** Stack id. */
  readonly stack: string;
  /** Construct path (`iam-app-prod/role-admin/role`). */
  readonly constructPath: string;
  /** The annotation text (`file:line path: message` for guardrails). */
  readonly message: string;
  /** The guardrail problem as data, when a guardrail reported it. @default - none */
  readonly problem?: GuardrailProblem;
}

/** What a synth did: the stacks written and every annotation. */
export interface SynthResult {
  /** Absolute output folder. @default - none for a validation run (nothing is kept) */
  readonly outdir?: string;
  readonly stacks: readonly SynthesizedStack[];
  readonly annotations: readonly SynthAnnotation[];
  /** Stacks of an earlier synth in the output folder that a synth of named accounts kept as they were. @default - none */
  readonly keptStacks?: readonly string[];
}

const LEVELS: Readonly<Record<string, SynthAnnotation['level']>> = {
  [AnnotationMetadataEntryType.ERROR]: 'error',
  [AnnotationMetadataEntryType.WARN]: 'warning',
  [AnnotationMetadataEntryType.INFO]: 'info',
};

/** The accounts named, in organization order; an unknown name is a user error listing the known ones. */
export function pickAccounts(org: ResolvedOrganization, names?: readonly string[]): readonly ResolvedAccount[] {
  if (names === undefined || names.length === 0) return org.accounts;
  const known = new Set(org.accounts.map((a) => a.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw new IamPlatformError(
      ERROR_CODES.UNKNOWN_ACCOUNT,
      `Unknown account ${unknown.map((n) => `"${n}"`).join(', ')}: the organization has ${org.accounts.map((a) => a.name).join(', ') || 'no accounts'}`,
    );
  }
  const wanted = new Set(names);
  return org.accounts.filter((a) => wanted.has(a.name));
}

/** Every info, warning and error annotation in the stack, in tree order. */
export function collectAnnotations(stack: TerraformStack): SynthAnnotation[] {
  const out: SynthAnnotation[] = [];
  for (const node of stack.node.findAll()) {
    const metadata = node.node.metadata;
    if (metadata.length === 0) continue;
    const problems = metadata.filter((m) => m.type === GUARDRAIL_ERROR_METADATA).map((m) => m.data as GuardrailProblem);
    let next = 0;
    for (const entry of metadata) {
      const level = LEVELS[entry.type];
      if (level === undefined) continue;
      const problem = level === 'error' && next < problems.length && typeof entry.data === 'string' && entry.data.endsWith(problems[next].message) ? problems[next++] : undefined;
      out.push({ level, stack: stack.node.id, constructPath: node.node.path, message: String(entry.data), problem });
    }
  }
  return out;
}

/** The error a synth with error annotations throws: one list of `file path: message` problems. */
export function guardrailError(annotations: readonly SynthAnnotation[]): IamPlatformError {
  const errors = annotations.filter((a) => a.level === 'error');
  const problems: Problem[] = errors.map((a) =>
    a.problem ? { file: a.problem.file, line: a.problem.line, column: a.problem.column, path: a.problem.path, message: a.problem.message } : { path: a.constructPath, message: a.message },
  );
  const stacks = [...new Set(errors.map((a) => a.stack))];
  return new IamPlatformError(
    ERROR_CODES.GUARDRAIL_VIOLATION,
    `Guardrails failed: ${errors.length} error${errors.length === 1 ? '' : 's'} in ${stacks.join(', ')}; nothing was written`,
    { problems },
  );
}

/** Lets a stack with error annotations finish its aspects without throwing, so every account's errors are gathered. */
function continueOnErrorAnnotations(stack: TerraformStack): void {
  const original = stack.synthesizer;
  stack.synthesizer = {
    synthesize: (session) => {
      try {
        original.synthesize(session);
      } catch (error) {
        const hasErrors = stack.node.findAll().some((n) => n.node.metadata.some((m) => m.type === AnnotationMetadataEntryType.ERROR));
        if (!hasErrors) throw error;
      }
    },
  };
}

/** The account a stack deploys into. */
function accountOf(stack: TerraformStack): string {
  if (stack instanceof AccountStack) return stack.account.name;
  if (stack instanceof OrganizationLogArchiveStack) return stack.logArchiveAccount.name;
  if (stack instanceof SecurityBaselineStack) return stack.account.name;
  return (stack as OrganizationStack).managementAccount.name;
}

function countResources(stack: TerraformStack): number {
  return stack.node.findAll().filter((n) => n instanceof TerraformResource).length;
}

/**
 * The organization-level stacks of `org` in `scope`, in deploy order: the log archive's, the organization's
 * (management account) and the security baseline (security account); none without org.yaml `organization:`.
 */
export function addOrganizationLevelStacks(scope: Construct, org: ResolvedOrganization, props: OrganizationStackProps = {}): TerraformStack[] {
  const organizationStacks = addOrganizationStacks(scope, org, props);
  const securityBaseline = addSecurityBaseline(scope, org, organizationStacks);
  return [
    ...(organizationStacks?.logArchive ? [organizationStacks.logArchive] : []),
    ...(organizationStacks ? [organizationStacks.organization] : []),
    ...(securityBaseline ? [securityBaseline] : []),
  ];
}

/**
 * Organization-level stacks built in an app of their own that is never synthesized: read for the desired
 * inventory of the accounts they deploy into when those stacks are not part of the synth. Its folder is removed
 * by {@link ScratchOrganizationStacks.dispose}.
 */
class ScratchOrganizationStacks {
  private dir?: string;

  public build(org: ResolvedOrganization): readonly TerraformStack[] {
    if (!org.organization) return [];
    this.dir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'iamctl-colocated-'));
    return addOrganizationLevelStacks(new App({ outdir: this.dir, stackTraces: false }), org);
  }

  public dispose(): void {
    if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }
}

/** The dashboard's metrics sink an account links to: every account with drift detection but the security account itself. */
function metricsLinkOf(org: ResolvedOrganization, account: ResolvedAccount): { metricsSinkArn?: string } {
  const baseline = org.securityBaseline;
  return baseline?.metricsSink && account.id !== baseline.securityAccountId ? { metricsSinkArn: baseline.metricsSink.arn } : {};
}

/** Builds and synthesizes the stacks into `stagingDir`; returns stacks and annotations, never throws on guardrail errors. */
function synthesizeInto(
  org: ResolvedOrganization,
  accounts: readonly ResolvedAccount[],
  stagingDir: string,
  catalog: ActionCatalog | undefined,
  includeOrganization: boolean,
): { stacks: TerraformStack[]; annotations: SynthAnnotation[] } {
  // cdktf captures a full stack trace for every token it creates; with source maps on (tsx), each
  // capture maps every frame, which costs about a third of the synth. Traces are not needed here.
  const sourceMaps = process.sourceMapsEnabled;
  process.setSourceMapsEnabled(false);
  const scratch = new ScratchOrganizationStacks();
  try {
    const app = new App({ outdir: stagingDir, stackTraces: false });
    const organizationAccountIds = org.accounts.map((a) => a.id);
    // Guardrail findings point at the element in its accounts/ file, as `iamctl lint` does (each file read once).
    const locate = createYamlPositionFinder((file) => fs.readFileSync(path.resolve(org.rootDir, file), 'utf8'));
    // Each account's desired inventory holds the IAM that the organization-level stacks create in it too; they are
    // asked at synth, when every stack below exists. Stacks pinned to another account are left out by the reader.
    let colocated: readonly TerraformStack[] = [];
    const accountStacks = accounts.map(
      (account) =>
        new AccountStack(app, account, {
          defaultRegion: org.defaultRegion,
          organizationAccountIds,
          catalog,
          locate,
          colocatedStacks: () => colocated,
          ...(org.policyRecord ? { policyRecord: org.policyRecord } : {}),
          ...metricsLinkOf(org, account),
        }),
    );
    // The organization-level stacks (SCPs, trail, alerts, security baseline) are written with a whole-organization
    // synth only; a synth of named accounts still builds them, apart and unwritten, for the accounts' desired inventory.
    const organizationLevel = includeOrganization ? addOrganizationLevelStacks(app, org, { catalog, locate }) : [];
    colocated = includeOrganization ? organizationLevel : scratch.build(org);
    const stacks: TerraformStack[] = [...accountStacks, ...organizationLevel];
    stacks.forEach(continueOnErrorAnnotations);
    app.synth();
    return { stacks, annotations: stacks.flatMap(collectAnnotations) };
  } finally {
    scratch.dispose();
    process.setSourceMapsEnabled(sourceMaps);
  }
}

function stackFile(outdir: string, stack: IConstruct): string {
  return path.join(outdir, 'stacks', stack.node.id, 'cdk.tf.json');
}

/**
 * The output folder is replaced as a whole, so it must be new, empty, or an earlier synth output
 * (it has a manifest.json or a stacks/ folder), and must not contain the organization.
 */
export function checkReplaceableOutdir(outdir: string, rootDir: string): void {
  const relative = path.relative(outdir, path.resolve(rootDir));
  if (relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))) {
    throw new IamPlatformError(ERROR_CODES.INVALID_ARGUMENT, `--outdir ${outdir} contains the organization (${rootDir}): synth replaces the output folder; choose a folder such as cdktf.out`);
  }
  if (!fs.existsSync(outdir)) return;
  const entries = fs.readdirSync(outdir);
  if (entries.length > 0 && !entries.includes('manifest.json') && !entries.includes('stacks')) {
    throw new IamPlatformError(
      ERROR_CODES.INVALID_ARGUMENT,
      `--outdir ${outdir} is not empty and is not a synth output (no manifest.json or stacks/): synth replaces the output folder; choose a new or empty folder`,
    );
  }
}

/** The part of cdktf's `manifest.json` that a partial synth merges: one entry per stack id. */
interface CdktfManifest {
  readonly stacks: Readonly<Record<string, unknown>>;
  readonly [key: string]: unknown;
}

function readCdktfManifest(dir: string): CdktfManifest | undefined {
  const file = path.join(dir, 'manifest.json');
  if (!fs.existsSync(file)) return undefined;
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<CdktfManifest>;
  return manifest.stacks !== undefined && typeof manifest.stacks === 'object' ? (manifest as CdktfManifest) : undefined;
}

/**
 * Copies the stacks of an earlier synth in `outdir` that this synth did not produce into `staging`, and merges
 * their entries into the new `manifest.json`, so `synth --account X` replaces only X's stack. Returns the kept ids.
 */
function keepEarlierStacks(outdir: string, staging: string): string[] {
  const previous = readCdktfManifest(outdir);
  const current = readCdktfManifest(staging);
  if (previous === undefined || current === undefined) return [];
  const kept = Object.keys(previous.stacks).filter((id) => !(id in current.stacks) && fs.existsSync(path.join(outdir, 'stacks', id)));
  for (const id of kept) fs.cpSync(path.join(outdir, 'stacks', id), path.join(staging, 'stacks', id), { recursive: true });
  // The earlier order, with the new entries in place of the old ones and new stacks at the end.
  const order = [...new Set([...Object.keys(previous.stacks).filter((id) => kept.includes(id) || id in current.stacks), ...Object.keys(current.stacks)])];
  const stacks = Object.fromEntries(order.map((id) => [id, id in current.stacks ? current.stacks[id] : previous.stacks[id]] as const));
  fs.writeFileSync(path.join(staging, 'manifest.json'), `${JSON.stringify({ ...current, stacks }, null, 2)}\n`);
  return kept;
}

/**
 * Synthesizes one Terraform JSON stack per account into `<outdir>/stacks/<stack>/cdk.tf.json`.
 * Guardrails run on every account first; any error annotation stops the synth with an
 * {@link IamPlatformError} (GUARDRAIL_VIOLATION) listing every problem, and leaves `outdir` untouched.
 * With `accounts`, the other stacks of an earlier synth in `outdir` are kept (see {@link SynthResult.keptStacks}).
 */
export function synthesizeOrganization(org: ResolvedOrganization, options: SynthesizeOrganizationOptions): SynthResult {
  const accounts = pickAccounts(org, options.accounts);
  const outdir = path.resolve(options.outdir);
  checkReplaceableOutdir(outdir, org.rootDir);
  fs.mkdirSync(path.dirname(outdir), { recursive: true });
  const staging = fs.mkdtempSync(path.join(path.dirname(outdir), `.${path.basename(outdir)}-`));
  try {
    const { stacks, annotations } = synthesizeInto(org, accounts, staging, options.catalog, !options.accounts?.length);
    if (annotations.some((a) => a.level === 'error')) throw guardrailError(annotations);
    for (const stack of stacks) {
      fs.writeFileSync(path.join(staging, 'stacks', stack.node.id, SOURCE_MAP_FILE), `${JSON.stringify(collectSourceMap(stack), null, 2)}\n`);
    }
    const keptStacks = options.accounts?.length ? keepEarlierStacks(outdir, staging) : [];
    fs.rmSync(outdir, { recursive: true, force: true });
    fs.renameSync(staging, outdir);
    fs.chmodSync(outdir, 0o755); // mkdtemp creates 0700
    return {
      outdir,
      stacks: stacks.map((s) => ({
        account: accountOf(s),
        stack: s.node.id,
        file: stackFile(outdir, s),
        sourcesFile: path.join(path.dirname(stackFile(outdir, s)), SOURCE_MAP_FILE),
        resources: countResources(s),
      })),
      annotations,
      ...(keptStacks.length > 0 ? { keptStacks } : {}),
    };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** Options of {@link validateOrganization}. */
export interface ValidateOrganizationOptions {
  /** Account names to check. @default - every account */
  readonly accounts?: readonly string[];
  /** IAM action catalog for the guardrails that need it (policy lint). @default - none: those guardrails are skipped */
  readonly catalog?: ActionCatalog;
}

/** Runs the synth and its guardrails in a temporary folder that is removed; throws like {@link synthesizeOrganization}. */
export function validateOrganization(org: ResolvedOrganization, options: ValidateOrganizationOptions = {}): SynthResult {
  const accounts = pickAccounts(org, options.accounts);
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'iamctl-validate-'));
  try {
    const { stacks, annotations } = synthesizeInto(org, accounts, staging, options.catalog, !options.accounts?.length);
    if (annotations.some((a) => a.level === 'error')) throw guardrailError(annotations);
    return {
      stacks: stacks.map((s) => ({ account: accountOf(s), stack: s.node.id, file: stackFile(staging, s), resources: countResources(s) })),
      annotations,
    };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** Options of {@link synthesizeDesiredInventory}. */
export interface SynthesizeDesiredInventoryOptions {
  /** Region when the account lists none. @default - the organization's default region, else 'us-east-1' */
  readonly defaultRegion?: string;
  /**
   * The organization the account belongs to: its organization-level stacks that deploy into the account (the
   * organization stack into the management account, the security baseline into the security account) are read
   * too. Pass it for every account of an organization.
   * @default - none: an account outside an organization, read from its own stack alone
   */
  readonly organization?: ResolvedOrganization;
}

/**
 * The desired inventory of one account, read from its synthesized stacks: the account's stack, and with
 * `organization` the organization-level stacks, are synthesized in a temporary folder (no guardrails: they add no
 * resources) and the `cdk.tf.json` of every stack pinned to the account is read by the one reader the drift
 * module's S3 object uses too.
 */
export function synthesizeDesiredInventory(account: ResolvedAccount, options: SynthesizeDesiredInventoryOptions = {}): DesiredInventory {
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'iamctl-desired-'));
  const sourceMaps = process.sourceMapsEnabled;
  process.setSourceMapsEnabled(false);
  try {
    const app = new App({ outdir: staging, stackTraces: false });
    const org = options.organization;
    const defaultRegion = options.defaultRegion ?? org?.defaultRegion;
    let colocated: readonly TerraformStack[] = [];
    const stack = new AccountStack(app, account, {
      guardrails: false,
      colocatedStacks: () => colocated,
      ...(defaultRegion ? { defaultRegion } : {}),
      ...(org?.policyRecord ? { policyRecord: org.policyRecord } : {}),
    });
    colocated = org ? addOrganizationLevelStacks(app, org) : [];
    app.synth();
    const named = (s: TerraformStack) => ({ id: s.node.id, json: readStackJson(stackFile(staging, s)) });
    return readAccountDesiredInventory(named(stack), colocated.map(named), desiredStackMetadata(account));
  } finally {
    process.setSourceMapsEnabled(sourceMaps);
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

function readStackJson(file: string): TerraformJson {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as TerraformJson;
  } catch (error) {
    throw new IamPlatformError(ERROR_CODES.UNREADABLE_INPUT, `Cannot read the synthesized stack ${file}: ${(error as Error).message}. Fix: run \`iamctl synth\` (or drop --stack to synthesize on the fly)`);
  }
}

/** What {@link readDesiredInventoryFromStackFile} read. */
export interface StackFileDesiredInventory {
  readonly desired: DesiredInventory;
  /** Every `cdk.tf.json` read: the file given, then the other stacks of its synth output pinned to the account. */
  readonly files: readonly string[];
}

/**
 * The desired inventory of `account` from a synthesized `cdk.tf.json` (`iamctl synth` output) and from every
 * other stack of the same synth output (`<outdir>/stacks/<stack>/cdk.tf.json`) whose providers are pinned to the
 * account, as the organization stack is to the management account; a clear error when one is unreadable.
 */
export function readDesiredInventoryFromStackFile(file: string, account: ResolvedAccount): StackFileDesiredInventory {
  const given = readStackJson(file);
  const files = [file];
  const stacksDir = path.dirname(path.dirname(file));
  if (path.basename(file) === 'cdk.tf.json' && path.basename(stacksDir) === 'stacks') {
    for (const id of fs.readdirSync(stacksDir).sort()) {
      const sibling = path.join(stacksDir, id, 'cdk.tf.json');
      if (path.resolve(sibling) === path.resolve(file) || !fs.existsSync(sibling)) continue;
      files.push(sibling);
    }
  }
  const stacks = files.map((f, i) => ({ id: path.basename(path.dirname(f)), file: f, json: i === 0 ? given : readStackJson(f) }));
  const siblings = stacks.slice(1).filter((s) => stackDeployAccountIds(s.json).includes(account.id));
  return {
    desired: readAccountDesiredInventory(stacks[0], siblings, desiredStackMetadata(account)),
    files: [stacks[0], ...siblings].map((s) => s.file),
  };
}
