import type { Problem } from '../errors';
import { PolicyDocument, type PolicyType, sizeLimitFor } from '../policy';
import type { DesiredInventory } from './inventory';
import type { RemediationAction, RemediationPlan } from './plan';
import { isProtectedRole } from './scope';

function checkDocument(document: unknown, type: PolicyType, path: string, problems: Problem[]): void {
  try {
    const parsed = PolicyDocument.fromJson(document);
    if (parsed.size() > sizeLimitFor(type)) {
      problems.push({ path, message: `document is ${parsed.size()} characters, over the ${sizeLimitFor(type)}-character limit of a ${type} policy` });
    }
  } catch (error) {
    problems.push({ path, message: `document is not a valid policy: ${(error as Error).message}` });
  }
}

function roleOf(action: RemediationAction): string | undefined {
  return 'roleName' in action ? action.roleName : undefined;
}

/**
 * Checks a plan before any change is made, so a bad plan fails whole instead of half-applied:
 * every document parses and fits its size limit, and no action touches a protected role.
 * Returns every problem with its path (`$.actions[3].document`).
 */
export function validateRemediationPlan(plan: RemediationPlan, desired: DesiredInventory): Problem[] {
  const problems: Problem[] = [];
  plan.actions.forEach((action, i) => {
    const path = `$.actions[${i}]`;
    const role = roleOf(action);
    if (role !== undefined && isProtectedRole(desired, role)) {
      problems.push({ path, message: `role ${role} is protected (break-glass, pipeline or deploy role): remediation must not change it` });
    }
    switch (action.type) {
      case 'put-inline-policy':
      case 'quarantine-role':
        checkDocument(action.document, 'identity', `${path}.document`, problems);
        break;
      case 'update-trust-policy':
        checkDocument(action.document, 'trust', `${path}.document`, problems);
        break;
      case 'create-policy-version':
        checkDocument(action.document, 'identity', `${path}.document`, problems);
        break;
      default:
        break;
    }
  });
  return problems;
}
