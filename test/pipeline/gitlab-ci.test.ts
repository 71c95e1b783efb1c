import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Validates .gitlab-ci.yml with gitlab-ci-local 4.73.0 (GitLab's JSON schema, rules, needs) and runs
 * one job with the shell executor. gitlab-ci-local needs Debian's rsync (.ci/run installs it).
 * What this cannot show: approvals and protected environments are not enforced, and id_tokens are not minted.
 */
const root = resolve(__dirname, '../..');
const gcl = join(root, 'node_modules/.bin/gitlab-ci-local');

function run(args: string[], cwd: string): { status: number; out: string; stdout: string } {
  const result = spawnSync(gcl, args, { cwd, encoding: 'utf8', timeout: 120_000, env: { ...process.env, FORCE_COLOR: '0' } });
  return { status: result.status ?? -1, out: `${result.stdout}${result.stderr}`, stdout: result.stdout };
}

/**
 * A scratch git repository on branch main, without a remote, holding the working tree's pipeline: gitlab-ci-local
 * derives CI_COMMIT_BRANCH and CI_DEFAULT_BRANCH from git, so running it in the checkout made the main-only jobs
 * "never" on any other branch (and depended on the remote's HEAD).
 */
function makeMainBranchRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gcl-main-'));
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
  copyFileSync(join(root, '.gitlab-ci.yml'), join(dir, '.gitlab-ci.yml'));
  execFileSync('git', ['add', '.gitlab-ci.yml'], { cwd: dir });
  execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', 'commit', '-q', '-m', 'pipeline'], { cwd: dir });
  return dir;
}

interface ListedJob {
  readonly name: string;
  readonly stage: string;
  readonly when: string;
  readonly needs?: readonly { readonly job: string }[];
}

/**
 * The jobs gitlab-ci-local lists, with predefined variables set so the result never depends on the
 * checkout's branch (a main-branch pipeline unless told otherwise).
 */
function listJobs(variables: Readonly<Record<string, string>> = {}): ListedJob[] {
  const vars = { CI_COMMIT_BRANCH: 'main', CI_DEFAULT_BRANCH: 'main', ...variables };
  const args = ['--list-json', '--ignore-predefined-vars', Object.keys(vars).join(','), ...Object.entries(vars).flatMap(([k, v]) => ['--variable', `${k}=${v}`])];
  const result = run(args, makeMainBranchRepo());
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout.slice(result.stdout.indexOf('['))) as ListedJob[];
}

describe('.gitlab-ci.yml', () => {
  it('passes GitLab schema validation and orders the stages lint → synth → scan → plan → approval → nonprod → staging → prod', () => {
    const jobs = listJobs();
    const stageOf = new Map(jobs.map((j) => [j.name, j.stage]));
    // Issue 12 appends the access-diff, approval-gate and record jobs; they are checked in approval-policy.test.ts.
    const issue12 = new Set(['access-diff', 'access-diff:main', 'approval', 'record:planned', 'record:approved', 'rollback', 'rollback:merge-request']);
    // Issue 13 appends the scheduled report jobs and pages; they are checked in test/reports/ci-schedule.test.ts.
    const issue13 = new Set(['report:access-review', 'report:unused', 'report:compliance', 'pages', 'expire']);
    expect([...stageOf.entries()].filter(([name]) => name !== 'drift' && name !== 'test:unit' && !issue12.has(name) && !issue13.has(name))).toEqual([
      ['validate:config', 'validate'],
      ['synth', 'synth'],
      ['scan', 'scan'],
      ['plan', 'plan'],
      ['deploy:nonprod', 'deploy-nonprod'],
      ['deploy:staging', 'deploy-staging'],
      ['deploy:prod', 'deploy-prod'],
    ]);
    const byName = new Map(jobs.map((j) => [j.name, j]));
    // Every deployment waits for the approval gate generated from the access diff (approval-gate.test.ts runs it);
    // prod waits for staging, staging for nonprod.
    expect(byName.get('approval')?.stage).toBe('approve');
    expect(byName.get('deploy:nonprod')?.needs?.map((n) => n.job)).toEqual(['plan', 'approval']);
    expect(byName.get('deploy:staging')?.needs?.map((n) => n.job)).toContain('deploy:nonprod');
    expect(byName.get('deploy:prod')?.needs?.map((n) => n.job)).toContain('deploy:staging');
    expect(byName.get('deploy:prod')?.when).toBe('manual');
  });

  it('publishes the scan results as GitLab junit and SAST reports', () => {
    const result = run(['--preview'], makeMainBranchRepo());
    expect(result.status).toBe(0);
    expect(result.out).toMatch(/scan:[\s\S]*?reports:\s*\n\s*junit: reports\/scan\.junit\.xml\s*\n\s*sast: gl-sast-report\.json/);
  });

  it('rejects a pipeline with an invalid key, naming the configuration as invalid', () => {
    // Given a copy of the pipeline with a misspelled keyword, in a scratch git repository
    const dir = mkdtempSync(join(tmpdir(), 'gcl-'));
    execFileSync('git', ['init', '-q'], { cwd: dir });
    copyFileSync(join(root, '.gitlab-ci.yml'), join(dir, '.gitlab-ci.yml'));
    const broken = readFileSync(join(dir, '.gitlab-ci.yml'), 'utf8').replace('  resource_group: iam-prod', '  resource_groop: iam-prod');
    writeFileSync(join(dir, '.gitlab-ci.yml'), broken);
    // When gitlab-ci-local reads it, then schema validation fails
    const result = run(['--list'], dir);
    expect(result.out).toContain('Invalid .gitlab-ci.yml configuration!');
    expect(result.status).not.toBe(0);
  });
});

