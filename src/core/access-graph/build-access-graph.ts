import { matchesWildcard, type ActionCatalog } from '../catalog';
import type { LiveInventory } from '../drift/inventory';
import { accountRootArn, awsManagedPolicyArn, buildTrustStatements, isAccountId, roleArn } from '../iam';
import type { Statement } from '../policy';
import { findAdminGrant, findEscalationPaths, grantsAction } from '../lint';
import type { ResolvedAccount, ResolvedOrganization, ResolvedRole } from '../model';
import { locateStatements, PolicyDocument, type LocatedStatement, type PolicyDocumentJson } from '../policy';

/** A model document as is; a live one (JSON read from IAM) validated once here. */
function asDocument(document: PolicyDocument | PolicyDocumentJson): PolicyDocument {
  return document instanceof PolicyDocument ? document : PolicyDocument.fromJson(document);
}
import { resolveScpDenies, type RoleScpDenies } from './scp-denies';
import type { AccessEdge, AccessGraph, AccessNode, TrustDetail } from './types';
import AWS_MANAGED_POLICY_DATA from './data/aws-managed-policy-documents.json';

/**
 * AWS managed policies whose documents the graph knows. AdministratorAccess is written out (`*` on `*`, as AWS
 * publishes it); the others are AWS's documents as iann0036/iam-dataset (MIT) holds them, at the commit and date in
 * data/aws-managed-policy-documents.json (scripts/data/extract-aws-managed-policy-documents.ts; data/NOTICE.md).
 * Any other AWS managed policy is listed in the role's `notEvaluated`.
 * @see https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AdministratorAccess.html
 */
export const KNOWN_AWS_MANAGED_DOCUMENTS: Readonly<Record<string, PolicyDocumentJson>> = {
  AdministratorAccess: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } as PolicyDocumentJson,
  ...Object.fromEntries(Object.entries(AWS_MANAGED_POLICY_DATA.policies).map(([name, p]) => [name, p.document as unknown as PolicyDocumentJson])),
};

/** Source, commit and date of the AWS managed policy documents (for reports and docs). */
export const AWS_MANAGED_DOCUMENTS_SOURCE: { readonly source: string; readonly commit: string; readonly date: string } = {
  source: AWS_MANAGED_POLICY_DATA.source,
  commit: AWS_MANAGED_POLICY_DATA.commit,
  date: AWS_MANAGED_POLICY_DATA.date,
};

const KNOWN_VALIDATED = new Map<string, PolicyDocument>();

/** A known AWS managed policy's document, validated once. */
function knownAwsManagedDocument(name: string): PolicyDocument | undefined {
  const json = KNOWN_AWS_MANAGED_DOCUMENTS[name];
  if (!json) return undefined;
  let document = KNOWN_VALIDATED.get(name);
  if (!document) {
    document = PolicyDocument.fromJson(json);
    KNOWN_VALIDATED.set(name, document);
  }
  return document;
}

/** Options of {@link buildAccessGraph}. */
export interface BuildAccessGraphOptions {
  /** Live IAM of some accounts (`readLiveInventory`): roles the model does not define join the graph. @default - the model only */
  readonly inventories?: readonly LiveInventory[];
  /** @default 'aws' */
  readonly partition?: string;
}

/** The policies of one principal, as documents with a label each. */
interface LabelledDocument {
  readonly label: string;
  readonly document: PolicyDocument | PolicyDocumentJson;
}

const NO_SCP_DENIES: RoleScpDenies = { documents: [], unresolved: [] };

/** The node fields that say which SCPs apply to a role. */
function scpFields(scps: RoleScpDenies): Pick<AccessNode, 'scps' | 'scpsNotEvaluated'> {
  return { ...(scps.documents.length > 0 ? { scps: scps.documents.map((d) => d.scp) } : {}), ...(scps.unresolved.length > 0 ? { scpsNotEvaluated: scps.unresolved } : {}) };
}

/** SCP deny documents are shared by the roles they apply to: located once each. */
const LOCATED_SCPS = new WeakMap<PolicyDocument, readonly LocatedStatement[]>();

function locatedScpStatements(document: PolicyDocument): readonly LocatedStatement[] {
  let statements = LOCATED_SCPS.get(document);
  if (!statements) {
    statements = locateStatements(document, '$scp').statements;
    LOCATED_SCPS.set(document, statements);
  }
  return statements;
}

function key(id: string): string {
  return id.toLowerCase();
}

class GraphBuilder {
  public readonly nodes = new Map<string, AccessNode>();
  public readonly edges: AccessEdge[] = [];
  private readonly orgAccounts: ReadonlyMap<string, ResolvedAccount>;

