import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { COMMANDS } from '../../src/cli/commands';
import { runCli } from '../../src/cli/program';
import { captureOutput } from '../support/capture-output';

/**
 * A fork grows its organization: the repository's own accounts/ (whatever the fork made of it), plus a new OU with
 * one account and one role, passes what the fork's CI runs on it: validate, synth and lint, all exit 0.
 * Left out here for time on a 2-core machine: `iamctl scan` (checkov and tfsec, ~1 min) and `terraform validate`
 * of each stack; the platform's whole suite on such an organization is the same story, since no platform test
 * reads accounts/ any more (they read test/fixtures/orgs/example).
 */
const REPO = path.join(__dirname, '..', '..');

const NEW_OU = 'sandbox';
const NEW_ACCOUNT = 'sandbox-dev';
/** Twelve digits that no account of the example uses. */
const NEW_ACCOUNT_ID = '700000000001';
const NEW_ROLE = 'sandbox-reader';

const OU_YAML = `# yaml-language-server: $schema=../../schemas/ou.schema.json
description: Sandboxes for experiments, no production data
environment: nonprod
owner: platform-team
tags:
  ou: ${NEW_OU}
`;
const ACCOUNT_YAML = `# yaml-language-server: $schema=../../../schemas/account.schema.json
id: "${NEW_ACCOUNT_ID}"
description: Sandbox of the platform team
`;
const ROLE_YAML = `# yaml-language-server: $schema=../../../../schemas/role.schema.json
description: Read-only access for the platform team
owner: platform-team
trust:
  accounts:
    - principals: [management]
      kind: human
inlinePolicies:
  read-buckets:
    Version: "2012-10-17"
    Statement:
      - Sid: ReadSandboxBucket
        Effect: Allow
        Action: [s3:GetObject, s3:ListBucket]
        Resource:
          - arn:aws:s3:::acme-sandbox-dev
          - arn:aws:s3:::acme-sandbox-dev/*
`;

describe('a fork adds an OU, an account and a role to its own accounts/', () => {
  let work: string;
  beforeAll(() => {
    // Given a copy of the repository's accounts/ with a new OU, account and role
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'iamctl-own-org-'));
    fs.cpSync(path.join(REPO, 'accounts'), path.join(work, 'accounts'), { recursive: true });
    const accountDir = path.join(work, 'accounts', NEW_OU, NEW_ACCOUNT);
    fs.mkdirSync(path.join(accountDir, 'roles'), { recursive: true });
    fs.writeFileSync(path.join(work, 'accounts', NEW_OU, 'ou.yaml'), OU_YAML);
    fs.writeFileSync(path.join(accountDir, 'account.yaml'), ACCOUNT_YAML);
    fs.writeFileSync(path.join(accountDir, 'roles', `${NEW_ROLE}.yaml`), ROLE_YAML);
  });
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it('validate passes', async () => {
    const output = captureOutput();
    const code = await runCli(['validate'], COMMANDS, { output, cwd: work });
    expect(output.stderr()).not.toMatch(/error/);
    expect(code).toBe(0);
    expect(output.stdout()).toMatch(/^Valid: \d+ stacks, \d+ resources, no guardrail errors\n$/);
  });

  it('synth writes the new account stack with its role', async () => {
    const output = captureOutput();
    const code = await runCli(['synth', '--format', 'json'], COMMANDS, { output, cwd: work });
    expect(output.stderr()).not.toMatch(/error/);
    expect(code).toBe(0);
    const result = JSON.parse(output.stdout()) as { stacks: { account: string; stack: string }[] };
    expect(result.stacks.map((s) => s.account)).toContain(NEW_ACCOUNT);
    const stack = JSON.parse(fs.readFileSync(path.join(work, 'cdktf.out', 'stacks', `iam-${NEW_ACCOUNT}`, 'cdk.tf.json'), 'utf8')) as {
      resource: { aws_iam_role: Record<string, { name: string }> };
    };
    expect(Object.values(stack.resource.aws_iam_role).map((r) => r.name)).toContain(NEW_ROLE);
  });

  it('lint passes, and reads the new account and role files', async () => {
    type LintJson = { findings: { severity: string; suppressed?: unknown }[]; summary: { errors: number; files: number } };
    const lint = async (cwd: string): Promise<{ code: number; report: LintJson; stderr: string }> => {
      const output = captureOutput();
      const code = await runCli(['lint', '--format', 'json'], COMMANDS, { output, cwd });
      return { code, report: JSON.parse(output.stdout()) as LintJson, stderr: output.stderr() };
    };
    const grown = await lint(work);
    expect(grown.stderr).toBe('');
    expect(grown.report.findings.filter((f) => f.severity === 'error' && f.suppressed === undefined)).toEqual([]);
    expect(grown.code).toBe(0);
    // account.yaml and the role file are the two more files linted than in the repository's own accounts/
    const own = await lint(REPO);
    expect(grown.report.summary.files).toBe(own.report.summary.files + 2);
  });
});
