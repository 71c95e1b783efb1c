/**
 * The deploy jobs wait for the approval the access diff requires, checked by running them with gitlab-ci-local
 * 4.73.0 (shell executor) and a fake iamctl that logs its calls.
 *
 * In GitLab the deploy jobs need the `approval` trigger job (strategy: depend), which completes when the generated
 * child pipeline does, i.e. when its last job `approval-gate` has run. gitlab-ci-local runs child pipelines
 * "experimentally" and always reports the trigger job as passed, so these tests put the generated child jobs in
 * the pipeline in place of the trigger job (deploy:nonprod needs `approval-gate` instead of `approval`); the
 * deploy job itself, its script and after_script, are the ones of .gitlab-ci.yml (from `--preview`).
 * What this cannot show: that GitLab keeps a strategy:depend trigger job pending while the child pipeline waits
 * for a manual job (GitLab issue 363311 describes exactly that behaviour), and who may run the manual job.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse, stringify } from 'yaml';
import type { ApprovalDecision } from '../../src/core/diff';
import { renderApprovalPipeline } from '../../scripts/ci/approval-jobs';

const root = resolve(__dirname, '../..');
const gcl = join(root, 'node_modules/.bin/gitlab-ci-local');

type Job = Record<string, unknown> & { needs?: (string | { job: string })[] };

const needNames = (job: Job | undefined): string[] => (job?.needs ?? []).map((n) => (typeof n === 'string' ? n : n.job));

function gitRepo(prefix: string, pipeline: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
  writeFileSync(join(dir, '.gitlab-ci.yml'), pipeline);
  execFileSync('git', ['add', '.gitlab-ci.yml'], { cwd: dir });
  execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@example.invalid', 'commit', '-q', '-m', 'pipeline'], { cwd: dir });
  return dir;
}

/** The main pipeline's jobs after extends and defaults, as gitlab-ci-local resolves them. */
function previewMainPipeline(): Record<string, Job> {
  const dir = mkdtempSync(join(tmpdir(), 'gcl-preview-'));
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
  copyFileSync(join(root, '.gitlab-ci.yml'), join(dir, '.gitlab-ci.yml'));
  const result = spawnSync(gcl, ['--preview'], { cwd: dir, encoding: 'utf8', timeout: 120_000, env: { ...process.env, FORCE_COLOR: '0' } });
  expect(result.status).toBe(0);
  return parse(result.stdout.slice(result.stdout.indexOf('---') >= 0 ? result.stdout.indexOf('---') : 0)) as Record<string, Job>;
}

const DECISIONS: Record<'removal' | 'newAccess' | 'risky', ApprovalDecision> = {
  removal: { verdict: 'no-new-access', required: false, approvals: [], reason: 'verdict no-new-access: no security approval needed (the policy requires it for new-access, risky)' },
  newAccess: {
    verdict: 'new-access',
    required: true,
    approvals: [{ stage: 'security', groups: ['acme/security'], accounts: ['app-prod'] }],
    reason: 'verdict new-access: approval by acme/security for app-prod',
  },
  risky: {
    verdict: 'risky',
    required: true,
    approvals: [
      { stage: 'security', groups: ['acme/security'], accounts: ['app-prod'] },
      { stage: 'second', groups: ['acme/security-leads'], accounts: ['app-prod'] },
    ],
    reason: 'verdict risky: approval by acme/security, then acme/security-leads for app-prod',
  },
};

interface GatedRun {
  readonly status: number;
  readonly out: string;
  /** iamctl calls, in order (argument lists). */
  readonly calls: string[][];
}

