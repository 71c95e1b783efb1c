/**
 * The organization-level part of accounts/: `organization:` in org.yaml (management account, trail,
 * alerts) and accounts/scps/<name>.yaml (one service control policy per file). Checks structure and
 * references only: targets exist, at most MAX_SCPS_PER_TARGET per target (the AWS-managed
 * FullAWSAccess counts), each SCP fits MAX_SCP_CHARS minified and is a valid SCP document. Lint rules
 * (scp-locks-out-pipeline, …) run in `iamctl lint` and the organization stack, not here.
 */
import { basename } from 'node:path';
import type {
  ResolvedAccount,
  ResolvedAlertSettings,
  ResolvedOrganizationSettings,
  ResolvedServiceControlPolicy,
  ResolvedTrailSettings,
  ScpTarget,
} from '../core/model';
import { MAX_SCP_CHARS, MAX_SCPS_PER_TARGET, PolicyDocument, measureJsonSize } from '../core/policy';
import { findClosestMatch } from './closest-match';
import { createSourceRef, type ConfigFile } from './config-file';
import { IAM_NAME_PATTERN, MIN_TRAIL_LOG_RETENTION_DAYS, type OrganizationSettingsConfig, type ScpFileConfig } from './schema';

/** The target name that attaches an SCP to the organization root. */
export const SCP_ROOT_TARGET = 'root';
/** SCPs AWS attaches to every root, OU and account by default (FullAWSAccess); they count against MAX_SCPS_PER_TARGET. */
export const DEFAULT_ATTACHED_SCPS = 1;
/** Trail name when org.yaml names none. */
export const DEFAULT_TRAIL_NAME = 'organization-trail';
/** SNS topic of the IAM-change alarms when org.yaml names none. */
export const DEFAULT_ALERT_TOPIC = 'iam-change-alerts';
/** CloudWatch metric namespace of the alarms (the CIS benchmark's). */
export const DEFAULT_ALERT_NAMESPACE = 'CISBenchmark';
/** Break-glass role name watched by the AssumeRole alarm when org.yaml names none. */
export const DEFAULT_BREAK_GLASS_ROLE = 'break-glass';

/** One accounts/scps/*.yaml file, read and schema-checked (`value` is undefined when it has problems). */
export interface ScpFileInput {
  readonly absPath: string;
  readonly file: ConfigFile;
  readonly value?: ScpFileConfig;
}

/** One OU of the tree, as the SCP resolution needs it. */
export interface OuNode {
  readonly name: string;
  /** OU names from the top-level OU down to this one. */
  readonly path: readonly string[];
  /** Its ou.yaml when present and valid (for `scps:` and for problems). @default - none */
  readonly file?: ConfigFile;
  /** `scps:` of its ou.yaml. @default - none */
  readonly scps?: readonly string[];
  /** Repository-relative folder (for problems when there is no ou.yaml). */
  readonly folder: string;
  /** Names of the accounts directly in it. */
  readonly accounts: readonly string[];
}

/** What {@link resolveOrganizationSettings} needs from the loader. */
export interface OrganizationSettingsInput {
  /** Organization name (org.yaml `name`). */
  readonly orgName: string;
  /** org.yaml, for problems. */
  readonly orgFile: ConfigFile;
  /** org.yaml `organization:`, when present. */
  readonly settings?: OrganizationSettingsConfig;
  readonly scpFiles: readonly ScpFileInput[];
  /** OU folder names. */
  readonly ous: readonly string[];
  /** The OU tree (paths, ou.yaml `scps:`). @default - every OU of `ous` directly under the root, no `scps:` */
  readonly ouTree?: readonly OuNode[];
  /** Every account name found (resolved or not), so a broken account is not also reported as unknown. */
  readonly accountNames: readonly string[];
  /** Resolved accounts, by name. */
  readonly accounts: ReadonlyMap<string, ResolvedAccount>;
  /** Records a problem at a JSON path of a file. */
  readonly report: (file: ConfigFile, path: string, message: string) => void;
}

function unknownName(what: string, name: string, known: readonly string[]): string {
  const suggestion = findClosestMatch(name, known);
  return `unknown ${what} "${name}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}: known ${what}s are ${known.join(', ') || 'none'}`;
}

function targetKey(target: ScpTarget): string {
  return target.kind === 'root' ? SCP_ROOT_TARGET : `${target.kind}:${target.name}`;
}

function describeTarget(target: ScpTarget): string {
  return target.kind === 'root' ? 'the organization root' : `${target.kind === 'ou' ? 'OU' : 'account'} "${target.name}"`;
}

