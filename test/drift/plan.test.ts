import {
  detectDrift,
  type LiveInventory,
  type LivePolicy,
  invertAction,
  planRemediation,
  type RemediationAction,
  renderDriftMarkdown,
  renderDriftText,
  selectVersionToPrune,
  validateRemediationPlan,
} from '../../src/core/drift';
import type { IAMClient } from '@aws-sdk/client-iam';
import { applyRemediationPlan, MemoryJournal } from '../../src/io/iam';
import { buildTestAccount, TEST_ACCOUNT_ID, desiredOf } from './support/account';

const doc = (action: string) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Action: action, Resource: '*' }] });
const desired = desiredOf(buildTestAccount());

/** The live inventory that matches the desired one exactly. */
function liveFromDesired(): LiveInventory {
  return {
    accountId: TEST_ACCOUNT_ID,
    readAt: '2026-11-28T07:00:00.000Z',
    roles: desired.roles.map((r) => ({ ...r, tags: { ...r.tags } })),
    policies: desired.policies.map((p) => ({ name: p.name, path: p.path, arn: p.arn, defaultVersionId: 'v1', versions: [{ versionId: 'v1', isDefault: true, document: p.document }] })),
    oidcProviders: [],
  };
}

describe('the desired inventory of the test account (read from its synthesized stack)', () => {
  it('holds ARNs, boundary, trust, tags as AWS will hold them, and protection by ARN', () => {
    const app = desired.roles.find((r) => r.name === 'app-operator');
    expect(app).toMatchObject({
      arn: `arn:aws:iam::${TEST_ACCOUNT_ID}:role/app-operator`,
      managedPolicyArns: [`arn:aws:iam::${TEST_ACCOUNT_ID}:policy/app-data-read`, 'arn:aws:iam::aws:policy/ReadOnlyAccess'],
      boundaryArn: `arn:aws:iam::${TEST_ACCOUNT_ID}:policy/iam-platform-boundary`,
      // Provider default tags (account owner) under the role's resource tags (role owner, source tag)
      tags: {
        environment: 'prod',
        account: 'app-prod',
        owner: 'app-team',
        'managed-by': 'iam-platform',
        'source-file': 'accounts/workloads/app-prod/account.yaml',
        'iam-platform:source': 'accounts/workloads/app-prod/account.yaml',
      },
    });
    expect(desired.roles.find((r) => r.name === 'break-glass')?.tags.owner).toBe('security');
    expect(desired.roles.find((r) => r.name === 'break-glass')?.boundaryArn).toBeUndefined();
    expect(desired.policies.map((p) => p.name)).toEqual(['app-data-read', 'iam-platform-boundary']);
    expect(desired.pipelineRoleArns).toEqual([`arn:aws:iam::${TEST_ACCOUNT_ID}:role/iam-platform-deploy`]);
    expect(desired.protectedRoleArns).toEqual([`arn:aws:iam::${TEST_ACCOUNT_ID}:role/iam-platform-deploy`, `arn:aws:iam::${TEST_ACCOUNT_ID}:role/break-glass`]);
    expect(desired.roles.map((r) => r.name)).toEqual(['app-ci', 'app-operator', 'break-glass', 'iam-platform-drift-config', 'iam-platform-drift-handler']);
    expect(detectDrift(desired, liveFromDesired()).drift).toEqual([]);
  });
});

describe('selectVersionToPrune', () => {
  const policy = (count: number, defaultId: string): LivePolicy => ({
    name: 'p',
    path: '/',
    arn: 'arn:aws:iam::123456789012:policy/p',
    defaultVersionId: defaultId,
    versions: Array.from({ length: count }, (_, i) => ({ versionId: `v${i + 1}`, isDefault: `v${i + 1}` === defaultId, document: doc(`s3:${i}`) })),
  });
  it('prunes nothing below the limit', () => {
    expect(selectVersionToPrune(policy(4, 'v4'))).toBeUndefined();
  });
  it('prunes the oldest non-default version at the limit, skipping the default', () => {
    expect(selectVersionToPrune(policy(5, 'v5'))?.versionId).toBe('v1');
    expect(selectVersionToPrune(policy(5, 'v1'))?.versionId).toBe('v2');
  });
});

