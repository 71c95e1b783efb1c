import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { RoleRecommendation } from '../../core/analyzer';
import { ERROR_CODES, IamPlatformError } from '../../core/errors';
import { type InlinePolicyEdit, editInlinePolicies } from './edit-inline-policy';

/** Options of {@link applyRecommendations}. */
export interface ApplyRecommendationsOptions {
  /** Repository root the files in the recommendations are relative to. */
  readonly rootDir: string;
  /** Compute the edits without writing files. @default false */
  readonly dryRun?: boolean;
}

/** What happened to one file, or why a recommendation was not applied. */
export interface AppliedEdit {
  /** File relative to the repository root. */
  readonly file: string;
  /** Policies changed in the file. */
  readonly policies: readonly string[];
  /** Policies recommended but not written, with why. */
  readonly notApplied: readonly string[];
  /** The new file text (also written unless dryRun). */
  readonly text: string;
}

/**
 * Writes the tightened inline policies into the role files of accounts/ in place (comments kept).
 * Customer managed policies are not edited (another role may attach the same policy), nor are
 * policies of roles made from org/OU role templates (the template serves every matching account):
 * those recommendations stay advisory and are listed under notApplied.
 */
export function applyRecommendations(recommendations: readonly RoleRecommendation[], options: ApplyRecommendationsOptions): AppliedEdit[] {
  const byFile = new Map<string, { edits: InlinePolicyEdit[]; notApplied: string[] }>();
  const entry = (file: string) => {
    let e = byFile.get(file);
    if (e === undefined) {
      e = { edits: [], notApplied: [] };
      byFile.set(file, e);
    }
    return e;
  };
  for (const rec of recommendations) {
    for (const policy of rec.policies) {
      if (policy.removed.length === 0) continue;
      const file = policy.file ?? rec.file;
      if (policy.kind !== 'inline') {
        entry(file).notApplied.push(`${rec.account}/${rec.role}: customer managed policy ${policy.name} may be attached to other roles; edit it by hand`);
        continue;
      }
      if (rec.template !== undefined) {
        entry(file).notApplied.push(
          `${rec.account}/${rec.role}: inline policy ${policy.name} comes from role template ${rec.template}, shared by every matching account; edit the template by hand if their usage agrees`,
        );
        continue;
      }
      entry(file).edits.push({ policyName: policy.name, tightened: policy.tightened, origins: policy.statementOrigins, ...(policy.path !== undefined ? { path: policy.path } : {}) });
    }
  }
  const out: AppliedEdit[] = [];
  for (const [file, { edits, notApplied }] of [...byFile.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const absolute = resolve(options.rootDir, file);
    let text: string;
    try {
      text = readFileSync(absolute, 'utf8');
    } catch (e) {
      throw new IamPlatformError(ERROR_CODES.UNREADABLE_INPUT, `--write: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { cause: e });
    }
    const result = edits.length > 0 ? editInlinePolicies(text, file, edits) : { text, changed: [] };
    if (!options.dryRun && result.changed.length > 0) writeFileSync(absolute, result.text);
    out.push({ file, policies: result.changed, notApplied, text: result.text });
  }
  return out;
}
