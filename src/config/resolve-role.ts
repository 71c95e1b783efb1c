/**
 * Resolves one role (from a role file or a role template) for one account: placeholders filled
 * in, trust defaults applied, account names turned into ids, policy names resolved to the account's
 * policies/, the org library or AWS managed policies, and the permission boundary decided.
 */
import { PolicyDocument, MIN_SESSION_DURATION_SECONDS } from '../core/policy';
import type {
  AccountTrust,
  InlinePolicy,
  ManagedPolicyRef,
  OidcTrust,
  ResolvedRole,
  RoleBoundary,
  SamlTrust,
  StatementExpiry,
  TrustConfig,
} from '../core/model';
import { findClosestMatch } from './closest-match';
import { createSourceRef, type ConfigFile } from './config-file';
import { appendPath } from './json-path';
import { substitutePlaceholders, type PlaceholderValues } from './placeholders';
import { expiresSchema, NAME_PATTERN, type RoleSpecConfig } from './schema';

/** Issuer defaults of the known OIDC providers. */
export const OIDC_DEFAULTS = {
  gitlab: { url: 'https://gitlab.com' },
  'terraform-cloud': { url: 'https://app.terraform.io', audience: 'aws.workload.identity' },
} as const;

/** @default for mfaMaxAgeSeconds when MFA is required, in seconds (one hour). */
export const DEFAULT_MFA_MAX_AGE_SECONDS = 3600;

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(?:root|(?:role|user)\/[\w+=,.@/-]+)$/;
const AWS_MANAGED_NAME = /^[\w+=,.@/-]+$/;

/** What resolving a role needs to know about its account and organization. */
export interface RoleContext {
  readonly accountName: string;
  /** Repository-relative account folder (`accounts/workloads/app-dev`), for messages. */
  readonly accountFolder: string;
  /** Account name → id; `undefined` id when that account's file is itself invalid (already reported). */
  readonly accountIds: ReadonlyMap<string, string | undefined>;
  /** Names of the account's own customer managed policies. */
  readonly accountPolicies: ReadonlySet<string>;
  /** Names of the org library policies (accounts/policies/). */
  readonly libraryPolicies: ReadonlySet<string>;
  /** Name of the account's default boundary. @default - no default boundary */
  readonly defaultBoundaryName?: string;
  /** Default IAM path of roles. */
  readonly rolePath: string;
  readonly placeholders: PlaceholderValues;
  /** Records a problem at a path of a file. */
  readonly report: (file: ConfigFile, path: string, message: string) => void;
  /** Records that the account uses a library policy (so it is created in the account). */
  readonly useLibraryPolicy: (name: string) => void;
}

