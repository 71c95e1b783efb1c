import { Annotations } from 'cdktf';
import type { IConstruct } from 'constructs';
import { formatProblem, type Problem } from '../../src/core/errors';
import type { SourceRef } from '../../src/core/model';

/** Metadata type under which a guardrail error is also stored as data (the annotation holds its text). */
export const GUARDRAIL_ERROR_METADATA = 'iam-platform/guardrail-error';

/** A guardrail error as data: which rule, where in accounts/, and what is wrong. */
export interface GuardrailProblem extends Problem {
  /** Guardrail id (`permission-boundary`). */
  readonly rule: string;
}

/** Joins a source path (`$.inline[0].document`) and a path inside the document (`$.Statement[0]`). */
export function joinSourcePath(base: string, inner: string): string {
  if (inner === '$' || inner === '') return base;
  return `${base}${inner.startsWith('$') ? inner.slice(1) : `.${inner}`}`;
}

/**
 * Reports a guardrail error on a construct: an error annotation whose text is `file:line path: message`
 * (so any cdktf tooling shows it and fails the synth), plus the same problem as structured metadata.
 */
export function reportGuardrailError(node: IConstruct, rule: string, source: SourceRef, message: string, path: string = source.path): void {
  const problem: GuardrailProblem = { rule, file: source.file, line: source.line, path, message };
  Annotations.of(node).addError(formatProblem(problem));
  node.node.addMetadata(GUARDRAIL_ERROR_METADATA, problem);
}
