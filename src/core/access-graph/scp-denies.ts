/**
 * What the organization's SCPs take away from one role, as Deny statements the escalation engine reads
 * (`findEscalationPaths`, as it reads a boundary's denies). An SCP reaches the accounts under the target it is
 * attached to (root, an OU, an account; the linter's `reachesAccount`) and never the management account.
 * A Deny statement whose only conditions are aws:PrincipalArn exemptions (`ArnNotLike aws:PrincipalARN`, the
 * linter's `principalExemptions`) is resolved for the role: it applies without condition when no exemption
 * admits the role's ARN, and not at all when one does. A statement with any other condition is left out (the graph
 * cannot tell whether it applies: the role keeps the capability).
 * @see https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
 */
import { exemptionMatches, principalExemptions, reachesAccount } from '../lint';
import type { ResolvedAccount, ResolvedOrganization } from '../model';
import { locateStatements, PolicyDocument, type PolicyDocumentJson } from '../policy';

/** The SCP denies that apply to one role, one document per SCP. */
export interface RoleScpDenies {
  /** SCP name → its statements that apply to the role, without their (resolved) conditions. */
  readonly documents: readonly { readonly scp: string; readonly document: PolicyDocument }[];
  /** Deny statements of SCPs reaching the account that the graph could not resolve for the role (`<scp> <sid>`). */
  readonly unresolved: readonly string[];
}

/** The Deny statements of the organization's SCPs that apply to the role `roleArn` of `account`. */
export function resolveScpDenies(org: ResolvedOrganization, account: ResolvedAccount, roleArn: string): RoleScpDenies {
  const settings = org.organization;
  if (!settings || account.id === settings.managementAccountId) return { documents: [], unresolved: [] };
  const documents: { scp: string; document: PolicyDocument }[] = [];
  const unresolved: string[] = [];
  for (const scp of settings.scps) {
    if (!reachesAccount(scp, account)) continue;
    const json = scp.document.toJSON().Statement as unknown;
    const raw = (Array.isArray(json) ? json : [json]) as readonly Record<string, unknown>[];
    const applying: Record<string, unknown>[] = [];
    for (const st of locateStatements(scp.document, '$').statements) {
      if (st.effect !== 'Deny') continue;
      const exemptions = principalExemptions(st);
      if (exemptions.length !== st.conditions.length) {
        unresolved.push(`${scp.name} ${st.sid ?? `statement ${st.index}`}`);
        continue;
      }
      if (exemptions.some(({ entry, wildcards }) => entry.values.some((v) => exemptionMatches(v, wildcards, roleArn)))) continue;
      const { Condition: _resolved, ...statement } = raw[st.index];
      applying.push(statement);
    }
    if (applying.length > 0) documents.push({ scp: scp.name, document: PolicyDocument.fromJson({ Version: '2012-10-17', Statement: applying } as unknown as PolicyDocumentJson) });
  }
  return { documents, unresolved };
}