  public constructor(
    org: ResolvedOrganization,
    private readonly catalog: ActionCatalog,
  ) {
    this.orgAccounts = new Map(org.accounts.map((a) => [a.id, a]));
  }

  public addNode(node: AccessNode): AccessNode {
    const existing = this.nodes.get(node.id);
    if (existing) return existing;
    this.nodes.set(node.id, node);
    return node;
  }

  /** The node a trust principal (account id, account root ARN, role/user ARN) stands for. */
  public principalNode(principal: string, thirdParty: boolean): AccessNode {
    const rootMatch = /^arn:[^:]+:iam::(\d{12}):root$/.exec(principal);
    const accountId = isAccountId(principal) ? principal : rootMatch?.[1];
    if (accountId !== undefined) {
      const account = this.orgAccounts.get(accountId);
      if (account && !thirdParty) return this.addNode({ id: `account:${accountId}`, kind: 'account', label: `${account.name} (${accountId})`, accountId, account: account.name });
      return this.addNode({ id: `account:${accountId}`, kind: 'external-account', label: `AWS account ${accountId}`, accountId, ...(account ? { account: account.name } : {}) });
    }
    const known = this.nodes.get(key(principal));
    if (known) return known;
    const idMatch = /^arn:[^:]+:(?:iam|sts)::(\d{12}):/.exec(principal);
    const inAccount = idMatch ? this.orgAccounts.get(idMatch[1]) : undefined;
    return this.addNode({ id: key(principal), kind: 'principal', label: principal, ...(idMatch ? { accountId: idMatch[1] } : {}), ...(inAccount ? { account: inAccount.name } : {}) });
  }

  public accountName(accountId: string): string | undefined {
    return this.orgAccounts.get(accountId)?.name;
  }

  public adminNode(accountId: string): AccessNode {
    const account = this.orgAccounts.get(accountId);
    return this.addNode({ id: `admin:${accountId}`, kind: 'admin', label: `admin of ${account?.name ?? accountId}`, accountId, ...(account ? { account: account.name } : {}) });
  }

  /** Trust detail for a caller in `callerAccount` (undefined: a service or a federation) of a role in `roleAccount`. */
  public trustDetail(base: Omit<TrustDetail, 'crossAccount' | 'external'>, callerAccount: string | undefined, roleAccount: string): TrustDetail {
    return {
      ...base,
      crossAccount: callerAccount !== undefined && callerAccount !== roleAccount,
      external: base.kind === 'third-party' || (callerAccount !== undefined && !this.orgAccounts.has(callerAccount)),
    };
  }

  /** has-admin and can-become edges of one role from its documents (and the boundary's unconditional denies). */
  public addPermissionEdges(role: AccessNode, documents: readonly LabelledDocument[], boundary: PolicyDocument | PolicyDocumentJson | undefined, scps: RoleScpDenies = NO_SCP_DENIES): void {
    const accountId = role.accountId!;
    const statements: LocatedStatement[] = [];
    documents.forEach((d, i) => {
      const view = locateStatements(asDocument(d.document), `$policy${i}`);
      statements.push(...view.statements);
      const admin = view.statements.find((s) => findAdminGrant(this.catalog, s) !== undefined);
      if (admin && !this.edges.some((e) => e.from === role.id && e.kind === 'has-admin')) {
        this.edges.push({ from: role.id, to: this.adminNode(accountId).id, kind: 'has-admin', grantedBy: d.label });
      }
    });
    if (boundary) {
      // A boundary caps the role: its unconditional denies take actions away (the engine reads Deny statements).
      const view = locateStatements(asDocument(boundary), '$boundary');
      statements.push(...view.statements.filter((s) => s.effect === 'Deny'));
    }
    // SCPs cap every principal of the accounts they reach the same way: their (resolved) denies take actions away.
    for (const d of scps.documents) statements.push(...locatedScpStatements(d.document));
    const adminStatements = new Set(statements.filter((s) => findAdminGrant(this.catalog, s) !== undefined));
    const matches = findEscalationPaths(this.catalog, statements, adminStatements);
    if (matches.length === 0) return;
    this.edges.push({
      from: role.id,
      to: this.adminNode(accountId).id,
      kind: 'can-become',
      escalations: matches.map(({ path: p }) => ({ id: p.id, name: p.name, actions: p.actions, ...(p.references[0] ? { reference: p.references[0] } : {}) })),
    });
  }

