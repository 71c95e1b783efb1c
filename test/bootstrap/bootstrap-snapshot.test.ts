import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadOrganization } from '../../src/config';
import { synthesizeBootstrap } from '../../stacks';
import { copyCloudOrganization } from './support/cloud-org';

/**
 * The bootstrap stack of app-prod and the Terraform Cloud stack of the example organization (its Terraform Cloud
 * backend turned on) against reviewed snapshots. After an intended change, run
 * `UPDATE_STACK_SNAPSHOTS=1 npx jest test/bootstrap/bootstrap-snapshot.test.ts` and review the diff of the fixtures.
 */
const FIXTURES = path.join(__dirname, '..', 'fixtures', 'stacks');

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
}

describe('bootstrap snapshots', () => {
  const root = copyCloudOrganization('bootstrap-snapshot-');
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  const result = synthesizeBootstrap(loadOrganization(root), { outdir: path.join(root, 'out'), accounts: ['app-prod'] });

  it.each(['iam-bootstrap-app-prod', 'iam-terraform-cloud'])('synthesizes %s exactly as reviewed', (stack) => {
    const snapshot = path.join(FIXTURES, `${stack}.cdk.tf.json`);
    const actual = sortKeys(JSON.parse(fs.readFileSync(result.stacks.find((s) => s.stack === stack)!.file, 'utf8')));
    if (process.env.UPDATE_STACK_SNAPSHOTS === '1') fs.writeFileSync(snapshot, `${JSON.stringify(actual, null, 2)}\n`);
    expect(actual).toEqual(JSON.parse(fs.readFileSync(snapshot, 'utf8')));
  });
});
