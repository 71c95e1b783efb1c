import type { AccessEdge, AccessGraph, AccessNode, AdminPath, HumanAccessWithoutMfa } from './types';

/**
 * Every path to admin-equivalent access in each account: for each edge that grants admin (has-admin, or an
 * escalation path of the linter's table), the role holding it, and every principal that can reach that role,
 * by one shortest chain of trust edges (breadth-first, backwards). So a principal that reaches admin through
 * two roles, or through two escalation paths, has one path per way. Sorted by account, length, principal, way.
 */
export function findAdminPaths(graph: AccessGraph): AdminPath[] {
  const incoming = new Map<string, AccessEdge[]>();
  for (const e of graph.edges) {
    if (e.kind !== 'can-assume') continue;
    const list = incoming.get(e.to);
    if (list) list.push(e);
    else incoming.set(e.to, [e]);
  }
  const out: AdminPath[] = [];
  for (const grant of graph.edges) {
    if (grant.kind === 'can-assume') continue;
    const admin = graph.nodes.get(grant.to)!;
    // next[n] = the trust edge leaving n on a shortest chain to the role holding the grant.
    const next = new Map<string, AccessEdge>();
    const queue: string[] = [grant.from];
    const seen = new Set<string>([grant.from]);
    while (queue.length > 0) {
      const id = queue.shift()!;
      for (const e of incoming.get(id) ?? []) {
        if (seen.has(e.from)) continue;
        seen.add(e.from);
        next.set(e.from, e);
        queue.push(e.from);
      }
    }
    const base = { account: admin.account ?? admin.accountId!, accountId: admin.accountId! };
    out.push({ ...base, principal: graph.nodes.get(grant.from)!, edges: [grant] });
    for (const from of next.keys()) {
      const edges: AccessEdge[] = [];
      for (let at = from; at !== grant.from; ) {
        const e = next.get(at)!;
        edges.push(e);
        at = e.to;
      }
      out.push({ ...base, principal: graph.nodes.get(from)!, edges: [...edges, grant] });
    }
  }
  const way = (p: AdminPath) => p.edges.map((e) => e.to + e.kind).join('>');
  return out.sort((a, b) => a.account.localeCompare(b.account) || a.edges.length - b.edges.length || a.principal.label.localeCompare(b.principal.label) || way(a).localeCompare(way(b)));
}

/** Trust edges that cross an account boundary, come from outside the organization, or come from a federation. */
export function listExternalTrust(graph: AccessGraph): AccessEdge[] {
  return graph.edges.filter((e) => e.kind === 'can-assume' && e.trust && (e.trust.crossAccount || e.trust.external || e.trust.federated) && graph.nodes.get(e.from)?.kind !== 'role');
}

/** Human account trust (people sign in to the trusted account and assume the role) that does not require MFA. */
export function findHumanAccessWithoutMfa(graph: AccessGraph): HumanAccessWithoutMfa[] {
  return graph.edges
    .filter((e) => e.kind === 'can-assume' && e.trust?.kind === 'human' && !e.trust.requireMfa && graph.nodes.get(e.from)?.kind !== 'role')
    .map((edge) => ({ role: graph.nodes.get(edge.to)!, edge }));
}

/** Roles without a permission boundary (none written, or a boundary that does not exist). */
export function findRolesWithoutBoundary(graph: AccessGraph): AccessNode[] {
  return [...graph.nodes.values()].filter((n) => n.kind === 'role' && n.boundary === null).sort((a, b) => a.label.localeCompare(b.label));
}

/** How a report names an edge in one line: `management (111111111111) -[assume, MFA]-> arn:…:role/x`. */
export function describeEdge(graph: AccessGraph, edge: AccessEdge): string {
  const from = graph.nodes.get(edge.from)?.label ?? edge.from;
  const to = graph.nodes.get(edge.to)?.label ?? edge.to;
  if (edge.kind === 'has-admin') return `${from} has admin access (${edge.grantedBy ?? 'policy'})`;
  if (edge.kind === 'can-become') return `${from} can become admin by ${edge.escalations!.map((x) => `${x.id} [${x.actions.join(' + ')}]`).join(', ')}`;
  const t = edge.trust!;
  const notes = [t.kind, ...(t.requireMfa ? ['MFA'] : []), ...(t.externalId ? [`external id ${t.externalId}`] : [])];
  return `${from} can assume ${to} (${notes.join(', ')})`;
}

/** A path in one line: the edges joined by ` → `. */
export function describeAdminPath(graph: AccessGraph, path: AdminPath): string {
  return path.edges.map((e) => describeEdge(graph, e)).join(' → ');
}
