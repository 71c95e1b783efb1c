/** Remediation library against moto: the five-version limit, the policy record of replaced values, and the read paths. */
import {
  CreatePolicyVersionCommand,
  DeletePolicyVersionCommand,
  IAMClient,
  ListPolicyVersionsCommand,
} from '@aws-sdk/client-iam';
import { detectDrift } from '../../src/core/drift';
import { MAX_POLICY_VERSIONS } from '../../src/core/policy';
import { InMemoryRegistryStore } from '../../src/io/registry';
import { applyRemediationPlan, MemoryJournal, planAccountRemediation, readLiveInventory, readLivePolicy, readLiveRole } from '../../src/io/iam';
import { MOTO_CREDENTIALS, MOTO_REGION, type MotoServer, startMotoServer } from '../support/moto-server';
import { buildTestAccount, TEST_ACCOUNT_ID, desiredOf } from './support/account';
import { applyDesiredInventory } from './support/apply-desired';
import { createDeployRole, makeConsoleChanges } from './support/console-changes';

const POLICY_ARN = `arn:aws:iam::${TEST_ACCOUNT_ID}:policy/app-data-read`;
const doc = (action: string) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Action: action, Resource: '*' }] });

describe('remediation against moto', () => {
  let moto: MotoServer;
  let iam: IAMClient;
  const desired = desiredOf(buildTestAccount());

  beforeAll(async () => {
    moto = await startMotoServer();
    iam = new IAMClient({ endpoint: moto.endpoint, region: MOTO_REGION, credentials: MOTO_CREDENTIALS });
  });
  afterAll(() => moto.stop());
  beforeEach(async () => {
    await moto.reset();
    await applyDesiredInventory(iam, desired);
    await createDeployRole(iam);
  });

  it('creates the desired version and prunes the oldest non-default one at the five-version limit', async () => {
    // Given a policy whose five stored versions all differ from the desired document (v1 deleted)
    await iam.send(new CreatePolicyVersionCommand({ PolicyArn: POLICY_ARN, PolicyDocument: JSON.stringify(doc('s3:a')), SetAsDefault: true }));
    await iam.send(new DeletePolicyVersionCommand({ PolicyArn: POLICY_ARN, VersionId: 'v1' }));
    for (const a of ['s3:b', 's3:c', 's3:d', 's3:e']) await iam.send(new CreatePolicyVersionCommand({ PolicyArn: POLICY_ARN, PolicyDocument: JSON.stringify(doc(a)), SetAsDefault: true }));
    expect((await iam.send(new ListPolicyVersionsCommand({ PolicyArn: POLICY_ARN }))).Versions).toHaveLength(MAX_POLICY_VERSIONS);

    // When remediation plans and applies
    const { plan, live } = await planAccountRemediation(iam, desired);
    const store = new InMemoryRegistryStore();
    const journal = new MemoryJournal();
    const result = await applyRemediationPlan(iam, plan, desired, { journal, record: store, live, runId: 'run-1' });

    // Then the oldest non-default version (v2) was pruned and the desired document is the new default
    expect(plan.actions).toMatchObject([{ type: 'create-policy-version', prune: { versionId: 'v2', document: doc('s3:a') }, replaced: { versionId: 'v6', document: doc('s3:e') } }]);
    expect(result.failed).toBeUndefined();
    const policy = await readLivePolicy(iam, POLICY_ARN);
    expect(policy?.versions.map((v) => v.versionId).sort()).toEqual(['v3', 'v4', 'v5', 'v6', 'v7']);
    expect(policy?.defaultVersionId).toBe('v7');
    expect(detectDrift(desired, await readLiveInventory(iam, { accountId: TEST_ACCOUNT_ID })).drift).toEqual([]);
    // And both the replaced default and the pruned version are in the policy record (reverted console changes)
    const stored = (await store.list(plan.account)).filter((r) => r.resourceArn === POLICY_ARN).map((r) => (r.content.kind === 'remediation' ? [r.content.slot, r.content.replaced] : [])).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(stored).toEqual([
      ['policy-version:v2', doc('s3:a')],
      ['policy-version:v6', { versionId: 'v6', document: doc('s3:e') }],
    ]);
  });

  it('sets an existing matching version as default instead of creating one', async () => {
    await iam.send(new CreatePolicyVersionCommand({ PolicyArn: POLICY_ARN, PolicyDocument: JSON.stringify(doc('s3:*')), SetAsDefault: true }));
    const { plan } = await planAccountRemediation(iam, desired);
    expect(plan.actions).toEqual([{ type: 'set-default-policy-version', policyArn: POLICY_ARN, versionId: 'v1', replaced: { versionId: 'v2', document: doc('s3:*') } }]);
    await applyRemediationPlan(iam, plan, desired, { journal: new MemoryJournal() });
    const policy = await readLivePolicy(iam, POLICY_ARN);
    expect(policy?.defaultVersionId).toBe('v1');
    expect(policy?.versions.map((v) => v.versionId)).toEqual(['v1', 'v2']);
  });

  it('reads one role the same way the account read does (used by the Lambda)', async () => {
    await makeConsoleChanges(iam);
    const whole = await readLiveInventory(iam, { accountId: TEST_ACCOUNT_ID });
    for (const name of ['app-operator', 'app-ci', 'console-made']) {
      const one = await readLiveRole(iam, name);
      const fromAll = whole.roles.find((r) => r.name === name);
      expect(one).toEqual(fromAll);
    }
    expect(await readLiveRole(iam, 'no-such-role')).toBeUndefined();
    expect(await readLivePolicy(iam, `arn:aws:iam::${TEST_ACCOUNT_ID}:policy/none`)).toBeUndefined();
  });
});
