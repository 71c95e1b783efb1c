/**
 * The synthesized stacks of one side of a change, hashed (src/core/diff/changed-stacks.ts compares them).
 * The work tree is synthesized in process. A git ref is taken with `git archive` (the work tree is never
 * touched): when the synth code (SYNTH_CODE_PATHS) is the same on both sides, its accounts/ are synthesized with
 * this code in process; when the code differs, the ref's whole tree is unpacked and its own `bin/iamctl.js synth`
 * runs there (this checkout's node_modules linked in), so the base's stacks are what the base's code makes.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrganization } from '../../config';
import { hashStackJson, SYNTH_CODE_PATHS, type StackFingerprint } from '../../core/diff';
import { ERROR_CODES, IamPlatformError } from '../../core/errors';
import type { ResolvedOrganization } from '../../core/model';
import { loadActionCatalog } from '../../io/catalog';
import { loadOrganizationAtRef, MAX_ARCHIVE_BYTES, resolveCommit, runGit } from '../../io/git';
import { synthesizeOrganization } from '../../../stacks';

/** Longest a ref's own synth may take before the diff gives up. */
export const REF_SYNTH_TIMEOUT_MS = 10 * 60_000;

function hashFiles(stacks: readonly { readonly stack: string; readonly account: string; readonly file: string }[]): StackFingerprint[] {
  return stacks.map((s) => ({ stack: s.stack, account: s.account, hash: hashStackJson(JSON.parse(readFileSync(s.file, 'utf8')) as unknown) }));
}

function synthesizeInProcess(org: ResolvedOrganization): StackFingerprint[] {
  const dir = mkdtempSync(join(tmpdir(), 'iamctl-stacks-'));
  try {
    const result = synthesizeOrganization(org, { outdir: join(dir, 'out'), catalog: loadActionCatalog() });
    return hashFiles(result.stacks);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Files of the synth code that differ between two refs (head undefined: the work tree). */
export function listSynthCodeChanges(cwd: string, base: string, head: string | undefined): string[] {
  const range = [resolveCommit(cwd, base), ...(head !== undefined ? [resolveCommit(cwd, head)] : [])];
  return runGit(cwd, ['diff', '--name-only', ...range, '--', ...SYNTH_CODE_PATHS]).toString('utf8').split('\n').filter(Boolean);
}

/** Runs the ref's own synth in an unpacked copy of its tree. */
function synthesizeWithOwnCode(cwd: string, ref: string): StackFingerprint[] {
  const commit = resolveCommit(cwd, ref);
  const dir = mkdtempSync(join(tmpdir(), 'iamctl-ref-tree-'));
  try {
    const archive = runGit(cwd, ['archive', '--format=tar', commit]);
    execFileSync('tar', ['-x', '-f', '-', '-C', dir], { input: archive, maxBuffer: MAX_ARCHIVE_BYTES, stdio: ['pipe', 'pipe', 'pipe'] });
    if (!existsSync(join(dir, 'bin', 'iamctl.js'))) {
      throw new IamPlatformError(ERROR_CODES.UNREADABLE_INPUT, `${ref} (${commit.slice(0, 12)}) changes the synth code but has no bin/iamctl.js: its stacks cannot be synthesized to compare; plan every stack (tfc plan without --stacks)`);
    }
    if (existsSync(join(cwd, 'node_modules'))) symlinkSync(join(cwd, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const out = join(dir, 'iamctl-diff-out');
    const result = spawnSync(process.execPath, ['bin/iamctl.js', 'synth', '--outdir', out, '--format', 'json'], { cwd: dir, encoding: 'utf8', timeout: REF_SYNTH_TIMEOUT_MS, maxBuffer: MAX_ARCHIVE_BYTES });
    if (result.status !== 0) {
      const detail = `${result.stderr ?? ''}`.trim().split('\n').slice(-5).join('\n');
      throw new IamPlatformError(ERROR_CODES.UNREADABLE_INPUT, `the synth of ${ref} (${commit.slice(0, 12)}) with its own code failed (exit ${result.status ?? 'timeout'}): ${detail}`);
    }
    const json = JSON.parse(result.stdout.slice(result.stdout.indexOf('{'))) as { stacks: { account: string; stack: string; file: string }[] };
    return hashFiles(json.stacks.map((s) => ({ ...s, file: join(dir, s.file) })));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Fingerprints of every stack of one side: the work tree (`ref` undefined) or a git ref. `codeChanged`: whether the
 * synth code differs between the two sides compared (then a ref is synthesized with its own code).
 */
export function fingerprintStacks(cwd: string, ref: string | undefined, codeChanged: boolean): StackFingerprint[] {
  if (ref === undefined) return synthesizeInProcess(loadOrganization(cwd));
  if (codeChanged) return synthesizeWithOwnCode(cwd, ref);
  return synthesizeInProcess(loadOrganizationAtRef(cwd, ref));
}