/** The jobs of `gitlab-ci-local --preview` (the pipeline after extends and defaults). */
function previewJobs(): Record<string, { script?: string[]; variables?: Record<string, string>; id_tokens?: Record<string, { aud: string }>; rules?: { if?: string }[] }> {
  const result = run(['--preview'], root);
  expect(result.status).toBe(0);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const yaml = require('js-yaml') as typeof import('js-yaml');
  return yaml.load(result.stdout.slice(result.stdout.indexOf('---') >= 0 ? result.stdout.indexOf('---') : 0)) as ReturnType<typeof previewJobs>;
}

/** A fake iamctl that logs its arguments and the credentials it was given, one JSON line per call. */
function writeFakeIamctl(dir: string): { readonly command: string; readonly log: string } {
  const log = join(dir, 'calls.jsonl');
  const script = join(dir, 'fake-iamctl.js');
  writeFileSync(
    script,
    `const fs = require('fs');
const args = process.argv.slice(2);
const tokenFile = process.env.AWS_WEB_IDENTITY_TOKEN_FILE;
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify({ args, roleArn: process.env.AWS_ROLE_ARN, token: tokenFile ? fs.readFileSync(tokenFile, 'utf8') : undefined, accessKey: process.env.AWS_ACCESS_KEY_ID, profile: process.env.AWS_PROFILE, tfcToken: process.env.TF_TOKEN_app_terraform_io }) + '\\n');
if (args[0] === 'stacks') console.log(JSON.stringify({ stacks: [{ account: 'app-dev', accountId: '510987654321' }, { account: 'security', accountId: '310987654321' }] }));
if (args[0] === 'drift' && args[2] === 'security') process.exit(1);
`,
  );
  return { command: `node ${script}`, log };
}

function readCalls(log: string): { args: string[]; roleArn?: string; token?: string; accessKey?: string; profile?: string; tfcToken?: string }[] {
  return readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ReturnType<typeof readCalls>[number]);
}

