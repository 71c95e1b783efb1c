/**
 * Approval policy as code, checked with gitlab-ci-local 4.73.0: for the done-when changes of issue 12 (add s3:*
 * on one bucket, remove an action, remove a boundary) the access diff's approval decision generates the approval
 * child pipeline, whose `security-approval` job exists (manual, blocking) only when the policy requires it.
 * What this cannot show: approvals and protected environments are not enforced by gitlab-ci-local.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../../src/cli/program';
import { COMMANDS } from '../../src/cli/commands';
import type { ApprovalDecision } from '../../src/core/diff';
import { renderApprovalPipeline } from '../../scripts/ci/approval-jobs';
import { captureOutput } from '../support/capture-output';
import { createScratchRepo } from '../diff/support/scratch-repo';

const root = resolve(__dirname, '../..');
const gcl = join(root, 'node_modules/.bin/gitlab-ci-local');
const WORKER = 'accounts/workloads/app-prod/roles/app-worker.yaml';

interface ListedJob {
  readonly name: string;
  readonly stage: string;
  readonly when: string;
  readonly allow_failure: boolean;
  readonly needs?: readonly { readonly job: string }[];
}

function listJobs(pipelineYaml: string): ListedJob[] {
  const dir = mkdtempSync(join(tmpdir(), 'gcl-approval-'));
  execFileSync('git', ['init', '-q'], { cwd: dir });
  writeFileSync(join(dir, '.gitlab-ci.yml'), pipelineYaml);
  const result = spawnSync(gcl, ['--list-json'], { cwd: dir, encoding: 'utf8', timeout: 120_000, env: { ...process.env, FORCE_COLOR: '0' } });
  if (result.status !== 0) throw new Error(`gitlab-ci-local failed:\n${result.stdout}${result.stderr}`);
  return JSON.parse(result.stdout) as ListedJob[];
}

async function decide(edit: (text: string) => string): Promise<ApprovalDecision> {
  const repo = createScratchRepo();
  repo.edit(WORKER, edit);
  const out = captureOutput();
  await runCli(['diff', '--base', 'main', '--approval-json', 'out/approval.json'], COMMANDS, { output: out, cwd: repo.dir });
  return JSON.parse(readFileSync(join(repo.dir, 'out/approval.json'), 'utf8')) as ApprovalDecision;
}

describe('approval policy as code (gitlab-ci-local)', () => {
  it('requires the security approval for adding s3:* on one bucket (new-access)', async () => {
    const decision = await decide((t) => t.replace('      - Sid: WriteOwnLogs', '      - Sid: UploadsBucket\n        Effect: Allow\n        Action: "s3:*"\n        Resource: "arn:aws:s3:::shop-uploads-prod/*"\n      - Sid: WriteOwnLogs'));
    expect(decision.verdict).toBe('new-access');
    const jobs = listJobs(renderApprovalPipeline(decision));
    expect(jobs.map((j) => [j.name, j.stage, j.when, j.allow_failure, (j.needs ?? []).map((n) => n.job)])).toEqual([
      ['security-approval', 'approve', 'manual', false, []],
      ['approval-gate', 'gate', 'on_success', false, ['security-approval']],
    ]);
  });

  it('requires no security approval for removing an action (no-new-access)', async () => {
    const decision = await decide((t) => t.replace('          - sqs:ChangeMessageVisibility\n', ''));
    expect(decision).toMatchObject({ verdict: 'no-new-access', required: false, approvals: [] });
    const jobs = listJobs(renderApprovalPipeline(decision));
    expect(jobs.map((j) => [j.name, j.when, (j.needs ?? []).map((n) => n.job)])).toEqual([['approval-gate', 'on_success', []]]);
  });

  it('requires the security approval and then the second group for removing a boundary (risky)', async () => {
    const decision = await decide((t) => `${t}permissionBoundary:\n  none:\n    reason: The worker needs to manage its own IAM during the migration window.\n`);
    expect(decision.approvals).toEqual([
      { stage: 'security', groups: ['acme/security'], accounts: ['app-prod'] },
      { stage: 'second', groups: ['acme/security-leads'], accounts: ['app-prod'] },
    ]);
    const jobs = listJobs(renderApprovalPipeline(decision));
    expect(jobs.map((j) => [j.name, j.when, j.allow_failure, (j.needs ?? []).map((n) => n.job)])).toEqual([
      ['security-approval', 'manual', false, []],
      ['security-approval-second', 'manual', false, ['security-approval']],
      ['approval-gate', 'on_success', false, ['security-approval', 'security-approval-second']],
    ]);
  });

  it('keeps the main pipeline valid with the access-diff, approval gate and record jobs appended', () => {
    const result = spawnSync(gcl, ['--list-json'], { cwd: root, encoding: 'utf8', timeout: 120_000, env: { ...process.env, FORCE_COLOR: '0' } });
    expect(result.status).toBe(0);
    const names = (JSON.parse(result.stdout) as ListedJob[]).map((j) => j.name);
    expect(names).toEqual(expect.arrayContaining(['access-diff', 'access-diff:main', 'approval', 'record:planned', 'record:approved', 'rollback', 'rollback:merge-request']));
  });
});
