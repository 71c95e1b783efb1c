import { arnMatchesTemplate, buildInMemoryCatalog, measureEditDistance, suggestClosest } from '.';

const catalog = buildInMemoryCatalog({
  actions: {
    s3: {
      GetObject: { level: 'Read', resources: ['object*'], conditionKeys: ['s3:ExistingObjectTag/<key>'] },
      GetObjectAcl: { level: 'Read', resources: ['object*'] },
      PutObject: { level: 'Write', resources: ['object*'] },
      ListBucket: { level: 'List', resources: ['bucket*'], conditionKeys: ['s3:prefix'] },
      ListAllMyBuckets: 'List',
    },
    iam: { PassRole: { level: 'Write', resources: ['role*'], conditionKeys: ['iam:PassedToService'] }, GetRole: 'Read' },
    sts: { AssumeRole: 'Write' },
  },
  resourceTypes: {
    s3: { object: 'arn:${Partition}:s3:::${BucketName}/${ObjectName}', bucket: 'arn:${Partition}:s3:::${BucketName}' },
    iam: { role: 'arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}' },
  },
  conditionKeys: {
    's3:prefix': 'String',
    's3:ExistingObjectTag/<key>': 'String',
    'iam:PassedToService': 'String',
    'aws:SourceIp': 'IPAddress',
    'aws:PrincipalTag/tag-key': 'String',
  },
  dataDate: '2026-09-26T04:46:59.905Z',
});

describe('createActionCatalog', () => {
  it('looks actions up case-insensitively and returns the canonical name', () => {
    expect(catalog.getAction('S3:getobject')?.name).toBe('GetObject');
    expect(catalog.getAction('s3:GetObject')?.resourceTypes).toEqual([
      { name: 'object', required: true, arnPatterns: ['arn:${Partition}:s3:::${BucketName}/${ObjectName}'] },
    ]);
    expect(catalog.getAction('s3:NoSuchThing')).toBeUndefined();
    expect(catalog.getAction('s3GetObject')).toBeUndefined();
  });

  it('turns the data date into an ISO date', () => {
    expect(catalog.dataDate).toBe('2026-09-26');
  });

  it.each([
    ['s3:Get*', ['s3:GetObject', 's3:GetObjectAcl']],
    ['S3:GET*', ['s3:GetObject', 's3:GetObjectAcl']],
    ['s3:GetObjec?', ['s3:GetObject']],
    ['s3:*Object', ['s3:GetObject', 's3:PutObject']],
    ['*:PassRole', ['iam:PassRole']],
    ['s?:List*', ['s3:ListAllMyBuckets', 's3:ListBucket']],
    ['s3:Delete*', []],
    ['nosuch:*', []],
    ['s3', []],
    ['iam:passrole', ['iam:PassRole']],
  ])('expands %s', (pattern, expected) => {
    expect([...catalog.expandPattern(pattern)].sort()).toEqual(expected);
  });

  it('expands * to every action and caches the result', () => {
    const all = catalog.expandPattern('*');
    expect(all).toHaveLength(8);
    expect(catalog.expandPattern('*')).toBe(all);
    expect(catalog.expandPattern('*:*')).toEqual(all);
  });

  it('expands NotAction lists to the complement', () => {
    expect([...catalog.expandNotActions(['s3:*', 'iam:Get*'])].sort()).toEqual(['iam:PassRole', 'sts:AssumeRole']);
  });

  it('knows global, variable and federated condition keys', () => {
    expect(catalog.isConditionKeyKnown('aws:sourceip')).toBe(true);
    expect(catalog.isConditionKeyKnown('aws:PrincipalTag/team')).toBe(true);
    expect(catalog.isConditionKeyKnown('aws:PrincipalTag')).toBe(false);
    expect(catalog.isConditionKeyKnown('s3:ExistingObjectTag/classification')).toBe(true);
    expect(catalog.isConditionKeyKnown('s3:prefixes')).toBe(false);
    expect(catalog.isConditionKeyKnown('gitlab.example.com:sub')).toBe(true);
    expect(catalog.isConditionKeyKnown('aws:NoSuchKey')).toBe(false);
  });

  it('checks condition keys against one action when given', () => {
    expect(catalog.isConditionKeyKnown('s3:prefix', 's3:ListBucket')).toBe(true);
    expect(catalog.isConditionKeyKnown('s3:prefix', 's3:GetObject')).toBe(false);
    expect(catalog.isConditionKeyKnown('aws:SourceIp', 's3:GetObject')).toBe(true);
    expect(catalog.isConditionKeyKnown('s3:prefix', 's3:NoSuch')).toBe(false);
  });

  it('returns condition key types', () => {
    expect(catalog.getConditionKeyType('AWS:SourceIp')).toBe('IPAddress');
    expect(catalog.getConditionKeyType('aws:PrincipalTag/team')).toBe('String');
    expect(catalog.getConditionKeyType('app.terraform.io:sub')).toBe('String');
    expect(catalog.getConditionKeyType('aws:Nope')).toBeUndefined();
  });

  it.each([
    ['s3:GetObjekt', 's3:GetObject'],
    ['s3:GetObjects', 's3:GetObject'],
    ['s3:getobject', 's3:GetObject'],
    ['iam:PasRole', 'iam:PassRole'],
    ['s4:GetObject', 's3:GetObject'],
    ['s3:CompletelyDifferent', undefined],
    ['nonsense', undefined],
  ])('suggests %s → %s', (typo, expected) => {
    expect(catalog.suggestAction(typo)).toBe(expected);
  });

  it('suggests services by distance and by known aliases', () => {
    expect(catalog.suggestService('iamm')).toBe('iam');
    expect(catalog.suggestService('STS')).toBe('sts');
    expect(catalog.suggestService('cloudformation')).toBeUndefined();
  });

  it('finds resource types for an ARN (reverse lookup)', () => {
    expect(catalog.findResourceTypesForArn('arn:aws:s3:::bucket/*').map((r) => r.name)).toEqual(['object']);
    expect(catalog.findResourceTypesForArn('arn:aws:s3:::bucket').map((r) => r.name)).toEqual(['bucket']);
    expect(catalog.findResourceTypesForArn('arn:aws:iam::123456789012:role/ci/deploy').map((r) => r.name)).toEqual(['role']);
    expect(catalog.findResourceTypesForArn('arn:aws:iam::123456789012:user/alice')).toEqual([]);
  });

  it('reads lazy services once, on first use', () => {
    // Given a catalog with one lazy service
    let reads = 0;
    const { createActionCatalog } = jest.requireActual('.') as typeof import('.');
    const lazy = createActionCatalog({
      version: 'x',
      dataDate: '2026-01-01',
      globalConditionKeys: [],
      services: [{ prefix: 'sqs', load: () => ((reads += 1), { prefix: 'sqs', actions: [{ name: 'SendMessage', accessLevel: 'Write' }] }) }],
    });
    // When the catalog is created and asked only about services, nothing is read
    expect(lazy.hasService('SQS')).toBe(true);
    expect(reads).toBe(0);
    // Then action lookups read the service exactly once
    expect(lazy.getAction('sqs:sendmessage')?.name).toBe('SendMessage');
    expect(lazy.expandPattern('sqs:*')).toEqual(['sqs:SendMessage']);
    expect(reads).toBe(1);
  });
});

