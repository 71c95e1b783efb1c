import { PolicyDocument, Statement } from './policy-document';
import { checkPolicyType, locateStatements } from './statement-locations';

describe('locateStatements', () => {
  it('points at each string as written: one string, an array entry, a single Statement object', () => {
    // Given a document written with a single Statement object, Action as a string and Resource as an array
    const doc = PolicyDocument.fromJson({
      Version: '2012-10-17',
      Statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: ['arn:aws:s3:::a/*', 'arn:aws:s3:::b/*'], Condition: { Bool: { 'aws:SecureTransport': true } } },
    });
    // When it is located under $.document
    const [st] = locateStatements(doc, '$.document').statements;
    // Then each path is the one of the JSON as written
    expect(st.path).toBe('$.document.Statement');
    expect(st.actions).toEqual([{ value: 's3:GetObject', path: '$.document.Statement.Action' }]);
    expect(st.resources?.map((r) => r.path)).toEqual(['$.document.Statement.Resource[0]', '$.document.Statement.Resource[1]']);
    expect(st.conditions).toEqual([
      { operator: 'Bool', key: 'aws:SecureTransport', values: ['true'], operatorPath: '$.document.Statement.Condition.Bool', path: '$.document.Statement.Condition.Bool["aws:SecureTransport"]' },
    ]);
  });

  it('keeps a one-element array an array', () => {
    const doc = PolicyDocument.fromJson({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: '*', Principal: { AWS: ['arn:aws:iam::111122223333:root'] } }] });
    const [st] = locateStatements(doc).statements;
    expect(st.actions?.[0].path).toBe('$.Statement[0].Action[0]');
    expect(st.principal?.entries[0]).toEqual({ type: 'AWS', value: 'arn:aws:iam::111122223333:root', path: '$.Statement[0].Principal.AWS[0]' });
  });

  it('writes paths of documents built in code as toJSON writes them', () => {
    const doc = new PolicyDocument({ statements: [new Statement({ actions: ['s3:GetObject'], resources: ['a', 'b'] })] });
    const [st] = locateStatements(doc).statements;
    expect(st.actions?.[0].path).toBe('$.Statement[0].Action');
    expect(st.resources?.[1].path).toBe('$.Statement[0].Resource[1]');
  });
});

describe('checkPolicyType', () => {
  it('says what the JSON validator says of a built document of the wrong type', () => {
    const doc = new PolicyDocument({ statements: [new Statement({ actions: ['s3:GetObject'] })] });
    expect(checkPolicyType(doc, 'identity', '$.document')).toEqual([
      { path: '$.document.Statement[0].Resource', message: 'Resource is missing: every statement of this policy type needs Resource or NotResource' },
    ]);
    expect(checkPolicyType(doc, 'trust')).toEqual([{ path: '$.Statement[0].Principal', message: 'Principal is missing: a trust policy statement must say who it applies to' }]);
  });
});

describe('PolicyDocument.parse', () => {
  it('keeps the document when only type rules fail, and drops it on broken structure', () => {
    const typed = PolicyDocument.parse({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject' }] }, { type: 'identity' });
    expect(typed.document).toBeInstanceOf(PolicyDocument);
    expect(typed.problems).toEqual([{ path: '$.Statement[0].Resource', message: 'Resource is missing: every statement of this policy type needs Resource or NotResource' }]);
    const broken = PolicyDocument.parse({ Version: '2012-10-17', Statement: [{ Effect: 'Maybe', Action: 's3:GetObject', Resource: '*' }] });
    expect(broken.document).toBeUndefined();
    expect(broken.problems).toEqual([{ path: '$.Statement[0].Effect', message: 'Effect must be "Allow" or "Deny", got string "Maybe"' }]);
  });

  it('returns a PolicyDocument as it is', () => {
    const doc = new PolicyDocument({ statements: [new Statement({ actions: ['s3:GetObject'], resources: ['*'] })] });
    expect(PolicyDocument.fromJson(doc)).toBe(doc);
  });
});
