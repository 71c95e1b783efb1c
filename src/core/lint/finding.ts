import { RULES, type LintRuleId } from './rules';
import type { LintFinding, LintSeverity } from './types';

/** A finding of a rule, with the rule's severity unless another is given. */
export function createFinding(rule: LintRuleId, path: string, message: string, severity?: LintSeverity): LintFinding {
  return { rule, severity: severity ?? RULES[rule].severity, path, message };
}