/** One role to resolve. */
export interface RoleInput {
  readonly name: string;
  readonly spec: RoleSpecConfig;
  readonly file: ConfigFile;
  /** Path of the role spec in the file: `$` for a role file, `$.roleTemplates[0].role` for a template. */
  readonly base: string;
  /** Template name, for roles from templates. @default - a role file */
  readonly template?: string;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function resolvePrincipal(principal: string, path: string, input: RoleInput, context: RoleContext): string | undefined {
  const report = (message: string): undefined => {
    context.report(input.file, path, message);
    return undefined;
  };
  if (/^\d{12}$/.test(principal)) return principal;
  if (principal.startsWith('arn:')) {
    if (ROLE_ARN.test(principal)) return principal;
    return report(`malformed ARN "${principal}": expected arn:aws:iam::<12-digit account id>:role/<name> (or :user/<name>, :root)`);
  }
  if (/^\d+$/.test(principal)) return report(`"${principal}" is not an account id: an account id has exactly 12 digits (quote it in YAML)`);
  if (!NAME_PATTERN.test(principal)) {
    return report(`"${principal}" is not a principal: expected an account name from accounts/, a 12-digit account id or a role ARN`);
  }
  if (!context.accountIds.has(principal)) {
    const known = [...context.accountIds.keys()].sort();
    const suggestion = findClosestMatch(principal, known);
    return report(`unknown account "${principal}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}: known accounts are ${known.join(', ')}`);
  }
  return context.accountIds.get(principal);
}

function resolveTrust(spec: RoleSpecConfig, input: RoleInput, context: RoleContext): TrustConfig {
  const trustPath = appendPath(input.base, 'trust');
  const accounts: AccountTrust[] = [];
  (spec.trust.accounts ?? []).forEach((entry, i) => {
    const entryPath = `${trustPath}.accounts[${i}]`;
    const principals = unique(
      entry.principals.map((p, j) => resolvePrincipal(p, `${entryPath}.principals[${j}]`, input, context)).filter((p): p is string => p !== undefined),
    );
    const kind = entry.kind ?? 'human';
    const requireMfa = entry.requireMfa ?? kind === 'human';
    if (kind === 'third-party' && entry.externalId === undefined) {
      context.report(input.file, `${entryPath}.externalId`, 'a third-party trust needs externalId: the shared secret the vendor passes as sts:ExternalId (confused-deputy protection)');
    }
    if (!requireMfa && entry.mfaMaxAgeSeconds !== undefined) {
      context.report(input.file, `${entryPath}.mfaMaxAgeSeconds`, 'mfaMaxAgeSeconds needs requireMfa: true; remove it or require MFA');
    }
    const trust: AccountTrust = {
      principals,
      kind,
      requireMfa,
      ...(requireMfa ? { mfaMaxAgeSeconds: entry.mfaMaxAgeSeconds ?? DEFAULT_MFA_MAX_AGE_SECONDS } : {}),
      ...(entry.externalId !== undefined ? { externalId: entry.externalId } : {}),
      ...(entry.expires !== undefined ? { expires: entry.expires } : {}),
      ...(entry.sid !== undefined ? { sid: entry.sid } : {}),
      source: createSourceRef(input.file, entryPath),
    };
    accounts.push(trust);
  });

  const oidc: OidcTrust[] = [];
  (spec.trust.oidc ?? []).forEach((entry, i) => {
    const entryPath = `${trustPath}.oidc[${i}]`;
    let url: string | undefined = entry.url;
    let audiences: readonly string[] | undefined = entry.audiences;
    if (entry.provider === 'gitlab') {
      url ??= OIDC_DEFAULTS.gitlab.url;
      audiences ??= [url.replace(/\/+$/, '')];
    } else if (entry.provider === 'terraform-cloud') {
      url ??= OIDC_DEFAULTS['terraform-cloud'].url;
      audiences ??= [OIDC_DEFAULTS['terraform-cloud'].audience];
    } else {
      if (url === undefined) context.report(input.file, `${entryPath}.url`, 'a custom OIDC provider needs url: the issuer URL (https://...)');
      if (audiences === undefined) context.report(input.file, `${entryPath}.audiences`, 'a custom OIDC provider needs audiences: the allowed aud values');
    }
    if (url === undefined || audiences === undefined) return;
    oidc.push({ provider: entry.provider, url: url.replace(/\/+$/, ''), audiences: unique(audiences), subjects: unique(entry.subjects), ...(entry.sid !== undefined ? { sid: entry.sid } : {}), source: createSourceRef(input.file, entryPath) });
  });

  const saml: SamlTrust[] = (spec.trust.saml ?? []).map((entry, i) => ({ provider: entry.provider, ...(entry.sid !== undefined ? { sid: entry.sid } : {}), source: createSourceRef(input.file, `${trustPath}.saml[${i}]`) }));
  const services = unique(spec.trust.services ?? []);
  const written = (spec.trust.accounts ?? []).length + services.length + (spec.trust.oidc ?? []).length + saml.length;
  if (written === 0) {
    context.report(input.file, trustPath, 'trust names nobody: add accounts, services, oidc or saml');
  }
  return { accounts, services, ...(spec.trust.serviceSid !== undefined ? { serviceSid: spec.trust.serviceSid } : {}), oidc, saml };
}

function describePolicyLookup(name: string, context: RoleContext): string {
  const known = [...new Set([...context.accountPolicies, ...context.libraryPolicies])].sort();
  const suggestion = findClosestMatch(name, known);
  return `unknown policy "${name}": not in ${context.accountFolder}/policies/ nor accounts/policies/${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`;
}

function resolveManagedPolicies(spec: RoleSpecConfig, input: RoleInput, context: RoleContext): ManagedPolicyRef[] {
  const refs: ManagedPolicyRef[] = [];
  const seen = new Set<string>();
  (spec.managedPolicies ?? []).forEach((entry, i) => {
    const path = `${appendPath(input.base, 'managedPolicies')}[${i}]`;
    if (seen.has(entry)) {
      context.report(input.file, path, `"${entry}" is listed twice: remove one`);
      return;
    }
    seen.add(entry);
    const source = createSourceRef(input.file, path);
    if (entry.startsWith('aws:')) {
      const name = entry.slice('aws:'.length);
      if (!AWS_MANAGED_NAME.test(name)) {
        context.report(input.file, path, `expected aws:<AWS managed policy name> (aws:ReadOnlyAccess, aws:job-function/ViewOnlyAccess), got "${entry}"`);
        return;
      }
      refs.push({ kind: 'aws', name, source });
      return;
    }
    if (entry === context.defaultBoundaryName) {
      context.report(input.file, path, `"${entry}" is the account's permission boundary: it cannot also be attached as a permissions policy`);
      return;
    }
    if (context.accountPolicies.has(entry)) {
      refs.push({ kind: 'customer', name: entry, source });
    } else if (context.libraryPolicies.has(entry)) {
      context.useLibraryPolicy(entry);
      refs.push({ kind: 'customer', name: entry, source });
    } else {
      context.report(input.file, path, `${describePolicyLookup(entry, context)}; write aws:${entry} for an AWS managed policy`);
    }
  });
  return refs;
}

/**
 * Takes `expires` off the statements of an inline policy (IAM knows no such key): the document keeps
 * only IAM's keys, the dates go to `statementExpiries`. A malformed date is reported at its path.
 */
function extractStatementExpiries(document: unknown, documentPath: string, input: RoleInput, context: RoleContext): { document: unknown; expiries: StatementExpiry[] } {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) return { document, expiries: [] };
  const raw = (document as Record<string, unknown>).Statement;
  const list = Array.isArray(raw) ? raw : [raw];
  const expiries: StatementExpiry[] = [];
  let changed = false;
  const statements = list.map((statement, index) => {
    if (statement === null || typeof statement !== 'object' || Array.isArray(statement) || !('expires' in statement)) return statement;
    const { expires, ...rest } = statement as Record<string, unknown>;
    changed = true;
    const path = Array.isArray(raw) ? `${documentPath}.Statement[${index}].expires` : `${documentPath}.Statement.expires`;
    const parsed = expiresSchema.safeParse(expires);
    if (!parsed.success) context.report(input.file, path, parsed.error.issues[0]?.message ?? 'expected an expiry date as YYYY-MM-DD');
    else expiries.push({ index, expires: parsed.data, source: createSourceRef(input.file, path) });
    return rest;
  });
  if (!changed) return { document, expiries };
  return { document: { ...(document as Record<string, unknown>), Statement: Array.isArray(raw) ? statements : statements[0] }, expiries };
}

