/**
 * readAccountDesiredInventory: one account's desired inventory from every stack pinned to it. Stacks here are
 * hand-written Terraform JSON; expected values are written by hand.
 */
import { IamPlatformError } from '../../src/core/errors';
import { type DesiredStackMetadata, type NamedTerraformStack, readAccountDesiredInventory, stackDeployAccountIds, type TerraformJson } from '../../src/core/drift';

const ACCOUNT = '111111111111';
const OTHER = '222222222222';
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const META: DesiredStackMetadata = { account: 'management', accountId: ACCOUNT, mode: 'alert', protectedRoleArns: [], pipelineRoleArns: [] };

function stack(id: string, accountIds: readonly string[], roles: readonly string[], tags: Record<string, string> = { 'managed-by': 'iam-platform' }): NamedTerraformStack {
  const json: TerraformJson = {
    provider: { aws: [{ region: 'us-east-1', allowed_account_ids: accountIds, default_tags: [{ tags }] }] },
    resource: { aws_iam_role: Object.fromEntries(roles.map((name) => [name.toLowerCase(), { name, assume_role_policy: TRUST }])) },
  };
  return { id, json };
}

describe('readAccountDesiredInventory', () => {
  it('holds the roles of every stack pinned to the account, each with its own stack\'s default tags', () => {
    const desired = readAccountDesiredInventory(
      stack('iam-management', [ACCOUNT], ['admin']),
      [stack('iam-organization', [ACCOUNT], ['trail-logs'], { 'managed-by': 'iam-platform', stack: 'org' }), stack('iam-app', [OTHER], ['app-role']), stack('iam-unpinned', [], ['loose'])],
      META,
    );
    expect(desired.roles.map((r) => [r.name, r.arn, r.tags])).toEqual([
      ['admin', 'arn:aws:iam::111111111111:role/admin', { 'managed-by': 'iam-platform' }],
      ['trail-logs', 'arn:aws:iam::111111111111:role/trail-logs', { 'managed-by': 'iam-platform', stack: 'org' }],
    ]);
    expect(desired.accountId).toBe(ACCOUNT);
  });

  it('rejects a role that two stacks create, compared as IAM compares names', () => {
    const read = () => readAccountDesiredInventory(stack('iam-management', [ACCOUNT], ['Trail-Logs']), [stack('iam-organization', [ACCOUNT], ['trail-logs'])], META);
    expect(read).toThrow(IamPlatformError);
    expect(read).toThrow(/iam-organization: role trail-logs: is also created by stack iam-management/);
  });

  it('rejects a colocated stack pinned to several accounts, and an own stack pinned to another account', () => {
    expect(() => readAccountDesiredInventory(stack('iam-management', [ACCOUNT], ['a']), [stack('iam-both', [ACCOUNT, OTHER], ['x'])], META)).toThrow(
      /iam-both\.provider\.aws: is pinned to accounts 111111111111, 222222222222/,
    );
    expect(() => readAccountDesiredInventory(stack('iam-app', [OTHER], ['x']), [], META)).toThrow(/iam-app\.provider\.aws: is pinned to account\(s\) 222222222222, not to account management \(111111111111\)/);
  });

  it('reads an own stack whose providers are not pinned (a stack built without the account provider)', () => {
    expect(readAccountDesiredInventory(stack('iam-test', [], ['only']), [], META).roles.map((r) => r.arn)).toEqual(['arn:aws:iam::111111111111:role/only']);
  });

  it('reads the accounts a stack is pinned to from its providers', () => {
    expect(stackDeployAccountIds(stack('s', [OTHER, ACCOUNT], []).json)).toEqual([ACCOUNT, OTHER]);
    expect(stackDeployAccountIds({ provider: { aws: { region: 'us-east-1' } } })).toEqual([]);
  });
});