  /** Resources on which the documents allow sts:AssumeRole (for role → role edges). */
  public assumableResources(documents: readonly LabelledDocument[]): string[] {
    const out: string[] = [];
    for (const d of documents) {
      for (const s of locateStatements(asDocument(d.document), '$').statements) {
        if (s.effect !== 'Allow' || !s.actions?.some((a) => grantsAction(this.catalog, a.value, 'sts:AssumeRole'))) continue;
        out.push(...(s.resources ?? []).map((r) => r.value));
      }
    }
    return out;
  }

  public roleDocuments(role: ResolvedRole, account: ResolvedAccount): { documents: LabelledDocument[]; notEvaluated: string[] } {
    const documents: LabelledDocument[] = role.inlinePolicies.map((p) => ({ label: `inline policy "${p.name}"`, document: p.document }));
    const notEvaluated: string[] = [];
    for (const ref of role.managedPolicies) {
      if (ref.kind === 'customer') {
        const policy = account.policies.find((p) => key(p.name) === key(ref.name));
        if (policy) documents.push({ label: `managed policy "${policy.name}"`, document: policy.document });
        else notEvaluated.push(ref.name);
      } else {
        const known = knownAwsManagedDocument(ref.name);
        if (known) documents.push({ label: `aws:${ref.name}`, document: known });
        else notEvaluated.push(`aws:${ref.name}`);
      }
    }
    return { documents, notEvaluated };
  }

  public boundaryOf(role: ResolvedRole, account: ResolvedAccount): { name: string | null; document?: PolicyDocument } {
    const b = role.boundary;
    if (b.kind === 'none') return { name: null };
    if (b.kind === 'default') return account.permissionBoundary ? { name: account.permissionBoundary.name, document: account.permissionBoundary.document } : { name: null };
    const named = account.permissionBoundary?.name === b.name ? account.permissionBoundary.document : account.policies.find((p) => key(p.name) === key(b.name))?.document;
    return named ? { name: b.name, document: named } : { name: null };
  }
}

/**
 * The access graph of an organization: every role of the model (and, when given, every live role the model does
 * not define), who can assume it (trust, with its conditions, as `buildTrustPolicy` builds it), which role can
 * assume which (sts:AssumeRole in its policies on the other role's ARN, and the other's trust), and who can become
 * admin of each account: directly (`*` on `*`, the admin-access rule of the linter) or by an escalation path of the
 * linter's table (`findEscalationPaths`, the same engine as the privilege-escalation rule).
 *
 * SCPs reaching a role's account take actions away as a boundary's denies do ({@link resolveScpDenies}; listed in the
 * node's `scps`); their denies with conditions other than aws:PrincipalArn exemptions are not applied (`scpsNotEvaluated`).
 *
 * Not evaluated (said in `notEvaluated` of the node, or in docs/reports.md): AWS managed policies other than
 * {@link KNOWN_AWS_MANAGED_DOCUMENTS}, SCP allow lists (only their denies are read), conditions on the caller's side of
 * role → role edges, resource policies.
 */
