/** A scratch git repository holding a copy of the example organization (accounts/), for diff, history and rollback tests. */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..', '..');

export interface ScratchRepo {
  readonly dir: string;
  git(...args: string[]): string;
  /** Rewrites a file under the repository with `edit`. */
  edit(path: string, edit: (text: string) => string): void;
  commit(message: string): string;
}

export function createScratchRepo(): ScratchRepo {
  const dir = mkdtempSync(join(tmpdir(), 'iamctl-diff-'));
  cpSync(join(ROOT, 'accounts'), join(dir, 'accounts'), { recursive: true });
  const git = (...args: string[]): string =>
    execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } }).trim();
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-q', '-m', 'example organization');
  return {
    dir,
    git,
    edit(path, edit) {
      const file = join(dir, path);
      writeFileSync(file, edit(readFileSync(file, 'utf8')));
    },
    commit(message) {
      git('add', '-A');
      git('commit', '-q', '-m', message);
      return git('rev-parse', 'HEAD');
    },
  };
}
