import { ActionExpander, type GrantingPolicy, computeGrantedActions, tightenPolicyDocument } from '../../src/core/analyzer';
import { buildInMemoryCatalog } from '../../src/core/catalog';
import type { PolicyDocumentJson, StatementJson } from '../../src/core/policy';

const catalog = buildInMemoryCatalog({
  actions: {
    s3: { GetObject: 'Read', PutObject: 'Write', ListBucket: 'List', PutBucketPolicy: 'Permissions management' },
    iam: { PassRole: 'Write', CreateUser: 'Write', GetRole: 'Read' },
    sqs: { SendMessage: 'Write' },
  },
});
const expander = () => new ActionExpander(catalog);
const doc = (...Statement: StatementJson[]): PolicyDocumentJson => ({ Version: '2012-10-17', Statement });
const inline = (document: PolicyDocumentJson): GrantingPolicy => ({ name: 'p', kind: 'inline', document });

describe('computeGrantedActions', () => {
  it('expands wildcards and NotAction against the catalog', () => {
    const granted = computeGrantedActions(
      { identityPolicies: [inline(doc({ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }, { Effect: 'Allow', NotAction: ['s3:*', 'iam:*'], Resource: '*' }))] },
      expander(),
    );
    expect(granted.actions).toEqual(['s3:GetObject', 'sqs:SendMessage']);
    expect(granted.complete).toBe(true);
  });

  it('one expander over several principals: each Action and NotAction element gives its own actions', () => {
    // analyzeUsage shares one expander across the organization's principals; its per-element memo must not mix them.
    const shared = expander();
    const notS3 = computeGrantedActions({ identityPolicies: [inline(doc({ Effect: 'Allow', NotAction: 's3:*', Resource: '*' }))] }, shared);
    const notIam = computeGrantedActions({ identityPolicies: [inline(doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }))] }, shared);
    const getOnly = computeGrantedActions({ identityPolicies: [inline(doc({ Effect: 'Allow', Action: ['s3:Get*', 'iam:Get*'], Resource: '*' }))] }, shared);
    const putOnly = computeGrantedActions({ identityPolicies: [inline(doc({ Effect: 'Allow', Action: ['s3:Put*'], Resource: '*' }))] }, shared);
    expect(notS3.actions).toEqual(['iam:CreateUser', 'iam:GetRole', 'iam:PassRole', 'sqs:SendMessage']);
    expect(notIam.actions).toEqual(['s3:GetObject', 's3:ListBucket', 's3:PutBucketPolicy', 's3:PutObject', 'sqs:SendMessage']);
    expect(getOnly.actions).toEqual(['iam:GetRole', 's3:GetObject']);
    expect(putOnly.actions).toEqual(['s3:PutBucketPolicy', 's3:PutObject']);
  });

  it('removes an action only when an unconditional Deny covers every resource it is allowed on', () => {
    const granted = computeGrantedActions(
      {
        identityPolicies: [
          inline(
            doc(
              { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::a/*', 'arn:aws:s3:::b/*'] },
              { Effect: 'Allow', Action: 'iam:*', Resource: '*' },
              // covers both buckets for GetObject
              { Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::*' },
              // covers only bucket a for PutObject: still granted on b
              { Effect: 'Deny', Action: 's3:PutObject', Resource: 'arn:aws:s3:::a/*' },
              // conditional: cannot be proven to apply
              { Effect: 'Deny', Action: 's3:ListBucket', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
              { Effect: 'Deny', Action: 'iam:CreateUser', Resource: '*' },
            ),
          ),
        ],
      },
      expander(),
    );
    expect(granted.actions).toEqual(['iam:GetRole', 'iam:PassRole', 's3:ListBucket', 's3:PutObject']);
  });

  it('intersects with the permission boundary and lists what it could not evaluate', () => {
    const granted = computeGrantedActions(
      {
        identityPolicies: [inline(doc({ Effect: 'Allow', Action: '*', Resource: '*' }))],
        boundary: { name: 'b', kind: 'boundary', document: doc({ Effect: 'Allow', Action: ['s3:*'], Resource: '*' }, { Effect: 'Deny', Action: 's3:PutBucketPolicy', Resource: '*' }) },
        notEvaluated: ['AWS managed policy ReadOnlyAccess: its content is not available offline, so its grants are not counted'],
      },
      expander(),
    );
    expect(granted.actions).toEqual(['s3:GetObject', 's3:ListBucket', 's3:PutObject']);
    expect(granted.complete).toBe(false);
  });
});

describe('tightenPolicyDocument', () => {
  it('keeps used actions per statement with the original Resource and Condition, merges same-scope statements, keeps Deny', () => {
    const original = doc(
      { Sid: 'Read', Effect: 'Allow', Action: ['s3:Get*', 's3:ListBucket'], Resource: 'arn:aws:s3:::a/*' },
      { Sid: 'Write', Effect: 'Allow', Action: ['s3:PutObject', 's3:PutBucketPolicy'], Resource: 'arn:aws:s3:::a/*' },
      { Sid: 'Iam', Effect: 'Allow', Action: 'iam:*', Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } } },
      { Sid: 'Unused', Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' },
      { Sid: 'Guard', Effect: 'Deny', Action: 's3:PutBucketPolicy', Resource: '*' },
    );
    const keep = new Set(['s3:getobject', 's3:putobject', 'iam:getrole', 'iam:passrole']);
    const result = tightenPolicyDocument(original, keep, expander());
    expect(result.document).toEqual(
      doc(
        { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::a/*' },
        { Sid: 'Iam', Effect: 'Allow', Action: ['iam:GetRole', 'iam:PassRole'], Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } } },
        { Sid: 'Guard', Effect: 'Deny', Action: 's3:PutBucketPolicy', Resource: '*' },
      ),
    );
    expect(result.removed).toEqual(['iam:CreateUser', 's3:ListBucket', 's3:PutBucketPolicy', 'sqs:SendMessage']);
    expect(result.origins).toEqual([[0, 1], [2], [4]]);
  });

  it('turns NotAction into an explicit Action list and leaves fully used statements untouched', () => {
    const original = doc(
      { Effect: 'Allow', NotAction: 'iam:*', Resource: 'arn:aws:s3:::b/*' },
      { Effect: 'Allow', Action: 'iam:Get*', Resource: '*' },
    );
    const result = tightenPolicyDocument(original, new Set(['s3:getobject', 'iam:getrole']), expander());
    expect(result.document).toEqual(doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }, { Effect: 'Allow', Action: 'iam:Get*', Resource: '*' }));
  });

  it('returns null when nothing is kept', () => {
    const result = tightenPolicyDocument(doc({ Effect: 'Allow', Action: 'sqs:*', Resource: '*' }), new Set(), expander());
    expect(result).toEqual({ document: null, removed: ['sqs:SendMessage'], origins: [] });
  });
});
