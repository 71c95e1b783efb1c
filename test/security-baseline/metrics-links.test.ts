/**
 * org.yaml `securityBaseline.metricsSinkArn`: every account with drift detection, but the security account, links
 * its IamPlatform metrics to the dashboard's sink. Expected values are written out by hand from accounts/ and the
 * OAM API reference, not read back from the modules.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrganization } from '../../src/config';
import { synthesizeOrganization } from '../../stacks';

const REPO = join(__dirname, '..', '..');
const SINK = 'arn:aws:oam:us-east-1:310987654321:sink/0f1e2d3c-4b5a-6978-8899-aabbccddeeff';

/** A copy of the example organization whose org.yaml sets `securityBaseline.metricsSinkArn` to `arn`. */
function orgWithSink(dir: string, arn: string): string {
  cpSync(join(REPO, 'accounts'), join(dir, 'accounts'), { recursive: true });
  const file = join(dir, 'accounts', 'org.yaml');
  const text = readFileSync(file, 'utf8');
  const withSink = text.replace('securityBaseline:\n  securityAccount: security\n', `securityBaseline:\n  securityAccount: security\n  metricsSinkArn: ${arn}\n`);
  if (withSink === text) throw new Error('accounts/org.yaml has no securityBaseline.securityAccount line to add the sink after');
  writeFileSync(file, withSink);
  return dir;
}

type Block = Record<string, unknown>;

describe('drift metrics links to the dashboard sink', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'metrics-links-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('links every other account with drift detection to the sink, in us-east-1, sharing only IamPlatform metrics', () => {
    const org = loadOrganization(orgWithSink(dir, SINK));
    const result = synthesizeOrganization(org, { outdir: join(dir, 'cdktf.out') });
    const links = Object.fromEntries(
      result.stacks.map((s) => {
        const json = JSON.parse(readFileSync(s.file, 'utf8')) as { resource?: Record<string, Record<string, Block>>; output?: Record<string, Block> };
        return [s.stack, { links: Object.values(json.resource?.aws_oam_link ?? {}), output: json.output?.['metrics-sink-arn'] }];
      }),
    );
    const linked = Object.entries(links)
      .filter(([, v]) => v.links.length > 0)
      .map(([stack]) => stack)
      .sort();
    expect(linked).toEqual(['iam-app-dev', 'iam-app-prod', 'iam-app-staging', 'iam-data-prod', 'iam-log-archive', 'iam-management', 'iam-shared-services']);
    for (const stack of linked) {
      expect(links[stack].links).toEqual([
        expect.objectContaining({
          sink_identifier: SINK,
          region: 'us-east-1',
          resource_types: ['AWS::CloudWatch::Metric'],
          label_template: '$AccountName',
          link_configuration: { metric_configuration: { filter: "Namespace IN ('IamPlatform')" } },
        }),
      ]);
    }
    // The sink's ARN is the baseline stack's output, which org.yaml takes after the first apply.
    expect(links['iam-security-baseline'].output).toEqual(expect.objectContaining({ value: expect.stringMatching(/^\$\{aws_oam_sink\.[^.]+\.arn\}$/) as string }));
  });

  it('links nothing without the setting', () => {
    const result = synthesizeOrganization(loadOrganization(REPO), { outdir: join(dir, 'cdktf.out'), accounts: ['app-dev'] });
    expect(readFileSync(result.stacks[0].file, 'utf8')).not.toContain('aws_oam_link');
  });

  it.each([
    ['not an ARN', 'sink-1234', /"sink-1234" is not a metrics sink ARN: copy the output metrics-sink-arn of iam-security-baseline \(arn:aws:oam:us-east-1:310987654321:sink\/<id>\)/],
    ['another account', 'arn:aws:oam:us-east-1:510987654321:sink/abc', /the metrics sink must be the security account's \(security, 310987654321\) in us-east-1.*got account 510987654321 in us-east-1/],
    ['another region', 'arn:aws:oam:eu-west-1:310987654321:sink/abc', /got account 310987654321 in eu-west-1/],
  ])('names the file and path of a sink ARN that is %s', (_case, arn, message) => {
    const root = orgWithSink(dir, arn);
    expect(() => loadOrganization(root)).toThrow(message);
    expect(() => loadOrganization(root)).toThrow(/org\.yaml.*securityBaseline\.metricsSinkArn|securityBaseline\.metricsSinkArn.*org\.yaml/s);
  });
});
