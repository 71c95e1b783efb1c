import { PolicyDocument } from '../../src/core/policy';
import { checkPrincipalEscalation } from '../../src/core/lint';
import { loadActionCatalog } from '../../src/io/catalog';

const catalog = loadActionCatalog();
const doc = (...statements: unknown[]): PolicyDocument => PolicyDocument.fromJson({ Version: '2012-10-17', Statement: statements });
const passRole = doc({ Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::111122223333:role/*' });
const lambda = doc({ Effect: 'Allow', Action: ['lambda:CreateFunction', 'lambda:InvokeFunction'], Resource: '*' });

describe('privilege-escalation across the policies of one principal', () => {
  it('reports PassRole in one policy and lambda:CreateFunction + InvokeFunction in another, naming both', () => {
    const findings = checkPrincipalEscalation(catalog, 'role "app"', [
      { label: 'inline policy "pass"', document: passRole },
      { label: 'managed policy "fn"', document: lambda },
    ], '$.roles.app');
    expect(findings.map((f) => [f.rule, f.path])).toEqual([['privilege-escalation', '$.roles.app']]);
    expect(findings[0].message).toContain('inline policy "pass" and managed policy "fn" together grant [lambda-001 iam:PassRole + lambda:CreateFunction + lambda:InvokeFunction]');
  });

  it('is silent when the passed roles are limited to another service', () => {
    const scoped = doc({ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*', Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } } });
    expect(checkPrincipalEscalation(catalog, 'role "app"', [
      { label: 'a', document: scoped },
      { label: 'b', document: lambda },
    ], '$')).toEqual([]);
  });

  it('leaves a path that one policy opens alone to that policy\'s own finding', () => {
    const alone = doc({ Effect: 'Allow', Action: 'iam:PutRolePolicy', Resource: '*' });
    expect(checkPrincipalEscalation(catalog, 'role "app"', [
      { label: 'a', document: alone },
      { label: 'b', document: lambda },
    ], '$')).toEqual([]);
  });
});
