/**
 * The record, history and rollback on a copy of the example organization (local file store): after a recorded
 * apply of two versions, history lists both, and rollback --to the first writes files whose access diff
 * against the first version is empty.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../src/cli/program';
import { COMMANDS } from '../../src/cli/commands';
import type { AccessDiff } from '../../src/core/diff';
import type { AccountVersion } from '../../src/core/registry';
import { captureOutput } from '../support/capture-output';
import { createScratchRepo, type ScratchRepo } from '../diff/support/scratch-repo';

const WORKER = 'accounts/workloads/app-prod/roles/app-worker.yaml';
const NEW_ROLE = 'accounts/workloads/app-prod/roles/report-reader.yaml';

async function iamctl(repo: ScratchRepo, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = captureOutput();
  const code = await runCli(args, COMMANDS, { output: out, cwd: repo.dir });
  return { code, stdout: out.stdout(), stderr: out.stderr() };
}

describe('iamctl record, history and rollback (file store)', () => {
  it('lists two applied versions and rolls back to the first with an empty diff against it', async () => {
    const repo = createScratchRepo();
    const registry = `file:${join(mkdtempSync(join(tmpdir(), 'iamctl-registry-')), 'registry.json')}`;
    const first = repo.git('rev-parse', 'HEAD');
    // Given version 1 planned, approved and applied
    expect((await iamctl(repo, 'record', '--status', 'planned', '--account', 'app-prod', '--merge-request', '11', '--verdict', 'new-access', '--registry', registry)).code).toBe(0);
    expect((await iamctl(repo, 'record', '--status', 'approved', '--account', 'app-prod', '--by', 'alice', '--registry', registry)).code).toBe(0);
    const applied = await iamctl(repo, 'record', '--status', 'applied', '--account', 'app-prod', '--tfc-run', 'run-1', '--registry', registry);
    expect(applied.stdout).toMatch(new RegExp(`^Recorded \\d+ resource versions of app-prod at ${first.slice(0, 12)} as applied in file `));
    // And version 2: s3:* on a bucket for app-worker and a new role, applied
    repo.edit(WORKER, (t) => t.replace('      - Sid: WriteOwnLogs', '      - Sid: UploadsBucket\n        Effect: Allow\n        Action: "s3:*"\n        Resource: "arn:aws:s3:::shop-uploads-prod/*"\n      - Sid: WriteOwnLogs'));
    writeFileSync(join(repo.dir, NEW_ROLE), 'description: Reads reports\nowner: app-team\nkind: service\ntrust:\n  services: [lambda.amazonaws.com]\ninlinePolicies:\n  read:\n    Version: "2012-10-17"\n    Statement:\n      - Effect: Allow\n        Action: s3:GetObject\n        Resource: "arn:aws:s3:::reports/*"\n');
    const second = repo.commit('app-worker uploads, report-reader role');
    for (const status of ['planned', 'approved', 'applied']) {
      expect((await iamctl(repo, 'record', '--status', status, '--account', 'app-prod', '--merge-request', '12', '--by', 'bob', '--tfc-run', 'run-2', '--registry', registry)).code).toBe(0);
    }

    // When history runs, then both versions are listed, oldest first, with their merge request, approver and run
    const history = await iamctl(repo, 'history', 'app-prod', '--format', 'json', '--registry', registry);
    const versions = (JSON.parse(history.stdout) as { versions: AccountVersion[] }).versions;
    expect(versions.map((v) => [v.version, v.commit, v.status, v.mergeRequest, v.approver, v.tfcRunId])).toEqual([
      [1, first, 'applied', '11', 'alice', 'run-1'],
      [2, second, 'applied', '12', 'bob', 'run-2'],
    ]);
    // Version 2 changed exactly app-worker and added report-reader
    expect(versions[1].resources.filter((r) => r.changed).map((r) => r.name)).toEqual(['app-worker', 'report-reader']);
    // And the history of one role lists both of its versions
    const roleHistory = await iamctl(repo, 'history', 'app-prod', 'app-worker', '--registry', registry);
    expect(roleHistory.stdout).toContain('History of app-prod app-worker: 2 versions');

    // When rolling back to version 1
    const rollback = await iamctl(repo, 'rollback', '--account', 'app-prod', '--to', '1', '--registry', registry);
    expect(rollback.code).toBe(0);
    // Then the rollback is a commit on a new branch, and its access diff narrows access
    expect(repo.git('rev-parse', '--abbrev-ref', 'HEAD')).toBe('rollback/app-prod-v1');
    expect(repo.git('log', '-1', '--format=%s')).toBe(`Roll back app-prod to version 1 (${first.slice(0, 12)})`);
    expect(rollback.stdout).toContain(`Access diff ${second} → HEAD: no-new-access`);
    expect(rollback.stdout).toContain('- role report-reader is removed');
    expect(rollback.stdout).toMatch(/- role app-worker is no longer allowed s3:\* \(\d+ actions/);
    expect(repo.git('show', '--name-status', '--format=', 'HEAD').split('\n').sort()).toEqual([`D\t${NEW_ROLE}`, `M\t${WORKER}`]);
    // And the access diff against version 1 is empty
    const out = captureOutput();
    expect(await runCli(['diff', '--base', first, '--format', 'json'], COMMANDS, { output: out, cwd: repo.dir })).toBe(0);
    const diff = JSON.parse(out.stdout()) as AccessDiff;
    expect(diff.accounts).toEqual([]);
    expect(diff.reasons).toEqual(['no IAM change']);
    // And the written role file still loads as the same YAML shape (the file is valid for the loader and readable)
    expect(readFileSync(join(repo.dir, WORKER), 'utf8')).toMatch(/^# Rolled back to version [0-9a-f]{12} of app-prod/);
  });

  it('refuses a version that was never applied, naming the recorded ones', async () => {
    const repo = createScratchRepo();
    const registry = `file:${join(mkdtempSync(join(tmpdir(), 'iamctl-registry-')), 'registry.json')}`;
    const commit = repo.git('rev-parse', 'HEAD');
    await iamctl(repo, 'record', '--status', 'planned', '--account', 'app-prod', '--registry', registry);
    const result = await iamctl(repo, 'rollback', '--account', 'app-prod', '--to', commit.slice(0, 8), '--registry', registry);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `error: version 1 (${commit.slice(0, 12)}) of app-prod was never applied (status planned): roll back only to an applied version; recorded: 1 (${commit.slice(0, 12)}, planned)\n`,
    );
    expect(repo.git('rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
  });
});
