import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, Testing } from 'cdktf';
import { DriftDetection } from './drift-detection';

interface Synthesized {
  readonly resource: Record<string, Record<string, Record<string, unknown>>>;
}

/** The drift metrics' grant and environment, as the module synthesizes them (values written out by hand). */
describe('DriftDetection: drift metrics', () => {
  const stack = new TerraformStack(Testing.app(), 'iam-app-prod');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  new DriftDetection(stack, 'drift', { metadata: { account: 'app-prod', accountId: '123456789012', mode: 'alert', protectedRoleArns: [], pipelineRoleArns: [] } });
  const parsed = JSON.parse(Testing.synth(stack)) as Synthesized;

  it('lets the Lambda put metric data only into the IamPlatform namespace', () => {
    const [policy] = Object.values(parsed.resource.aws_iam_role_policy).filter((p) => p.name === 'drift');
    const statements = (JSON.parse(policy.policy as string) as { Statement: { Sid?: string; Action: string | string[] }[] }).Statement;
    expect(statements.filter((s) => JSON.stringify(s.Action).includes('cloudwatch:'))).toEqual([
      { Sid: 'DriftMetrics', Effect: 'Allow', Action: 'cloudwatch:PutMetricData', Resource: '*', Condition: { StringEquals: { 'cloudwatch:namespace': 'IamPlatform' } } },
    ]);
  });

  it('tells both functions the namespace', () => {
    const functions = Object.values(parsed.resource.aws_lambda_function);
    expect(functions.map((f) => (f.environment as { variables: Record<string, string> }).variables.METRICS_NAMESPACE)).toEqual(['IamPlatform', 'IamPlatform']);
  });
});
