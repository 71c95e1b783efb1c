/**
 * Loads the organization as it is at a git ref, without touching the work tree: `git archive` of the
 * accounts folder into a temporary directory, then the same loader the work tree uses.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrganization, type LoadOrganizationOptions } from '../../config';
import type { ResolvedOrganization } from '../../core/model';
import { ERROR_CODES, IamPlatformError } from '../../core/errors';

/** Largest `git archive` output read into memory (the accounts folder of a large organization is a few MB). */
export const MAX_ARCHIVE_BYTES = 256 * 1024 * 1024;

/** Options of {@link loadOrganizationAtRef}. */
export interface LoadOrganizationAtRefOptions extends LoadOrganizationOptions {
  /** The `git` executable. @default 'git' */
  readonly git?: string;
}

function stderrOf(error: unknown): string {
  const e = error as { stderr?: Buffer | string; message?: string };
  return (e.stderr ? e.stderr.toString() : (e.message ?? String(error))).trim();
}

/** Runs git in `repoDir` and returns stdout; a failure becomes a user error naming the command. */
export function runGit(repoDir: string, args: readonly string[], options: { readonly git?: string; readonly input?: Buffer } = {}): Buffer {
  try {
    return execFileSync(options.git ?? 'git', [...args], { cwd: repoDir, maxBuffer: MAX_ARCHIVE_BYTES, stdio: ['pipe', 'pipe', 'pipe'], input: options.input });
  } catch (error) {
    throw new IamPlatformError(ERROR_CODES.UNREADABLE_INPUT, `git ${args.join(' ')} failed in ${repoDir}: ${stderrOf(error)}`, { cause: error });
  }
}

/** The full commit id a ref names, or a user error that says the ref is not a commit of the repository. */
export function resolveCommit(repoDir: string, ref: string, options: { readonly git?: string } = {}): string {
  try {
    return execFileSync(options.git ?? 'git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: repoDir, stdio: ['ignore', 'pipe', 'pipe'] }).toString().trim();
  } catch (error) {
    throw new IamPlatformError(ERROR_CODES.INVALID_ARGUMENT, `"${ref}" is not a commit in ${repoDir}: give a branch, tag or commit id (git rev-parse could not resolve it)`, { cause: error });
  }
}

/**
 * Loads the organization at `ref` of the repository in `repoDir` (which holds `accounts/` at its root).
 * The work tree and index are never read or changed.
 */
export function loadOrganizationAtRef(repoDir: string, ref: string, options: LoadOrganizationAtRefOptions = {}): ResolvedOrganization {
  const commit = resolveCommit(repoDir, ref, options);
  const accountsDir = options.accountsDir ?? 'accounts';
  const listed = runGit(repoDir, ['ls-tree', '--name-only', commit, '--', accountsDir], options).toString().trim();
  if (listed === '') {
    throw new IamPlatformError(ERROR_CODES.CONFIG_NOT_FOUND, `${ref} (${commit.slice(0, 12)}) has no ${accountsDir}/ folder: compare refs that hold the organization's accounts/`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'iamctl-ref-'));
  try {
    const archive = runGit(repoDir, ['archive', '--format=tar', commit, '--', accountsDir], options);
    try {
      execFileSync('tar', ['-x', '-f', '-', '-C', dir], { input: archive, maxBuffer: MAX_ARCHIVE_BYTES, stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (error) {
      throw new IamPlatformError(ERROR_CODES.UNREADABLE_INPUT, `could not unpack ${accountsDir}/ of ${ref} with tar: ${stderrOf(error)}`, { cause: error });
    }
    return { ...loadOrganization(dir, { accountsDir }), rootDir: repoDir };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
