/**
 * Writes the recorded documents of a version back into accounts/ files: a role file per role that differs
 * (a role file replaces a template's role of the same name), a policy file per policy that differs, and the
 * role and policy files of resources added since are removed. The result is a change for the pipeline to review.
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import type { ResolvedAccount } from '../../core/model';
import { buildAccountRecords, type PolicyRecord, type RecordedPolicy, type RecordedRole } from '../../core/registry';

/** What a rollback did to the files. */
export interface RollbackFileChanges {
  /** Files written, relative to the repository root. */
  readonly written: readonly string[];
  readonly removed: readonly string[];
  /** What could not be put back by files alone (a template role added since, a library policy shared with other accounts). */
  readonly warnings: readonly string[];
}

function roleYaml(name: string, fileName: string, role: RecordedRole): Record<string, unknown> {
  return {
    ...(name !== fileName ? { name } : {}),
    description: role.description,
    owner: role.owner,
    kind: role.roleKind,
    path: role.path,
    maxSessionDuration: role.maxSessionDuration,
    ...(Object.keys(role.tags).length > 0 ? { tags: role.tags } : {}),
    trust: role.trust,
    ...(role.managedPolicies.length > 0 ? { managedPolicies: role.managedPolicies } : {}),
    ...(Object.keys(role.inlinePolicies).length > 0 ? { inlinePolicies: role.inlinePolicies } : {}),
    ...(role.boundary.kind === 'named' ? { permissionBoundary: role.boundary.name } : {}),
    ...(role.boundary.kind === 'none' ? { permissionBoundary: { none: { reason: role.boundary.reason } } } : {}),
  };
}

function policyYaml(name: string, fileName: string, policy: RecordedPolicy): Record<string, unknown> {
  return { ...(name !== fileName ? { name } : {}), ...(policy.description !== undefined ? { description: policy.description } : {}), path: policy.path, document: policy.document };
}

function baseName(file: string): string {
  return file.replace(/^.*\//, '').replace(/\.ya?ml$/, '');
}

function header(record: PolicyRecord): string {
  return `# Rolled back to version ${record.commit.slice(0, 12)} of ${record.account} (iamctl rollback); recorded ${record.recordedAt}.\n`;
}

/** Writes the target version's records over the current account files in `rootDir`. */
export function writeRollbackFiles(rootDir: string, current: ResolvedAccount, target: readonly PolicyRecord[]): RollbackFileChanges {
  const written: string[] = [];
  const removed: string[] = [];
  const warnings: string[] = [];
  const now = buildAccountRecords(current, { commit: 'work-tree', status: 'planned', at: new Date(0).toISOString() });
  const nowByArn = new Map(now.map((r) => [r.resourceArn.toLowerCase(), r]));
  // The folder of account.yaml: an account of a nested OU sits deeper than accounts/<ou>/<name>.
  const accountDir = (current.ouPath ?? [current.ou]).length > 1 ? dirname(current.source.file) : `accounts/${current.ou}/${current.name}`;
  const write = (file: string, record: PolicyRecord, body: Record<string, unknown>): void => {
    const path = join(rootDir, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, `${header(record)}${stringify(body, { lineWidth: 0 })}`);
    written.push(file);
  };
  for (const record of target) {
    const present = nowByArn.get(record.resourceArn.toLowerCase());
    if (present && present.hash === record.hash) continue;
    if (record.content.kind === 'remediation') continue; // a reverted console change is history, never written back
    if (record.content.kind === 'role') {
      const file = record.content.file ?? `${accountDir}/roles/${record.resourceName}.yaml`;
      write(file, record, roleYaml(record.resourceName, baseName(file), record.content));
    } else {
      const file = record.content.file;
      if (record.content.origin === 'library') warnings.push(`${file} is an org-wide library policy: the rollback changes it for every account that uses it`);
      write(file, record, policyYaml(record.resourceName, baseName(file), record.content));
    }
  }
  const targetArns = new Set(target.map((r) => r.resourceArn.toLowerCase()));
  for (const record of now) {
    if (targetArns.has(record.resourceArn.toLowerCase())) continue;
    const content = record.content;
    if (content.kind === 'remediation') continue;
    if (content.kind === 'role' && content.file === undefined) {
      warnings.push(`role ${record.resourceName} comes from template ${content.template} and did not exist in the target version: add it to disableTemplates in ${accountDir}/account.yaml to remove it`);
      continue;
    }
    const file = content.kind === 'role' ? content.file! : content.file;
    if (content.kind === 'policy' && content.origin === 'library') {
      warnings.push(`library policy ${record.resourceName} (${file}) did not exist in the target version; it is left, since other accounts may use it`);
      continue;
    }
    if (existsSync(join(rootDir, file))) {
      rmSync(join(rootDir, file));
      removed.push(file);
    }
  }
  return { written: written.sort(), removed: removed.sort(), warnings };
}
