import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeCommand } from '../../src/cli/commands/analyze';
import { runCli } from '../../src/cli/program';
import { captureOutput } from '../support/capture-output';

const fixtures = join(__dirname, '../fixtures/cloudtrail');
const repo = join(fixtures, 'cli-repo');
const synthetic = join(fixtures, 'synthetic');

async function analyze(args: string[], cwd = repo) {
  const output = captureOutput();
  const code = await runCli(['analyze', ...args], [analyzeCommand], { output, cwd });
  return { code, stdout: output.stdout(), stderr: output.stderr() };
}

describe('iamctl analyze', () => {
  it('prints a per-role summary', async () => {
    const { code, stdout, stderr } = await analyze(['--logs', synthetic, '--workers', '0']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain('CloudTrail window: 2026-05-01T08:00:00Z → 2026-07-30T13:00:00Z (90.2 days); 22 records in 2 files\n');
    expect(stdout).toContain(
      [
        '  arn:aws:iam::111111111111:role/app (role, app-prod, accounts/core/app-prod/roles/app.yaml)',
        '    granted 12, used 6, unused 4, denied 2, unobservable 2, unmapped 1',
        '    unused, riskiest first: kms:Decrypt [Write], sqs:CreateQueue [Write], s3:PutBucketTagging [Tagging], s3:GetBucketLocation [Read]',
        '    denied: cloudtrail:DeleteTrail ×1, kms:Decrypt ×1',
        '    unobservable (kept, CloudTrail cannot show them): iam:PassRole, s3:PutObject',
        '    unmapped: example.amazonaws.com DoSomething ×1',
      ].join('\n'),
    );
    expect(stdout).toContain('Principals in the logs but not in accounts/ (2):\n  arn:aws:iam::111111111111:role/manual-admin (role)');
    expect(stdout).toContain('warning: root user used: arn:aws:iam::111111111111:root made 1 call(s); use roles instead of the root user');
  });

  it('writes the documented JSON shape', async () => {
    const { code, stdout } = await analyze(['--logs', synthetic, '--format', 'json', '--workers', '2']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(Object.keys(report.window).slice(0, 3)).toEqual(['from', 'to', 'days']);
    expect(report.window).toMatchObject({ from: '2026-05-01T08:00:00Z', to: '2026-07-30T13:00:00Z', days: 90.2 });
    for (const p of report.principals) {
      expect(Object.keys(p)).toEqual(expect.arrayContaining(['arn', 'type', 'granted', 'used', 'unused', 'denied', 'unobservable', 'unmapped']));
    }
    const app = report.principals.find((p: { arn: string }) => p.arn === 'arn:aws:iam::111111111111:role/app');
    expect(app.used[0]).toEqual({ action: 'kms:CreateGrant', count: 1, firstSeen: '2026-05-01T09:40:00Z', lastSeen: '2026-05-01T09:40:00Z' });
    expect(app.denied).toEqual([
      { action: 'cloudtrail:DeleteTrail', count: 1 },
      { action: 'kms:Decrypt', count: 1 },
    ]);
    expect(app.unmapped).toEqual([{ eventSource: 'example.amazonaws.com', eventName: 'DoSomething', count: 1, denied: 0 }]);
    expect(report.skipped).toMatchObject({ files: 1, records: 4, reasons: { 'aws-service-identity': 1, 'not-event-log:CloudTrail-Digest': 1, 'other-account-identity': 1, 'permissionless-call': 1, 'service-linked-role': 1 } });
  });

  it('writes one self-contained HTML file with a chart of granted against used', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iamctl-analyze-'));
    try {
      const { code, stdout, stderr } = await analyze(['--logs', synthetic, '--format', 'html', '--output', join(dir, 'report.html'), '--workers', '0']);
      expect(code).toBe(0);
      expect(stdout).toBe('');
      expect(stderr).toBe(`analyze: wrote ${join(dir, 'report.html')}\n`);
      const html = readFileSync(join(dir, 'report.html'), 'utf8');
      expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
      expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
      expect(html).toContain('>6 / 12 used (50%)</text>');
      expect(html).toContain('<td>kms:Decrypt</td><td>Write</td>');
      expect(html).not.toMatch(/<script|<link|src="http/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('renders markdown and csv', async () => {
    const md = await analyze(['--logs', synthetic, '--format', 'markdown', '--workers', '0']);
    expect(md.stdout).toContain('| `app-prod` role/app | 12 | 6 | 4 | 2 | 2 | 1 |');
    const csv = await analyze(['--logs', synthetic, '--format', 'csv', '--workers', '0']);
    const lines = csv.stdout.split('\n');
    expect(lines[0]).toBe('principal,type,managed,account,status,action,access_level,count,first_seen,last_seen');
    expect(lines).toContain('arn:aws:iam::111111111111:role/app,role,true,app-prod,unused,kms:Decrypt,Write,0,,');
    expect(lines).toContain('arn:aws:iam::111111111111:role/app,role,true,app-prod,denied,kms:Decrypt,,1,,');
  });

  it('--write edits the role file in place, keeping comments', async () => {
    // Given a copy of the repository
    const dir = mkdtempSync(join(tmpdir(), 'iamctl-analyze-'));
    try {
      cpSync(repo, dir, { recursive: true });
      // When analyze --write runs
      const { code, stderr } = await analyze(['--logs', synthetic, '--write', '--workers', '0'], dir);
      // Then the app role file equals the expected edit, and ci's policy lost its unused actions
      expect(code).toBe(0);
      expect(stderr).toContain('analyze: wrote accounts/core/app-prod/roles/app.yaml (app-access, unused-queue)\n');
      expect(readFileSync(join(dir, 'accounts/core/app-prod/roles/app.yaml'), 'utf8')).toBe(readFileSync(join(fixtures, 'write/app.expected.yaml'), 'utf8'));
      expect(readFileSync(join(dir, 'accounts/core/app-prod/roles/ci.yaml'), 'utf8')).toContain('        Action: ["iam:ListRoles"]\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses --write when the window is shorter than --min-days', async () => {
    const { code, stderr } = await analyze(['--logs', synthetic, '--write', '--min-days', '120', '--workers', '0']);
    expect(code).toBe(2);
    expect(stderr).toBe(
      'error: --write: the observation window is 90.2 day(s), under --min-days 120; nothing was written. Analyze more logs, or lower --min-days if you accept the risk\n',
    );
  });

  it('counts bad input under skipped, and --strict exits 1', async () => {
    const bad = join(fixtures, 'bad-input');
    const lenient = await analyze(['--logs', bad, '--format', 'json', '--min-days', '0', '--workers', '0']);
    expect(lenient.code).toBe(0);
    expect(JSON.parse(lenient.stdout).skipped.reasons['truncated-gzip']).toBe(1);
    const strict = await analyze(['--logs', bad, '--strict', '--min-days', '0', '--workers', '0']);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toBe(
      'analyze: --strict: input was skipped (invalid-json 2, invalid-record 1, missing-field:eventName 1, missing-field:eventTime 1, missing-field:userIdentity 1, not-cloudtrail 1, truncated-gzip 1); see skipped in the report\n',
    );
  });

  it('only counts the account given with --account', async () => {
    const { stdout } = await analyze(['--logs', synthetic, '--account', 'app-prod', '--format', 'json', '--workers', '0']);
    expect(JSON.parse(stdout).principals.map((p: { arn: string }) => p.arn)).toEqual([
      'arn:aws:iam::111111111111:role/app',
      'arn:aws:iam::111111111111:role/pipeline/ci',
      'arn:aws:iam::111111111111:role/manual-admin',
      'arn:aws:iam::111111111111:root',
    ]);
  });

  it.each([
    [['--logs', synthetic, '--format', 'xml'], 'error: --format must be one of text, json, markdown, csv, html, got "xml"\n'],
    [['--logs', synthetic, '--from', 'yesterday'], 'error: --from must be a date (2026-05-01) or an ISO time (2026-05-01T12:00:00Z), got "yesterday"\n'],
    [['--logs', 'no-such-dir'], 'error: --logs no-such-dir: cannot read it (ENOENT); give a CloudTrail log file or folder\n'],
    [['--logs', synthetic, '--account', 'nope'], 'error: --account nope: no such account in accounts/ (known: app-prod)\n'],
    [[], 'error: give --logs PATH|s3://bucket/prefix, or --athena-table DATABASE.TABLE\n'],
  ])('exits 2 on bad arguments: %j', async (args, message) => {
    const { code, stderr } = await analyze(args);
    expect(code).toBe(2);
    expect(stderr.replace(join(repo, 'no-such-dir'), 'no-such-dir')).toBe(message);
  });
});