export function buildAccessGraph(org: ResolvedOrganization, catalog: ActionCatalog, options: BuildAccessGraphOptions = {}): AccessGraph {
  const partition = options.partition ?? 'aws';
  const g = new GraphBuilder(org, catalog);
  const assumers: { from: AccessNode; resources: string[] }[] = [];

  // Nodes of every role first, so trust naming a role ARN links to the role itself.
  const roleNodes = new Map<ResolvedRole, AccessNode>();
  const roleScps = new Map<ResolvedRole, RoleScpDenies>();
  for (const account of org.accounts) {
    for (const role of account.roles) {
      const arn = roleArn(account.id, role.name, role.path, partition);
      const { notEvaluated } = g.roleDocuments(role, account);
      const scps = resolveScpDenies(org, account, arn);
      roleScps.set(role, scps);
      roleNodes.set(
        role,
        g.addNode({
          id: key(arn),
          kind: 'role',
          label: arn,
          accountId: account.id,
          account: account.name,
          owner: role.owner,
          file: role.source.file,
          boundary: g.boundaryOf(role, account).name,
          managed: true,
          ...(notEvaluated.length > 0 ? { notEvaluated } : {}),
          ...scpFields(scps),
        }),
      );
    }
  }

  for (const account of org.accounts) {
    for (const role of account.roles) {
      const node = roleNodes.get(role)!;
      const built = buildTrustStatements(role.trust, { accountId: account.id, partition });
      // A statement without a Sid (an imported trust written as IAM holds it) is named by its place in the policy.
      const ordered = [...built.accounts, ...(built.services ? [built.services] : []), ...built.oidc, ...built.saml];
      const labelOf = (statement: Statement): string => statement.sid ?? `statement ${ordered.indexOf(statement)}`;
      const jsonOf = (statement: Statement | undefined): Record<string, unknown> => (statement?.toJSON() ?? {}) as unknown as Record<string, unknown>;
      const conditionsOf = (statement: Statement | undefined): TrustDetail['conditions'] | undefined => normalizeConditions(jsonOf(statement).Condition);
      role.trust.accounts.forEach((entry, i) => {
        const statement = built.accounts[i];
        const sid = statement ? labelOf(statement) : `statement ${i}`;
        const conditions = conditionsOf(statement);
        for (const principal of entry.principals) {
          const from = g.principalNode(principal, entry.kind === 'third-party');
          const trust = g.trustDetail(
            { kind: entry.kind, requireMfa: entry.requireMfa, ...(entry.externalId ? { externalId: entry.externalId } : {}), ...(conditions ? { conditions } : {}), federated: false, statement: sid },
            from.accountId,
            account.id,
          );
          g.edges.push({ from: from.id, to: node.id, kind: 'can-assume', trust, source: entry.source });
        }
      });
      for (const service of role.trust.services) {
        const from = g.addNode({ id: `service:${key(service)}`, kind: 'service', label: service });
        const statement = built.services ? labelOf(built.services) : 'ServiceTrust';
        g.edges.push({ from: from.id, to: node.id, kind: 'can-assume', trust: g.trustDetail({ kind: 'service', requireMfa: false, federated: false, statement }, undefined, account.id), source: role.source });
      }
      role.trust.oidc.forEach((entry, i) => {
        const statement = built.oidc[i];
        const sid = statement ? labelOf(statement) : `statement ${i}`;
        const arn = (jsonOf(statement).Principal as { Federated: string | string[] }).Federated;
        const label = Array.isArray(arn) ? arn[0] : arn;
        const from = g.addNode({ id: `oidc:${key(label)}`, kind: 'oidc', label, accountId: account.id, account: account.name });
        const conditions = conditionsOf(statement);
        g.edges.push({ from: from.id, to: node.id, kind: 'can-assume', trust: g.trustDetail({ kind: 'oidc', requireMfa: false, ...(conditions ? { conditions } : {}), federated: true, statement: sid }, undefined, account.id), source: entry.source });
      });
      role.trust.saml.forEach((entry, i) => {
        const statement = built.saml[i];
        const sid = statement ? labelOf(statement) : `statement ${i}`;
        const arn = (jsonOf(statement).Principal as { Federated: string | string[] }).Federated;
        const label = Array.isArray(arn) ? arn[0] : arn;
        const from = g.addNode({ id: `saml:${key(label)}`, kind: 'saml', label, accountId: account.id, account: account.name });
        const conditions = conditionsOf(statement);
        g.edges.push({ from: from.id, to: node.id, kind: 'can-assume', trust: g.trustDetail({ kind: 'saml', requireMfa: false, ...(conditions ? { conditions } : {}), federated: true, statement: sid }, undefined, account.id), source: entry.source });
      });
      const { documents } = g.roleDocuments(role, account);
      g.addPermissionEdges(node, documents, g.boundaryOf(role, account).document, roleScps.get(role));
      assumers.push({ from: node, resources: g.assumableResources(documents) });
    }
  }

  for (const inventory of options.inventories ?? []) addLiveRoles(g, org, inventory, assumers, partition);

  // Role → role: the caller's policies allow sts:AssumeRole on the target's ARN and the target trusts the caller
  // (its ARN, or its account: then the caller's own policy is what lets it in).
  const trustEdges = [...g.edges.filter((e) => e.kind === 'can-assume')];
  for (const { from, resources } of assumers) {
    if (resources.length === 0) continue;
    for (const edge of trustEdges) {
      const target = g.nodes.get(edge.to)!;
      if (target.id === from.id || target.kind !== 'role') continue;
      const trusted = edge.from === from.id || (edge.from === `account:${from.accountId}` && g.nodes.get(edge.from)?.kind === 'account');
      if (!trusted || !resources.some((r) => matchesWildcard(r, target.label))) continue;
      g.edges.push({ ...edge, from: from.id, trust: { ...edge.trust!, crossAccount: from.accountId !== target.accountId } });
    }
  }
  return { nodes: g.nodes, edges: g.edges };
}

/** A Condition block with every value as an array (toJSON writes single values as strings). */
function normalizeConditions(value: unknown): TrustDetail['conditions'] | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const out: Record<string, Record<string, string[]>> = {};
  for (const [op, keys] of Object.entries(value as Record<string, unknown>)) {
    out[op] = {};
    for (const [k, v] of Object.entries((keys ?? {}) as Record<string, unknown>)) out[op][k] = asArray(v);
  }
  return out;
}

function asArray(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
}

