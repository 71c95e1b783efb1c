/**
 * account.yaml `serviceCredentials:` from config to stack: the example organization's shared-services
 * account gets its rotated secret, and bad entries are problems naming file and path.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Testing } from 'cdktf';
import { loadOrganization } from '../../src/config';
import { isIamPlatformError } from '../../src/core/errors';
import { AccountStack } from '../../stacks';
import { EXAMPLE_ORG_ROOT } from '../support/example-org';

const ACCOUNT_FILE = path.join('accounts', 'infrastructure', 'shared-services', 'account.yaml');

function copyWith(edit: (text: string) => string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'service-credential-'));
  fs.cpSync(EXAMPLE_ORG_ROOT, root, { recursive: true });
  const file = path.join(root, ACCOUNT_FILE);
  fs.writeFileSync(file, edit(fs.readFileSync(file, 'utf8')));
  return root;
}

function problemsOf(root: string): { file: string; path: string; message: string }[] {
  try {
    loadOrganization(root);
  } catch (error) {
    if (!isIamPlatformError(error)) throw error;
    return error.problems.map((p) => ({ file: p.file ?? '', path: p.path ?? '', message: p.message }));
  }
  throw new Error('expected problems');
}

describe('serviceCredentials in account.yaml', () => {
  it('resolves the example entry with its defaults and the rotation role ARN, and the stack rotates that one secret', () => {
    const org = loadOrganization(EXAMPLE_ORG_ROOT);
    const account = org.accounts.find((a) => a.name === 'shared-services')!;
    expect(account.serviceCredentials?.map(({ source: _s, reason: _r, ...c }) => c)).toEqual([
      { userName: 'legacy-ftp-sync', userPath: '/', rotationDays: 30, graceHours: 24, rotationRoleArn: 'arn:aws:iam::410987654321:role/iam-platform-credential-legacy-ftp-sync-role' },
    ]);
    const json = JSON.parse(Testing.synth(new AccountStack(Testing.app(), account, { defaultRegion: org.defaultRegion }))) as { resource: Record<string, Record<string, Record<string, unknown>>> };
    expect(Object.values(json.resource.aws_secretsmanager_secret).map((s) => s.name)).toEqual(['iam-platform/service-credentials/legacy-ftp-sync']);
    expect(Object.values(json.resource.aws_secretsmanager_secret_rotation).map((r) => r.rotation_rules)).toEqual([{ automatically_after_days: 30 }]);
    expect(Object.values(json.resource.aws_iam_role).map((r) => r.name)).toContain('iam-platform-credential-legacy-ftp-sync-role');
    // Other accounts list none.
    expect(org.accounts.filter((a) => a.serviceCredentials?.length).map((a) => a.name)).toEqual(['shared-services']);
  });

  it('reports a user listed twice and a grace period as long as the rotation, each at its path', () => {
    const root = copyWith((text) =>
      text.replace('    rotationDays: 30\n    graceHours: 24\n', '    rotationDays: 1\n    graceHours: 24\n  - user: Legacy-FTP-Sync\n    reason: again\n'),
    );
    try {
      expect(problemsOf(root)).toEqual([
        { file: ACCOUNT_FILE, path: '$.serviceCredentials[0].graceHours', message: expect.stringContaining('graceHours 24 must be shorter than the rotation interval (1 days)') },
        { file: ACCOUNT_FILE, path: '$.serviceCredentials[1].user', message: expect.stringContaining('user "Legacy-FTP-Sync" is already listed in serviceCredentials') },
      ]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
