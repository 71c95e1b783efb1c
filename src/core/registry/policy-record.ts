/**
 * The record of policy versions and approvals: one item per IAM resource (role or customer managed policy)
 * and version (commit), with its document, hash, merge request, approver, Terraform Cloud run and status.
 * Pure: the stores live in src/io/registry; `iamctl record`, `history` and `rollback` use them.
 */
import { createHash } from 'node:crypto';
import { ERROR_CODES, IamPlatformError } from '../errors';
import { customerPolicyArn, roleArn } from '../iam';
import type { ResolvedAccount, ResolvedRole } from '../model';
import { PolicyDocument, type PolicyDocumentJson } from '../policy';

/** Key schema of the registry table (modules/policy-registry creates it; src/io/registry writes it). */
export const REGISTRY_TABLE_KEYS = { partition: 'account', sort: 'recordKey' } as const;

/** Table of the policy record when org.yaml `policyRecord:` names none. */
export const DEFAULT_POLICY_RECORD_TABLE = 'iam-platform-policy-registry';

/** Version of an item's shape. */
export const POLICY_RECORD_SCHEMA_VERSION = 1;

/** Life of a version: planned at plan, approved at the security approval, then applied or failed; rolled-back when a later rollback replaced it. */
export const RECORD_STATUSES = ['planned', 'approved', 'applied', 'failed', 'rolled-back'] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];

/** A role as the record keeps it: the account-file fields, resolved, so a rollback can write the role back. */
export interface RecordedRole {
  readonly kind: 'role';
  readonly description: string;
  readonly owner: string;
  readonly roleKind: ResolvedRole['kind'];
  readonly path: string;
  readonly maxSessionDuration: number;
  /** The `trust:` of a role file, with account names resolved to ids. */
  readonly trust: {
    readonly accounts?: readonly { readonly principals: readonly string[]; readonly kind: string; readonly requireMfa: boolean; readonly mfaMaxAgeSeconds?: number; readonly externalId?: string }[];
    readonly services?: readonly string[];
    readonly oidc?: readonly { readonly provider: string; readonly url: string; readonly audiences: readonly string[]; readonly subjects: readonly string[] }[];
    readonly saml?: readonly { readonly provider: string }[];
  };
  /** `aws:<name>` or a customer policy name, as in role files. */
  readonly managedPolicies: readonly string[];
  readonly inlinePolicies: { readonly [name: string]: PolicyDocumentJson };
  /** `default`, a policy name, or `none: <reason>`. */
  readonly boundary: { readonly kind: 'default' | 'named'; readonly name: string } | { readonly kind: 'none'; readonly reason: string };
  readonly tags: { readonly [key: string]: string };
  /** Where the role came from: a role file, or a template (then a rollback writes a role file that replaces it). */
  readonly file?: string;
  readonly template?: string;
}

/** A customer managed policy as the record keeps it. */
export interface RecordedPolicy {
  readonly kind: 'policy';
  readonly description?: string;
  readonly path: string;
  readonly document: PolicyDocumentJson;
  /** `account` (accounts/<ou>/<account>/policies) or `library` (accounts/policies). */
  readonly origin: 'account' | 'library';
  readonly file: string;
}

/**
 * A console change drift remediation reverted: the value it found and replaced in one slot of a role or policy.
 * Recorded with status `rolled-back` and source `remediation`, one record per slot and remediation run.
 */
export interface RecordedRemediation {
  readonly kind: 'remediation';
  /** What the value was: `inline-policy:<name>`, `trust-policy`, `permissions-boundary`, `policy-version:<id>`, `attachment:<arn>`, `tags`, `max-session`. */
  readonly slot: string;
  /** The replaced (console) value: document, ARN, tags, number, or null when the slot was empty. */
  readonly replaced: unknown;
  /** Remediation run id. */
  readonly runId: string;
  /** Position of the action in the run's plan. */
  readonly sequence: number;
}

/** One status change of a version. */
export interface RecordEvent {
  readonly status: RecordStatus;
  /** ISO time. */
  readonly at: string;
  /** @default - none */
  readonly by?: string;
  /** @default - none */
  readonly tfcRunId?: string;
}