describe('arnMatchesTemplate', () => {
  const object = 'arn:${Partition}:s3:::${BucketName}/${ObjectName}';
  const bucket = 'arn:${Partition}:s3:::${BucketName}';
  const fn = 'arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}';
  it.each([
    ['arn:aws:s3:::b/*', object, true],
    ['arn:aws:s3:::b/*', bucket, false],
    ['arn:aws:s3:::b', bucket, true],
    ['arn:aws:s3:::b', object, false],
    ['arn:aws:s3:::*', object, true],
    ['arn:aws:s3:::b/${aws:username}/*', object, true],
    ['arn:aws:lambda:eu-west-1:123456789012:function:f', fn, true],
    ['arn:aws:lambda:eu-west-1:123456789012:function:f:*', fn, true],
    ['arn:aws:lambda:eu-west-1:123456789012:layer:l', fn, false],
    ['arn:aws:lambda:*:*:function:*', fn, true],
    ['arn:aws:lambda:eu-west-?:123456789012:function:f', fn, true],
    ['arn:aws:iam::123456789012:role/x', fn, false],
    ['*', fn, true],
  ])('%s vs %s → %s', (arn, template, expected) => {
    expect(arnMatchesTemplate(arn, template)).toBe(expected);
  });
});

describe('suggestions', () => {
  it('measures edit distance with transpositions, case-insensitively', () => {
    expect(measureEditDistance('GetObject', 'getobject')).toBe(0);
    expect(measureEditDistance('GetObjetc', 'GetObject')).toBe(1);
    expect(measureEditDistance('kitten', 'sitting')).toBe(3);
    expect(measureEditDistance('a', 'abcdef', 2)).toBe(3);
  });
  it('prefers a candidate that contains the word on ties', () => {
    expect(suggestClosest('ListBuckets', ['ListBucket', 'ListBuckety'])).toBe('ListBucket');
  });
});
