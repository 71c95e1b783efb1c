import type { IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';
import { MAX_PATH_CHARS, MAX_POLICY_NAME_CHARS, MAX_ROLE_NAME_CHARS } from '../../src/core/policy';
import type { SourceRef } from '../../src/core/model';
import { isGuardedConstruct } from './facts';
import { reportGuardrailError } from './report';

/** Guardrail id of {@link NameGuardrail}. */
export const NAME_RULE = 'names';

/** Characters IAM allows in role and policy names (CreateRole, CreatePolicy: `[\w+=,.@-]+`). */
const NAME_CHARS = /^[\w+=,.@-]+$/;
/** IAM path: `/` or `/segments/`, printable ASCII (CreateRole Path). */
const PATH_PATTERN = /^\/(?:[\x21-\x7E]+\/)?$/;

/** Checks one IAM name; returns the problem or undefined. */
export function checkIamName(what: string, name: string, maxChars: number): string | undefined {
  if (name.length === 0) return `${what} name is empty`;
  if (name.length > maxChars) return `${what} name "${name}" is ${name.length} characters, over the AWS limit of ${maxChars}: shorten it`;
  if (!NAME_CHARS.test(name)) return `${what} name "${name}" has characters IAM does not allow: use letters, digits and + = , . @ _ -`;
  return undefined;
}

/** Checks an IAM path; returns the problem or undefined. */
export function checkIamPath(what: string, path: string): string | undefined {
  if (path.length > MAX_PATH_CHARS) return `${what} path is ${path.length} characters, over the AWS limit of ${MAX_PATH_CHARS}`;
  if (!PATH_PATTERN.test(path)) return `${what} path "${path}" is invalid: a path is "/" or "/segment/.../" of printable characters`;
  return undefined;
}

/**
 * Role and policy names and paths are valid IAM names, and unique in the account (IAM compares
 * names case-insensitively). Keeps state per instance: add one instance per account stack.
 */
export class NameGuardrail implements IAspect {
  private readonly roles = new Map<string, SourceRef>();
  private readonly policies = new Map<string, SourceRef>();

  public visit(node: IConstruct): void {
    if (!isGuardedConstruct(node)) return;
    const facts = node.guardrailFacts;
    if (facts.kind === 'oidc-provider') return;
    const what = facts.kind === 'role' ? 'role' : 'policy';
    const problems = [
      checkIamName(what, facts.name, facts.kind === 'role' ? MAX_ROLE_NAME_CHARS : MAX_POLICY_NAME_CHARS),
      checkIamPath(what === 'role' ? `role "${facts.name}"` : `policy "${facts.name}"`, facts.path),
    ];
    if (facts.kind === 'role') {
      const inline = new Map<string, string>();
      for (const policy of facts.inlinePolicies) {
        const problem = checkIamName('inline policy', policy.name, MAX_POLICY_NAME_CHARS);
        if (problem) reportGuardrailError(node, NAME_RULE, policy.source, problem);
        const key = policy.name.toLowerCase();
        if (inline.has(key)) {
          reportGuardrailError(node, NAME_RULE, policy.source, `role "${facts.name}" has two inline policies named "${policy.name}": inline policy names are unique per role`);
        }
        inline.set(key, policy.name);
      }
    }
    for (const problem of problems) if (problem) reportGuardrailError(node, NAME_RULE, facts.source, problem);
    const seen = facts.kind === 'role' ? this.roles : this.policies;
    const key = facts.name.toLowerCase();
    const first = seen.get(key);
    if (first) {
      reportGuardrailError(
        node,
        NAME_RULE,
        facts.source,
        `${what} name "${facts.name}" is already used by ${first.file}: ${what} names are unique in an account (case-insensitive)`,
      );
    } else {
      seen.set(key, facts.source);
    }
  }
}
