/**
 * The dashboard's drift widgets and the metrics sink on the real consumers: terraform validates the security
 * account's baseline stack (dashboard + sink + sink policy) and a stack with a source account's link; checkov
 * and tfsec find nothing on the new resources.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { MetricsLink } from '../../modules/iam-dashboard';
import { loadOrganization } from '../../src/config';
import { locateTerraform, validateStack } from '../../src/io/terraform';
import { addOrganizationStacks } from '../../stacks/organization-stack';
import { addSecurityBaseline } from '../../stacks/security-baseline';
import { EXAMPLE_ORG_ROOT } from '../support/example-org';

const ROOT = path.resolve(__dirname, '..', '..');
const CHECKOV = path.join(ROOT, '.venv', 'scanners', 'bin', 'checkov');
const TFSEC = path.join(ROOT, '.tools', 'bin', 'tfsec');
/** Resource types this change adds or changes. */
const NEW_TYPES = /^aws_(oam_sink|oam_sink_policy|oam_link|cloudwatch_dashboard)\./;

jest.setTimeout(300_000);

let tmp: string;
let baselineDir: string;
let linkDir: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'iamctl-dashboard-tf-'));
  const org = loadOrganization(EXAMPLE_ORG_ROOT);
  const app = Testing.app();
  const baseline = addSecurityBaseline(app, org, addOrganizationStacks(app, org));
  if (!baseline) throw new Error('the example organization has no security baseline stack');
  baselineDir = path.join(tmp, 'security-baseline');
  fs.mkdirSync(baselineDir);
  fs.writeFileSync(path.join(baselineDir, 'cdk.tf.json'), Testing.synth(baseline));
  const stack = new TerraformStack(Testing.app(), 'link');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  new MetricsLink(stack, 'metrics-link', { region: 'us-east-1', sinkArn: 'arn:aws:oam:us-east-1:310987654321:sink/0f1e2d3c-aaaa-bbbb-cccc-123456789abc' });
  linkDir = path.join(tmp, 'link');
  fs.mkdirSync(linkDir);
  fs.writeFileSync(path.join(linkDir, 'cdk.tf.json'), Testing.synth(stack));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

it('terraform validates the security baseline (dashboard, sink, sink policy) and a source account link', async () => {
  const terraform = locateTerraform({ root: ROOT });
  const baseline = await validateStack(terraform, { stackDir: baselineDir });
  expect(baseline.diagnostics).toEqual([]);
  expect(baseline.valid).toBe(true);
  const link = await validateStack(terraform, { stackDir: linkDir });
  expect(link.diagnostics).toEqual([]);
  expect(link.valid).toBe(true);
});

it('checkov reports no failed check on the dashboard, sink, sink policy or link', () => {
  const failed: string[] = [];
  for (const dir of [baselineDir, linkDir]) {
    const run = spawnSync(CHECKOV, ['-d', dir, '--framework', 'terraform_json', '--compact', '--quiet', '-o', 'json'], { encoding: 'utf8', env: { ...process.env, BC_SKIP_MAPPING: 'TRUE' } });
    const report = JSON.parse(run.stdout) as { results?: { failed_checks: { check_id: string; resource: string }[] } };
    failed.push(...(report.results?.failed_checks ?? []).map((f) => `${f.check_id} ${f.resource.replace(/^resource\./, '')}`));
  }
  expect(failed.filter((f) => NEW_TYPES.test(f.split(' ')[1]))).toEqual([]);
});

it('tfsec reports nothing on the dashboard, sink, sink policy or link', () => {
  const found: string[] = [];
  for (const dir of [baselineDir, linkDir]) {
    const run = spawnSync(TFSEC, [dir, '--format', 'json', '--no-color', '--soft-fail'], { encoding: 'utf8' });
    const report = JSON.parse(run.stdout) as { results: { rule_id: string; resource: string }[] | null };
    found.push(...(report.results ?? []).map((r) => `${r.rule_id} ${r.resource}`));
  }
  expect(found.filter((f) => /oam|dashboard/.test(f))).toEqual([]);
});
