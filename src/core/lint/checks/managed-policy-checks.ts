import type { AwsNames } from '../../catalog';
import { createFinding } from '../finding';
import type { LintFinding } from '../types';

/** One reference to an AWS managed policy, by name or path/name (`job-function/ViewOnlyAccess`), with its JSON path. */
export interface AwsManagedPolicyReference {
  readonly name: string;
  readonly path: string;
}

/**
 * unknown-managed-policy: AWS managed policies that do not exist (`AmazonS3ReadOnlyAccesss`), that AWS removed,
 * or that live under another path (`ViewOnlyAccess` is `job-function/ViewOnlyAccess`). Attaching them fails at apply.
 */
export function checkAwsManagedPolicyReferences(names: AwsNames | undefined, references: readonly AwsManagedPolicyReference[]): LintFinding[] {
  if (!names) return [];
  const out: LintFinding[] = [];
  for (const ref of references) {
    const found = names.lookUpManagedPolicy(ref.name);
    switch (found.status) {
      case 'ok':
        break;
      case 'removed':
        out.push(createFinding('unknown-managed-policy', ref.path, `AWS managed policy "${ref.name}" was removed by AWS (deprecated; data of ${names.date}): it cannot be attached any more; pick its successor`));
        break;
      case 'wrong-path':
        out.push(createFinding('unknown-managed-policy', ref.path, `AWS managed policy "${ref.name}" lives under the path ${found.path}: write "aws:${found.path.slice(1)}${ref.name.replace(/^.*\//, '')}"`));
        break;
      default:
        out.push(
          createFinding(
            'unknown-managed-policy',
            ref.path,
            `AWS managed policy "${ref.name}" does not exist${found.suggestion ? `; did you mean "${found.suggestion}"?` : ''} (data of ${names.date}): the attachment fails at apply`,
          ),
        );
    }
  }
  return out;
}
