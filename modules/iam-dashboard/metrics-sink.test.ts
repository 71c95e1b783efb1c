import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { MetricsLink } from './metrics-sink';

describe('MetricsLink', () => {
  it('shares only metrics of the IamPlatform namespace, labelled with the account name', () => {
    const stack = new TerraformStack(Testing.app(), 'iam-app-prod');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    new MetricsLink(stack, 'metrics-link', { region: 'us-east-1', sinkArn: 'arn:aws:oam:us-east-1:310987654321:sink/0f1e2d3c-aaaa-bbbb-cccc-123456789abc' });
    const links = Object.values((JSON.parse(Testing.synth(stack)) as { resource: Record<string, Record<string, unknown>> }).resource.aws_oam_link);
    expect(links).toEqual([
      {
        region: 'us-east-1',
        sink_identifier: 'arn:aws:oam:us-east-1:310987654321:sink/0f1e2d3c-aaaa-bbbb-cccc-123456789abc',
        label_template: '$AccountName',
        resource_types: ['AWS::CloudWatch::Metric'],
        link_configuration: { metric_configuration: { filter: "Namespace IN ('IamPlatform')" } },
      },
    ]);
  });
});
