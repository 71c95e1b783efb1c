import { checkConditionValue, familiesForKeyType, parseConditionOperator } from '../condition-operators';
import { createFinding } from '../finding';
import type { LintFinding } from '../types';
import type { CheckContext } from './check-context';

/**
 * What a condition on a key no request carries does. A key that does not exist is never in the request context:
 * negated operators match, others do not, and `Null` matches exactly when it tests for absence ("true").
 */
function describeUnknownKeyCondition(operatorText: string, values: readonly string[]): string {
  const operator = parseConditionOperator(operatorText);
  if (operator?.family === 'Null') {
    const absent = values.map((v) => v.toLowerCase() === 'true');
    if (absent.every(Boolean)) return 'always matches (Null "true" tests for a key the request never has)';
    if (!absent.some(Boolean)) return 'never matches (Null "false" requires a key the request never has)';
    return 'matches on its "true" value only';
  }
  return operator?.negated ? 'always matches' : 'never matches';
}

/** unknown-condition-key and condition-operator-mismatch, for every condition of every statement. */
export function checkConditions(ctx: CheckContext): LintFinding[] {
  const out: LintFinding[] = [];
  for (const st of ctx.view.statements) {
    for (const c of st.conditions) {
      // Keys of a removed service (deepracer:UserToken) go with its actions: removed-action reports those.
      if (!ctx.catalog.isConditionKeyKnown(c.key) && ctx.catalog.awsNames?.findRemovedAction(`${c.key.split('/')[0]}`) === undefined) {
        out.push(
          createFinding(
            'unknown-condition-key',
            c.path,
            `Condition key "${c.key}" does not exist, so the condition ${describeUnknownKeyCondition(c.operator, c.values)}: check its spelling against the global and service condition keys`,
          ),
        );
        continue;
      }
      const operator = parseConditionOperator(c.operator);
      if (!operator) continue; // invalid-document reports unknown operators
      const problems: string[] = [];
      const type = ctx.catalog.getConditionKeyType(c.key);
      const families = type ? familiesForKeyType(type) : undefined;
      if (operator.family !== 'Null' && families && !families.includes(operator.family)) {
        if (operator.family === 'String' && families.includes('Arn')) {
          const arnOperator = operator.base.replace(/^String(Not)?(Equals|Like)(IgnoreCase)?$/, 'Arn$1$2');
          problems.push(`"${c.key}" is an ARN key: AWS's policy validator warns on ${operator.base} here; use ${arnOperator.startsWith('Arn') ? arnOperator : 'ArnLike or ArnEquals'}, which compares the ARN segment by segment`);
        } else problems.push(`"${c.key}" is of type ${type}, which ${operator.base} (${operator.family} operators) cannot compare: use ${families.map((f) => `a ${f} operator`).join(' or ')}`);
      }
      for (const v of c.values) {
        const problem = checkConditionValue(operator.family, v);
        if (problem) problems.push(`${c.operator} ${problem}`);
      }
      if (problems.length > 0) out.push(createFinding('condition-operator-mismatch', c.path, problems.join('; ')));
    }
  }
  return out;
}
