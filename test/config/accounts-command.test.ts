import { join } from 'node:path';
import { accountsCommand } from '../../src/cli/commands/accounts';
import type { CliOutput } from '../../src/cli/output';
import { runCli } from '../../src/cli/program';
import type { OrganizationDescription } from '../../src/config';
import { EXAMPLE_ORG_ROOT } from '../support/example-org';

const ROOT = EXAMPLE_ORG_ROOT;
const FIXTURES = join(__dirname, '..', 'fixtures', 'config');

async function run(argv: readonly string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const output: CliOutput = { result: (t) => out.push(t), message: (t) => err.push(t), interactive: false };
  const code = await runCli(argv, [accountsCommand], { output, cwd });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('iamctl accounts', () => {
  it('prints a table of the example organization and the origin of every role', async () => {
    const { code, stdout, stderr } = await run(['accounts'], ROOT);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('Organization acme (default region eu-west-1), 8 accounts');
    expect(lines[2]).toMatch(/^ACCOUNT +ID +OU +ENV +OWNER +REGIONS +STACK +BACKEND +BOUNDARY +DRIFT +ROLES$/);
    expect(lines).toContainEqual(
      expect.stringMatching(/^app-prod +530987654321 +workloads +prod +app-team +eu-west-1,eu-central-1 +iam-app-prod +local +iam-platform-boundary +remediate +12 \(10 template, 2 file\)$/),
    );
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}app-worker +service +default boundary +file +accounts\/workloads\/app-prod\/roles\/app-worker\.yaml$/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}break-glass +break-glass +no boundary \(opt-out\) +template break-glass +accounts\/org\.yaml$/));
  });

  it('prints the documented JSON shape for the selected accounts', async () => {
    const { code, stdout } = await run(['accounts', '--format', 'json', '--account', 'log-archive'], ROOT);
    expect(code).toBe(0);
    const description = JSON.parse(stdout) as OrganizationDescription;
    expect(description).toEqual({
      version: 1,
      organization: 'acme',
      defaultRegion: 'eu-west-1',
      accounts: [
        {
          name: 'log-archive',
          id: '320987654321',
          ou: 'security',
          environment: 'prod',
          owner: 'security-team',
          regions: ['eu-west-1'],
          stackName: 'iam-log-archive',
          workspace: null,
          backend: 'local',
          deployRoleArn: 'arn:aws:iam::320987654321:role/iam-platform-deploy',
          boundary: 'iam-platform-boundary',
          tags: { 'cost-center': 'security', repository: 'acme/platform/iam', ou: 'security', 'data-classification': 'confidential' },
          driftMode: 'remediate',
          driftEnabled: true,
          roleCount: 8,
          roles: [
            { name: 'auditor', kind: 'audit', owner: 'security-team', origin: 'template', template: 'auditor', boundary: 'default', file: 'accounts/org.yaml' },
            { name: 'break-glass', kind: 'break-glass', owner: 'security-team', origin: 'template', template: 'break-glass', boundary: 'none', file: 'accounts/org.yaml' },
            { name: 'gitlab-drift-reader', kind: 'audit', owner: 'platform-team', origin: 'template', template: 'gitlab-drift-reader', boundary: 'default', file: 'accounts/org.yaml' },
            { name: 'iam-platform-deploy', kind: 'pipeline', owner: 'platform-team', origin: 'template', template: 'iam-platform-deploy-organization', boundary: 'none', file: 'accounts/org.yaml' },
            { name: 'log-archive-reader', kind: 'audit', owner: 'security-team', origin: 'file', template: null, boundary: 'default', file: 'accounts/security/log-archive/roles/log-archive-reader.yaml' },
            { name: 'security-scanner', kind: 'audit', owner: 'security-team', origin: 'template', template: 'security-scanner', boundary: 'default', file: 'accounts/org.yaml' },
            { name: 'tfc-iam-apply', kind: 'pipeline', owner: 'platform-team', origin: 'template', template: 'tfc-iam-apply', boundary: 'none', file: 'accounts/org.yaml' },
            { name: 'tfc-iam-plan', kind: 'audit', owner: 'platform-team', origin: 'template', template: 'tfc-iam-plan', boundary: 'default', file: 'accounts/org.yaml' },
          ],
          policies: [
            { name: 'cloudtrail-logs-read', origin: 'account' },
            { name: 'iam-platform-compliance-reader', origin: 'library' },
            { name: 'iam-platform-deployer', origin: 'library' },
            { name: 'iam-platform-drift-deployer', origin: 'library' },
            { name: 'iam-platform-network-deployer', origin: 'library' },
            { name: 'iam-platform-organization-deployer', origin: 'library' },
            { name: 'iam-platform-plan-reader', origin: 'library' },
            { name: 'iam-platform-reader', origin: 'library' },
            { name: 'iam-platform-security-baseline-deployer', origin: 'library' },
          ],
          sources: ['accounts/org.yaml', 'accounts/security/ou.yaml', 'accounts/security/log-archive/account.yaml'],
        },
      ],
    });
  });

  it('exits 1 with every problem on stderr and nothing on stdout when the config is invalid', async () => {
    const { code, stdout, stderr } = await run(['accounts'], join(FIXTURES, 'broken', 'bad-trust-principal'));
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      [
        'error: invalid configuration in accounts/ (3 problems):',
        '  accounts/core/app/roles/reader.yaml:6 $.trust.accounts[0].principals[0]: unknown account "secuirty" (did you mean "security"?): known accounts are app, security',
        '  accounts/core/app/roles/reader.yaml:7 $.trust.accounts[0].principals[1]: malformed ARN "arn:aws:iam::12345:role/admin": expected arn:aws:iam::<12-digit account id>:role/<name> (or :user/<name>, :root)',
        '  accounts/core/app/roles/reader.yaml:8 $.trust.accounts[0].principals[2]: "11111111111" is not an account id: an account id has exactly 12 digits (quote it in YAML)',
      ].join('\n'),
    );
  });

  it('exits 2 for an unknown --format and names the unknown account with exit 2', async () => {
    const badFormat = await run(['accounts', '--format', 'yaml'], ROOT);
    expect(badFormat.code).toBe(2);
    expect(badFormat.stderr).toBe('error: --format must be one of text, json, got "yaml"');
    const unknown = await run(['accounts', '--account', 'app-prd'], ROOT);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^error: unknown account "app-prd" \(did you mean "app-prod"\?\): known accounts are app-dev, app-prod, /);
  });
});