/** Resolves one SCP file; reports and returns undefined on any problem. */
function resolveScp(scp: ScpFileInput, input: OrganizationSettingsInput): ResolvedServiceControlPolicy | undefined {
  const value = scp.value;
  if (!value) return undefined;
  let ok = true;
  const problem = (path: string, message: string): void => {
    ok = false;
    input.report(scp.file, path, message);
  };
  const name = value.name ?? basename(scp.absPath, '.yaml');
  if (value.name === undefined && !IAM_NAME_PATTERN.test(name)) problem('$', `the file name "${name}" is not a valid SCP name: rename the file or set name:`);

  const { document, problems: documentProblems } = PolicyDocument.parse(value.document, { type: 'scp', path: '$.document' });
  for (const p of documentProblems) problem(p.path, p.message);
  if (document && documentProblems.length === 0) {
    const size = measureJsonSize(value.document);
    if (size > MAX_SCP_CHARS) {
      problem('$.document', `SCP "${name}" is ${size} characters minified, over MAX_SCP_CHARS (${MAX_SCP_CHARS}): split it by concern into several SCPs`);
    }
  }

  const ous = [...input.ous].sort();
  const accountNames = [...input.accountNames].sort();
  const targets: ScpTarget[] = [];
  const seen = new Set<string>();
  value.targets.forEach((raw, i) => {
    const path = `$.targets[${i}]`;
    const prefixed = /^(ou|account):(.+)$/.exec(raw);
    const wanted = prefixed?.[2] ?? raw;
    const isOu = prefixed?.[1] !== 'account' && ous.includes(wanted);
    const isAccount = prefixed?.[1] !== 'ou' && accountNames.includes(wanted);
    let target: ScpTarget;
    if (raw === SCP_ROOT_TARGET) target = { kind: 'root' };
    else if (isOu && isAccount) {
      problem(path, `target "${raw}" is both an OU and an account: write "ou:${raw}" or "account:${raw}"`);
      return;
    } else if (isOu) {
      const path = input.ouTree?.find((o) => o.name === wanted)?.path;
      target = { kind: 'ou', name: wanted, ...(path && path.length > 1 ? { path } : {}) };
    }
    else if (isAccount) {
      const account = input.accounts.get(wanted);
      if (!account) return; // the account has its own problems
      target = { kind: 'account', name: wanted, id: account.id };
    } else {
      const known = [SCP_ROOT_TARGET, ...ous, ...accountNames];
      const suggestion = findClosestMatch(wanted, known);
      problem(path, `unknown target "${raw}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}: a target is root, an OU (${ous.join(', ') || 'none'}) or an account (${accountNames.join(', ') || 'none'}), optionally prefixed ou: or account:`);
      return;
    }
    const key = targetKey(target);
    if (seen.has(key)) {
      problem(path, `duplicate target "${raw}": list each target once`);
      return;
    }
    seen.add(key);
    targets.push(target);
  });
  if (!ok) return undefined;
  return {
    name,
    description: value.description ?? '',
    document: document!,
    targets,
    lint: value.lint?.ignore ?? [],
    source: createSourceRef(scp.file, '$'),
  };
}

/** At most MAX_SCPS_PER_TARGET per root, OU and account, FullAWSAccess included; reported on the SCP that goes over. */
function checkTargetCounts(scps: readonly { readonly scp: ResolvedServiceControlPolicy; readonly file: ConfigFile; readonly raw: readonly string[] }[], input: OrganizationSettingsInput): void {
  const byTarget = new Map<string, string[]>();
  for (const { scp, file, raw } of scps) {
    scp.targets.forEach((target) => {
      const key = targetKey(target);
      const names = byTarget.get(key) ?? [];
      names.push(scp.name);
      byTarget.set(key, names);
      const total = names.length + DEFAULT_ATTACHED_SCPS;
      if (total === MAX_SCPS_PER_TARGET + 1) {
        const index = raw.findIndex((r) => r === SCP_ROOT_TARGET ? target.kind === 'root' : r.replace(/^(ou|account):/, '') === (target.kind === 'root' ? '' : target.name));
        input.report(
          file,
          `$.targets[${index}]`,
          `${describeTarget(target)} would have ${total} SCPs (FullAWSAccess, ${names.join(', ')}), over MAX_SCPS_PER_TARGET (${MAX_SCPS_PER_TARGET}) per root, OU or account: merge SCPs or attach one to a parent`,
        );
      }
    });
  }
}

/**
 * Adds the `scps:` of each ou.yaml to the SCPs' targets: an unknown SCP name is a problem (with the
 * closest name); an SCP already targeting the OU is not added twice; the per-target limit is checked again.
 */
function attachOuScps(resolved: { scp: ResolvedServiceControlPolicy; file: ConfigFile; raw: readonly string[] }[], input: OrganizationSettingsInput): void {
  const byName = new Map(resolved.map((r, i) => [r.scp.name, i]));
  for (const ou of input.ouTree ?? []) {
    if (!ou.file || !ou.scps) continue;
    const file = ou.file;
    ou.scps.forEach((name, i) => {
      const index = byName.get(name);
      const entry = index === undefined ? undefined : resolved[index];
      if (index === undefined || !entry) {
        input.report(file, `$.scps[${i}]`, unknownName('SCP', name, [...byName.keys()].sort()));
        return;
      }
      if (entry.scp.targets.some((t) => t.kind === 'ou' && t.name === ou.name)) return;
      const target: ScpTarget = { kind: 'ou', name: ou.name, ...(ou.path.length > 1 ? { path: ou.path } : {}) };
      resolved[index] = { ...entry, scp: { ...entry.scp, targets: [...entry.scp.targets, target] } };
    });
    const attached = resolved.filter((r) => r.scp.targets.some((t) => t.kind === 'ou' && t.name === ou.name)).map((r) => r.scp.name);
    if (attached.length + DEFAULT_ATTACHED_SCPS > MAX_SCPS_PER_TARGET) {
      input.report(file, '$.scps', `OU "${ou.name}" would have ${attached.length + DEFAULT_ATTACHED_SCPS} SCPs (FullAWSAccess, ${attached.join(', ')}), over MAX_SCPS_PER_TARGET (${MAX_SCPS_PER_TARGET}) per root, OU or account: merge SCPs or attach one to a parent`);
    }
  }
}

