/**
 * The accounts/ loader: reads org.yaml, the policy library, every OU and account, merges
 * org → OU → account (nearest wins), applies role templates and returns the resolved organization.
 * Synchronous, since a cdktf app entry calls it. Every problem of every file is gathered and thrown
 * at once as one IamPlatformError(INVALID_CONFIG) with a one-screen message.
 *
 * Merge rules (see README.md in this folder): maps (tags, drift) deep-merge; scalars replace;
 * lists replace; a permission boundary is replaced whole; role templates accumulate (org + OU, an
 * OU template replaces an org template of the same name); an account drops templates with
 * `disableTemplates`; a role file with a template's name replaces the template's role in that account.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { ERROR_CODES, IamPlatformError, formatProblem, type Problem } from '../core/errors';
import type {
  AccountImports,
  BackendConfig,
  DriftSettings,
  Environment,
  ResolvedAccount,
  ResolvedManagedPolicy,
  ResolvedOidcProvider,
  ResolvedOrganization,
  ResolvedServiceCredential,
  ResolvedPermissionBoundary,
  ResolvedPolicyRecord,
  ResolvedRole,
} from '../core/model';
import { serviceCredentialPrefix, serviceCredentialRoleName } from '../core/credentials/service-credential-names';
import { PolicyDocument, type PolicyType } from '../core/policy';
import { DEFAULT_POLICY_RECORD_TABLE } from '../core/registry';
import { findClosestMatch } from './closest-match';
import { createSourceRef, isInside, readConfigFile, type ConfigFile } from './config-file';
import { scanConfigTree, toRepoPath, type AccountFolder } from './config-tree';
import { resolveNetwork, resolveSecurityBaseline } from './security-baseline';
import { substitutePlaceholders, type PlaceholderValues } from './placeholders';
import { resolveRole, type RoleContext, type RoleInput } from './resolve-role';
import { resolveOrganizationSettings } from './scps';
import {
  accountFileSchema,
  importsFileSchema,
  orgFileSchema,
  ouFileSchema,
  policyFileSchema,
  roleFileSchema,
  scpFileSchema,
  IAM_NAME_PATTERN,
  NAME_PATTERN,
  type AccountFileConfig,
  type DefaultBoundaryConfig,
  type ImportsFileConfig,
  type OrgFileConfig,
  type OuFileConfig,
  type PolicyFileConfig,
  type RoleTemplateConfig,
} from './schema';
import { checkSchema } from './schema-problems';
import type { z } from 'zod';

/** Options of {@link loadOrganization}. */
export interface LoadOrganizationOptions {
  /** Folder holding org.yaml, policies/ and the OU folders, absolute or relative to rootDir. @default 'accounts' */
  readonly accountsDir?: string;
}

/** Role Terraform assumes in each account when org.yaml, ou.yaml and account.yaml name none. */
export const DEFAULT_DEPLOY_ROLE = 'iam-platform-deploy';
/** Days between rotations of a service credential when its entry names none. */
export const DEFAULT_ROTATION_DAYS = 30;
/** Hours a superseded service-credential key keeps working when its entry names none. */
export const DEFAULT_GRACE_HOURS = 24;
/** Stack name prefix with the local or S3 backend; with Terraform Cloud the workspace prefix is used. */
export const DEFAULT_STACK_PREFIX = 'iam-';
/** Terraform Cloud hostname when org.yaml names none. */
export const DEFAULT_TFC_HOSTNAME = 'app.terraform.io';
/** S3 state key prefix when org.yaml names none. */
export const DEFAULT_S3_KEY_PREFIX = 'iam-platform';
/** Problems shown in an error message; the rest are counted (all are in `error.problems`). */
export const MAX_PROBLEMS_IN_MESSAGE = 40;

/** A file and its validated content. */
interface Checked<T> {
  readonly file: ConfigFile;
  readonly value?: T;
}

interface PolicyDefinition {
  readonly name: string;
  readonly config: PolicyFileConfig;
  /** The document as written in the file, validated once. */
  readonly document: PolicyDocument;
  readonly file: ConfigFile;
  readonly origin: 'account' | 'library';
}

interface TemplateDefinition {
  readonly template: RoleTemplateConfig;
  readonly file: ConfigFile;
  readonly index: number;
}

interface AccountEntry {
  readonly folder: AccountFolder;
  readonly checked?: Checked<AccountFileConfig>;
  /** Account name: the folder name. */
  readonly name: string;
}

/** A value of an inherited setting and the file that set it. */
interface Layer<T> {
  readonly file: ConfigFile;
  readonly value: T;
}

function compareProblems(a: Problem, b: Problem): number {
  const fa = a.file ?? '';
  const fb = b.file ?? '';
  if (fa !== fb) return fa < fb ? -1 : 1;
  if ((a.line ?? 0) !== (b.line ?? 0)) return (a.line ?? 0) - (b.line ?? 0);
  if (a.path !== b.path) return a.path < b.path ? -1 : 1;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}

