import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { copyExampleOrg } from './example-copy';

jest.setTimeout(240_000);

const root = join(__dirname, '..', '..');
const gcl = join(root, 'node_modules/.bin/gitlab-ci-local');
// The scheduled jobs: the three reports, and the expiry of temporary grants (issue 16).
const REPORT_JOBS = { 'access-review': 'report:access-review', unused: 'report:unused', compliance: 'report:compliance', expire: 'expire' } as const;

/** The jobs gitlab-ci-local lists for a scheduled pipeline on main with IAMCTL_SCHEDULE set. */
function listScheduled(schedule: string): Map<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'gcl-report-'));
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
  copyFileSync(join(root, '.gitlab-ci.yml'), join(dir, '.gitlab-ci.yml'));
  execFileSync('git', ['add', '.gitlab-ci.yml'], { cwd: dir });
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-qm', 'p'], { cwd: dir });
  const vars = { CI_COMMIT_BRANCH: 'main', CI_DEFAULT_BRANCH: 'main', CI_PIPELINE_SOURCE: 'schedule', IAMCTL_SCHEDULE: schedule };
  const args = ['--list-json', '--ignore-predefined-vars', Object.keys(vars).join(','), ...Object.entries(vars).flatMap(([k, v]) => ['--variable', `${k}=${v}`])];
  const result = spawnSync(gcl, args, { cwd: dir, encoding: 'utf8', timeout: 120_000, env: { ...process.env, FORCE_COLOR: '0' } });
  expect(result.status).toBe(0);
  const jobs = JSON.parse(result.stdout.slice(result.stdout.indexOf('['))) as { name: string; when: string }[];
  return new Map(jobs.map((j) => [j.name, j.when]));
}

describe('scheduled report jobs (.gitlab-ci.yml)', () => {
  it.each(Object.keys(REPORT_JOBS) as (keyof typeof REPORT_JOBS)[])('IAMCTL_SCHEDULE=%s runs only its report job', (schedule) => {
    const when = listScheduled(schedule);
    for (const [value, job] of Object.entries(REPORT_JOBS)) expect([job, when.get(job) !== 'never']).toEqual([job, value === schedule]);
  });

  it('the access-review job script writes the four formats under reports/ on the example organization', () => {
    // Given the job's script lines, and a repository with the example organization
    const ci = load(readFileSync(join(root, '.gitlab-ci.yml'), 'utf8')) as Record<string, { script: string[] }>;
    const dir = copyExampleOrg();
    // When they run in bash with the real iamctl
    const result = spawnSync('bash', ['-e', '-c', ci['report:access-review'].script.join('\n')], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 200_000,
      env: { ...process.env, IAMCTL: `node ${join(root, 'bin/iamctl.js')}`, IAMCTL_REPORT_LIVE: '' },
    });
    // Then
    expect(result.stderr.split('\n').filter((l) => /error/i.test(l))).toEqual([]);
    expect(result.status).toBe(0);
    for (const f of ['json', 'html', 'markdown', 'csv']) expect(existsSync(join(dir, `reports/access-review/access-review.${f}`))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'reports/access-review/access-review.json'), 'utf8')).report).toBe('access-review');
  });

  it('the compliance job passes the pipeline scan result (IAMCTL_SCAN_RESULT) and writes the four formats', () => {
    // Given the job's script lines, the example organization and a scan result of app-dev with one failed finding
    const ci = load(readFileSync(join(root, '.gitlab-ci.yml'), 'utf8')) as Record<string, { script: string[] }>;
    const dir = copyExampleOrg();
    writeFileSync(
      join(dir, 'scan.json'),
      JSON.stringify({ findings: [{ checkId: 'CKV_AWS_60', scanner: 'checkov', status: 'failed', account: 'app-dev', resource: 'aws_iam_role.r', file: 'accounts/workloads/app-dev/roles/r.yaml', message: 'm' }], summary: { accounts: ['app-dev'] }, scanners: { checkov: { version: '3' } } }),
    );
    // When they run in bash with the real iamctl
    const result = spawnSync('bash', ['-e', '-c', ci['report:compliance'].script.join('\n')], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 200_000,
      env: { ...process.env, IAMCTL: `node ${join(root, 'bin/iamctl.js')}`, IAMCTL_REPORT_LIVE: '', IAMCTL_SCAN_RESULT: 'scan.json' },
    });
    // Then app-dev's scan check failed from the scan result, and the four formats are there
    expect(result.status).toBe(0);
    for (const f of ['json', 'html', 'markdown', 'csv']) expect(existsSync(join(dir, `reports/compliance/compliance.${f}`))).toBe(true);
    const report = JSON.parse(readFileSync(join(dir, 'reports/compliance/compliance.json'), 'utf8')) as { accounts: { account: string; checks: { id: string; status: string; evidence?: { source: string } }[] }[] };
    const scan = report.accounts.find((a) => a.account === 'app-dev')!.checks.find((c) => c.id === 'scan-clean')!;
    expect([scan.status, scan.evidence?.source]).toEqual(['fail', 'scan result scan.json (checkov)']);
  });
});