describe('scheduled drift job (issue 10, finding 9)', () => {
  it('mints a GitLab ID token, names the read-only drift role, and runs only on schedules of the default branch', () => {
    const drift = previewJobs().drift;
    expect(drift.id_tokens).toEqual({ AWS_ID_TOKEN: { aud: 'https://gitlab.com' } });
    expect(drift.variables?.DRIFT_ROLE_NAME).toBe('gitlab-drift-reader');
    expect(drift.script).toEqual(['bash scripts/ci/drift-all.sh']);
    expect(drift.rules?.[0]?.if).toContain('$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH');
  });

  it('assumes the drift role of each account with the OIDC token, never the runner credentials', () => {
    // Given a fake iamctl, an ID token, and runner credentials that must not be used
    const dir = mkdtempSync(join(tmpdir(), 'drift-job-'));
    const fake = writeFakeIamctl(dir);
    const env = { ...process.env, IAMCTL: fake.command, AWS_ID_TOKEN: 'eyJ.job-token.sig', DRIFT_ROLE_NAME: 'gitlab-drift-reader', AWS_ACCESS_KEY_ID: 'AKIARUNNERKEY', AWS_PROFILE: 'runner' };
    // When the drift job's script runs
    const result = spawnSync('bash', [join(root, 'scripts/ci/drift-all.sh')], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
    // Then each account's drift ran with its own role ARN and the job's token, without the runner's keys
    const drifts = readCalls(fake.log).filter((c) => c.args[0] === 'drift');
    expect(drifts).toEqual([
      { args: ['drift', '--account', 'app-dev', '--format', 'markdown'], roleArn: 'arn:aws:iam::510987654321:role/gitlab-drift-reader', token: 'eyJ.job-token.sig' },
      { args: ['drift', '--account', 'security', '--format', 'markdown'], roleArn: 'arn:aws:iam::310987654321:role/gitlab-drift-reader', token: 'eyJ.job-token.sig' },
    ]);
    // And the job's exit code is the worst account's (security drifted: 1)
    expect(result.stdout).toBe('app-dev: exit 0\nsecurity: exit 1\n');
    expect(result.status).toBe(1);
  });

  it('refuses to run without the OIDC token (exit 2) instead of using the runner credentials', () => {
    const dir = mkdtempSync(join(tmpdir(), 'drift-job-'));
    const fake = writeFakeIamctl(dir);
    const env: NodeJS.ProcessEnv = { ...process.env, IAMCTL: fake.command, AWS_ACCESS_KEY_ID: 'AKIARUNNERKEY' };
    delete env.AWS_ID_TOKEN;
    const result = spawnSync('bash', [join(root, 'scripts/ci/drift-all.sh')], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      "error: AWS_ID_TOKEN is empty: the drift job needs its GitLab OIDC token (id_tokens: AWS_ID_TOKEN in .gitlab-ci.yml); refusing to fall back to the runner's credentials\n",
    );
  });
});

describe('merge request plans (issue 10, finding 3)', () => {
  function runPlanScript(env: Record<string, string>): { status: number; stderr: string; calls: ReturnType<typeof readCalls> } {
    const dir = mkdtempSync(join(tmpdir(), 'plan-job-'));
    const fake = writeFakeIamctl(dir);
    const script = (previewJobs().plan.script ?? []).join('\n');
    const result = spawnSync('bash', ['--norc', '--noprofile', '-c', script], { cwd: dir, env: { PATH: process.env.PATH ?? '', IAMCTL: fake.command, ...env }, encoding: 'utf8', timeout: 60_000 });
    let calls: ReturnType<typeof readCalls> = [];
    try {
      calls = readCalls(fake.log);
    } catch {
      calls = [];
    }
    return { status: result.status ?? -1, stderr: result.stderr, calls };
  }

  it('plans speculatively with the plan-only token, never the apply token', () => {
    const { status, calls } = runPlanScript({ CI_PIPELINE_SOURCE: 'merge_request_event', TFC_PLAN_TOKEN: 'plan-only-token', TF_TOKEN_app_terraform_io: 'apply-token' });
    expect(status).toBe(0);
    expect(calls.map((c) => ({ args: c.args, tfcToken: c.tfcToken }))).toEqual([{ args: ['tfc', 'plan', '--speculative'], tfcToken: 'plan-only-token' }]);
  });

  it('plans only the stacks the access diff listed in IAM_CHANGED_STACKS, nothing for an empty list, every stack without the variable', () => {
    const main = { CI_PIPELINE_SOURCE: 'push', TF_TOKEN_app_terraform_io: 'apply-token' };
    expect(runPlanScript({ ...main, IAM_CHANGED_STACKS: 'iam-app-prod,iam-organization' }).calls.map((c) => c.args)).toEqual([['tfc', 'plan', '--discard-pending', '--stacks', 'iam-app-prod,iam-organization']]);
    expect(runPlanScript({ ...main, IAM_CHANGED_STACKS: '' }).calls.map((c) => c.args)).toEqual([['tfc', 'plan', '--discard-pending', '--stacks', '']]);
    expect(runPlanScript(main).calls.map((c) => c.args)).toEqual([['tfc', 'plan', '--discard-pending']]);
    const mr = runPlanScript({ CI_PIPELINE_SOURCE: 'merge_request_event', TFC_PLAN_TOKEN: 'plan-only-token', IAM_CHANGED_STACKS: 'iam-app-dev' });
    expect(mr.calls.map((c) => c.args)).toEqual([['tfc', 'plan', '--speculative', '--stacks', 'iam-app-dev']]);
  });

  it('refuses a merge request plan without the plan-only token (exit 2)', () => {
    const { status, stderr, calls } = runPlanScript({ CI_PIPELINE_SOURCE: 'merge_request_event', TF_TOKEN_app_terraform_io: 'apply-token' });
    expect(status).toBe(2);
    expect(stderr).toBe('error: TFC_PLAN_TOKEN is empty: merge request plans use the plan-only team token, never the apply token\n');
    expect(calls).toEqual([]);
  });

  it('has no deploy job in a merge request pipeline', () => {
    const all = listJobs({ CI_PIPELINE_SOURCE: 'merge_request_event', CI_COMMIT_BRANCH: 'feature', CI_MERGE_REQUEST_IID: '7' });
    const jobs = all.filter((j) => j.when !== 'never').map((j) => j.name);
    expect(jobs).toContain('plan');
    expect(jobs.filter((j) => j.startsWith('deploy:') || j === 'security-approval')).toEqual([]);
  });
});