function resolveTrail(settings: OrganizationSettingsConfig, input: OrganizationSettingsInput): ResolvedTrailSettings | undefined {
  const trail = settings.trail;
  if (!trail) return undefined;
  const names = [...input.accountNames].sort();
  if (!names.includes(trail.logArchiveAccount)) {
    input.report(input.orgFile, '$.organization.trail.logArchiveAccount', unknownName('account', trail.logArchiveAccount, names));
    return undefined;
  }
  const account = input.accounts.get(trail.logArchiveAccount);
  if (!account) return undefined;
  const name = trail.name ?? DEFAULT_TRAIL_NAME;
  return {
    name,
    logArchiveAccount: account.name,
    logArchiveAccountId: account.id,
    logArchiveRegion: account.regions[0],
    logArchiveDeployRoleArn: account.deployRoleArn,
    bucketName: trail.bucketName ?? `${input.orgName}-${name}-${account.id}`,
    logGroupName: `/aws/cloudtrail/${name}`,
    logRetentionDays: trail.logRetentionDays ?? MIN_TRAIL_LOG_RETENTION_DAYS,
    source: createSourceRef(input.orgFile, '$.organization.trail'),
  };
}

function resolveAlerts(settings: OrganizationSettingsConfig, input: OrganizationSettingsInput): ResolvedAlertSettings | undefined {
  const alerts = settings.alerts;
  if (!alerts) return undefined;
  if (!settings.trail) {
    input.report(input.orgFile, '$.organization.alerts', "alerts read the organization trail's CloudWatch Logs group: add organization.trail (with logArchiveAccount) or remove alerts");
    return undefined;
  }
  return {
    topicName: alerts.topicName ?? DEFAULT_ALERT_TOPIC,
    namespace: alerts.namespace ?? DEFAULT_ALERT_NAMESPACE,
    breakGlassRoleName: alerts.breakGlassRole ?? DEFAULT_BREAK_GLASS_ROLE,
    emails: alerts.emails ?? [],
    source: createSourceRef(input.orgFile, '$.organization.alerts'),
  };
}

/**
 * Resolves `organization:` of org.yaml and the SCP files. Returns undefined when there is neither;
 * every problem goes to `input.report` (the loader then throws them all at once).
 */
export function resolveOrganizationSettings(input: OrganizationSettingsInput): ResolvedOrganizationSettings | undefined {
  const settings = input.settings;
  if (!settings) {
    const first = input.scpFiles[0];
    if (first) input.report(first.file, '$', 'accounts/scps/ holds SCPs but org.yaml has no organization section: add organization: { managementAccount: <account name> }');
    return undefined;
  }
  const names = [...input.accountNames].sort();
  if (!names.includes(settings.managementAccount)) {
    input.report(input.orgFile, '$.organization.managementAccount', unknownName('account', settings.managementAccount, names));
  }
  const management = input.accounts.get(settings.managementAccount);

  const resolved: { scp: ResolvedServiceControlPolicy; file: ConfigFile; raw: readonly string[] }[] = [];
  const byName = new Map<string, ConfigFile>();
  for (const file of input.scpFiles) {
    const scp = resolveScp(file, input);
    if (!scp || !file.value) continue;
    const other = byName.get(scp.name);
    if (other) {
      input.report(file.file, file.value.name !== undefined ? '$.name' : '$', `duplicate SCP name "${scp.name}": also defined in ${other.file}`);
      continue;
    }
    byName.set(scp.name, file.file);
    resolved.push({ scp, file: file.file, raw: file.value.targets });
  }
  checkTargetCounts(resolved, input);
  attachOuScps(resolved, input);
  for (const r of resolved) {
    if (r.scp.targets.length === 0) input.report(r.file, '$.targets', `SCP "${r.scp.name}" is attached nowhere: list targets (root, OUs, accounts) or name it in the scps: of an ou.yaml`);
  }

  const trail = resolveTrail(settings, input);
  const alerts = resolveAlerts(settings, input);
  if (!management) return undefined;
  return {
    managementAccount: management.name,
    managementAccountId: management.id,
    scps: resolved.map((r) => r.scp).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    ...(trail ? { trail } : {}),
    ...(alerts ? { alerts } : {}),
    source: createSourceRef(input.orgFile, '$.organization'),
  };
}
