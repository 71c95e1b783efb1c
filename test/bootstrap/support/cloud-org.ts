import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLE_ORG_ROOT } from '../../support/example-org';

/** The commented Terraform Cloud backend of the example org.yaml, as a fork uncomments it (docs/adopt.md, step 2). */
const COMMENTED_BACKEND = /^# backend:\n(#.*\n)+/m;

/**
 * A copy of the example organization in a temporary folder, with its Terraform Cloud backend (organization acme,
 * project iam, dynamic credentials tfc-iam-plan / tfc-iam-apply) uncommented. Returns the copy's root.
 */
export function copyCloudOrganization(prefix = 'bootstrap-org-'): string {
  const root = mkdtempSync(join(tmpdir(), prefix));
  cpSync(join(EXAMPLE_ORG_ROOT, 'accounts'), join(root, 'accounts'), { recursive: true });
  const file = join(root, 'accounts', 'org.yaml');
  const text = readFileSync(file, 'utf8');
  const match = COMMENTED_BACKEND.exec(text);
  if (!match) throw new Error('the example org.yaml no longer has the commented terraformCloud backend');
  writeFileSync(file, text.replace(match[0], match[0].replace(/^# ?/gm, '')));
  return root;
}