function resolveInlinePolicies(spec: RoleSpecConfig, input: RoleInput, context: RoleContext): InlinePolicy[] {
  const base = appendPath(input.base, 'inlinePolicies');
  const entries: { name: string; document: unknown; namePath: string; documentPath: string }[] = [];
  const raw = spec.inlinePolicies;
  if (Array.isArray(raw)) {
    raw.forEach((entry, i) => entries.push({ name: entry.name, document: entry.document, namePath: `${base}[${i}].name`, documentPath: `${base}[${i}].document` }));
  } else if (raw) {
    for (const [name, document] of Object.entries(raw)) entries.push({ name, document, namePath: appendPath(base, name), documentPath: appendPath(base, name) });
  }
  const seen = new Set<string>();
  const policies: InlinePolicy[] = [];
  for (const entry of entries) {
    if (seen.has(entry.name)) {
      context.report(input.file, entry.namePath, `duplicate inline policy name "${entry.name}": names are unique per role`);
      continue;
    }
    seen.add(entry.name);
    const { document: written, expiries } = extractStatementExpiries(entry.document, entry.documentPath, input, context);
    const { document, problems } = PolicyDocument.parse(written, { type: 'identity', path: entry.documentPath });
    for (const problem of problems) context.report(input.file, problem.path, problem.message);
    if (problems.length > 0 || !document) continue;
    policies.push({
      name: entry.name,
      document,
      ...(expiries.length > 0 ? { statementExpiries: expiries } : {}),
      source: createSourceRef(input.file, entry.documentPath),
    });
  }
  return policies;
}

