import { Annotations } from 'cdktf';
import type { IConstruct } from 'constructs';
import { formatProblem, type Problem } from '../../src/core/errors';
import type { LintFinding } from '../../src/core/lint';
import type { SourceRef } from '../../src/core/model';

/** Metadata type under which a guardrail error is also stored as data (the annotation holds its text). */
export const GUARDRAIL_ERROR_METADATA = 'iam-platform/guardrail-error';

/** A guardrail error as data: which rule, where in accounts/, and what is wrong. */
export interface GuardrailProblem extends Problem {
  /** Guardrail id (`permission-boundary`). */
  readonly rule: string;
}

/**
 * Finds the line and column of a path (`$.inline[0].document.Statement[0].Action`) in an accounts/ file, so an
 * annotation points at the element, as `iamctl lint` does; undefined when the file does not hold the path (a
 * generated document, such as a role's trust policy).
 */
export type SourcePositionFinder = (file: string, path: string) => { readonly line: number; readonly column: number } | undefined;

/** Joins a source path (`$.inline[0].document`) and a path inside the document (`$.Statement[0]`). */
export function joinSourcePath(base: string, inner: string): string {
  if (inner === '$' || inner === '') return base;
  return `${base}${inner.startsWith('$') ? inner.slice(1) : `.${inner}`}`;
}

/**
 * Reports a guardrail error on a construct: an error annotation whose text is `file:line path: message`
 * (so any cdktf tooling shows it and fails the synth), plus the same problem as structured metadata.
 */
export function reportGuardrailError(node: IConstruct, rule: string, source: SourceRef, message: string, path: string = source.path, locate?: SourcePositionFinder): void {
  const at = locate?.(source.file, path);
  const problem: GuardrailProblem = { rule, file: source.file, path, message, ...(at ? { line: at.line, column: at.column } : source.line !== undefined ? { line: source.line } : {}) };
  Annotations.of(node).addError(formatProblem(problem));
  node.node.addMetadata(GUARDRAIL_ERROR_METADATA, problem);
}

/** Where a lint finding is reported: the accounts/ file and path of the policy, and how messages name it. */
export interface LintFindingTarget {
  readonly source: SourceRef;
  /** `inline policy "s3-read" of role "app"`. */
  readonly description: string;
}

/**
 * Reports one linter finding on a construct, the one format every guardrail uses for policy problems:
 * `<description>: [<rule>] <message>` at the policy's file and the finding's path. Errors stop the synth
 * (guardrail rule `lint/<rule>`); warnings and infos are annotated as such; suppressed findings are not reported.
 * With `locate`, the line and column are the element's in the accounts/ file; else the document's start line.
 */
export function reportLintFinding(node: IConstruct, target: LintFindingTarget, finding: LintFinding, locate?: SourcePositionFinder): void {
  if (finding.suppressed) return;
  const path = joinSourcePath(target.source.path, finding.path);
  const message = `${target.description}: [${finding.rule}] ${finding.message}`;
  if (finding.severity === 'error') {
    reportGuardrailError(node, `lint/${finding.rule}`, target.source, message, path, locate);
    return;
  }
  const at = locate?.(target.source.file, path);
  const text = formatProblem({ file: target.source.file, line: at?.line ?? target.source.line, column: at?.column, path, message });
  if (finding.severity === 'warning') Annotations.of(node).addWarning(text);
  else Annotations.of(node).addInfo(text);
}