describe('planRemediation', () => {
  it('restores missing inline policies and attachments, and skips attachments of policies that do not exist', () => {
    const live = liveFromDesired();
    const roles = live.roles.map((r) => (r.name === 'app-operator' ? { ...r, inlinePolicies: [], managedPolicyArns: [] } : r));
    const policies = live.policies.filter((p) => p.name !== 'app-data-read');
    const changed = { ...live, roles, policies };
    const plan = planRemediation(detectDrift(desired, changed), desired, changed);
    expect(plan.actions.map((a) => a.type)).toEqual(['put-inline-policy', 'attach-policy']);
    expect(plan.skipped.map((s) => s.reason)).toEqual([
      `cannot attach arn:aws:iam::${TEST_ACCOUNT_ID}:policy/app-data-read: the policy does not exist; run the pipeline (terraform apply)`,
      'missing resources are created by the account stack: run the pipeline (terraform apply)',
    ]);
  });

  it('restores changed and removed tags, one tag per action', () => {
    const live = liveFromDesired();
    const roles = live.roles.map((r) => (r.name === 'break-glass' ? r : r.name === 'app-ci' ? { ...r, tags: { owner: 'someone' } } : r));
    const plan = planRemediation(detectDrift(desired, { ...live, roles }), desired, { ...live, roles });
    expect(plan.actions).toEqual([
      { type: 'tag-role', roleName: 'app-ci', tags: { account: 'app-prod' }, replaced: { account: null } },
      { type: 'tag-role', roleName: 'app-ci', tags: { environment: 'prod' }, replaced: { environment: null } },
      { type: 'tag-role', roleName: 'app-ci', tags: { 'iam-platform:source': 'accounts/workloads/app-prod/account.yaml' }, replaced: { 'iam-platform:source': null } },
      { type: 'tag-role', roleName: 'app-ci', tags: { 'managed-by': 'iam-platform' }, replaced: { 'managed-by': null } },
      { type: 'tag-role', roleName: 'app-ci', tags: { owner: 'app-team' }, replaced: { owner: 'someone' } },
      { type: 'tag-role', roleName: 'app-ci', tags: { 'source-file': 'accounts/workloads/app-prod/account.yaml' }, replaced: { 'source-file': null } },
    ]);
  });
});

describe('invertAction', () => {
  it.each<[RemediationAction, RemediationAction[]]>([
    [{ type: 'delete-inline-policy', roleName: 'r', policyName: 'x', replaced: doc('a') }, [{ type: 'put-inline-policy', roleName: 'r', policyName: 'x', document: doc('a'), replaced: null }]],
    [{ type: 'detach-policy', roleName: 'r', policyArn: 'arn:p', replaced: 'arn:p' }, [{ type: 'attach-policy', roleName: 'r', policyArn: 'arn:p', replaced: null }]],
    [{ type: 'put-boundary', roleName: 'r', boundaryArn: 'arn:b', replaced: null }, [{ type: 'delete-boundary', roleName: 'r', replaced: 'arn:b' }]],
    [{ type: 'update-trust-policy', roleName: 'r', document: doc('a'), replaced: doc('b') }, [{ type: 'update-trust-policy', roleName: 'r', document: doc('b'), replaced: doc('a') }]],
    [
      { type: 'set-default-policy-version', policyArn: 'arn:p', versionId: 'v1', replaced: { versionId: 'v3', document: doc('b') } },
      [{ type: 'set-default-policy-version', policyArn: 'arn:p', versionId: 'v3', replaced: { versionId: 'v1', document: doc('b') } }],
    ],
    // A tag that did not exist is removed again; one that did gets its old value back.
    [
      { type: 'tag-role', roleName: 'r', tags: { a: '1', b: '2' }, replaced: { a: 'old', b: null } },
      [
        { type: 'tag-role', roleName: 'r', tags: { a: 'old' }, replaced: { a: '1' } },
        { type: 'untag-role', roleName: 'r', tagKeys: ['b'], replaced: { b: '2' } },
      ],
    ],
    [
      { type: 'quarantine-role', roleName: 'r', policyName: 'q', document: doc('x'), tagKey: 'iam-platform:quarantined', tagValue: 't', replaced: null },
      [
        { type: 'delete-inline-policy', roleName: 'r', policyName: 'q', replaced: doc('x') },
        { type: 'untag-role', roleName: 'r', tagKeys: ['iam-platform:quarantined'], replaced: { 'iam-platform:quarantined': 't' } },
      ],
    ],
  ])('undoes %#', (action, expected) => {
    expect(invertAction(action)).toEqual(expected);
  });
});

