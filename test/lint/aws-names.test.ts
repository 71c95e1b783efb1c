import { checkAwsManagedPolicyReferences } from '../../src/core/lint';
import { loadActionCatalog } from '../../src/io/catalog';

const names = loadActionCatalog().awsNames;

describe('AWS managed policy references (committed iam-dataset names)', () => {
  const check = (name: string): string[] => checkAwsManagedPolicyReferences(names, [{ name, path: '$.managedPolicies[0]' }]).map((f) => `${f.rule}: ${f.message}`);

  it('knows the data set and its date', () => {
    expect(names?.date).toBe('2026-08-22');
  });

  it('fails a misspelled name and suggests the real one', () => {
    expect(check('AmazonS3ReadOnlyAccesss')).toEqual([
      'unknown-managed-policy: AWS managed policy "AmazonS3ReadOnlyAccesss" does not exist; did you mean "AmazonS3ReadOnlyAccess"? (data of 2026-08-22): the attachment fails at apply',
    ]);
  });

  it('asks for the path of a policy that lives under one', () => {
    expect(check('ViewOnlyAccess')).toEqual(['unknown-managed-policy: AWS managed policy "ViewOnlyAccess" lives under the path /job-function/: write "aws:job-function/ViewOnlyAccess"']);
  });

  it('reports a policy AWS removed', () => {
    expect(check('AWSLambdaFullAccess')).toEqual([
      'unknown-managed-policy: AWS managed policy "AWSLambdaFullAccess" was removed by AWS (deprecated; data of 2026-08-22): it cannot be attached any more; pick its successor',
    ]);
  });

  it('accepts live policies, with and without a path', () => {
    expect([...check('AmazonS3ReadOnlyAccess'), ...check('job-function/ViewOnlyAccess'), ...check('AdministratorAccess'), ...check('SecurityAudit'), ...check('service-role/AWSLambdaBasicExecutionRole')]).toEqual([]);
  });
});
