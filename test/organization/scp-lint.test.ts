import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadOrganization } from '../../src/config';
import { lintOrganization, lintPolicy } from '../../src/core/lint';
import { loadActionCatalog } from '../../src/io/catalog/load-action-catalog';

/**
 * The SCP lint (issue 10, finding 6): exemptions that exempt everyone, and SCPs that would deny the
 * deploy role, the drift handler or break-glass of the resolved organization (renamed role, changed
 * path, missing exemption). Each case edits a copy of the example organization.
 */
const REPO_ROOT = path.join(__dirname, '..', '..');
const catalog = loadActionCatalog();

function lintEdited(edit: (accounts: string) => void): { rule: string; path: string; message: string; file: string }[] {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'scp-lint-'));
  try {
    fs.cpSync(path.join(REPO_ROOT, 'accounts'), path.join(root, 'accounts'), { recursive: true });
    edit(path.join(root, 'accounts'));
    return lintOrganization(loadOrganization(root), catalog)
      .filter((f) => f.rule.startsWith('scp-') && !f.suppressed)
      .map((f) => ({ rule: f.rule, path: f.path, message: f.message, file: f.file }));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

function replaceIn(file: string, from: string, to: string): void {
  const text = fs.readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${from} not in ${file}`);
  fs.writeFileSync(file, text.split(from).join(to));
}

const EXEMPTION_PATH = '$.document.Statement[0].Condition.ArnNotLike["aws:PrincipalARN"]';

describe('SCP lint against the resolved organization', () => {
  it('passes the example organization', () => {
    expect(lintEdited(() => undefined)).toEqual([]);
  });

  it('fails a renamed deploy role that the IAM-write SCP does not exempt', () => {
    const findings = lintEdited((accounts) => replaceIn(path.join(accounts, 'org.yaml'), 'deployRole: iam-platform-deploy', 'deployRole: iam-deployer'));
    expect(findings).toEqual([
      {
        rule: 'scp-locks-out-pipeline',
        path: EXEMPTION_PATH,
        file: 'accounts/scps/protect-iam-platform.yaml',
        message: expect.stringMatching(/^SCP "protect-iam-platform" denies DenyIamWritesOutsidePipeline's IAM changes to the deploy role arn:aws:iam::\d{12}:role\/iam-deployer \(account [a-z-]+ and 6 more\): no exemption matches it; add its exact ARN \(arn:aws:iam::\*:role\/iam-deployer\) or fix the role's name or path$/),
      },
    ]);
  });

  it("fails a service credential whose rotation role the access-key SCP does not exempt (the user renamed in account.yaml)", () => {
    const findings = lintEdited((accounts) => replaceIn(path.join(accounts, 'infrastructure', 'shared-services', 'account.yaml'), 'user: legacy-ftp-sync', 'user: legacy-sftp'));
    expect(findings).toEqual([
      {
        rule: 'scp-locks-out-pipeline',
        path: '$.document.Statement[1].Condition.ArnNotLike["aws:PrincipalARN"]',
        file: 'accounts/scps/deny-iam-user-credentials.yaml',
        message:
          'SCP "deny-iam-user-credentials" denies DenyIamUserAccessKeys\'s IAM changes to the rotation role of service credential legacy-sftp arn:aws:iam::410987654321:role/iam-platform-credential-legacy-sftp-role (account shared-services): no exemption matches it; add its exact ARN (arn:aws:iam::*:role/iam-platform-credential-legacy-sftp-role) or fix the role\'s name or path',
      },
    ]);
  });

  it('fails a changed role path that moves break-glass out of its exemption', () => {
    const findings = lintEdited((accounts) => replaceIn(path.join(accounts, 'org.yaml'), 'rolePath: /', 'rolePath: /platform/'));
    expect(findings.map((f) => [f.rule, f.file, f.message.replace(/ \(account.*$/, '')])).toEqual([
      ['scp-locks-out-pipeline', 'accounts/scps/protect-iam-platform.yaml', expect.stringMatching(/^SCP "protect-iam-platform" denies DenyIamWritesOutsidePipeline's IAM changes to the break-glass role arn:aws:iam::\d{12}:role\/platform\/break-glass$/)],
    ]);
  });

  it('fails a missing exemption for the drift handler', () => {
    const findings = lintEdited((accounts) => replaceIn(path.join(accounts, 'scps', 'protect-iam-platform.yaml'), '            - arn:aws:iam::*:role/iam-platform-drift-handler\n', ''));
    expect(findings.map((f) => f.message.replace(/ \(account.*$/, ''))).toEqual([expect.stringMatching(/to the drift handler arn:aws:iam::\d{12}:role\/iam-platform-drift-handler$/)]);
  });

  it('fails an exemption of every role', () => {
    const findings = lintEdited((accounts) => replaceIn(path.join(accounts, 'scps', 'protect-iam-platform.yaml'), 'arn:aws:iam::*:role/break-glass', 'arn:aws:iam::*:role/*'));
    expect(findings).toEqual([
      {
        rule: 'scp-exemption-matches-everyone',
        path: `${EXEMPTION_PATH}[2]`,
        file: 'accounts/scps/protect-iam-platform.yaml',
        message: 'The exemption "arn:aws:iam::*:role/*" (ArnNotLike aws:PrincipalARN) matches every role or principal, so the Deny applies to nobody: name the exact roles the platform creates (arn:aws:iam::*:role/<path><name>)',
      },
    ]);
  });
});

describe('scp-exemption-matches-everyone on one document', () => {
  const deny = (condition: Record<string, unknown>): unknown => ({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'iam:CreateRole', Resource: '*', Condition: condition }] });
  const rules = (doc: unknown): string[] => lintPolicy(doc, { type: 'scp', catalog }).map((f) => f.rule);

  it.each([
    ['ArnNotLike role/*', { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/*' } }, true],
    ['StringNotLike *', { StringNotLike: { 'aws:PrincipalArn': '*' } }, true],
    ['ArnNotEquals arn:aws:iam::*:*', { ArnNotEquals: { 'aws:PrincipalARN': ['arn:aws:iam::*:role/deploy', 'arn:aws:iam::*:*'] } }, true],
    ['StringNotEquals "*" (a literal, no wildcard)', { StringNotEquals: { 'aws:PrincipalArn': '*' } }, false],
    ['exact roles', { ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:role/iam-platform-deploy', 'arn:aws:iam::*:role/break-glass'] } }, false],
    ['a name prefix of the platform', { ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/iam-platform-*' } }, false],
  ])('%s', (_name, condition, expected) => {
    expect(rules(deny(condition)).includes('scp-exemption-matches-everyone')).toBe(expected);
  });
});