describe('validateRemediationPlan', () => {
  it('reports every problem with its path: protected roles, invalid documents', () => {
    const problems = validateRemediationPlan(
      {
        account: 'app-prod',
        accountId: TEST_ACCOUNT_ID,
        skipped: [],
        actions: [
          { type: 'detach-policy', roleName: 'break-glass', policyArn: 'arn:p', replaced: 'arn:p' },
          { type: 'put-inline-policy', roleName: 'app-ci', policyName: 'x', document: { Version: '2012-10-17', Statement: [] } as never, replaced: null },
          { type: 'detach-policy', roleName: 'iam-platform-deploy', policyArn: 'arn:p', replaced: 'arn:p' },
        ],
      },
      desired,
    );
    expect(problems.map((p) => p.path)).toEqual(['$.actions[0]', '$.actions[1].document', '$.actions[2]']);
    expect(problems[0].message).toBe('role break-glass is protected (break-glass, pipeline or deploy role): remediation must not change it');
  });
});

describe('renderers', () => {
  it('renders text and markdown with expected and actual values', () => {
    const live = liveFromDesired();
    const roles = live.roles.map((r) => (r.name === 'app-ci' ? { ...r, maxSessionDuration: 7200 } : r));
    const report = detectDrift(desired, { ...live, roles }, { checkedAt: '2026-11-28T07:00:00.000Z' });
    expect(renderDriftText(report)).toBe(
      [
        `Drift in account app-prod (${TEST_ACCOUNT_ID}), scope managed, checked 2026-11-28T07:00:00.000Z`,
        'changed   role app-ci maxSessionDuration',
        '  expected: 3600',
        '  actual:   7200',
        '1 drift item(s): 1 changed, 0 missing, 0 unmanaged',
      ].join('\n'),
    );
    expect(renderDriftMarkdown(report)).toContain('| changed | role | app-ci | maxSessionDuration | `3600` | `7200` |');
  });
});

describe('applyRemediationPlan with an invalid plan', () => {
  it('changes nothing and journals nothing, listing every problem', async () => {
    const calls: unknown[] = [];
    const iam = { send: async (command: unknown) => calls.push(command) } as unknown as IAMClient;
    const journal = new MemoryJournal();
    const plan = {
      account: 'app-prod',
      accountId: TEST_ACCOUNT_ID,
      skipped: [],
      actions: [
        { type: 'delete-inline-policy' as const, roleName: 'app-ci', policyName: 'x', replaced: doc('a') },
        { type: 'detach-policy' as const, roleName: 'break-glass', policyArn: 'arn:p', replaced: 'arn:p' },
      ],
    };
    await expect(applyRemediationPlan(iam, plan, desired, { journal })).rejects.toThrow(
      'The remediation plan for app-prod is not valid; nothing was changed:\n  $.actions[1]: role break-glass is protected (break-glass, pipeline or deploy role): remediation must not change it',
    );
    expect(calls).toEqual([]);
    expect(journal.entries).toEqual([]);
  });
});
