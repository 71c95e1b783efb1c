/**
 * `iamctl scan` against the REAL scanners (checkov 3.2.533 in .venv/scanners, tfsec v1.26.0 in
 * .tools/bin). Install them with `npm run setup:scanners`; this file fails (it does not skip) when
 * they are missing. Scanner runs are few: checkov's start-up costs seconds.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv';
import { COMMANDS } from '../../src/cli/commands';
import type { CliOutput } from '../../src/cli/output';
import { runCli } from '../../src/cli/program';
import type { ScanReport } from '../../src/core/scan';
import { locateScanner } from '../../src/io/scanners';

const ROOT = path.resolve(__dirname, '../..');
const BAD = 'test/fixtures/scan/bad-stack';
const CLEAN = 'test/fixtures/scan/clean-stack';

function captureOutput(): CliOutput & { readonly stdout: string[]; readonly stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, result: (t) => stdout.push(t), message: (t) => stderr.push(t), interactive: false };
}

async function runScan(args: readonly string[], cwd = ROOT): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = captureOutput();
  const code = await runCli(['scan', ...args], COMMANDS, { output, cwd });
  return { code, stdout: output.stdout.join('\n'), stderr: output.stderr.join('\n') };
}

async function withEnv<T>(vars: Record<string, string>, run: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return await run();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** Checks that the text is one well-formed element tree (tags balanced) and returns the tag names in order. */
function readXmlTags(xml: string): string[] {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  const names: string[] = [];
  for (const match of body.matchAll(/<(\/?)([A-Za-z][\w-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g)) {
    const [, closing, name, , selfClosing] = match;
    if (closing) {
      expect(stack.pop()).toBe(name);
    } else {
      names.push(name);
      if (!selfClosing) stack.push(name);
    }
  }
  expect(stack).toEqual([]);
  expect(body.replace(/<[^>]*>/g, '')).not.toMatch(/[<>]/);
  return names;
}

describe('iamctl scan with the real scanners', () => {
  let tmp: string;

  beforeAll(() => {
    for (const scanner of ['checkov', 'tfsec'] as const) {
      try {
        locateScanner(scanner, { cwd: ROOT });
      } catch (error) {
        throw new Error(`${scanner} is not installed, so the scan tests cannot run: run \`npm run setup:scanners\` first (${(error as Error).message})`);
      }
    }
    tmp = mkdtempSync(path.join(tmpdir(), 'iamctl-scan-'));
  });

  afterAll(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  it('fails the bad stack with the exact check ids, maps each to its account file, applies suppressions, and writes every report', async () => {
    // Given the bad stack and a suppression file with one valid, one expired and one unused entry
    const reports = { junit: path.join(tmp, 'scan.junit.xml'), sarif: path.join(tmp, 'scan.sarif'), sast: path.join(tmp, 'gl-sast-report.json'), text: path.join(tmp, 'scan.txt') };

    // When the gate runs once with JSON on stdout and the other formats as files
    const run = await runScan([
      '--stacks-dir', `${BAD}/stacks`,
      '--suppressions', `${BAD}/scan-suppressions.yaml`,
      '--today', '2026-11-28',
      '--format', 'json',
      '--report', `junit=${reports.junit}`,
      '--report', `sarif=${reports.sarif}`,
      '--report', `gitlab-sast=${reports.sast}`,
      '--report', `text=${reports.text}`,
    ]);

    // Then it exits 1 and reports exactly the failing checks of both scanners and the gate
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as ScanReport;
    expect(report.scanners).toEqual({ checkov: { version: '3.2.533' }, tfsec: { version: 'v1.26.0' } });
    const failed = report.findings.filter((f) => f.status === 'failed');
    expect([...new Set(failed.map((f) => `${f.scanner} ${f.checkId} ${f.resource}`))].sort()).toEqual([
      'checkov CKV2_AWS_40 aws_iam_policy.admin_everything_4F1A2B3C',
      'checkov CKV_AWS_40 aws_iam_user_policy_attachment.legacy_user_attach_5E6F7A8B',
      'checkov CKV_AWS_60 aws_iam_role.open_trust_role_9D8E7F6A',
      'checkov CKV_AWS_62 aws_iam_policy.admin_everything_4F1A2B3C',
      'checkov CKV_AWS_63 aws_iam_policy.admin_everything_4F1A2B3C',
      'iamctl suppression-expired CKV_AWS_63 aws_iam_policy.admin_everything_*',
      'iamctl suppression-unused CKV_AWS_61 aws_iam_role.*',
      'tfsec AVD-AWS-0057 aws_iam_policy.admin_everything_4F1A2B3C',
    ]);
    // each failure names the accounts/ file: the source marker, the resource tag, then the provider default tag
    const byId = (id: string) => failed.find((f) => f.checkId === id);
    expect(byId('CKV_AWS_62')).toMatchObject({ account: 'bad', severity: 'high', file: 'accounts/sandbox/bad/policies/admin-everything.yaml', constructPath: 'iam-bad/policies/admin-everything/policy', stackFile: `${BAD}/stacks/iam-bad/cdk.tf.json` });
    expect(byId('CKV_AWS_60')).toMatchObject({ account: 'bad', severity: 'high', file: 'accounts/sandbox/bad/roles/open-trust.yaml', constructPath: 'iam-bad/roles/open-trust/role' });
    expect(byId('CKV_AWS_40')).toMatchObject({ account: 'bad', severity: 'high', file: 'accounts/sandbox/bad/account.yaml', constructPath: 'iam-bad/users/legacy/attachment' });
    expect(byId('suppression-expired')).toMatchObject({ file: `${BAD}/scan-suppressions.yaml`, line: 10 });
    expect(byId('suppression-unused')).toMatchObject({ file: `${BAD}/scan-suppressions.yaml`, line: 16 });
    // the valid suppression silences exactly its match, and the report keeps its reason
    expect(report.findings.filter((f) => f.status === 'suppressed')).toEqual([
      expect.objectContaining({
        checkId: 'CKV_AWS_273',
        resource: 'aws_iam_user.legacy_user_1A2B3C4D',
        suppression: { reason: 'Legacy deployer user is removed by the OIDC migration in SEC-1234', owner: 'team-legacy', expires: '2027-01-31', file: `${BAD}/scan-suppressions.yaml`, line: 4 },
      }),
    ]);
    expect(report.summary).toMatchObject({ failOn: 'low', accounts: ['bad'], suppressed: 1, clean: false });

    // And the text report names the account file of each failure
    const text = readFileSync(reports.text, 'utf8');
    expect(text).toMatch(/^scan FAILED: /);
    expect(text).toContain('  HIGH CKV_AWS_60 aws_iam_role.open_trust_role_9D8E7F6A [checkov]\n    accounts/sandbox/bad/roles/open-trust.yaml  (iam-bad/roles/open-trust/role)\n');
    // and one line per suppression entry: where it is, what it silenced and why
    expect(text).toContain(
      'suppressed: 1 finding by 1 reviewed entry (--show-suppressed lists each finding)\n  test/fixtures/scan/bad-stack/scan-suppressions.yaml:4  CKV_AWS_273 ×1 (owner team-legacy, expires 2027-01-31): Legacy deployer user',
    );
    expect(text).not.toContain('SUPPRESSED CKV_AWS_273');

    // And the JUnit report is well-formed XML with one failure per blocking finding
    const junit = readFileSync(reports.junit, 'utf8');
    const tags = readXmlTags(junit);
    expect(tags[0]).toBe('testsuites');
    expect(tags.filter((t) => t === 'failure')).toHaveLength(failed.length);
    expect(tags.filter((t) => t === 'skipped')).toHaveLength(1);
    expect(failed).toHaveLength(9); // tfsec reports AVD-AWS-0057 twice on the policy, with two messages
    expect(junit).toMatch(/<testsuites tests="\d+" failures="9" errors="0" skipped="1">/);

    // And the SARIF log validates against the SARIF 2.1.0 schema
    const schema = JSON.parse(readFileSync(path.join(ROOT, 'test/fixtures/scan/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as Record<string, unknown>;
    delete schema.$schema; // draft-04 header; the schema uses nothing draft-07 reads differently (no boolean exclusiveMinimum)
    schema.$id = schema.id;
    delete schema.id;
    const validate = new Ajv({ strict: false, validateFormats: false, allErrors: true, unicodeRegExp: false }).compile(schema);
    const sarif = JSON.parse(readFileSync(reports.sarif, 'utf8')) as { runs: Array<{ results: Array<{ ruleId: string; suppressions?: unknown[] }> }> };
    const valid = validate(sarif);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(sarif.runs[0].results).toHaveLength(failed.length + 1);
    expect(sarif.runs[0].results.find((r) => r.ruleId === 'CKV_AWS_273')?.suppressions).toEqual([{ kind: 'external', justification: 'Legacy deployer user is removed by the OIDC migration in SEC-1234' }]);

    // And the GitLab SAST report has the v15 shape, one vulnerability per failure, located in the account file
    const sast = JSON.parse(readFileSync(reports.sast, 'utf8')) as {
      version: string;
      vulnerabilities: Array<{ id: string; name: string; severity: string; location: { file: string }; identifiers: Array<{ type: string; name: string; value: string }> }>;
      scan: Record<string, unknown>;
    };
    expect(sast.version).toBe('15.0.4');
    expect(sast.scan).toMatchObject({ type: 'sast', status: 'success', analyzer: { id: 'iamctl-scan', vendor: { name: 'iam-platform' } }, scanner: { id: 'iamctl-scan' } });
    expect(sast.scan.start_time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
    expect(sast.vulnerabilities).toHaveLength(failed.length);
    expect(new Set(sast.vulnerabilities.map((v) => v.id)).size).toBe(failed.length);
    expect(sast.vulnerabilities.find((v) => v.identifiers[0].value === 'CKV_AWS_62')).toMatchObject({
      severity: 'High',
      location: { file: 'accounts/sandbox/bad/policies/admin-everything.yaml' },
      identifiers: [{ type: 'checkov', name: 'CKV_AWS_62', value: 'CKV_AWS_62' }],
    });
  });

  it('passes the clean stack with exit 0', async () => {
    // Given no suppressions (an empty file, so the repository's scan-suppressions.yaml is not read)
    const suppressions = path.join(tmp, 'empty-suppressions.yaml');
    writeFileSync(suppressions, '');

    const run = await runScan(['--stacks-dir', `${CLEAN}/stacks`, '--suppressions', suppressions]);


    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toMatch(/^scan passed: 0 failed, 0 suppressed, \d+ passed checks over 1 account \(fail on low and above; 0 blocking\)$/);
    expect(run.stdout).toContain('scanners: checkov 3.2.533, tfsec v1.26.0');
  });

  it('exits 2 with checkov\'s own message when checkov crashes on a stack', async () => {
    // Given a stack with a string terraform.required_version (checkov issue #7454)
    const stacks = path.join(tmp, 'crash/stacks');
    mkdirSync(path.join(stacks, 'iam-crash'), { recursive: true });
    const stack = JSON.parse(readFileSync(path.join(ROOT, CLEAN, 'stacks/iam-clean/cdk.tf.json'), 'utf8')) as { terraform: Record<string, unknown> };
    stack.terraform.required_version = '>= 1.5';
    writeFileSync(path.join(stacks, 'iam-crash/cdk.tf.json'), JSON.stringify(stack, null, 2));

    // When checkov scans it
    const run = await runScan(['--stacks-dir', stacks, '--scanner', 'checkov']);

    // Then the gate could not run: exit 2 and the tail of checkov's traceback
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(new RegExp(`^error: checkov could not scan ${stacks.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(exit code 2\\); its output ends with:\\n`));
    expect(run.stderr).toContain('Exception: this method receives only dicts');
  });
});

describe('iamctl scan before the scanners run', () => {
  let tmp: string;

  beforeAll(() => {
    tmp = mkdtempSync(path.join(tmpdir(), 'iamctl-scan-noscanner-'));
    mkdirSync(path.join(tmp, 'cdktf.out/stacks/iam-clean'), { recursive: true });
    copyFileSync(path.join(ROOT, CLEAN, 'stacks/iam-clean/cdk.tf.json'), path.join(tmp, 'cdktf.out/stacks/iam-clean/cdk.tf.json'));
  });

  afterAll(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  it('names the missing scanner and the install command, exit 2', async () => {
    // Given a project without .venv/scanners or .tools/bin and no scanner on PATH
    const run = await withEnv({ PATH: path.join(tmp, 'empty-bin') }, () => runScan([], tmp));

    expect(run.code).toBe(2);
    expect(run.stderr).toBe('error: checkov is not installed (looked in .venv/scanners/bin, .tools/bin and PATH): install the pinned scanners with: npm run setup:scanners');
  });

  it('names the env override when it points nowhere', async () => {
    const run = await withEnv({ IAMCTL_TFSEC: '/nonexistent/tfsec' }, () => runScan(['--scanner', 'tfsec'], tmp));

    expect(run.code).toBe(2);
    expect(run.stderr).toBe(
      'error: tfsec not found at IAMCTL_TFSEC=/nonexistent/tfsec: point IAMCTL_TFSEC at an executable, or unset it and install the pinned scanners with: npm run setup:scanners',
    );
  });

  it('tells to run synth first when there are no stacks', async () => {
    const run = await runScan(['--stacks-dir', 'nowhere/stacks'], tmp);

    expect(run.code).toBe(2);
    expect(run.stderr).toBe('error: no synthesized stacks in nowhere/stacks (no */cdk.tf.json): run `iamctl synth` first, or pass --stacks-dir');
  });

  it('rejects an account without a stack and a bad flag value', async () => {
    const unknown = await runScan(['--account', 'nope'], tmp);
    const badSeverity = await runScan(['--fail-on', 'severe'], tmp);

    expect(unknown).toMatchObject({ code: 2, stderr: 'error: no stack for account nope in cdktf.out/stacks: accounts with stacks are clean (run `iamctl synth` after adding an account)' });
    expect(badSeverity).toMatchObject({ code: 2, stderr: 'error: --fail-on must be one of low, medium, high, critical, got "severe"' });
  });
});