/** Live roles the model does not define: nodes, trust edges from their trust policies, admin and escalation edges. */
function addLiveRoles(g: GraphBuilder, org: ResolvedOrganization, inventory: LiveInventory, assumers: { from: AccessNode; resources: string[] }[], partition: string): void {
  const policiesByArn = new Map(inventory.policies.map((p) => [key(p.arn), p]));
  const account = org.accounts.find((a) => a.id === inventory.accountId);
  for (const live of inventory.roles) {
    if (g.nodes.has(key(live.arn))) continue;
    const documents: LabelledDocument[] = live.inlinePolicies.map((p) => ({ label: `inline policy "${p.name}"`, document: p.document }));
    const notEvaluated: string[] = [];
    for (const arn of live.managedPolicyArns) {
      const customer = policiesByArn.get(key(arn));
      const version = customer?.versions.find((v) => v.versionId === customer.defaultVersionId);
      const awsName = Object.keys(KNOWN_AWS_MANAGED_DOCUMENTS).find((n) => key(awsManagedPolicyArn(n, partition)) === key(arn));
      if (version) documents.push({ label: `managed policy "${customer!.name}"`, document: version.document });
      else if (awsName) documents.push({ label: `aws:${awsName}`, document: knownAwsManagedDocument(awsName)! });
      else notEvaluated.push(arn);
    }
    const scps = account ? resolveScpDenies(org, account, live.arn) : NO_SCP_DENIES;
    const boundaryPolicy = live.boundaryArn ? policiesByArn.get(key(live.boundaryArn)) : undefined;
    const boundaryDocument = boundaryPolicy?.versions.find((v) => v.versionId === boundaryPolicy.defaultVersionId)?.document;
    const node = g.addNode({
      id: key(live.arn),
      kind: 'role',
      label: live.arn,
      accountId: inventory.accountId,
      ...(g.accountName(inventory.accountId) ? { account: g.accountName(inventory.accountId) } : {}),
      boundary: live.boundaryArn ? (live.boundaryArn.split('/').pop() ?? live.boundaryArn) : null,
      managed: false,
      ...(notEvaluated.length > 0 ? { notEvaluated } : {}),
      ...scpFields(scps),
    });
    const trust = live.trustPolicy as unknown as { Statement?: unknown };
    const list = Array.isArray(trust.Statement) ? (trust.Statement as Record<string, unknown>[]) : trust.Statement ? [trust.Statement as Record<string, unknown>] : [];
    list.forEach((st, i) => {
      if (st.Effect !== 'Allow') return;
      const principal = (st.Principal ?? {}) as Record<string, unknown>;
      const conditions = normalizeConditions(st.Condition);
      const externalId = conditions ? Object.values(conditions).flatMap((c) => asArray(Object.entries(c).find(([k]) => key(k) === 'sts:externalid')?.[1]))[0] : undefined;
      const mfa = conditions ? Object.values(conditions).some((c) => Object.keys(c).some((k) => key(k) === 'aws:multifactorauthpresent')) : false;
      const base = { requireMfa: mfa, ...(externalId ? { externalId } : {}), ...(conditions ? { conditions } : {}), statement: `Statement[${i}]` };
      for (const p of asArray(principal.AWS === '*' ? accountRootArn('*', partition) : principal.AWS)) {
        const from = g.principalNode(p, false);
        const external = from.kind === 'external-account';
        g.edges.push({ from: from.id, to: node.id, kind: 'can-assume', trust: g.trustDetail({ ...base, kind: external ? 'third-party' : mfa ? 'human' : 'workload', federated: false }, from.accountId, inventory.accountId) });
      }
      for (const s of asArray(principal.Service)) {
        const from = g.addNode({ id: `service:${key(s)}`, kind: 'service', label: s });
        g.edges.push({ from: from.id, to: node.id, kind: 'can-assume', trust: g.trustDetail({ ...base, kind: 'service', federated: false }, undefined, inventory.accountId) });
      }
      for (const f of asArray(principal.Federated)) {
        const saml = /:saml-provider\//.test(f);
        const from = g.addNode({ id: `${saml ? 'saml' : 'oidc'}:${key(f)}`, kind: saml ? 'saml' : 'oidc', label: f, accountId: inventory.accountId });
        g.edges.push({ from: from.id, to: node.id, kind: 'can-assume', trust: g.trustDetail({ ...base, kind: saml ? 'saml' : 'oidc', federated: true }, undefined, inventory.accountId) });
      }
    });
    g.addPermissionEdges(node, documents, boundaryDocument, scps);
    assumers.push({ from: node, resources: g.assumableResources(documents) });
  }
}