function resolveBoundary(spec: RoleSpecConfig, input: RoleInput, context: RoleContext): RoleBoundary | undefined {
  const path = appendPath(input.base, 'permissionBoundary');
  const value = spec.permissionBoundary;
  if (value === undefined) {
    if (context.defaultBoundaryName !== undefined) return { kind: 'default', name: context.defaultBoundaryName };
    context.report(
      input.file,
      path,
      'no permission boundary: org.yaml, ou.yaml and account.yaml set no default; name one (permissionBoundary: <policy>) or opt out with permissionBoundary: { none: { reason: "..." } }',
    );
    return undefined;
  }
  if (typeof value !== 'string') return { kind: 'none', reason: value.none.reason.trim() };
  if (value === context.defaultBoundaryName) return { kind: 'default', name: value };
  if (context.accountPolicies.has(value)) return { kind: 'named', name: value };
  if (context.libraryPolicies.has(value)) {
    context.useLibraryPolicy(value);
    return { kind: 'named', name: value };
  }
  context.report(input.file, path, `${describePolicyLookup(value, context)}; a boundary is a customer managed policy`);
  return undefined;
}

/** Resolves one role for one account; returns undefined when it has problems (all reported). */
export function resolveRole(input: RoleInput, context: RoleContext): ResolvedRole | undefined {
  let failed = false;
  const guarded: RoleContext = {
    ...context,
    report: (file, path, message) => {
      failed = true;
      context.report(file, path, message);
    },
  };
  const spec = substitutePlaceholders(input.spec, context.placeholders, input.base, (path, name) =>
    guarded.report(input.file, path, `unknown placeholder {{${name}}}: use one of {{account.id}}, {{account.name}}, {{account.environment}}, {{account.ou}}, {{account.region}}, {{org.name}}`),
  );
  const trust = resolveTrust(spec, input, guarded);
  const managedPolicies = resolveManagedPolicies(spec, input, guarded);
  const inlinePolicies = resolveInlinePolicies(spec, input, guarded);
  const boundary = resolveBoundary(spec, input, guarded);
  if (failed || boundary === undefined) return undefined;
  return {
    name: input.name,
    description: spec.description ?? '',
    owner: spec.owner,
    kind: spec.kind ?? 'standard',
    path: spec.path ?? context.rolePath,
    maxSessionDuration: spec.maxSessionDuration ?? MIN_SESSION_DURATION_SECONDS,
    trust,
    managedPolicies,
    inlinePolicies,
    boundary,
    tags: spec.tags ?? {},
    lint: spec.lint?.ignore ?? [],
    ...(input.template !== undefined ? { template: input.template } : {}),
    ...(spec.expires !== undefined ? { expires: spec.expires } : {}),
    source: createSourceRef(input.file, input.base),
  };
}
