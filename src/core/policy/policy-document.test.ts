import { IamPlatformError } from '../errors';
import { PolicyDocument, Statement } from './policy-document';
import { MAX_SCP_CHARS, sizeLimitFor } from './limits';

describe('PolicyDocument', () => {
  const json = {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: ['arn:aws:s3:::b/*'] },
      {
        Effect: 'Deny',
        NotAction: ['iam:*', 'sts:*'],
        NotResource: 'arn:aws:iam::*:role/x',
        Condition: { Bool: { 'aws:MultiFactorAuthPresent': false } },
      },
    ],
  };

  it('round-trips through fromJson and toJSON', () => {
    const doc = PolicyDocument.fromJson(json);
    expect(doc.toJSON()).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Read', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' },
        {
          Effect: 'Deny',
          NotAction: ['iam:*', 'sts:*'],
          NotResource: 'arn:aws:iam::*:role/x',
          Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } },
        },
      ],
    });
    expect(PolicyDocument.fromJson(doc.toJSON()).equals(doc)).toBe(true);
  });

  it('compares semantically: statement order, array order, case of actions and Sids do not matter', () => {
    const a = PolicyDocument.fromJson(json);
    const b = PolicyDocument.fromJson({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Deny', NotAction: ['STS:*', 'iam:*'], NotResource: ['arn:aws:iam::*:role/x'], Condition: { Bool: { 'aws:multifactorauthpresent': 'false' } } },
        { Effect: 'Allow', Action: ['s3:getobject'], Resource: 'arn:aws:s3:::b/*' },
      ],
    });
    expect(a.equals(b)).toBe(true);
    const c = PolicyDocument.fromJson({ ...json, Statement: [json.Statement[0]] });
    expect(a.equals(c)).toBe(false);
  });

  it('decodes URL-encoded documents as IAM returns them', () => {
    const encoded = encodeURIComponent(JSON.stringify(json));
    expect(PolicyDocument.fromJson(encoded).equals(PolicyDocument.fromJson(json))).toBe(true);
  });

  it('throws one error listing every problem with its path', () => {
    let error: unknown;
    try {
      PolicyDocument.fromJson({ Version: '2012-10-17', Statement: [{ Effect: 'Permit', Resource: 5 }] }, { source: 'p.json' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IamPlatformError);
    const problems = (error as IamPlatformError).problems.map((p) => p.path);
    expect(problems).toEqual(['$.Statement[0].Effect', '$.Statement[0].Action', '$.Statement[0].Resource']);
    expect((error as IamPlatformError).message).toContain('Policy document in p.json is invalid');
  });

  it('measures size without whitespace and knows the SCP limit', () => {
    const doc = new PolicyDocument({ statements: [new Statement({ effect: 'Deny', actions: ['*'], resources: ['*'] })] });
    expect(doc.size()).toBe(JSON.stringify(doc.toJSON()).length);
    expect(sizeLimitFor('scp')).toBe(MAX_SCP_CHARS);
    expect(doc.fitsSizeLimit('scp')).toBe(true);
  });
});
