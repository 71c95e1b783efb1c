/** The approval policy: parsing org.yaml's `approval:` and deciding who approves which accounts. */
import { decideApprovals, type AccessDiff, type AccountDiff } from '../../src/core/diff';
import { DEFAULT_APPROVAL_POLICY, parseApprovalPolicy } from '../../src/io/git';

function diffOf(entries: readonly Pick<AccountDiff, 'account' | 'verdict'>[]): AccessDiff {
  const accounts = entries.map((e) => ({ ...e, reasons: [], changes: [] }));
  const verdict = accounts.some((a) => a.verdict === 'risky') ? 'risky' : accounts.some((a) => a.verdict === 'new-access') ? 'new-access' : 'no-new-access';
  return { schemaVersion: 1, base: 'b', head: 'h', verdict, reasons: [], accounts, summary: { accountsChanged: 0, changes: 0, grows: 0, narrows: 0, undecidable: 0, risky: 0 } };
}

const POLICY = parseApprovalPolicy(
  'name: acme\napproval:\n  groups: [acme/security]\n  riskyGroups: [acme/security-leads]\n  scopes:\n    - ous: [security]\n      groups: [acme/secops]\n      riskyGroups: [acme/ciso]\n    - accounts: [audit]\n      groups: [acme/audit]\n',
  'org.yaml',
);

describe('approval policy', () => {
  it('asks each account scope its own groups, an account rule before an OU rule, and the second group only for risky', () => {
    const ous: Record<string, string> = { 'app-prod': 'workloads', 'log-archive': 'security', audit: 'security' };
    const decision = decideApprovals(
      diffOf([
        { account: 'app-prod', verdict: 'new-access' },
        { account: 'log-archive', verdict: 'risky' },
        { account: 'audit', verdict: 'new-access' },
        { account: 'app-dev', verdict: 'no-new-access' },
      ]),
      POLICY,
      (a) => ous[a],
    );
    expect(decision.approvals).toEqual([
      { stage: 'security', groups: ['acme/audit', 'acme/secops', 'acme/security'], accounts: ['app-prod', 'audit', 'log-archive'] },
      { stage: 'second', groups: ['acme/ciso'], accounts: ['log-archive'] },
    ]);
  });

  it('needs nothing for a change that only removes access', () => {
    const decision = decideApprovals(diffOf([{ account: 'app-prod', verdict: 'no-new-access' }]), POLICY, () => 'workloads');
    expect(decision).toEqual({ verdict: 'no-new-access', required: false, approvals: [], reason: 'verdict no-new-access: no security approval needed (the policy requires it for new-access, risky)' });
  });

  it('falls back to the protected environments when org.yaml has no approval section', () => {
    expect(parseApprovalPolicy('name: acme\n', 'org.yaml')).toBe(DEFAULT_APPROVAL_POLICY);
  });

  it('rejects a malformed policy naming the file and the path', () => {
    expect(() => parseApprovalPolicy('approval:\n  groups: ["not a group"]\n  riskyGroups: [acme/x]\n', 'accounts/org.yaml at main')).toThrow(
      'accounts/org.yaml at main: invalid approval policy:\n  $.approval.groups[0]: expected a GitLab group path (`acme/security`)',
    );
  });
});
