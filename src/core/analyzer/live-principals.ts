import type { LiveInventory } from '../drift';
import type { ResolvedAccount } from '../model';
import type { ManagedPrincipal } from './analyze-usage';
import type { GrantingPolicy } from './granted-permissions';

const AWS_MANAGED_POLICY_ARN = /^arn:[^:]+:iam::aws:policy\//;

/** Options of {@link principalsFromLiveInventory}. */
export interface LivePrincipalsOptions {
  /** Account name to report the roles under. */
  readonly accountName: string;
  /** The account in the model, to point recommendations at the role files. @default - none (no file) */
  readonly account?: ResolvedAccount;
}

/**
 * The roles of an account as IAM reports them (GetAccountAuthorizationDetails), with the same rules
 * as the model: inline and customer managed policies (default version) are evaluated, the boundary is
 * applied when it is a customer managed policy, AWS managed policies are listed as not evaluated.
 * Service-linked roles are left out, as their events are.
 */
export function principalsFromLiveInventory(inventory: LiveInventory, options: LivePrincipalsOptions): ManagedPrincipal[] {
  const policies = new Map(inventory.policies.map((p) => [p.arn, p]));
  const documentOf = (arn: string) => {
    const policy = policies.get(arn);
    const version = policy?.versions.find((v) => v.isDefault) ?? policy?.versions.find((v) => v.versionId === policy.defaultVersionId);
    return policy && version ? { name: policy.name, document: version.document } : undefined;
  };
  const out: ManagedPrincipal[] = [];
  for (const role of inventory.roles) {
    if (role.path.startsWith('/aws-service-role/')) continue;
    const identityPolicies: GrantingPolicy[] = role.inlinePolicies.map((p) => ({ name: p.name, kind: 'inline', document: p.document }));
    const notEvaluated: string[] = [];
    for (const arn of role.managedPolicyArns) {
      if (AWS_MANAGED_POLICY_ARN.test(arn)) {
        notEvaluated.push(`AWS managed policy ${arn.replace(AWS_MANAGED_POLICY_ARN, '')}: its content is not available offline, so its grants are not counted`);
        continue;
      }
      const found = documentOf(arn);
      if (found) identityPolicies.push({ name: found.name, kind: 'customer', document: found.document });
      else notEvaluated.push(`managed policy ${arn}: not in the authorization details`);
    }
    let boundary: GrantingPolicy | undefined;
    if (role.boundaryArn !== undefined) {
      const found = documentOf(role.boundaryArn);
      if (found) boundary = { name: found.name, kind: 'boundary', document: found.document };
      else notEvaluated.push(`permission boundary ${role.boundaryArn}: content not available, so it is not applied`);
    }
    const modelRole = options.account?.roles.find((r) => r.name.toLowerCase() === role.name.toLowerCase());
    out.push({
      arn: role.arn,
      type: 'role',
      account: options.accountName,
      name: role.name,
      file: modelRole?.source.file ?? '',
      granted: { identityPolicies, ...(boundary ? { boundary } : {}), notEvaluated },
    });
  }
  return out;
}