/** Runs deploy:nonprod (and what it needs) of the main pipeline with the child approval jobs of `decision`. */
function runGatedDeploy(decision: ApprovalDecision, options: { readonly manual?: readonly string[]; readonly failApply?: boolean } = {}): GatedRun {
  const main = previewMainPipeline();
  const child = parse(renderApprovalPipeline(decision)) as Record<string, Job>;
  const deploy = { ...main['deploy:nonprod'] };
  // The trigger job `approval` completes with its child pipeline, whose last job is approval-gate.
  expect(needNames(deploy)).toEqual(['plan', 'approval']);
  const needs = ['plan', 'approval-gate'];
  const work = mkdtempSync(join(tmpdir(), 'gcl-gate-'));
  const log = join(work, 'calls.jsonl');
  const fake = join(work, 'fake-iamctl.js');
  writeFileSync(
    fake,
    `require('fs').appendFileSync(${JSON.stringify(log)}, JSON.stringify(process.argv.slice(2)) + '\\n');
if (process.argv[2] === 'tfc' && process.argv[3] === 'apply' && process.env.FAIL_APPLY === '1') process.exit(1);
`,
  );
  const jobs: Record<string, unknown> = {
    stages: ['plan', 'approve', 'gate', 'deploy-nonprod'],
    variables: { IAMCTL: `node ${fake}`, FAIL_APPLY: options.failApply ? '1' : '0' },
    plan: { stage: 'plan', script: ['mkdir -p plans', 'echo "{}" > plans/tfc-runs.json'], artifacts: { paths: ['plans/'] } },
    ...Object.fromEntries(Object.entries(child).filter(([name]) => name !== 'stages')),
    'deploy:nonprod': {
      stage: deploy.stage,
      needs,
      variables: deploy.variables,
      script: deploy.script,
      after_script: deploy.after_script,
    },
  };
  const dir = gitRepo('gcl-gated-', stringify(jobs));
  const args = ['--force-shell-executor', '--variable', 'GITLAB_USER_LOGIN=alice', '--needs', 'deploy:nonprod', ...(options.manual ?? []).flatMap((m) => ['--manual', m])];
  const result = spawnSync(gcl, args, { cwd: dir, encoding: 'utf8', timeout: 180_000, env: { ...process.env, FORCE_COLOR: '0', GITLAB_USER_LOGIN: 'alice' } });
  const calls = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as string[]) : [];
  return { status: result.status ?? -1, out: `${result.stdout}${result.stderr}`, calls };
}

const APPLY = ['tfc', 'apply', '--runs', 'plans/tfc-runs.json', '--environment', 'nonprod'];
const recordCall = (status: string): string[] => ['record', '--status', status, '--runs', 'plans/tfc-runs.json', '--environment', 'nonprod', '--commit', expect.any(String) as unknown as string, '--by', 'alice'];

describe('deploy jobs behind the generated approval gate (gitlab-ci-local)', () => {
  it('the main pipeline has no hand-written security-approval: every deploy needs plan and the generated approval', () => {
    const main = previewMainPipeline();
    expect(main['security-approval']).toBeUndefined();
    expect(main.approval).toMatchObject({ trigger: { include: [{ artifact: 'approval-pipeline.yml', job: 'access-diff:main' }], strategy: 'depend' } });
    expect(needNames(main['deploy:nonprod'])).toEqual(['plan', 'approval']);
    expect(needNames(main['deploy:staging'])).toEqual(['plan', 'approval', 'deploy:nonprod']);
    expect(needNames(main['deploy:prod'])).toEqual(['plan', 'approval', 'deploy:staging']);
  });

  it('a removal-only change goes through plan and apply with no security approval, and records applied', () => {
    const run = runGatedDeploy(DECISIONS.removal);
    expect(run.out).toContain('PASS  approval-gate');
    expect(run.out).toContain('PASS  deploy:nonprod');
    expect(run.status).toBe(0);
    expect(run.calls).toEqual([APPLY, recordCall('applied')]);
  });

  it('a new-access change cannot apply without the security approval, and applies once it is given', () => {
    // Given the new-access decision, when deploy:nonprod runs without the manual approval, nothing is applied
    const blocked = runGatedDeploy(DECISIONS.newAccess);
    expect(blocked.out).toContain('security-approval is when:manual, its needed by approval-gate, and not specified in --manual');
    expect(blocked.calls).toEqual([]);
    // When security-approval is run (the approver's click), the gate passes and the deploy applies
    const approved = runGatedDeploy(DECISIONS.newAccess, { manual: ['security-approval'] });
    expect(approved.out).toContain('PASS  security-approval');
    expect(approved.status).toBe(0);
    expect(approved.calls).toEqual([APPLY, recordCall('applied')]);
  });

  it('a risky change needs the second approver group too', () => {
    const firstOnly = runGatedDeploy(DECISIONS.risky, { manual: ['security-approval'] });
    expect(firstOnly.out).toContain('security-approval-second is when:manual, its needed by approval-gate, and not specified in --manual');
    expect(firstOnly.calls).toEqual([]);
    const both = runGatedDeploy(DECISIONS.risky, { manual: ['security-approval', 'security-approval-second'] });
    expect(both.status).toBe(0);
    expect(both.calls).toEqual([APPLY, recordCall('applied')]);
  });

  it('a failed deploy records failed', () => {
    const run = runGatedDeploy(DECISIONS.removal, { failApply: true });
    expect(run.out).toContain('FAIL  deploy:nonprod');
    expect(run.status).not.toBe(0);
    expect(run.calls).toEqual([APPLY, recordCall('failed')]);
  });
});
