import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadOrganization } from '../../src/config';
import { buildAccessGraph } from '../../src/core/access-graph';
import type { AccessGraph } from '../../src/core/access-graph';
import { loadActionCatalog } from '../../src/io/catalog';
import { copyExampleOrg, LAMBDA_ESCALATION_ROLE, writeRole } from '../reports/example-copy';

/**
 * SCPs in the access graph: a Deny of an SCP takes the action away from every role of the accounts it reaches,
 * through the escalation engine. Expected values are written by hand from the role and SCP files below and the
 * example organization's OUs (app-dev: workloads; management: the management account, which SCPs never reach).
 */
const catalog = loadActionCatalog();

/** An SCP denying lambda:CreateFunction except to the role exempt-deployer, attached to `targets`. */
function denyCreateFunction(targets: string, extraCondition = ''): string {
  return `description: test SCP
targets: ${targets}
document:
  Version: "2012-10-17"
  Statement:
    - Sid: DenyCreateFunction
      Effect: Deny
      Action: lambda:CreateFunction
      Resource: "*"
      Condition:
        ArnNotLike:
          aws:PrincipalARN: arn:aws:iam::*:role/exempt-deployer
${extraCondition}`;
}

/** Ids of the escalation paths on the role's can-become edge (none: the role cannot become admin that way). */
function escalationsOf(graph: AccessGraph, roleArn: string): string[] {
  return graph.edges.filter((e) => e.from === roleArn.toLowerCase() && e.kind === 'can-become').flatMap((e) => (e.escalations ?? []).map((x) => x.id));
}

describe('access graph: SCP denies', () => {
  let dir: string;
  beforeEach(() => {
    dir = copyExampleOrg();
    writeRole(dir, 'workloads/app-dev', 'lambda-deployer', LAMBDA_ESCALATION_ROLE);
    writeRole(dir, 'workloads/app-dev', 'exempt-deployer', LAMBDA_ESCALATION_ROLE);
    writeRole(dir, 'management/management', 'lambda-deployer', LAMBDA_ESCALATION_ROLE);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const DEPLOYER = 'arn:aws:iam::510987654321:role/lambda-deployer';
  const EXEMPT = 'arn:aws:iam::510987654321:role/exempt-deployer';
  const MANAGEMENT_DEPLOYER = 'arn:aws:iam::210987654321:role/lambda-deployer';

  it('without the SCP, PassRole + CreateFunction + InvokeFunction is lambda-001 in both accounts (the control)', () => {
    const graph = buildAccessGraph(loadOrganization(dir), catalog);
    expect(escalationsOf(graph, DEPLOYER)).toEqual(['lambda-001']);
    expect(escalationsOf(graph, EXEMPT)).toEqual(['lambda-001']);
    expect(escalationsOf(graph, MANAGEMENT_DEPLOYER)).toEqual(['lambda-001']);
  });

  it('an SCP on the OU denying CreateFunction removes the path from its roles, except the one its exemption names', () => {
    writeFileSync(join(dir, 'accounts', 'scps', 'deny-create-function.yaml'), denyCreateFunction('[workloads]'));
    const graph = buildAccessGraph(loadOrganization(dir), catalog);
    expect(escalationsOf(graph, DEPLOYER)).toEqual([]);
    expect(graph.nodes.get(DEPLOYER)!.scps).toEqual(expect.arrayContaining(['deny-create-function']));
    expect(escalationsOf(graph, EXEMPT)).toEqual(['lambda-001']);
    expect(graph.nodes.get(EXEMPT)!.scps ?? []).not.toContain('deny-create-function');
  });

  it('an SCP attached to the root never reaches the management account', () => {
    writeFileSync(join(dir, 'accounts', 'scps', 'deny-create-function.yaml'), denyCreateFunction('[root]'));
    const graph = buildAccessGraph(loadOrganization(dir), catalog);
    expect(escalationsOf(graph, DEPLOYER)).toEqual([]);
    expect(escalationsOf(graph, MANAGEMENT_DEPLOYER)).toEqual(['lambda-001']);
    expect(graph.nodes.get(MANAGEMENT_DEPLOYER)!.scps).toBeUndefined();
  });

  it('a deny with a condition the graph cannot resolve for the role is not applied, and is named on the role', () => {
    writeFileSync(join(dir, 'accounts', 'scps', 'deny-create-function.yaml'), denyCreateFunction('[workloads]', '        StringEquals:\n          aws:RequestedRegion: eu-west-1\n'));
    const graph = buildAccessGraph(loadOrganization(dir), catalog);
    expect(escalationsOf(graph, DEPLOYER)).toEqual(['lambda-001']);
    expect(graph.nodes.get(DEPLOYER)!.scpsNotEvaluated).toEqual(expect.arrayContaining(['deny-create-function DenyCreateFunction']));
  });
});
