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
import type { ResolvedAccount, ResolvedOrganization, ResolvedServiceControlPolicy } from '../model';
import { locateStatements, PolicyDocument, type LocatedStatement, type PolicyDocumentJson } from '../policy';

/** The SCP denies that apply to one role, one document per SCP. */
export interface RoleScpDenies {
  /** SCP name → its statements that apply to the role, without their (resolved) conditions. */
  readonly documents: readonly { readonly scp: string; readonly document: PolicyDocument }[];
  /** Deny statements of SCPs reaching the account that the graph could not resolve for the role (`<scp> <sid>`). */
  readonly unresolved: readonly string[];
}

/** One SCP's Deny statements, located once, and the documents built from them (by the statements that apply). */
interface ScpView {
  readonly denies: readonly { readonly statement: LocatedStatement; readonly raw: Record<string, unknown>; readonly exemptions: ReturnType<typeof principalExemptions>; readonly resolvable: boolean }[];
  readonly documents: Map<string, PolicyDocument>;
}

const VIEWS = new WeakMap<ResolvedServiceControlPolicy, ScpView>();

function viewOf(scp: ResolvedServiceControlPolicy): ScpView {
  const cached = VIEWS.get(scp);
  if (cached) return cached;
  const json = scp.document.toJSON().Statement as unknown;
  const raw = (Array.isArray(json) ? json : [json]) as readonly Record<string, unknown>[];
  const denies = locateStatements(scp.document, '$')
    .statements.filter((st) => st.effect === 'Deny')
    .map((statement) => {
      const exemptions = principalExemptions(statement);
      return { statement, raw: raw[statement.index], exemptions, resolvable: exemptions.length === statement.conditions.length };
    });
  const view = { denies, documents: new Map<string, PolicyDocument>() };
  VIEWS.set(scp, view);
  return view;
}

/** The Deny statements of the organization's SCPs that apply to the role `roleArn` of `account`. */
export function resolveScpDenies(org: ResolvedOrganization, account: ResolvedAccount, roleArn: string): RoleScpDenies {
  const settings = org.organization;
  if (!settings || account.id === settings.managementAccountId) return { documents: [], unresolved: [] };
  const documents: { scp: string; document: PolicyDocument }[] = [];
  const unresolved: string[] = [];
  for (const scp of settings.scps) {
    if (!reachesAccount(scp, account)) continue;
    const view = viewOf(scp);
    const applying: number[] = [];
    for (const [i, d] of view.denies.entries()) {
      if (!d.resolvable) {
        unresolved.push(`${scp.name} ${d.statement.sid ?? `statement ${d.statement.index}`}`);
        continue;
      }
      if (d.exemptions.some(({ entry, wildcards }) => entry.values.some((v) => exemptionMatches(v, wildcards, roleArn)))) continue;
      applying.push(i);
    }
    if (applying.length === 0) continue;
    const key = applying.join(',');
    let document = view.documents.get(key);
    if (!document) {
      const statements = applying.map((i) => {
        const { Condition: _resolved, ...statement } = view.denies[i].raw;
        return statement;
      });
      document = PolicyDocument.fromJson({ Version: '2012-10-17', Statement: statements } as unknown as PolicyDocumentJson);
      view.documents.set(key, document);
    }
    documents.push({ scp: scp.name, document });
  }
  return { documents, unresolved };
}