/** One IAM resource at one version. */
export interface PolicyRecord {
  readonly schemaVersion: typeof POLICY_RECORD_SCHEMA_VERSION;
  readonly account: string;
  readonly accountId: string;
  readonly ou: string;
  readonly resourceType: 'role' | 'policy';
  readonly resourceName: string;
  readonly resourceArn: string;
  /** Commit the version comes from. */
  readonly commit: string;
  /** sha256 of the canonical JSON of `content`. */
  readonly hash: string;
  readonly content: RecordedRole | RecordedPolicy | RecordedRemediation;
  readonly status: RecordStatus;
  /** @default - none */
  readonly mergeRequest?: string;
  /** @default - not approved yet */
  readonly approver?: string;
  /** @default - no Terraform Cloud run */
  readonly tfcRunId?: string;
  /** Access-diff verdict of the change that produced the version. @default - unknown */
  readonly verdict?: string;
  /** `pipeline`, or `remediation` when drift remediation wrote it. */
  readonly source: 'pipeline' | 'remediation' | 'rollback';
  /** First time the version was recorded (ISO). */
  readonly recordedAt: string;
  readonly events: readonly RecordEvent[];
}

/** JSON with keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** sha256 (hex) of the canonical JSON of a recorded resource. */
export function hashContent(content: RecordedRole | RecordedPolicy | RecordedRemediation): string {
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

function recordedRole(role: ResolvedRole): RecordedRole {
  const t = role.trust;
  return {
    kind: 'role',
    description: role.description,
    owner: role.owner,
    roleKind: role.kind,
    path: role.path,
    maxSessionDuration: role.maxSessionDuration,
    trust: {
      ...(t.accounts.length > 0
        ? {
            accounts: t.accounts.map((a) => ({
              principals: [...a.principals],
              kind: a.kind,
              requireMfa: a.requireMfa,
              ...(a.mfaMaxAgeSeconds !== undefined ? { mfaMaxAgeSeconds: a.mfaMaxAgeSeconds } : {}),
              ...(a.externalId !== undefined ? { externalId: a.externalId } : {}),
            })),
          }
        : {}),
      ...(t.services.length > 0 ? { services: [...t.services] } : {}),
      ...(t.oidc.length > 0 ? { oidc: t.oidc.map((o) => ({ provider: o.provider, url: o.url, audiences: [...o.audiences], subjects: [...o.subjects] })) } : {}),
      ...(t.saml.length > 0 ? { saml: t.saml.map((s) => ({ provider: s.provider })) } : {}),
    },
    managedPolicies: role.managedPolicies.map((m) => (m.kind === 'aws' ? `aws:${m.name}` : m.name)),
    inlinePolicies: Object.fromEntries(role.inlinePolicies.map((p) => [p.name, PolicyDocument.fromJson(p.document).toJSON()])),
    boundary: role.boundary.kind === 'none' ? { kind: 'none', reason: role.boundary.reason } : { kind: role.boundary.kind, name: role.boundary.name },
    tags: { ...role.tags },
    ...(role.template === undefined ? { file: role.source.file } : { template: role.template }),
  };
}

/** Options of {@link buildAccountRecords}. */
export interface BuildAccountRecordsOptions {
  readonly commit: string;
  readonly status: RecordStatus;
  /** ISO time. */
  readonly at: string;
  /** @default - none */
  readonly mergeRequest?: string;
  /** @default - none */
  readonly verdict?: string;
  /** @default 'pipeline' */
  readonly source?: PolicyRecord['source'];
  /** @default - none */
  readonly by?: string;
  /** @default - none */
  readonly tfcRunId?: string;
}

/** One record per role and customer managed policy (the boundary included) of an account at a commit. */
export function buildAccountRecords(account: ResolvedAccount, options: BuildAccountRecordsOptions): PolicyRecord[] {
  const base = {
    schemaVersion: POLICY_RECORD_SCHEMA_VERSION,
    account: account.name,
    accountId: account.id,
    ou: account.ou,
    commit: options.commit,
    status: options.status,
    source: options.source ?? 'pipeline',
    recordedAt: options.at,
    events: [{ status: options.status, at: options.at, ...(options.by ? { by: options.by } : {}), ...(options.tfcRunId ? { tfcRunId: options.tfcRunId } : {}) }],
    ...(options.mergeRequest ? { mergeRequest: options.mergeRequest } : {}),
    ...(options.verdict ? { verdict: options.verdict } : {}),
    ...(options.status !== 'planned' && options.by ? { approver: options.by } : {}),
    ...(options.tfcRunId ? { tfcRunId: options.tfcRunId } : {}),
  } as const;
  const roles: PolicyRecord[] = account.roles.map((role) => {
    const content = recordedRole(role);
    return { ...base, resourceType: 'role', resourceName: role.name, resourceArn: roleArn(account.id, role.name, role.path), hash: hashContent(content), content };
  });
  const policies = [...account.policies.map((p) => ({ name: p.name, description: p.description, path: p.path, document: p.document, origin: p.origin, file: p.source.file }))];
  const boundary = account.permissionBoundary;
  if (boundary && !policies.some((p) => p.name === boundary.name)) {
    policies.push({ name: boundary.name, description: boundary.description, path: boundary.path, document: boundary.document, origin: 'library', file: boundary.source.file });
  }
  const policyRecords: PolicyRecord[] = policies.map((p) => {
    const content: RecordedPolicy = {
      kind: 'policy',
      ...(p.description !== undefined ? { description: p.description } : {}),
      path: p.path,
      document: PolicyDocument.fromJson(p.document).toJSON(),
      origin: p.origin,
      file: p.file,
    };
    return { ...base, resourceType: 'policy', resourceName: p.name, resourceArn: customerPolicyArn(account.id, p.name, p.path), hash: hashContent(content), content };
  });
  return [...roles, ...policyRecords];
}

/** The record after a status change: the event appended, approver and run id kept. */
export function advanceRecord(record: PolicyRecord, status: RecordStatus, at: string, fields: { readonly by?: string; readonly tfcRunId?: string; readonly verdict?: string } = {}): PolicyRecord {
  return {
    ...record,
    status,
    ...(status === 'approved' && fields.by ? { approver: fields.by } : {}),
    ...(fields.tfcRunId ? { tfcRunId: fields.tfcRunId } : {}),
    ...(fields.verdict ? { verdict: fields.verdict } : {}),
    events: [...record.events, { status, at, ...(fields.by ? { by: fields.by } : {}), ...(fields.tfcRunId ? { tfcRunId: fields.tfcRunId } : {}) }],
  };
}

/** The `commit` of remediation records: the remediation run stands for the version (no commit produced it). */
export function remediationVersion(runId: string): string {
  return `remediation:${runId}`;
}

/** Options of {@link buildRemediationRecord}. */
export interface BuildRemediationRecordOptions {
  readonly account: string;
  /** ARN of the role or customer managed policy whose slot was restored. */
  readonly resourceArn: string;
  readonly slot: string;
  readonly replaced: unknown;
  readonly runId: string;
  readonly sequence: number;
  /** ISO time. */
  readonly at: string;
  /** OU of the account. @default '' (remediation runs without the organization's config) */
  readonly ou?: string;
}

const IAM_ARN = /^arn:[a-z-]+:iam::(\d{12}):(role|policy)\/(?:.*\/)?([^/]+)$/;

/** The record of one console change remediation reverted (status rolled-back, source remediation). */
export function buildRemediationRecord(options: BuildRemediationRecordOptions): PolicyRecord {
  const match = IAM_ARN.exec(options.resourceArn);
  if (!match) throw new IamPlatformError(ERROR_CODES.INTERNAL, `remediation record: "${options.resourceArn}" is not the ARN of an IAM role or customer managed policy`);
  const content: RecordedRemediation = { kind: 'remediation', slot: options.slot, replaced: options.replaced ?? null, runId: options.runId, sequence: options.sequence };
  return {
    schemaVersion: POLICY_RECORD_SCHEMA_VERSION,
    account: options.account,
    accountId: match[1],
    ou: options.ou ?? '',
    resourceType: match[2] as 'role' | 'policy',
    resourceName: match[3],
    resourceArn: options.resourceArn,
    commit: remediationVersion(options.runId),
    hash: hashContent(content),
    content,
    status: 'rolled-back',
    source: 'remediation',
    recordedAt: options.at,
    events: [{ status: 'rolled-back', at: options.at, by: 'drift-remediation' }],
  };
}
