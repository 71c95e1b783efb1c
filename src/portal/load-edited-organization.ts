/**
 * The organization as it would be after some file edits, without touching the work tree: accounts/ is
 * copied into a temporary folder, the edited texts are written there, the loader runs, the folder goes.
 * The copy is small (the example organization is about 50 files); the loader reads only the file system.
 */
import { cpSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadOrganization } from '../config';
import { ERROR_CODES, IamPlatformError } from '../core/errors';
import type { ResolvedOrganization } from '../core/model';

/** Loads `rootDir`'s organization with `edits` (repository path → new text, or null to delete) applied. */
export function loadEditedOrganization(rootDir: string, edits: ReadonlyMap<string, string | null>): ResolvedOrganization {
  const scratch = mkdtempSync(join(tmpdir(), 'iamctl-preview-'));
  try {
    cpSync(resolve(rootDir, 'accounts'), join(scratch, 'accounts'), { recursive: true });
    for (const [file, text] of edits) {
      if (!file.startsWith('accounts/') || file.includes('..')) throw new IamPlatformError(ERROR_CODES.INTERNAL, `edit outside accounts/: ${file}`, { source: 'internal' });
      if (text === null) unlinkSync(join(scratch, file));
      else writeFileSync(join(scratch, file), text);
    }
    return loadOrganization(scratch);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
