import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdktf';
import { loadOrganization } from '../../src/config';
import { isIamPlatformError } from '../../src/core/errors';
import { matchesSuppression, parseSuppressions } from '../../src/core/scan';
import { loadActionCatalog } from '../../src/io/catalog';
import { locateScanner, readStacks, runCheckov, runTfsec } from '../../src/io/scanners';
import { addOrganizationStacks } from '../../stacks/organization-stack';
import { EXAMPLE_ORG_ROOT } from '../support/example-org';

/**
 * The real scanners of the gate (the pinned checkov and tfsec of `npm run setup:scanners`) over the
 * organization stacks' synth output: every failed check must match a reviewed entry of
 * test/fixtures/organization/scan-suppressions.yaml, and every entry must match a failure (no stale
 * exceptions).
 */
const ROOT = join(__dirname, '..', '..');
const SUPPRESSIONS = join(__dirname, '..', 'fixtures', 'organization', 'scan-suppressions.yaml');

function findScanner(name: 'checkov' | 'tfsec'): string {
  try {
    return locateScanner(name, { cwd: ROOT });
  } catch (error) {
    if (isIamPlatformError(error)) throw new Error(`${name} is missing for the organization stack scan test: run npm run setup:scanners (${error.message})`);
    throw error;
  }
}

describe('checkov and tfsec over the organization stacks', () => {
  it('finds no failure outside the reviewed suppressions, and every suppression is used', async () => {
    // Given the example organization's two organization stacks, synthesized
    const checkov = findScanner('checkov');
    const tfsec = findScanner('tfsec');
    const outdir = mkdtempSync(join(tmpdir(), 'iamp-org-checkov-'));
    try {
      const app = new App({ outdir, stackTraces: false });
      expect(addOrganizationStacks(app, loadOrganization(EXAMPLE_ORG_ROOT), { catalog: loadActionCatalog() })).toBeDefined();
      app.synth();
      const stacksDir = join(outdir, 'stacks');
      // When checkov and tfsec scan them
      const stacks = readStacks({ cwd: ROOT, stacksDir });
      expect(stacks.map((s) => s.account).sort()).toEqual(['organization', 'organization-log-archive']);
      const [checkovRun, tfsecRun] = await Promise.all([
        runCheckov({ executable: checkov, cwd: ROOT, stacksDir, stacks, wholeFolder: true }),
        runTfsec({ executable: tfsec, cwd: ROOT, stacksDir, stacks }),
      ]);
      const results = [...checkovRun.results, ...tfsecRun.results];
      // Then checkov evaluated the trail, buckets, keys, topics and log group
      const passed = new Set(results.filter((r) => r.result === 'passed').map((r) => r.checkId));
      for (const id of ['CKV_AWS_35', 'CKV_AWS_36', 'CKV_AWS_67', 'CKV_AWS_252', 'CKV2_AWS_10', 'CKV_AWS_7', 'CKV_AWS_21', 'CKV_AWS_26', 'CKV_AWS_158', 'CKV_AWS_338']) {
        expect(passed).toContain(id);
      }
      // And every failure is a reviewed exception, and every exception is needed
      const suppressions = parseSuppressions(readFileSync(SUPPRESSIONS, 'utf8'), 'test/fixtures/organization/scan-suppressions.yaml');
      const failed = results.filter((r) => r.result === 'failed');
      const unsuppressed = failed.filter((r) => !suppressions.some((s) => matchesSuppression(s, r))).map((r) => `${r.checkId} ${r.account}/${r.resource}`);
      expect(unsuppressed).toEqual([]);
      const unused = suppressions.filter((s) => !failed.some((r) => matchesSuppression(s, r))).map((s) => `${s.check} ${s.resource}`);
      expect(unused).toEqual([]);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
