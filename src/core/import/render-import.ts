/** Renders the result of `iamctl import` (text for people, JSON for scripts). */
import type { ImportComparison } from './compare-imported';
import type { ImportPlan } from './plan-import';

/** Output formats of `iamctl import`. */
export const IMPORT_FORMATS = ['text', 'json'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** What `iamctl import` did. */
export interface ImportResult {
  readonly plan: ImportPlan;
  /** Files written (empty with --dry-run), repository-relative, with what happened to each. */
  readonly files: readonly { readonly file: string; readonly status: 'created' | 'updated' | 'unchanged' }[];
  /**
   * What the first apply will change in the imported resources: the account's stack, synthesized from
   * the written files, against the IAM that was read. @default - not checked (--dry-run)
   */
  readonly firstApply?: ImportComparison;
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

/** The text report. */
export function renderImportText(result: ImportResult): string {
  const { plan } = result;
  const lines: string[] = [`Import of account ${plan.account} (${plan.accountId})`];
  for (const f of result.files) lines.push(`${f.status.padEnd(9)} ${f.file}`);
  for (const r of plan.alreadyDefined) {
    lines.push(`adopted   role ${r.name}: ${r.template ? `matches role template "${r.template}" (${r.file})` : `already defined in ${r.file}`}; no file written`);
  }
  for (const s of plan.skipped) lines.push(`skipped   ${s.type} ${s.name}: ${s.reason}`);
  if (result.firstApply) {
    const { changes, platformTags } = result.firstApply;
    if (changes.length === 0) lines.push('The written files reproduce every imported resource: the first apply changes no document, trust, boundary or attachment.');
    if (platformTags.length > 0) lines.push(`The first apply adds the platform's tags (${[...new Set(platformTags.flatMap((t) => t.keys))].sort().join(', ')}) to ${count(platformTags.length, 'resource')}.`);
    const adopting = Object.keys(plan.adopting.roles).length + Object.keys(plan.adopting.policies).length + Object.keys(plan.adopting.oidcProviders).length;
    if (adopting > 0) lines.push(`${count(adopting, 'resource')} keep the tags IAM holds (imports.yaml adopting:); after the first apply, iamctl import --finish lets the next plan add the platform's tags.`);
    for (const d of changes) {
      lines.push(`will change ${d.resourceType} ${d.name}${d.attribute ? ` ${d.attribute}` : ''} (${d.kind}): IAM has ${JSON.stringify(d.actual)}, accounts/ says ${JSON.stringify(d.expected)}`);
    }
  }
  const ids = plan.imports;
  const total = ids.roles.length + ids.rolePolicies.length + ids.rolePolicyAttachments.length + ids.policies.length + ids.oidcProviders.length;
  lines.push(
    `${count(plan.roles.length, 'role file')}, ${count(plan.policies.length, 'policy file')}, ${count(plan.alreadyDefined.length, 'role')} already defined, ${count(plan.skipped.length, 'resource')} skipped; ${count(total, 'import block')}`,
  );
  return lines.join('\n');
}

/** The JSON report: `{account, accountId, files, roles, policies, alreadyDefined, skipped, imports, adopting, firstApply}`. */
export function renderImportJson(result: ImportResult): string {
  const { plan } = result;
  return JSON.stringify(
    {
      account: plan.account,
      accountId: plan.accountId,
      files: result.files,
      roles: plan.roles.map((r) => ({ name: r.name, arn: r.arn, file: r.file })),
      policies: plan.policies.map((p) => ({ name: p.name, arn: p.arn, file: p.file })),
      alreadyDefined: plan.alreadyDefined,
      skipped: plan.skipped,
      imports: plan.imports,
      adopting: plan.adopting,
      ...(result.firstApply ? { firstApply: result.firstApply } : {}),
    },
    null,
    2,
  );
}

/** Renders in the given format. */
export function renderImportResult(result: ImportResult, format: ImportFormat): string {
  return format === 'json' ? renderImportJson(result) : renderImportText(result);
}
