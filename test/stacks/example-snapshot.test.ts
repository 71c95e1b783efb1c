import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadOrganization } from '../../src/config';
import { synthesizeOrganization } from '../../stacks';
import { EXAMPLE_ORG_ROOT } from '../support/example-org';

/**
 * One account of the example organization (the copy of accounts/ in test/fixtures/orgs/example) against a reviewed snapshot.
 * After an intended change, run `npm run snapshots:update` and review the diff of the fixture.
 */
const REPO_ROOT = EXAMPLE_ORG_ROOT;
const ACCOUNT = 'app-prod';
const SNAPSHOT = path.join(__dirname, '..', 'fixtures', 'stacks', `${ACCOUNT}.cdk.tf.json`);

/**
 * Nothing in a cdk.tf.json depends on time or machine; the JSON is re-serialized with sorted keys for
 * readable diffs. The drift Lambda's asset hash changes with any code the bundle reaches (src/core),
 * which the drift-detection tests cover, so it is replaced by a marker here.
 */
const ASSET_HASH = /\b[0-9A-F]{32}\b/g;
function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (typeof value === 'string') return value.replace(ASSET_HASH, '<lambda-bundle-hash>');
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, normalize((value as Record<string, unknown>)[k])]),
  );
}

describe('example organization snapshot', () => {
  it(`synthesizes ${ACCOUNT} exactly as reviewed`, () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'h3-snapshot-'));
    try {
      const result = synthesizeOrganization(loadOrganization(REPO_ROOT), { outdir: path.join(outdir, 'cdktf.out'), accounts: [ACCOUNT] });
      const actual = normalize(JSON.parse(fs.readFileSync(result.stacks[0].file, 'utf8')));
      if (process.env.UPDATE_STACK_SNAPSHOTS === '1') fs.writeFileSync(SNAPSHOT, `${JSON.stringify(actual, null, 2)}\n`);
      expect(actual).toEqual(JSON.parse(fs.readFileSync(SNAPSHOT, 'utf8')));
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
