import type { PolicyType } from '../policy';
import type { LintRule, LintSeverity } from './types';

const ALL: readonly PolicyType[] = ['identity', 'resource', 'trust', 'boundary', 'scp'];
/** Types that grant permissions: the rules about what a policy allows run only on these (boundaries and SCPs only cap). */
const GRANTING: readonly PolicyType[] = ['identity', 'resource'];

function rule(id: string, severity: LintSeverity, description: string, appliesTo: readonly PolicyType[]): LintRule {
  return Object.freeze({ id, severity, description, appliesTo, docs: `docs/rules/${id}.md` });
}

/** Every lint rule, by id. Ids are stable: suppressions and CI baselines refer to them. */
export const RULES = {
  'invalid-document': rule('invalid-document', 'error', 'The document is not a valid IAM policy of its type (structure, Version, Effect, Action, Resource, Principal, operators).', ALL),
  'unknown-service': rule('unknown-service', 'error', 'An action names a service prefix that does not exist.', ALL),
  'unknown-action': rule('unknown-action', 'error', 'An action does not exist in its service.', ALL),
  'removed-action': rule(
    'removed-action',
    'warning',
    'An action (or service) AWS removed: no longer in the Service Authorization Reference, still named by AWS managed policies. A warning by default: it grants nothing (IAM Access Analyzer reports it as an error, INVALID_ACTION or INVALID_SERVICE_IN_ACTION).',
    ALL,
  ),
  'wildcard-matches-nothing': rule('wildcard-matches-nothing', 'error', 'An action wildcard matches no existing action.', ALL),
  'admin-access': rule('admin-access', 'error', 'Allow of every action on every resource, directly or through NotAction.', GRANTING),
  'service-wildcard': rule('service-wildcard', 'warning', 'Allow of every action of a service (`svc:*`) or of every action on a narrower resource.', GRANTING),
  'not-action-allow': rule('not-action-allow', 'warning', 'Allow with NotAction grants every action not listed, including future ones.', GRANTING),
  'not-resource-allow': rule('not-resource-allow', 'warning', 'Allow with NotResource grants on every resource not listed, including future ones.', GRANTING),
  'privilege-escalation': rule('privilege-escalation', 'error', 'The policy grants a known privilege-escalation path without resource or condition constraints.', ['identity']),
  'not-principal-allow': rule('not-principal-allow', 'error', 'Allow with NotPrincipal in a resource or trust policy grants every principal not listed.', ['resource', 'trust']),
  'unknown-service-principal': rule('unknown-service-principal', 'error', 'A Principal.Service (or iam:PassedToService / iam:AWSServiceName value) that AWS does not define (a typo such as `lamda.amazonaws.com`); warning when no known principal is close.', ALL),
  'unknown-managed-policy': rule('unknown-managed-policy', 'error', 'An AWS managed policy reference that does not exist, was removed, or has another path.', ['identity']),
  'passrole-unconstrained': rule('passrole-unconstrained', 'warning', 'iam:PassRole on `*` or without an iam:PassedToService condition.', ['identity']),
  'resource-star-for-restrictable': rule('resource-star-for-restrictable', 'warning', 'Resource `*` for actions that support resource-level permissions.', GRANTING),
  'resource-type-mismatch': rule('resource-type-mismatch', 'warning', 'A Resource ARN matches none of the resource types of the statement\'s actions.', ['identity', 'resource', 'boundary', 'scp']),
  'unknown-condition-key': rule('unknown-condition-key', 'error', 'A condition key that no service defines: the condition never matches as intended.', ALL),
  'condition-operator-mismatch': rule('condition-operator-mismatch', 'warning', 'A condition operator (or value) that does not fit the key\'s type.', ALL),
  'trust-any-principal': rule('trust-any-principal', 'error', 'A trust policy lets any AWS principal assume the role.', ['trust']),
  'trust-cross-account-without-mfa': rule('trust-cross-account-without-mfa', 'error', 'A trust of a whole other account (its humans) without an MFA condition.', ['trust']),
  'trust-third-party-without-external-id': rule('trust-third-party-without-external-id', 'error', 'A trust of an account outside the organization without sts:ExternalId.', ['trust']),
  'trust-oidc-unscoped': rule('trust-oidc-unscoped', 'error', 'OIDC federation without an `aud` and a scoped `sub` condition (GitLab project_path, Terraform Cloud workspace).', ['trust']),
  'size-limit': rule('size-limit', 'error', 'The document (or a role\'s inline policies, or attachments) exceeds the AWS limit for its type.', ALL),
  'missing-permission-boundary': rule('missing-permission-boundary', 'error', 'A role has no permission boundary (info when opted out with a written reason).', ['identity']),
  'duplicate-sid': rule('duplicate-sid', 'error', 'Two statements share a Sid.', ALL),
  'redundant-statement': rule('redundant-statement', 'warning', 'A statement repeats or is contained in another statement of the same policy.', ALL),
  'scp-principal-not-allowed': rule('scp-principal-not-allowed', 'error', 'An SCP statement has Principal or NotPrincipal, which SCPs do not support.', ['scp']),
  'scp-locks-out-pipeline': rule('scp-locks-out-pipeline', 'error', 'An SCP denies IAM role/policy changes without an aws:PrincipalArn exemption for the pipeline and break-glass roles.', ['scp']),
  'scp-exemption-matches-everyone': rule('scp-exemption-matches-everyone', 'error', 'An SCP exemption on aws:PrincipalArn matches every role or principal (`arn:aws:iam::*:role/*`, `"*"`), so its Deny applies to nobody.', ['scp']),
  'expired-grant': rule('expired-grant', 'warning', 'A role, trust entry or statement whose `expires` date has passed: the access is still deployed until `iamctl expire` removes it.', ['identity', 'trust']),
} as const satisfies Record<string, LintRule>;

/** A rule id. */
export type LintRuleId = keyof typeof RULES;

/** Every rule, in registry order. */
export const RULE_LIST: readonly LintRule[] = Object.values(RULES);