/** Renders the problems as the one-screen message of the loader's error. */
export function formatConfigProblems(problems: readonly Problem[]): string {
  const shown = problems.slice(0, MAX_PROBLEMS_IN_MESSAGE).map((p) => `  ${formatProblem(p)}`);
  const more = problems.length > MAX_PROBLEMS_IN_MESSAGE ? [`  … and ${problems.length - MAX_PROBLEMS_IN_MESSAGE} more`] : [];
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  return [`invalid configuration in accounts/ (${count}):`, ...shown, ...more].join('\n');
}

class OrganizationLoader {
  private readonly problems: Problem[] = [];

  constructor(
    private readonly rootDir: string,
    private readonly accountsDir: string,
  ) {}

  private report(file: ConfigFile, path: string, message: string): void {
    this.problems.push({ file: file.file, line: file.locator.lineOf(path), path, message });
  }

  private read<T>(absPath: string, schema: z.ZodType<T>): Checked<T> {
    const file = readConfigFile(absPath, toRepoPath(this.rootDir, absPath), this.rootDir);
    if (file.syntaxProblems.length > 0) {
      this.problems.push(...file.syntaxProblems);
      return { file };
    }
    const result = checkSchema(schema, file.data);
    if (!result.ok) {
      for (const p of result.problems) this.report(file, p.path, p.message);
      return { file };
    }
    return { file, value: result.value };
  }

  private readPolicy(absPath: string, origin: 'account' | 'library'): PolicyDefinition | undefined {
    const { file, value } = this.read(absPath, policyFileSchema);
    if (!value) return undefined;
    const name = value.name ?? basename(absPath, '.yaml');
    if (value.name === undefined && !IAM_NAME_PATTERN.test(name)) {
      this.report(file, '$', `the file name "${name}" is not a valid policy name: rename the file or set name:`);
      return undefined;
    }
    const { document, problems } = PolicyDocument.parse(value.document, { type: 'identity', path: '$.document' });
    for (const p of problems) this.report(file, p.path, p.message);
    if (problems.length > 0 || !document) return undefined;
    return { name, config: value, document, file, origin };
  }

  private readPolicies(files: readonly string[], origin: 'account' | 'library'): Map<string, PolicyDefinition> {
    const policies = new Map<string, PolicyDefinition>();
    for (const abs of files) {
      const policy = this.readPolicy(abs, origin);
      if (!policy) continue;
      const other = policies.get(policy.name);
      if (other) {
        this.report(policy.file, policy.config.name !== undefined ? '$.name' : '$', `duplicate policy name "${policy.name}": also defined in ${other.file.file}`);
        continue;
      }
      policies.set(policy.name, policy);
    }
    return policies;
  }

