import type { SourceRef, TrustConfig } from '../model';
import { buildTrustPolicy } from './trust-policy';

const source: SourceRef = { file: 'accounts/x/roles/r.yaml', path: '$.trust' };

describe('buildTrustPolicy', () => {
  it('requires MFA for human cross-account trust and scopes OIDC by aud and sub', () => {
    const trust: TrustConfig = {
      accounts: [
        { principals: ['111111111111', 'arn:aws:iam::222222222222:role/ops'], kind: 'human', requireMfa: true, mfaMaxAgeSeconds: 3600, source },
        { principals: ['333333333333'], kind: 'third-party', requireMfa: false, externalId: 'ext-1', source },
      ],
      services: ['lambda.amazonaws.com'],
      oidc: [{ provider: 'gitlab', url: 'https://gitlab.com', audiences: ['https://gitlab.com'], subjects: ['project_path:acme/iam:ref_type:branch:ref:main'], source }],
      saml: [],
    };
    const doc = buildTrustPolicy(trust, { accountId: '444444444444' });
    expect(doc.toJSON()).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AccountTrust0',
          Effect: 'Allow',
          Principal: { AWS: ['arn:aws:iam::111111111111:root', 'arn:aws:iam::222222222222:role/ops'] },
          Action: 'sts:AssumeRole',
          Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } },
        },
        {
          Sid: 'AccountTrust1',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::333333333333:root' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': 'ext-1' } },
        },
        { Sid: 'ServiceTrust', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
        {
          Sid: 'OidcTrust0',
          Effect: 'Allow',
          Principal: { Federated: 'arn:aws:iam::444444444444:oidc-provider/gitlab.com' },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: { 'gitlab.com:aud': 'https://gitlab.com' },
            StringLike: { 'gitlab.com:sub': 'project_path:acme/iam:ref_type:branch:ref:main' },
          },
        },
      ],
    });
  });

  it('writes the Sid an entry names, and none for an empty one (a trust imported as IAM holds it)', () => {
    // Given a trust whose entries name their Sids: one explicit, the others empty
    const trust: TrustConfig = {
      accounts: [{ principals: ['arn:aws:iam::222222222222:role/ci'], kind: 'workload', requireMfa: false, sid: '', source }],
      services: ['lambda.amazonaws.com'],
      serviceSid: 'AllowLambda',
      oidc: [],
      saml: [{ provider: 'okta', sid: '', source }],
    };
    // Then the statements carry exactly those Sids (no Sid where it is empty)
    expect(buildTrustPolicy(trust, { accountId: '444444444444' }).toJSON()).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:role/ci' }, Action: 'sts:AssumeRole' },
        { Sid: 'AllowLambda', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
        { Effect: 'Allow', Principal: { Federated: 'arn:aws:iam::444444444444:saml-provider/okta' }, Action: 'sts:AssumeRoleWithSAML', Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } } },
      ],
    });
  });
});
