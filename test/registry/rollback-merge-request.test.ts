/**
 * `iamctl rollback --merge-request`: the rollback branch is pushed (to a local bare repository standing in for
 * the GitLab remote) and a merge request is opened through the GitLab API (a loopback fake of the documented endpoint).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/program';
import { COMMANDS } from '../../src/cli/commands';
import { captureOutput } from '../support/capture-output';
import { createScratchRepo } from '../diff/support/scratch-repo';
import { startFakeGitLab, type FakeGitLab } from '../diff/support/fake-gitlab';

const WORKER = 'accounts/workloads/app-prod/roles/app-worker.yaml';

describe('iamctl rollback --merge-request', () => {
  let gitlab: FakeGitLab;
  const saved = { ...process.env };
  beforeAll(async () => {
    gitlab = await startFakeGitLab({ token: 'glpat-rollback', projectId: 'acme/platform/iam' });
  });
  afterAll(async () => {
    process.env = saved;
    await gitlab.close();
  });

  it('pushes the rollback branch and opens a merge request into the branch it started from', async () => {
    // Given an applied version 1, a second commit, and a remote
    const repo = createScratchRepo();
    const remote = mkdtempSync(join(tmpdir(), 'iamctl-remote-'));
    execFileSync('git', ['init', '-q', '--bare', remote]);
    repo.git('remote', 'add', 'origin', remote);
    const registry = `file:${join(mkdtempSync(join(tmpdir(), 'iamctl-registry-')), 'registry.json')}`;
    const first = repo.git('rev-parse', 'HEAD');
    const run = async (...args: string[]) => {
      const out = captureOutput();
      const code = await runCli(args, COMMANDS, { output: out, cwd: repo.dir });
      return { code, out };
    };
    await run('record', '--status', 'planned', '--account', 'app-prod', '--registry', registry);
    await run('record', '--status', 'applied', '--account', 'app-prod', '--registry', registry);
    repo.edit(WORKER, (t) => t.replace('          - sqs:ChangeMessageVisibility\n', ''));
    repo.commit('drop an action');
    Object.assign(process.env, { CI_API_V4_URL: gitlab.apiUrl, CI_PROJECT_ID: 'acme/platform/iam', IAMCTL_GITLAB_TOKEN: 'glpat-rollback' });
    // When rolling back with --merge-request
    const { code, out } = await run('rollback', '--account', 'app-prod', '--to', first.slice(0, 10), '--merge-request', '--registry', registry);
    // Then the branch is on the remote and the merge request targets main, with the rollback's access diff
    expect(code).toBe(0);
    expect(execFileSync('git', ['branch', '--list'], { cwd: remote, encoding: 'utf8' })).toContain('rollback/app-prod-v1');
    expect(gitlab.mergeRequests).toHaveLength(1);
    expect(gitlab.mergeRequests[0]).toMatchObject({ source_branch: 'rollback/app-prod-v1', target_branch: 'main', title: `Roll back app-prod to version 1 (${first.slice(0, 12)})` });
    expect(gitlab.mergeRequests[0].description).toContain('## IAM access diff: `new-access`');
    expect(gitlab.mergeRequests[0].description).toContain('sqs:ChangeMessageVisibility');
    expect(gitlab.requests).toContain('POST /api/v4/projects/acme%2Fplatform%2Fiam/merge_requests');
    expect(out.stderr()).toContain('merge request !1: http://127.0.0.1/mr/1');
  });
});
