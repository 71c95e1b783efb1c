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

  it('measures its size as the length of its minified JSON, on 5,000 random documents', () => {
    let seed = 5;
    const random = (): number => {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    // Characters JSON escapes (quote, backslash, control, lone and paired surrogates) and ones it does not.
    const alphabet = ['a', 'Z', '*', ':', '/', '"', '\\', '\n', '\u0001', '\u2028', '\ud83d\ude00', '\ud800', 'é', ' '];
    const text = (): string => Array.from({ length: Math.floor(random() * 6) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    const values = (): string | string[] => (random() < 0.4 ? text() : Array.from({ length: Math.floor(random() * 3) }, text));
    const differences: string[] = [];
    for (let i = 0; i < 5000; i++) {
      const statements = Array.from({ length: 1 + Math.floor(random() * 3) }, () => {
        const st: Record<string, unknown> = { Effect: random() < 0.5 ? 'Allow' : 'Deny' };
        if (random() < 0.5) st.Sid = text();
        st[random() < 0.7 ? 'Action' : 'NotAction'] = values();
        if (random() < 0.8) st[random() < 0.8 ? 'Resource' : 'NotResource'] = values();
        if (random() < 0.3) st[random() < 0.8 ? 'Principal' : 'NotPrincipal'] = random() < 0.3 ? '*' : { AWS: values(), ...(random() < 0.5 ? { Service: values() } : {}) };
        if (random() < 0.4) st.Condition = { StringEquals: { [`aws:${text()}`]: values() }, ...(random() < 0.5 ? { Bool: { 'aws:SecureTransport': random() < 0.5 ? true : ['false', text()] } } : {}), ...(random() < 0.1 ? { Null: {} } : {}) };
        return Statement.fromJson(st as never);
      });
      const doc = new PolicyDocument({ version: random() < 0.9 ? '2012-10-17' : text(), id: random() < 0.2 ? text() : undefined, statements });
      if (doc.size() !== doc.toString().length) differences.push(doc.toString());
    }
    expect(differences).toEqual([]);
    expect(new PolicyDocument({ statements: [] }).size()).toBe(new PolicyDocument({ statements: [] }).toString().length);
  });
});

