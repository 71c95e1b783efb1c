/** How remediation contains an unmanaged role: a deny-all inline policy and a tag, never deletion. */
import type { PolicyDocumentJson } from '../policy';
import type { LiveRole } from './inventory';
import { documentsEqual } from './documents';

/** Name of the deny-all inline policy put on unmanaged roles. */
export const QUARANTINE_POLICY_NAME = 'iam-platform-quarantine';
/** Tag put on quarantined roles; its value is the ISO time of the quarantine. */
export const QUARANTINE_TAG_KEY = 'iam-platform:quarantined';

/** The deny-all document of {@link QUARANTINE_POLICY_NAME}. */
export const QUARANTINE_POLICY_DOCUMENT: PolicyDocumentJson = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'IamPlatformQuarantine', Effect: 'Deny', Action: '*', Resource: '*' }],
};

/** True when the role already carries the quarantine policy (unchanged) and tag. */
export function isQuarantined(role: LiveRole): boolean {
  const policy = role.inlinePolicies.find((p) => p.name === QUARANTINE_POLICY_NAME);
  return policy !== undefined && documentsEqual(policy.document, QUARANTINE_POLICY_DOCUMENT) && role.tags[QUARANTINE_TAG_KEY] !== undefined;
}
