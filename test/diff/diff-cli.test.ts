/**
 * `iamctl diff` on a copy of the example organization in a scratch git repository: the done-when cases of
 * issue 12 (add s3:* on one bucket, remove an action, remove a boundary, add a third-party trust), the
 * merge-request note against a local GitLab fake, and the dotenv report with the approvals the policy requires.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../src/cli/program';
import { COMMANDS } from '../../src/cli/commands';
import type { AccessDiff } from '../../src/core/diff';
import { loadActionCatalog } from '../../src/io/catalog';
import { captureOutput } from '../support/capture-output';
import { startFakeGitLab, type FakeGitLab } from './support/fake-gitlab';
import { createScratchRepo } from './support/scratch-repo';

const WORKER = 'accounts/workloads/app-prod/roles/app-worker.yaml';

const ADD_S3_STAR = (text: string): string =>
  text.replace('      - Sid: WriteOwnLogs', '      - Sid: UploadsBucket\n        Effect: Allow\n        Action: "s3:*"\n        Resource: "arn:aws:s3:::shop-uploads-prod/*"\n      - Sid: WriteOwnLogs');
const REMOVE_ACTION = (text: string): string => text.replace('          - sqs:ChangeMessageVisibility\n', '');
const REMOVE_BOUNDARY = (text: string): string => `${text}permissionBoundary:\n  none:\n    reason: The worker needs to manage its own IAM during the migration window.\n`;
const ADD_THIRD_PARTY = (text: string): string =>
  text.replace('trust:\n  services: [lambda.amazonaws.com]', 'trust:\n  services: [lambda.amazonaws.com]\n  accounts:\n    - principals: ["999988887777"]\n      kind: third-party\n      externalId: vendor-7f3a9c');

async function diffJson(dir: string, base: string): Promise<{ code: number; diff: AccessDiff; stderr: string }> {
  const out = captureOutput();
  const code = await runCli(['diff', '--base', base, '--format', 'json', '--dotenv', 'out/access-diff.env'], COMMANDS, { output: out, cwd: dir });
  return { code, diff: JSON.parse(out.stdout()) as AccessDiff, stderr: out.stderr() };
}

function dotenv(dir: string): Record<string, string> {
  return Object.fromEntries(
    readFileSync(join(dir, 'out/access-diff.env'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

describe('iamctl diff on the example organization', () => {
  it('names the role, the account and the added actions of s3:* on one bucket: new-access, security approval required', async () => {
    // Given a merge request that adds s3:* on one bucket to app-worker in app-prod
    const repo = createScratchRepo();
    repo.edit(WORKER, ADD_S3_STAR);
    // When the diff runs against main (head: the work tree)
    const { code, diff } = await diffJson(repo.dir, 'main');
    // Then only app-prod changed, with one added grant naming the role, the bucket and every s3 action
    expect(code).toBe(1);
    expect(diff.verdict).toBe('new-access');
    expect(diff.accounts.map((a) => [a.account, a.verdict])).toEqual([['app-prod', 'new-access']]);
    const changes = diff.accounts[0].changes;
    expect(changes.map((c) => [c.kind, c.subject.name, c.effect])).toEqual([['allow-added', 'app-worker', 'grows']]);
    const delta = changes[0].permissions!;
    expect(delta.resource).toBe('arn:aws:s3:::shop-uploads-prod/*');
    expect(delta.patterns).toEqual(['s3:*']);
    const s3Actions = loadActionCatalog().expandPattern('s3:*');
    expect(delta.actions.map((a) => a.action)).toEqual([...s3Actions].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
    expect(delta.actions.find((a) => a.action === 's3:GetObject')).toEqual({ action: 's3:GetObject', accessLevel: 'Read', risks: ['data-exfiltration'] });
    expect(delta.actions.find((a) => a.action === 's3:PutBucketPolicy')?.risks).toEqual(['resource-exposure']);
    // And the dotenv report asks for the security approval only
    expect(dotenv(repo.dir)).toEqual({
      IAM_ACCESS_VERDICT: 'new-access',
      IAM_SECURITY_APPROVAL: 'required',
      IAM_SECOND_APPROVAL: 'not-required',
      IAM_APPROVER_GROUPS: 'acme/security',
      IAM_SECOND_APPROVER_GROUPS: '',
      IAM_CHANGED_ACCOUNTS: 'app-prod',
      IAM_CHANGED_STACKS: 'iam-app-prod',
    });
  });

  it('says no-new-access when an action is removed, and needs no security approval', async () => {
    const repo = createScratchRepo();
    repo.edit(WORKER, REMOVE_ACTION);
    const { code, diff } = await diffJson(repo.dir, 'main');
    expect(code).toBe(0);
    expect(diff.verdict).toBe('no-new-access');
    expect(diff.accounts[0].changes.map((c) => [c.kind, c.subject.name, c.permissions?.actions.map((a) => a.action)])).toEqual([
      ['allow-removed', 'app-worker', ['sqs:ChangeMessageVisibility']],
    ]);
    expect(dotenv(repo.dir)).toMatchObject({ IAM_ACCESS_VERDICT: 'no-new-access', IAM_SECURITY_APPROVAL: 'not-required', IAM_SECOND_APPROVAL: 'not-required' });
  });

  it('says risky when a boundary is removed, and asks for the second approver group', async () => {
    const repo = createScratchRepo();
    repo.edit(WORKER, REMOVE_BOUNDARY);
    const { diff } = await diffJson(repo.dir, 'main');
    expect(diff.verdict).toBe('risky');
    expect(diff.reasons).toEqual(['app-prod: role app-worker loses its permission boundary iam-platform-boundary']);
    expect(dotenv(repo.dir)).toMatchObject({ IAM_SECURITY_APPROVAL: 'required', IAM_SECOND_APPROVAL: 'required', IAM_SECOND_APPROVER_GROUPS: 'acme/security-leads' });
  });

  it('says risky when a third-party trust is added (the config cannot write Principal "*"; that case is in the fixtures)', async () => {
    const repo = createScratchRepo();
    repo.edit(WORKER, ADD_THIRD_PARTY);
    const { diff } = await diffJson(repo.dir, 'main');
    expect(diff.verdict).toBe('risky');
    const trust = diff.accounts[0].changes.find((c) => c.kind === 'trust-added');
    expect(trust?.principal).toMatchObject({ type: 'AWS', value: 'arn:aws:iam::999988887777:root', kind: 'third-party', conditions: { externalId: true, mfa: false } });
    expect(trust?.risky).toBe(true);
  });

  it('plans only the stacks whose synthesized Terraform JSON changed: none for a comment, the account for a tag', async () => {
    // Given a change that only adds comment lines to a role file
    const repo = createScratchRepo();
    repo.edit(WORKER, (t) => `# reviewed 2026-12-01\n#\n${t}`);
    const comment = await diffJson(repo.dir, 'main');
    // Then no stack needs a plan (every stack of both sides was synthesized and compared)
    expect(dotenv(repo.dir)).toMatchObject({ IAM_ACCESS_VERDICT: 'no-new-access', IAM_CHANGED_STACKS: '' });
    expect(comment.stderr).toContain('no synthesized stack changed (11 compared)');
    // Given a tag change (no access change, but the stack's default tags change)
    repo.edit('accounts/workloads/app-dev/account.yaml', (t) => `${t}tags:\n  cost-center: shop-dev\n`);
    await diffJson(repo.dir, 'main');
    expect(dotenv(repo.dir)).toMatchObject({ IAM_CHANGED_ACCOUNTS: '', IAM_CHANGED_STACKS: 'iam-app-dev' });
  });

  it("synthesizes the base with its own code when the synth code changed, and says why it cannot when the base has none", async () => {
    // Given a base commit whose synth code is a stand-in bin/iamctl.js writing one stack, and a head without it
    const repo = createScratchRepo();
    mkdirSync(join(repo.dir, 'bin'), { recursive: true });
    writeFileSync(
      join(repo.dir, 'bin', 'iamctl.js'),
      `const fs = require('fs'); const path = require('path');
const out = process.argv[process.argv.indexOf('--outdir') + 1];
for (const [stack, bucket] of [['iam-app-dev', 'base-only'], ['iam-app-prod', 'x']]) {
  fs.mkdirSync(path.join(out, 'stacks', stack), { recursive: true });
  fs.writeFileSync(path.join(out, 'stacks', stack, 'cdk.tf.json'), JSON.stringify({ resource: { stand_in: { b: { bucket } } } }));
}
console.log(JSON.stringify({ stacks: [{ account: 'app-dev', stack: 'iam-app-dev', file: 'iamctl-diff-out/stacks/iam-app-dev/cdk.tf.json' }, { account: 'app-prod', stack: 'iam-app-prod', file: 'iamctl-diff-out/stacks/iam-app-prod/cdk.tf.json' }] }));
`,
    );
    const base = repo.commit('stand-in synth code');
    // When the head removes that code (synth code changed), the base's own synth runs, and every head stack differs
    repo.git('rm', '-q', 'bin/iamctl.js');
    const head = repo.commit('drop the stand-in');
    const out = captureOutput();
    await runCli(['diff', '--base', base, '--head', head, '--dotenv', 'out/access-diff.env'], COMMANDS, { output: out, cwd: repo.dir });
    // Then the head (no bin/iamctl.js of its own) cannot be synthesized with its own code: a clear error, exit 2
    expect(out.stderr()).toContain('synth code changed (bin/iamctl.js)');
    expect(out.stderr()).toContain(`changes the synth code but has no bin/iamctl.js: its stacks cannot be synthesized to compare`);
    // And with the work tree as head (this code), the base's stand-in stacks are compared with the real synth
    const wt = await diffJson(repo.dir, base);
    expect(wt.stderr).toContain('synth code changed (bin/iamctl.js): the base is synthesized with its own code');
    expect(dotenv(repo.dir).IAM_CHANGED_STACKS.split(',')).toEqual(['iam-app-dev', 'iam-app-prod', 'iam-app-staging', 'iam-data-prod', 'iam-log-archive', 'iam-management', 'iam-organization', 'iam-organization-log-archive', 'iam-security', 'iam-security-baseline', 'iam-shared-services']);
  });

  it.each([
    ['removes an action', REMOVE_ACTION, 'no-new-access', 0],
    ['removes a boundary', REMOVE_BOUNDARY, 'risky', 1],
  ] as const)('writes the merge request note (Markdown) with the verdict when a change %s', async (_name, edit, verdict, exitCode) => {
    const repo = createScratchRepo();
    repo.edit(WORKER, edit);
    const out = captureOutput();
    expect(await runCli(['diff', '--base', 'main', '--format', 'markdown'], COMMANDS, { output: out, cwd: repo.dir })).toBe(exitCode);
    expect(out.stdout()).toContain(`## IAM access diff: \`${verdict}\``);
    expect(out.stdout()).toContain(`### app-prod (530987654321): \`${verdict}\``);
    expect(out.stdout()).toContain('`app-worker`');
  });

  it('compares two refs without touching the work tree, and reports a bad ref as a usage error', async () => {
    // Given a commit that removes an action, and a work tree that adds s3:* on top (uncommitted)
    const repo = createScratchRepo();
    repo.edit(WORKER, REMOVE_ACTION);
    repo.commit('remove an action');
    repo.edit(WORKER, ADD_S3_STAR);
    const before = readFileSync(join(repo.dir, WORKER), 'utf8');
    // When diffing main..HEAD (both refs), the uncommitted change is not seen and the work tree is unchanged
    const out = captureOutput();
    const code = await runCli(['diff', '--base', 'main~0', '--head', 'HEAD'], COMMANDS, { output: out, cwd: repo.dir });
    expect(code).toBe(0);
    expect(out.stdout()).toContain('Access diff main~0 → HEAD: no-new-access');
    expect(readFileSync(join(repo.dir, WORKER), 'utf8')).toBe(before);
    expect(repo.git('status', '--porcelain')).toBe(`M ${WORKER}`);
    // And an unknown ref is a clear error, exit 2
    const bad = captureOutput();
    expect(await runCli(['diff', '--base', 'no-such-branch'], COMMANDS, { output: bad, cwd: repo.dir })).toBe(2);
    expect(bad.stderr()).toBe(`error: "no-such-branch" is not a commit in ${repo.dir}: give a branch, tag or commit id (git rev-parse could not resolve it)\n`);
  });
});

describe('iamctl diff --merge-request-note', () => {
  let gitlab: FakeGitLab;
  const saved = { ...process.env };
  beforeAll(async () => {
    gitlab = await startFakeGitLab({ token: 'glpat-test', projectId: '42', pageSize: 2 });
  });
  afterAll(async () => {
    await gitlab.close();
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  it('posts one note naming role, account, actions and verdict, and updates that note on the next push', async () => {
    // Given a merge request pipeline with two unrelated notes already on the merge request (two pages of notes)
    gitlab.notes.set('7', [
      { id: 1, body: 'looks good', system: false },
      { id: 2, body: 'added 1 commit', system: true },
    ]);
    Object.assign(process.env, { CI_API_V4_URL: gitlab.apiUrl, CI_PROJECT_ID: '42', CI_MERGE_REQUEST_IID: '7', IAMCTL_GITLAB_TOKEN: 'glpat-test' });
    const repo = createScratchRepo();
    repo.edit(WORKER, ADD_S3_STAR);
    // When the diff job runs
    const first = captureOutput();
    expect(await runCli(['diff', '--base', 'main', '--format', 'markdown', '--merge-request-note'], COMMANDS, { output: first, cwd: repo.dir })).toBe(1);
    // Then one note is posted, naming the role, the account, the actions and the verdict
    const notes = gitlab.notes.get('7')!;
    expect(notes).toHaveLength(3);
    const note = notes[2].body;
    expect(note).toContain('<!-- iamctl:access-diff -->');
    expect(note).toContain('## IAM access diff: `new-access`');
    expect(note).toContain('### app-prod (530987654321): `new-access`');
    expect(note).toContain('role `app-worker`');
    expect(note).toContain('written `s3:*`');
    expect(note).toContain('`s3:GetObject` (Read, data-exfiltration)');
    expect(first.stderr()).toBe(`merge request !7: access-diff note ${notes[2].id} created\n`);
    // When a later push removes the s3 grant and removes an action instead
    repo.edit(WORKER, (t) => REMOVE_ACTION(t.replace(/ {6}- Sid: UploadsBucket\n[\s\S]*?shop-uploads-prod\/\*"\n/, '')));
    const second = captureOutput();
    expect(await runCli(['diff', '--base', 'main', '--merge-request-note'], COMMANDS, { output: second, cwd: repo.dir })).toBe(0);
    // Then the same note is updated, not a new one added
    expect(gitlab.notes.get('7')).toHaveLength(3);
    expect(gitlab.notes.get('7')![2].body).toContain('## IAM access diff: `no-new-access`');
    expect(gitlab.requests.filter((r) => r.startsWith('PUT'))).toEqual([`PUT /api/v4/projects/42/merge_requests/7/notes/${notes[2].id}`]);
  });

  it('names every missing CI variable instead of posting', async () => {
    delete process.env.CI_MERGE_REQUEST_IID;
    delete process.env.IAMCTL_GITLAB_TOKEN;
    const repo = createScratchRepo();
    const out = captureOutput();
    expect(await runCli(['diff', '--base', 'main', '--merge-request-note'], COMMANDS, { output: out, cwd: repo.dir })).toBe(2);
    expect(out.stderr()).toContain('error: posting the merge-request note needs CI_API_V4_URL, CI_PROJECT_ID, CI_MERGE_REQUEST_IID, IAMCTL_GITLAB_TOKEN');
  });
});
