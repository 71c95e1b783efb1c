/**
 * The private network option (org.yaml `network:`) on the drift functions of an account, end to end from
 * accounts/: a copy of the example organization with `network.vpc` set is loaded and synthesized. The drift
 * functions then run in the network's private subnets, their role may manage the ENIs (and the desired
 * inventory, read from the same stack, expects that attachment), checkov's VPC check passes with no skip,
 * and terraform validates the stack. Without the option the same check fails: the control.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadOrganization } from '../../src/config';
import { DRIFT_DETECTION_CHECKOV_SKIPS } from '../../modules/drift-detection';
import { locateTerraform, validateStack } from '../../src/io/terraform';
import { synthesizeDesiredInventory, synthesizeOrganization } from '../../stacks';
import { EXAMPLE_ORG_ROOT } from '../support/example-org';

const ROOT = path.resolve(__dirname, '..', '..');
const CHECKOV = path.join(ROOT, '.venv', 'scanners', 'bin', 'checkov');
const ACCOUNT = 'app-dev';
const VPC_ACCESS_POLICY = 'arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole';

type Resources = Record<string, Record<string, Record<string, unknown>>>;

/** The one resource of `type` whose logical id (cdktf adds a hash) starts with `prefix`. */
function only(resources: Resources, type: string, prefix: string): [string, Record<string, unknown>] {
  const found = Object.entries(resources[type] ?? {}).filter(([key]) => key.startsWith(prefix));
  expect(found.map(([key]) => key.replace(/_[0-9A-F]{8}$/, ''))).toEqual([prefix]);
  return found[0];
}

let tmp: string;

function synthesize(withNetwork: boolean): { stackDir: string; resources: Resources; root: string } {
  const root = path.join(tmp, withNetwork ? 'with-network' : 'without-network');
  fs.cpSync(EXAMPLE_ORG_ROOT, root, { recursive: true });
  if (withNetwork) fs.appendFileSync(path.join(root, 'accounts', 'org.yaml'), '\nnetwork:\n  vpc:\n    cidr: 10.64.0.0/24\n    availabilityZones: 2\n');
  const org = loadOrganization(root);
  const result = synthesizeOrganization(org, { outdir: path.join(root, 'cdktf.out'), accounts: [ACCOUNT] });
  const stack = result.stacks.find((s) => s.account === ACCOUNT)!;
  const json = JSON.parse(fs.readFileSync(stack.file, 'utf8')) as { resource: Resources };
  return { stackDir: path.dirname(stack.file), resources: json.resource, root };
}

function checkovVpcFailures(stackDir: string): string[] {
  // Every design skip of the module except the VPC check itself.
  const skips = Object.keys(DRIFT_DETECTION_CHECKOV_SKIPS).filter((c) => c !== 'CKV_AWS_117');
  const result = spawnSync(CHECKOV, ['-d', stackDir, '--framework', 'terraform_json', '--compact', '--quiet', '-o', 'json', '--check', 'CKV_AWS_117', '--skip-check', skips.join(',')], {
    encoding: 'utf8',
    env: { ...process.env, BC_SKIP_MAPPING: 'TRUE' },
  });
  const report = JSON.parse(result.stdout) as { results?: { failed_checks: { check_id: string; resource: string }[]; passed_checks: { check_id: string; resource: string }[] } };
  return (report.results?.failed_checks ?? []).map((f) => `${f.check_id} ${f.resource}`).sort();
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'iamctl-drift-network-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('drift detection in the private network option', () => {
  let on: ReturnType<typeof synthesize>;
  let off: ReturnType<typeof synthesize>;
  beforeAll(() => {
    on = synthesize(true);
    off = synthesize(false);
  }, 120_000);

  it('puts both drift functions in the private subnets behind the network security group', () => {
    const functions = Object.entries(on.resources.aws_lambda_function).filter(([key]) => key.startsWith('drift-detection_'));
    expect(functions.map(([, f]) => f.function_name).sort()).toEqual(['iam-platform-drift', 'iam-platform-drift-config-rule']);
    const subnets = Object.keys(on.resources.aws_subnet).filter((k) => k.startsWith('lambda-network-us-east-1_private-'));
    expect(subnets).toHaveLength(2);
    for (const [, fn] of functions) {
      const vpc = fn.vpc_config as { subnet_ids: string[]; security_group_ids: string[] };
      expect([...vpc.subnet_ids].sort()).toEqual(subnets.map((k) => `\${aws_subnet.${k}.id}`).sort());
      expect(vpc.security_group_ids).toEqual([`\${aws_security_group.${only(on.resources, 'aws_security_group', 'lambda-network-us-east-1_lambda-security-group')[0]}.id}`]);
      expect(fn.depends_on).toEqual(expect.arrayContaining([`aws_iam_role_policy_attachment.${only(on.resources, 'aws_iam_role_policy_attachment', 'drift-detection_lambda-role-vpc-access')[0]}`]));
    }
    // The endpoints the drift handler calls (IAM has none: it goes through the NAT gateway).
    const services = Object.values(on.resources.aws_vpc_endpoint).map((e) => e.service_name).sort();
    expect(services).toEqual(['cloudtrail', 'config', 'kms', 'logs', 's3', 'secretsmanager', 'sns', 'sts'].map((s) => `com.amazonaws.us-east-1.${s}`));
    expect(Object.keys(off.resources.aws_vpc ?? {})).toEqual([]);
  });

  it('lets the drift role manage the ENIs, and drift expects that attachment (desired state from the same stack)', () => {
    const [, attachment] = only(on.resources, 'aws_iam_role_policy_attachment', 'drift-detection_lambda-role-vpc-access');
    expect(attachment.policy_arn).toBe(VPC_ACCESS_POLICY);
    const org = loadOrganization(on.root);
    const account = org.accounts.find((a) => a.name === ACCOUNT)!;
    const desired = synthesizeDesiredInventory(account, { defaultRegion: org.defaultRegion });
    const handler = desired.roles.find((r) => r.name === 'iam-platform-drift-handler')!;
    expect(handler.managedPolicyArns).toContain(VPC_ACCESS_POLICY);
    const offAccount = loadOrganization(off.root).accounts.find((a) => a.name === ACCOUNT)!;
    const offHandler = synthesizeDesiredInventory(offAccount).roles.find((r) => r.name === 'iam-platform-drift-handler')!;
    expect(offHandler.managedPolicyArns).not.toContain(VPC_ACCESS_POLICY);
  }, 120_000);

  it("passes checkov's VPC check with no skip; without the network the same check fails (the suppression is needed only then)", () => {
    expect(checkovVpcFailures(on.stackDir)).toEqual([]);
    // checkov names terraform_json resources by logical id only.
    expect(checkovVpcFailures(off.stackDir).map((f) => f.replace(/_[0-9A-F]{8}$/, ''))).toEqual([
      'CKV_AWS_117 resource.drift-detection_config-rule-function',
      'CKV_AWS_117 resource.drift-detection_event-function',
    ]);
  }, 180_000);

  it('validates with terraform', async () => {
    const result = await validateStack(locateTerraform({ root: ROOT }), { stackDir: on.stackDir });
    expect(result.diagnostics).toEqual([]);
    expect(result.valid).toBe(true);
  }, 180_000);
});