  public load(): ResolvedOrganization {
    const tree = scanConfigTree(this.rootDir, this.accountsDir, this.problems);
    const orgFilePath = resolve(this.accountsDir, 'org.yaml');
    let org: Checked<OrgFileConfig> | undefined;
    if (tree.orgFile) {
      org = this.read(tree.orgFile, orgFileSchema);
    } else {
      this.problems.push({ file: toRepoPath(this.rootDir, orgFilePath), path: '$', message: 'org.yaml is missing: create it with name and defaultRegion' });
    }
    const library = this.readPolicies(tree.libraryFiles, 'library');

    // OUs and accounts.
    const ous = new Map<string, Checked<OuFileConfig> | undefined>();
    const ouFolders = new Map<string, string>();
    const accounts: AccountEntry[] = [];
    for (const ou of tree.ous) {
      const other = ouFolders.get(ou.name);
      if (other !== undefined) {
        // OU names are what selectors, SCP targets and {{account.ou}} name: unique in the organization.
        this.problems.push({ file: ou.folder, path: '$', message: `duplicate OU name "${ou.name}": also ${other}; OU names are unique in the organization (selectors and SCP targets name them), rename one folder` });
        continue;
      }
      ouFolders.set(ou.name, ou.folder);
      ous.set(ou.name, ou.ouFile ? this.read(ou.ouFile, ouFileSchema) : undefined);
      if (!NAME_PATTERN.test(ou.name)) {
        this.problems.push({ file: ou.folder, path: '$', message: `OU folder "${ou.name}" is not a kebab-case name: rename it (lowercase letters, digits, dashes)` });
      }
      for (const folder of ou.accounts) {
        if (!folder.accountFile) {
          this.problems.push({ file: folder.folder, path: '$', message: 'account folder without account.yaml: add account.yaml (id, environment, owner) or remove the folder' });
          accounts.push({ folder, name: folder.name });
          continue;
        }
        accounts.push({ folder, checked: this.read(folder.accountFile, accountFileSchema), name: folder.name });
      }
    }

    // Account index: names and ids must be unique in the organization.
    const accountIds = new Map<string, string | undefined>();
    const byName = new Map<string, AccountEntry>();
    const byId = new Map<string, AccountEntry>();
    for (const entry of accounts) {
      const value = entry.checked?.value;
      const file = entry.checked?.file;
      if (!NAME_PATTERN.test(entry.name)) {
        this.problems.push({ file: entry.folder.folder, path: '$', message: `account folder "${entry.name}" is not a kebab-case name: rename it (lowercase letters, digits, dashes)` });
      }
      if (value && file && value.name !== undefined && value.name !== entry.name) {
        this.report(file, '$.name', `name "${value.name}" differs from the folder name "${entry.name}": the folder name is the account name; rename one`);
      }
      const first = byName.get(entry.name);
      if (first) {
        this.problems.push({
          file: file?.file ?? entry.folder.folder,
          ...(file ? { line: file.locator.lineOf('$') } : {}),
          path: '$',
          message: `duplicate account name "${entry.name}": also in ${first.folder.folder}`,
        });
        continue;
      }
      byName.set(entry.name, entry);
      if (value && file) {
        const other = byId.get(value.id);
        if (other) this.report(file, '$.id', `duplicate account id ${value.id}: also used by ${other.name} (${other.checked?.file.file})`);
        else byId.set(value.id, entry);
      }
      accountIds.set(entry.name, value?.id);
    }

    // Templates: org then OU; names unique per file; selectors name real OUs and accounts.
    const orgTemplates = org?.value ? this.checkTemplates(org.file, org.value.roleTemplates ?? [], ous, byName) : [];
    const ouTemplates = new Map<string, TemplateDefinition[]>();
    for (const [name, checked] of ous) {
      ouTemplates.set(name, checked?.value ? this.checkTemplates(checked.file, checked.value.roleTemplates ?? [], ous, byName) : []);
    }

    const resolved: ResolvedAccount[] = [];
    for (const entry of accounts) {
      if (byName.get(entry.name) !== entry) continue;
      // OU defaults along the path, top-level OU first (nearest wins).
      const chain = entry.folder.ouPath.map((name) => ous.get(name));
      const chainTemplates = entry.folder.ouPath.flatMap((name) => ouTemplates.get(name) ?? []);
      const account = this.resolveAccount(entry, org, chain, library, orgTemplates, chainTemplates, accountIds);
      if (account) resolved.push(account);
    }

    // Organization level: org.yaml `organization:` and accounts/scps/.
    const scpFiles = tree.scpFiles.map((absPath) => ({ absPath, ...this.read(absPath, scpFileSchema) }));
    const organization = org?.value
      ? resolveOrganizationSettings({
          orgName: org.value.name,
          orgFile: org.file,
          settings: org.value.organization,
          scpFiles,
          ous: [...ous.keys()],
          ouTree: tree.ous
            .filter((ou) => ouFolders.get(ou.name) === ou.folder)
            .map((ou) => {
              const checked = ous.get(ou.name);
              return {
                name: ou.name,
                path: ou.path,
                folder: ou.folder,
                accounts: ou.accounts.map((a) => a.name),
                ...(checked?.value ? { file: checked.file, ...(checked.value.scps ? { scps: checked.value.scps } : {}) } : {}),
              };
            }),
          accountNames: [...byName.keys()],
          accounts: new Map(resolved.map((a) => [a.name, a])),
          report: (file, path, message) => this.report(file, path, message),
        })
      : undefined;

    // org.yaml `securityBaseline:` and `network:` (src/config/security-baseline.ts).
    const securityBaseline = org?.value
      ? resolveSecurityBaseline({
          orgFile: org.file,
          settings: org.value.securityBaseline,
          hasOrganization: organization !== undefined,
          hasTrail: organization?.trail !== undefined,
          hasAlerts: organization?.alerts !== undefined,
          accounts: new Map(resolved.map((a) => [a.name, a])),
          report: (file, path, message) => this.report(file, path, message),
        })
      : undefined;
    const network = org?.value ? resolveNetwork(org.file, org.value.network) : undefined;
    const recordSettings = org?.value?.policyRecord;
    let policyRecord: ResolvedPolicyRecord | undefined;
    if (org && recordSettings) {
      const account = resolved.find((a) => a.name === recordSettings.account);
      if (!account) {
        this.report(org.file, '$.policyRecord.account', `unknown account "${recordSettings.account}": the record table goes into one of ${resolved.map((a) => a.name).sort().join(', ')} (the security account)`);
      } else {
        policyRecord = { account: account.name, accountId: account.id, region: account.regions[0] ?? org.value!.defaultRegion, tableName: recordSettings.tableName ?? DEFAULT_POLICY_RECORD_TABLE };
      }
    }

    if (this.problems.length > 0 || !org?.value) {
      const unique = new Map<string, Problem>();
      for (const p of this.problems) unique.set(`${p.file}\u0000${p.line}\u0000${p.path}\u0000${p.message}`, p);
      const problems = [...unique.values()].sort(compareProblems);
      throw new IamPlatformError(ERROR_CODES.INVALID_CONFIG, formatConfigProblems(problems), { problems });
    }
    return {
      name: org.value.name,
      rootDir: this.rootDir,
      defaultRegion: org.value.defaultRegion,
      // Every account's platform Lambdas share the organization's network option.
      accounts: resolved.map((a) => (network?.vpc ? { ...a, network } : a)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
      ...(organization ? { organization } : {}),
      ...(securityBaseline ? { securityBaseline } : {}),
      ...(network ? { network } : {}),
      ...(policyRecord ? { policyRecord } : {}),
    };
  }

  private checkTemplates(
    file: ConfigFile,
    templates: readonly RoleTemplateConfig[],
    ous: ReadonlyMap<string, unknown>,
    accounts: ReadonlyMap<string, AccountEntry>,
  ): TemplateDefinition[] {
    const seen = new Set<string>();
    const out: TemplateDefinition[] = [];
    templates.forEach((template, index) => {
      const path = `$.roleTemplates[${index}]`;
      if (seen.has(template.name)) {
        this.report(file, `${path}.name`, `duplicate role template "${template.name}" in this file: template names are unique per file`);
        return;
      }
      seen.add(template.name);
      const check = (list: readonly string[] | undefined, known: Iterable<string>, key: string, what: string): void => {
        const names = [...known].sort();
        (list ?? []).forEach((name, i) => {
          if (names.includes(name)) return;
          const suggestion = findClosestMatch(name, names);
          this.report(file, `${path}.selector.${key}[${i}]`, `unknown ${what} "${name}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}: known ${what}s are ${names.join(', ')}`);
        });
      };
      check(template.selector?.ous, ous.keys(), 'ous', 'OU');
      check(template.selector?.accounts, accounts.keys(), 'accounts', 'account');
      out.push({ template, file, index });
    });
    return out;
  }

  private resolveAccount(
    entry: AccountEntry,
    org: Checked<OrgFileConfig> | undefined,
    ouChain: readonly (Checked<OuFileConfig> | undefined)[],
    library: ReadonlyMap<string, PolicyDefinition>,
    orgTemplates: readonly TemplateDefinition[],
    ouTemplates: readonly TemplateDefinition[],
    accountIds: ReadonlyMap<string, string | undefined>,
  ): ResolvedAccount | undefined {
    const accountPolicies = this.readPolicies(entry.folder.policyFiles, 'account');
    const roleFiles = entry.folder.roleFiles.map((abs) => ({ abs, checked: this.read(abs, roleFileSchema) }));
    const account = entry.checked;
    const contextOk = org?.value !== undefined && ouChain.every((ou) => ou === undefined || ou.value !== undefined) && account?.value !== undefined;
    if (!contextOk || !org?.value || !account?.value) return undefined;
    const orgValue = org.value;
    /** The OU files along the path that exist, nearest last. */
    const ouLayers = ouChain.filter((ou): ou is Checked<OuFileConfig> & { value: OuFileConfig } => ou?.value !== undefined);
    const nearestOu = <K extends keyof OuFileConfig>(key: K): (Checked<OuFileConfig> & { value: OuFileConfig }) | undefined => [...ouLayers].reverse().find((ou) => ou.value[key] !== undefined);
    const accountValue = account.value;
    const problemCount = this.problems.length;

    // Inherited settings: nearest wins.
    const nearest = <K extends 'owner' | 'regions' | 'requiredTags' | 'permissionBoundary' | 'deployRole'>(key: K): Layer<NonNullable<AccountFileConfig[K]>> | undefined => {
      if (accountValue[key] !== undefined) return { file: account.file, value: accountValue[key] as NonNullable<AccountFileConfig[K]> };
      const ou = nearestOu(key);
      if (ou) return { file: ou.file, value: ou.value[key] as NonNullable<AccountFileConfig[K]> };
      if (orgValue[key] !== undefined) return { file: org.file, value: orgValue[key] as NonNullable<AccountFileConfig[K]> };
      return undefined;
    };
    const environment: Environment | undefined = accountValue.environment ?? nearestOu('environment')?.value.environment;
    if (environment === undefined) this.report(account.file, '$.environment', 'required key "environment" is missing: set nonprod, staging or prod here or in ou.yaml');
    const owner = nearest('owner')?.value;
    if (owner === undefined) this.report(account.file, '$.owner', 'required key "owner" is missing: set the accountable team here, in ou.yaml or in org.yaml');
    const regions = nearest('regions')?.value ?? [orgValue.defaultRegion];
    const requiredTags = nearest('requiredTags')?.value ?? [];
    const tags = Object.assign({}, orgValue.tags ?? {}, ...ouLayers.map((ou) => ou.value.tags ?? {}), accountValue.tags ?? {}) as Record<string, string>;
    const drift: DriftSettings = Object.assign({ mode: 'alert', enabled: true }, orgValue.drift, ...ouLayers.map((ou) => ou.value.drift ?? {}), accountValue.drift) as DriftSettings;
    const rolePath = orgValue.naming?.rolePath ?? '/';
    const policyPath = orgValue.naming?.policyPath ?? '/';
    const backend = this.resolveBackend(org.file, orgValue);
    const stackName = `${backend.type === 'cloud' ? backend.workspacePrefix : DEFAULT_STACK_PREFIX}${entry.name}`;

    const deployRole = nearest('deployRole');
    let deployRoleArn = `arn:aws:iam::${accountValue.id}:role/${DEFAULT_DEPLOY_ROLE}`;
    if (deployRole) {
      if (deployRole.value.startsWith('arn:')) {
        const id = deployRole.value.split(':')[4];
        if (id !== accountValue.id) this.report(account.file, '$.deployRole', `the deploy role ARN is in account ${id}, not in this account (${accountValue.id}): name a role of this account`);
        deployRoleArn = deployRole.value;
      } else {
        deployRoleArn = `arn:aws:iam::${accountValue.id}:role/${deployRole.value}`;
      }
    }

    const placeholders: PlaceholderValues = {
      'account.id': accountValue.id,
      'account.name': entry.name,
      'account.environment': environment ?? '',
      'account.ou': entry.folder.ou,
      'account.region': regions[0],
      'org.name': orgValue.name,
    };
    const substitute = <T>(file: ConfigFile, value: T, path: string): T =>
      substitutePlaceholders(value, placeholders, path, (p, name) => this.report(file, p, `unknown placeholder {{${name}}}: use one of {{account.id}}, {{account.name}}, {{account.environment}}, {{account.ou}}, {{account.region}}, {{org.name}}`));

    const permissionBoundary = this.resolveDefaultBoundary(nearest('permissionBoundary'), library, policyPath, substitute);
    if (permissionBoundary && accountPolicies.has(permissionBoundary.name)) {
      const clash = accountPolicies.get(permissionBoundary.name);
      if (clash) this.report(clash.file, '$', `policy name "${permissionBoundary.name}" is the permission boundary's name: rename the policy`);
    }

    // Role templates: org, then OU (same name replaces), filtered by selector and disableTemplates.
    const templates = new Map<string, TemplateDefinition>();
    for (const t of [...orgTemplates, ...ouTemplates]) templates.set(t.template.name, t);
    const disabled = new Set(accountValue.disableTemplates ?? []);
    (accountValue.disableTemplates ?? []).forEach((name, i) => {
      if (templates.has(name)) return;
      const known = [...templates.keys()].sort();
      const suggestion = findClosestMatch(name, known);
      this.report(account.file, `$.disableTemplates[${i}]`, `unknown role template "${name}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}: templates for this account are ${known.join(', ') || 'none'}`);
    });

    const usedLibrary = new Set<string>();
    const context: RoleContext = {
      accountName: entry.name,
      accountFolder: entry.folder.folder,
      accountIds,
      accountPolicies: new Set(accountPolicies.keys()),
      libraryPolicies: new Set(library.keys()),
      ...(permissionBoundary ? { defaultBoundaryName: permissionBoundary.name } : {}),
      rolePath,
      placeholders,
      report: (file, path, message) => this.report(file, path, message),
      useLibraryPolicy: (name) => usedLibrary.add(name),
    };

    const inputs = new Map<string, RoleInput>();
    for (const { template, file, index } of templates.values()) {
      if (disabled.has(template.name) || !environment || !this.matchesSelector(template, entry, environment)) continue;
      const { name: roleName = template.name, ...spec } = template.role;
      const other = inputs.get(roleName);
      if (other) {
        this.report(
          file,
          `$.roleTemplates[${index}]`,
          `role templates "${other.template}" and "${template.name}" both create role "${roleName}" in account ${entry.name}: make their selectors disjoint or disable one (disableTemplates)`,
        );
        continue;
      }
      inputs.set(roleName, { name: roleName, spec, file, base: `$.roleTemplates[${index}].role`, template: template.name });
    }
    const fileRoles = new Map<string, ConfigFile>();
    for (const { abs, checked } of roleFiles) {
      if (!checked.value) continue;
      const name = checked.value.name ?? basename(abs, '.yaml');
      if (checked.value.name === undefined && !IAM_NAME_PATTERN.test(name)) {
        this.report(checked.file, '$', `the file name "${name}" is not a valid role name: rename the file or set name:`);
        continue;
      }
      const other = fileRoles.get(name);
      if (other) {
        this.report(checked.file, checked.value.name !== undefined ? '$.name' : '$', `duplicate role name "${name}" in account ${entry.name}: also defined in ${other.file}`);
        continue;
      }
      fileRoles.set(name, checked.file);
      const { name: _name, ...spec } = checked.value;
      inputs.set(name, { name, spec, file: checked.file, base: '$' });
    }

    const roles: ResolvedRole[] = [];
    for (const input of inputs.values()) {
      const role = resolveRole(input, context);
      if (role) roles.push(role);
    }
    roles.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

    const policies: ResolvedManagedPolicy[] = [];
    for (const policy of [...accountPolicies.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      policies.push(this.resolvePolicy(policy, policyPath, substitute));
    }
    for (const name of [...usedLibrary].sort()) {
      const policy = library.get(name);
      if (policy && !accountPolicies.has(name)) policies.push(this.resolvePolicy(policy, policyPath, substitute));
    }

    const dynamicCredentials = backend.type === 'cloud' && backend.dynamicCredentials ? this.checkDynamicCredentials(org.file, backend, stackName, accountValue.id, roles) : undefined;

    const imports = entry.folder.importsFile ? this.readImports(entry.folder.importsFile) : undefined;

    if (this.problems.length > problemCount || !environment || !owner) return undefined;
    return {
      name: entry.name,
      id: accountValue.id,
      ou: entry.folder.ou,
      ...(entry.folder.ouPath.length > 1 ? { ouPath: entry.folder.ouPath } : {}),
      environment,
      owner,
      regions,
      deployRoleArn,
      ...(dynamicCredentials ? { dynamicCredentials } : {}),
      tags,
      requiredTags,
      stackName,
      backend,
      ...(permissionBoundary ? { permissionBoundary } : {}),
      policies,
      roles,
      oidcProviders: collectOidcProviders(roles),
      drift,
      ...(accountValue.serviceCredentials?.length ? { serviceCredentials: this.resolveServiceCredentials(account.file, accountValue.id, accountValue.serviceCredentials) } : {}),
      ...(imports ? { imports } : {}),
      sources: [org.file.file, ...ouLayers.map((ou) => ou.file.file), account.file.file],
      source: createSourceRef(account.file, '$'),
    };
  }

  /** account.yaml `serviceCredentials:`; a user named twice is a problem at its second entry. */
  private resolveServiceCredentials(file: ConfigFile, accountId: string, entries: NonNullable<AccountFileConfig['serviceCredentials']>): ResolvedServiceCredential[] {
    const seen = new Set<string>();
    const out: ResolvedServiceCredential[] = [];
    entries.forEach((entry, i) => {
      const key = entry.user.toLowerCase(); // IAM user names are case-insensitive
      if (seen.has(key)) {
        this.report(file, `$.serviceCredentials[${i}].user`, `user "${entry.user}" is already listed in serviceCredentials: keep one entry per user`);
        return;
      }
      seen.add(key);
      const rotationDays = entry.rotationDays ?? DEFAULT_ROTATION_DAYS;
      const graceHours = entry.graceHours ?? DEFAULT_GRACE_HOURS;
      if (graceHours * 3600 >= rotationDays * 86_400) {
        this.report(file, `$.serviceCredentials[${i}].graceHours`, `graceHours ${graceHours} must be shorter than the rotation interval (${rotationDays} days): IAM allows two keys per user`);
        return;
      }
      out.push({
        userName: entry.user,
        userPath: entry.path ?? '/',
        reason: entry.reason,
        rotationDays,
        graceHours,
        rotationRoleArn: `arn:aws:iam::${accountId}:role/${serviceCredentialRoleName(serviceCredentialPrefix(entry.user))}`,
        source: createSourceRef(file, `$.serviceCredentials[${i}]`),
      });
    });
    return out;
  }

  /**
   * The plan and apply roles of Terraform Cloud dynamic credentials, checked against what the account
   * really creates: both exist, the plan role is trusted only for `run_phase:plan`, the apply role only
   * for `run_phase:apply` of this account's own workspace (a plan runs a merge request's code).
   */
  private checkDynamicCredentials(
    orgFile: ConfigFile,
    backend: Extract<BackendConfig, { type: 'cloud' }>,
    workspace: string,
    accountId: string,
    roles: readonly ResolvedRole[],
  ): { planRoleArn: string; applyRoleArn: string } | undefined {
    const roles_ = backend.dynamicCredentials;
    if (!roles_) return undefined;
    const byName = new Map(roles.map((r) => [r.name.toLowerCase(), r]));
    const applySubject = `organization:${backend.organization}:project:${backend.project ?? '<project>'}:workspace:${workspace}:run_phase:apply`;
    const [applyBefore, applyAfter] = applySubject.split('<project>');
    const isApplySubject = (subject: string): boolean =>
      backend.project !== undefined
        ? subject === applySubject
        : subject.startsWith(applyBefore) && subject.endsWith(applyAfter ?? '') && !/[*?:]/.test(subject.slice(applyBefore.length, subject.length - (applyAfter ?? '').length));
    let ok = true;
    const check = (key: 'planRole' | 'applyRole', phase: 'plan' | 'apply'): ResolvedRole | undefined => {
      const path = `$.backend.terraformCloud.dynamicCredentials.${key}`;
      const name = roles_[key];
      const role = byName.get(name.toLowerCase());
      if (!role) {
        ok = false;
        this.report(orgFile, path, `role "${name}" is not created in account ${workspace.slice(backend.workspacePrefix.length)}: add it (a role template in org.yaml) or name an existing role`);
        return undefined;
      }
      if (role.trust.accounts.length > 0 || role.trust.services.length > 0 || role.trust.saml.length > 0 || role.trust.oidc.some((o) => o.provider !== 'terraform-cloud')) {
        ok = false;
        this.report(orgFile, path, `role "${name}" is trusted by more than Terraform Cloud: the ${phase} role of dynamic credentials trusts only the terraform-cloud OIDC provider`);
      }
      for (const trust of role.trust.oidc.filter((o) => o.provider === 'terraform-cloud')) {
        for (const subject of trust.subjects) {
          const wrong = phase === 'plan' ? !subject.startsWith(`organization:${backend.organization}:project:`) || !subject.endsWith(':run_phase:plan') : !isApplySubject(subject);
          if (wrong) {
            ok = false;
            this.report(
              orgFile,
              path,
              phase === 'plan'
                ? `role "${name}" trusts subject "${subject}": the plan role is trusted only for run_phase:plan of organization ${backend.organization} (a plan runs a merge request's code); write organization:${backend.organization}:project:<project>:workspace:<workspace>:run_phase:plan`
                : `role "${name}" trusts subject "${subject}": the apply role is trusted only for "${applySubject}" (run_phase:apply of this account's workspace)`,
            );
          }
        }
      }
      return role;
    };
    const plan = check('planRole', 'plan');
    const apply = check('applyRole', 'apply');
    if (!ok || !plan || !apply) return undefined;
    const arn = (role: ResolvedRole): string => `arn:aws:iam::${accountId}:role${role.path}${role.name}`;
    return { planRoleArn: arn(plan), applyRoleArn: arn(apply) };
  }

  /** imports.yaml of an account (written by `iamctl import`). */
  private readImports(absPath: string): AccountImports | undefined {
    const { file, value } = this.read<ImportsFileConfig>(absPath, importsFileSchema);
    if (!value) return undefined;
    return {
      roles: value.roles ?? [],
      rolePolicies: value.rolePolicies ?? [],
      rolePolicyAttachments: value.rolePolicyAttachments ?? [],
      policies: value.policies ?? [],
      oidcProviders: value.oidcProviders ?? [],
      ...(value.adopting ? { adopting: { roles: value.adopting.roles ?? {}, policies: value.adopting.policies ?? {}, oidcProviders: value.adopting.oidcProviders ?? {} } } : {}),
      source: createSourceRef(file, '$'),
    };
  }

  private matchesSelector(template: RoleTemplateConfig, entry: AccountEntry, environment: Environment): boolean {
    const selector = template.selector;
    if (!selector) return true;
    if (selector.environments && !selector.environments.includes(environment)) return false;
    // An account is in every OU of its path: `ous: [workloads]` matches accounts of workloads/prod too.
    if (selector.ous && !selector.ous.some((ou) => entry.folder.ouPath.includes(ou))) return false;
    if (selector.accounts && !selector.accounts.includes(entry.name)) return false;
    return true;
  }

  private resolveBackend(file: ConfigFile, org: OrgFileConfig): BackendConfig {
    const cloud = org.backend?.terraformCloud;
    const s3 = org.backend?.s3;
    if (cloud && s3) this.report(file, '$.backend', 'backend names both terraformCloud and s3: keep one');
    if (cloud) {
      return {
        type: 'cloud',
        organization: cloud.organization,
        hostname: cloud.hostname ?? DEFAULT_TFC_HOSTNAME,
        ...(cloud.project !== undefined ? { project: cloud.project } : {}),
        workspacePrefix: cloud.workspacePrefix ?? DEFAULT_STACK_PREFIX,
        ...(cloud.dynamicCredentials ? { dynamicCredentials: { planRole: cloud.dynamicCredentials.planRole, applyRole: cloud.dynamicCredentials.applyRole } } : {}),
      };
    }
    if (s3) {
      return {
        type: 's3',
        bucket: s3.bucket,
        keyPrefix: s3.keyPrefix ?? DEFAULT_S3_KEY_PREFIX,
        region: s3.region ?? org.defaultRegion,
        ...(s3.dynamodbTable !== undefined ? { dynamodbTable: s3.dynamodbTable } : {}),
      };
    }
    return { type: 'local' };
  }

  private resolveDefaultBoundary(
    layer: Layer<DefaultBoundaryConfig> | undefined,
    library: ReadonlyMap<string, PolicyDefinition>,
    policyPath: string,
    substitute: <T>(file: ConfigFile, value: T, path: string) => T,
  ): ResolvedPermissionBoundary | undefined {
    if (!layer) return undefined;
    if (typeof layer.value === 'string') {
      const policy = library.get(layer.value);
      if (!policy) {
        const known = [...library.keys()].sort();
        const suggestion = findClosestMatch(layer.value, known);
        this.report(layer.file, '$.permissionBoundary', `unknown policy "${layer.value}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}: the default boundary must be in accounts/policies/ (known: ${known.join(', ') || 'none'})`);
        return undefined;
      }
      return {
        name: policy.name,
        ...(policy.config.description !== undefined ? { description: policy.config.description } : {}),
        path: policy.config.path ?? policyPath,
        document: fillPlaceholders(policy.document, policy.config.document, substitute(policy.file, policy.config.document, '$.document'), 'boundary'),
        lint: policy.config.lint?.ignore ?? [],
        source: createSourceRef(policy.file, '$'),
      };
    }
    const inline = layer.value;
    const { document, problems } = PolicyDocument.parse(inline.document, { type: 'boundary', path: '$.permissionBoundary.document' });
    for (const p of problems) this.report(layer.file, p.path, p.message);
    if (problems.length > 0 || !document) return undefined;
    return {
      name: inline.name,
      ...(inline.description !== undefined ? { description: inline.description } : {}),
      path: inline.path ?? policyPath,
      document: fillPlaceholders(document, inline.document, substitute(layer.file, inline.document, '$.permissionBoundary.document'), 'boundary'),
      lint: inline.lint?.ignore ?? [],
      source: createSourceRef(layer.file, '$.permissionBoundary'),
    };
  }

  private resolvePolicy(policy: PolicyDefinition, policyPath: string, substitute: <T>(file: ConfigFile, value: T, path: string) => T): ResolvedManagedPolicy {
    return {
      name: policy.name,
      ...(policy.config.description !== undefined ? { description: policy.config.description } : {}),
      path: policy.config.path ?? policyPath,
      document: fillPlaceholders(policy.document, policy.config.document, substitute(policy.file, policy.config.document, '$.document'), 'identity'),
      tags: policy.config.tags ?? {},
      lint: policy.config.lint?.ignore ?? [],
      origin: policy.origin,
      source: createSourceRef(policy.file, '$'),
    };
  }
}

/**
 * The document of one account: the one validated from the file when no placeholder changed it (the
 * substitution copies only what it changes), else the substituted JSON built once. Placeholders fill string
 * values only, so a valid document stays valid.
 */
function fillPlaceholders(validated: PolicyDocument, written: unknown, substituted: unknown, type: PolicyType): PolicyDocument {
  return substituted === written ? validated : PolicyDocument.fromJson(substituted, { type });
}

/** The OIDC identity providers an account needs: one per issuer URL its roles trust, with every audience. */
function collectOidcProviders(roles: readonly ResolvedRole[]): ResolvedOidcProvider[] {
  const byUrl = new Map<string, { provider: ResolvedOidcProvider['provider']; audiences: Set<string> }>();
  for (const role of roles) {
    for (const trust of role.trust.oidc) {
      const entry = byUrl.get(trust.url) ?? { provider: trust.provider, audiences: new Set<string>() };
      for (const aud of trust.audiences) entry.audiences.add(aud);
      byUrl.set(trust.url, entry);
    }
  }
  return [...byUrl.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([url, entry]) => ({ provider: entry.provider, url, clientIds: [...entry.audiences].sort(), thumbprints: [] }));
}

/**
 * Loads and resolves the organization under `<rootDir>/accounts` (or `options.accountsDir`).
 * Throws IamPlatformError CONFIG_NOT_FOUND when the folder is missing, and INVALID_CONFIG with every
 * problem (file, line, path, message) when any file is invalid.
 */
export function loadOrganization(rootDir: string, options: LoadOrganizationOptions = {}): ResolvedOrganization {
  const root = resolve(rootDir);
  const accountsDir = resolve(root, options.accountsDir ?? 'accounts');
  if (!existsSync(accountsDir) || !statSync(accountsDir).isDirectory()) {
    throw new IamPlatformError(
      ERROR_CODES.CONFIG_NOT_FOUND,
      `no accounts folder at ${toRepoPath(root, accountsDir) || accountsDir}: run iamctl from the repository root, or create accounts/org.yaml (see the README, "Layout")`,
    );
  }
  if (!isInside(realpathSync(root), realpathSync(accountsDir))) {
    throw new IamPlatformError(
      ERROR_CODES.INVALID_CONFIG,
      `${toRepoPath(root, accountsDir)} leaves the repository (a symbolic link to another place): config is read only inside the repository; replace the link with the folder itself`,
    );
  }
  return new OrganizationLoader(root, accountsDir).load();
}
