import { loadOrganization } from '../../src/config';
import { buildAccessGraph, describeAdminPath, findAdminPaths, findRolesWithoutBoundary, listExternalTrust } from '../../src/core/access-graph';
import type { LiveInventory } from '../../src/core/drift/inventory';
import { loadActionCatalog } from '../../src/io/catalog';
import { EXAMPLE_ORG_ROOT } from '../support/example-org';

/** A live app-prod inventory with one role the model does not define: a vendor's admin role, with an external id. */
const INVENTORY: LiveInventory = {
  accountId: '530987654321',
  readAt: '2026-12-01T09:00:00Z',
  oidcProviders: [],
  policies: [],
  roles: [
    {
      name: 'Vendor-Admin',
      path: '/',
      arn: 'arn:aws:iam::530987654321:role/Vendor-Admin',
      trustPolicy: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::999988887777:root' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': 'vendor-123' } } }],
      } as LiveInventory['roles'][number]['trustPolicy'],
      inlinePolicies: [],
      managedPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess'],
      tags: {},
    },
    // A live copy of a role the model defines (other case): the model's node is kept, not doubled.
    { name: 'PLATFORM-ADMIN', path: '/', arn: 'arn:aws:iam::530987654321:role/PLATFORM-ADMIN', trustPolicy: { Version: '2012-10-17', Statement: [] } as never, inlinePolicies: [], managedPolicyArns: [], tags: {} },
  ],
};

describe('access graph with a live inventory', () => {
  const org = loadOrganization(EXAMPLE_ORG_ROOT);
  const graph = buildAccessGraph(org, loadActionCatalog(), { inventories: [INVENTORY] });

  it('adds the live-only role with its outside trust, external id, admin path and missing boundary', () => {
    const arn = 'arn:aws:iam::530987654321:role/Vendor-Admin';
    expect(graph.nodes.get(arn.toLowerCase())).toMatchObject({ kind: 'role', managed: false, account: 'app-prod', boundary: null });
    const trust = listExternalTrust(graph).filter((e) => e.to === arn.toLowerCase());
    expect(trust.map((e) => [e.from, e.trust!.kind, e.trust!.externalId, e.trust!.external])).toEqual([['account:999988887777', 'third-party', 'vendor-123', true]]);
    expect(findAdminPaths(graph).filter((p) => p.principal.id === 'account:999988887777').map((p) => describeAdminPath(graph, p))).toEqual([
      `AWS account 999988887777 can assume ${arn} (third-party, external id vendor-123) → ${arn} has admin access (aws:AdministratorAccess)`,
    ]);
    expect(findRolesWithoutBoundary(graph).map((n) => n.label)).toContain(arn);
  });

  it('compares role ARNs case-insensitively: a live role the model defines is not added twice', () => {
    expect([...graph.nodes.values()].filter((n) => n.label.toLowerCase() === 'arn:aws:iam::530987654321:role/platform-admin')).toHaveLength(1);
  });
});
