/**
 * The service-credential module with and without the private network option, synthesized and scanned by
 * checkov: with the network, the rotation Lambda sits in private subnets behind endpoints and checkov's
 * VPC check (CKV_AWS_117) passes without a skip; without it, the same check fails.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { INTERFACE_ENDPOINT_SERVICES, LambdaNetwork, splitCidr } from '../../modules/lambda-network';
import { SERVICE_CREDENTIAL_CHECKOV_SKIPS, ServiceCredential } from '../../modules/service-credential';

const CHECKOV = resolve(__dirname, '..', '..', '.venv', 'scanners', 'bin', 'checkov');
const SOURCE = { file: 'accounts/org.yaml', path: '$.network.vpc' };
const ACCOUNT = '123456789012';

interface Synthesized {
  readonly resource: Record<string, Record<string, Record<string, unknown>>>;
}

function buildStack(withNetwork: boolean): TerraformStack {
  const stack = new TerraformStack(Testing.app(), withNetwork ? 'iam-credential-vpc' : 'iam-credential');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  const network = withNetwork
    ? new LambdaNetwork(stack, 'network', { namePrefix: 'iam-platform-lambdas', cidr: '10.64.0.0/24', availabilityZones: 2, region: 'eu-west-1', accountId: ACCOUNT, source: SOURCE })
    : undefined;
  new ServiceCredential(stack, 'credential', { userName: 'legacy-ftp-sync', accountId: ACCOUNT, region: 'eu-west-1', source: SOURCE, network });
  return stack;
}

function resources(stack: TerraformStack): Synthesized['resource'] {
  return (JSON.parse(Testing.synth(stack)) as Synthesized).resource;
}

function checkovFailures(stack: TerraformStack, skips: readonly string[]): string[] {
  const dir = Testing.fullSynth(stack);
  const stackDir = join(dir, 'stacks', stack.node.id);
  const result = spawnSync(CHECKOV, ['-d', stackDir, '--framework', 'terraform_json', '--compact', '--quiet', '-o', 'json', ...(skips.length ? ['--skip-check', skips.join(',')] : [])], {
    encoding: 'utf8',
    env: { ...process.env, BC_SKIP_MAPPING: 'TRUE' },
  });
  const report = JSON.parse(result.stdout) as { results: { failed_checks: { check_id: string; resource: string }[] } };
  return report.results.failed_checks.map((f) => `${f.check_id} ${f.resource}`);
}

describe('splitCidr', () => {
  it('cuts a CIDR into equal blocks in address order', () => {
    expect(splitCidr('10.64.0.0/24', 2)).toEqual(['10.64.0.0/26', '10.64.0.64/26', '10.64.0.128/26', '10.64.0.192/26']);
    expect(splitCidr('10.0.0.0/16', 2)).toEqual(['10.0.0.0/18', '10.0.64.0/18', '10.0.128.0/18', '10.0.192.0/18']);
  });
  it('refuses a CIDR with host bits set, naming the network address', () => {
    expect(() => splitCidr('10.64.0.5/24', 2)).toThrow('"10.64.0.5/24" has host bits set: the network address of a /24 is 10.64.0.0/24');
  });
});

describe('ServiceCredential', () => {
  it('puts the rotation Lambda in the private subnets, with the endpoints it needs and nothing public', () => {
    const r = resources(buildStack(true));
    const fn = Object.values(r.aws_lambda_function)[0] as { vpc_config: { subnet_ids: string[]; security_group_ids: string[] } };
    expect(fn.vpc_config.subnet_ids).toHaveLength(2);
    expect(fn.vpc_config.security_group_ids).toHaveLength(1);
    const endpoints = Object.values(r.aws_vpc_endpoint).map((e) => e.service_name).sort();
    expect(endpoints).toEqual(
      ['cloudtrail', 'config', 'kms', 'logs', 's3', 'secretsmanager', 'sns', 'sts'].map((s) => `com.amazonaws.eu-west-1.${s}`),
    );
    expect(INTERFACE_ENDPOINT_SERVICES).not.toContain('iam');
    const subnets = Object.values(r.aws_subnet).map((s) => [s.cidr_block, s.map_public_ip_on_launch]);
    expect(subnets).toEqual([
      ['10.64.0.0/26', false],
      ['10.64.0.64/26', false],
      ['10.64.0.192/26', false],
    ]);
    // The one egress rule to any address is HTTPS, for IAM (no VPC endpoint), through the NAT gateway.
    const open = Object.values(r.aws_vpc_security_group_egress_rule).filter((e) => e.cidr_ipv4 === '0.0.0.0/0');
    expect(open).toEqual([expect.objectContaining({ from_port: 443, to_port: 443, ip_protocol: 'tcp' })]);
  });

  it("deploys every network resource with the given provider (the drift module's us-east-1 alias), with a DynamoDB gateway endpoint on request", () => {
    const stack = new TerraformStack(Testing.app(), 'iam-network-alias');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    const east = new AwsProvider(stack, 'aws-east', { region: 'us-east-1', alias: 'east' });
    new LambdaNetwork(stack, 'network', { namePrefix: 'n', cidr: '10.64.0.0/24', availabilityZones: 2, region: 'us-east-1', accountId: ACCOUNT, source: SOURCE, provider: east, gatewayEndpoints: ['s3', 'dynamodb'] });
    const synthesized = JSON.parse(Testing.synth(stack)) as Synthesized & { data: Synthesized['resource'] };
    const all = [...Object.values(synthesized.resource), ...Object.values(synthesized.data)].flatMap((byName) => Object.values(byName));
    expect(all.length).toBeGreaterThan(25);
    expect(all.filter((r) => r.provider !== 'aws.east')).toEqual([]);
    expect(Object.values(synthesized.resource.aws_vpc_endpoint).filter((e) => e.vpc_endpoint_type === 'Gateway').map((e) => e.service_name).sort()).toEqual(['com.amazonaws.us-east-1.dynamodb', 'com.amazonaws.us-east-1.s3']);
  });

  it('rotates every 30 days with a CMK and limits the role to the one user and secret', () => {
    const r = resources(buildStack(false));
    const secret = Object.values(r.aws_secretsmanager_secret)[0];
    expect(secret.kms_key_id).toMatch(/^\$\{aws_kms_key\./);
    expect(Object.values(r.aws_secretsmanager_secret_rotation)[0].rotation_rules).toEqual({ automatically_after_days: 30 });
    const policy = JSON.parse(String(Object.values(r.aws_iam_role_policy)[0].policy)) as { Statement: { Sid: string; Resource: unknown }[] };
    expect(policy.Statement.find((s) => s.Sid === 'UserKeys')?.Resource).toBe(`arn:aws:iam::${ACCOUNT}:user/legacy-ftp-sync`);
  });

  it('refuses a grace period as long as the rotation interval', () => {
    const stack = new TerraformStack(Testing.app(), 's');
    expect(() => new ServiceCredential(stack, 'c', { userName: 'u', accountId: ACCOUNT, region: 'eu-west-1', source: SOURCE, rotationDays: 1, graceHours: 24 })).toThrow(
      'graceHours 24 must be at least 0 and shorter than the rotation interval (1 days): IAM allows two keys per user, so a rotation ends the previous grace period',
    );
  });

  it('passes checkov with the private network, CKV_AWS_117 included; fails CKV_AWS_117 without it', () => {
    if (!existsSync(CHECKOV)) {
      // The scan gate installs checkov (npm run setup:scanners); without it this test checks the synth only.
      expect(Object.keys(resources(buildStack(true)))).toContain('aws_vpc_endpoint');
      return;
    }
    const skips = Object.keys(SERVICE_CREDENTIAL_CHECKOV_SKIPS);
    expect(checkovFailures(buildStack(true), skips)).toEqual([]);
    expect(checkovFailures(buildStack(false), skips)).toEqual([expect.stringMatching(/^CKV_AWS_117 .*credential_function_/)]);
  }, 180_000);
});
