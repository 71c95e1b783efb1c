/**
 * The one adapter between the linter's privilege-escalation table and the alarms: which CloudTrail
 * events are escalation attempts. The linter's table (src/core/lint ESCALATION_PATHS) is being
 * extended; this file is the only place that reads it.
 */
import { ESCALATION_PATHS } from '../../src/core/lint';

/**
 * IAM permissions of the escalation table that are not API calls of their own, so CloudTrail never logs
 * them as events (iam:PassRole is checked when another service's call passes a role).
 */
export const NON_EVENT_IAM_ACTIONS: readonly string[] = ['iam:PassRole'];

/**
 * The IAM API calls of the escalation table, as CloudTrail event names (`CreatePolicyVersion`), sorted
 * and unique. Only IAM actions: the other services' steps of a path (ec2:RunInstances, lambda:CreateFunction)
 * are everyday calls that only escalate together with a role to pass, which a metric filter cannot see.
 */
export function listEscalationEventNames(): string[] {
  const names = new Set<string>();
  const skipped = new Set(NON_EVENT_IAM_ACTIONS.map((a) => a.toLowerCase()));
  for (const path of ESCALATION_PATHS) {
    for (const action of path.actions) {
      const [service, name] = action.split(':');
      if (service.toLowerCase() !== 'iam' || name === undefined || skipped.has(action.toLowerCase())) continue;
      names.add(name);
    }
  }
  return [...names].sort();
}
