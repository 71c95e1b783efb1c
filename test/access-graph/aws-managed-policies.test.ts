import { rmSync } from 'node:fs';
import { loadOrganization } from '../../src/config';
import { AWS_MANAGED_DOCUMENTS_SOURCE, buildAccessGraph, type AccessGraph } from '../../src/core/access-graph';
import { loadActionCatalog } from '../../src/io/catalog';
import { copyExampleOrg, writeRole } from '../reports/example-copy';
import { EXAMPLE_ORG_ROOT } from '../support/example-org';

/**
 * AWS managed policies the graph evaluates from their documents (iam-dataset, MIT). Expectations written by hand
 * from AWS's documents: AWSLambda_FullAccess allows lambda:* and iam:PassRole to lambda.amazonaws.com, so it opens
 * lambda-001 (PassRole + CreateFunction + InvokeFunction); IAMFullAccess allows iam:*, so PutRolePolicy (iam-005)
 * among others; SecurityAudit and ViewOnlyAccess are reads.
 */
const catalog = loadActionCatalog();

function role(managed: string, boundary = ''): string {
  return `description: test role with an AWS managed policy
owner: app-team
trust:
  accounts:
    - principals: [management]
      kind: human
${boundary}managedPolicies:
  - aws:${managed}
`;
}

const NO_BOUNDARY = 'permissionBoundary:\n  none:\n    reason: test role without a boundary\n';

function escalationsOf(graph: AccessGraph, arn: string): string[] {
  return graph.edges.filter((e) => e.from === arn && e.kind === 'can-become').flatMap((e) => (e.escalations ?? []).map((x) => x.id));
}

describe('access graph: AWS managed policies from their documents', () => {
  let dir: string;
  beforeAll(() => {
    dir = copyExampleOrg();
    writeRole(dir, 'workloads/app-dev', 'lambda-admin', role('AWSLambda_FullAccess'));
    writeRole(dir, 'workloads/app-dev', 'iam-admin', role('IAMFullAccess', NO_BOUNDARY));
    writeRole(dir, 'management/management', 'iam-admin', role('IAMFullAccess', NO_BOUNDARY));
    writeRole(dir, 'workloads/app-dev', 'auditor', role('SecurityAudit'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('AWSLambda_FullAccess opens lambda-001, IAMFullAccess the IAM policy writes unless an SCP denies them, SecurityAudit nothing', () => {
    const graph = buildAccessGraph(loadOrganization(dir), catalog);
    expect(escalationsOf(graph, 'arn:aws:iam::510987654321:role/lambda-admin')).toEqual(expect.arrayContaining(['lambda-001']));
    // In the management account (no SCP applies) iam:* without a boundary includes PutRolePolicy on any role
    expect(escalationsOf(graph, 'arn:aws:iam::210987654321:role/iam-admin')).toEqual(expect.arrayContaining(['iam-005']));
    // In app-dev the SCP protect-iam-platform denies PutRolePolicy and the other IAM writes to every role but the pipeline's
    expect(escalationsOf(graph, 'arn:aws:iam::510987654321:role/iam-admin')).not.toContain('iam-005');
    expect(graph.nodes.get('arn:aws:iam::510987654321:role/iam-admin')!.scps).toEqual(expect.arrayContaining(['protect-iam-platform']));
    expect(escalationsOf(graph, 'arn:aws:iam::510987654321:role/auditor')).toEqual([]);
    for (const name of ['lambda-admin', 'iam-admin', 'auditor']) expect(graph.nodes.get(`arn:aws:iam::510987654321:role/${name}`)!.notEvaluated).toBeUndefined();
  });

  it('leaves no AWS managed policy of the example organization unevaluated, and records where the documents come from', () => {
    const graph = buildAccessGraph(loadOrganization(EXAMPLE_ORG_ROOT), catalog);
    expect([...graph.nodes.values()].flatMap((n) => n.notEvaluated ?? [])).toEqual([]);
    expect(AWS_MANAGED_DOCUMENTS_SOURCE).toEqual({
      source: 'iann0036/iam-dataset (MIT, Copyright (c) 2021 Ian Mckay; NOTICE: duo-labs/parliament, BSD-3-Clause)',
      commit: '2073fa52ac008a45477aa0b1b4580cd99135bf60',
      date: '2026-08-22',
    });
  });
});
