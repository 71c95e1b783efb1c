/**
 * The message of a `removed-action` finding: what the evidence says about an action or service that is no longer
 * in the Service Authorization Reference, and how AWS's own validator treats it. IAM Access Analyzer's policy
 * validation reports both cases as findings of type ERROR (issue codes INVALID_SERVICE_IN_ACTION and
 * INVALID_ACTION, in the "IAM policy validation check reference" of the IAM User Guide), whoever wrote the policy.
 */
import type { RemovedAction } from '../../catalog';

/** Builds the message for `value` (the Action string as written) from what the data knows about it. */
export function formatRemovedActionMessage(value: string, removed: RemovedAction): string {
  const subject = removed.scope === 'service' ? `Action "${value}": service "${removed.service}"` : `Action "${value}"`;
  const gone = removed.scope === 'service' ? 'was retired' : 'was removed from AWS';
  let what: string;
  if (removed.reference) {
    what = `${subject} ${gone}: the Service Authorization Reference listed it (${removed.reference}) and its edition of ${removed.catalogDate} no longer does`;
  } else if (removed.deprecatedOnly) {
    what = `${subject} ${gone}: it is not in the Service Authorization Reference of ${removed.catalogDate}, and only AWS managed policies that AWS deprecated name it (data of ${removed.policiesDate})`;
  } else {
    what = `${subject} is not in the Service Authorization Reference of ${removed.catalogDate}, though live AWS managed policies (${removed.policiesDate}) still name it`;
  }
  const code = removed.scope === 'service' ? 'INVALID_SERVICE_IN_ACTION' : 'INVALID_ACTION';
  return `${what}. It grants nothing, and IAM Access Analyzer reports it as an error (${code}): remove it`;
}
