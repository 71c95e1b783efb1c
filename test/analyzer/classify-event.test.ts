import { UsageAggregator, classifyPrincipal, isDeniedErrorCode } from '../../src/core/analyzer';

const roleIdentity = (arn: string) => ({ type: 'AssumedRole', arn: 'arn:aws:sts::111111111111:assumed-role/x/s', sessionContext: { sessionIssuer: { type: 'Role', arn } } });

describe('classifyPrincipal', () => {
  it.each([
    ['role by sessionIssuer.arn', roleIdentity('arn:aws:iam::111111111111:role/team/app'), { kind: 'principal', principal: { arn: 'arn:aws:iam::111111111111:role/team/app', type: 'role' } }],
    ['user by arn', { type: 'IAMUser', arn: 'arn:aws:iam::111111111111:user/alice' }, { kind: 'principal', principal: { arn: 'arn:aws:iam::111111111111:user/alice', type: 'user' } }],
    ['root', { type: 'Root', arn: 'arn:aws:iam::111111111111:root' }, { kind: 'principal', principal: { arn: 'arn:aws:iam::111111111111:root', type: 'root' } }],
    ['root without arn', { type: 'Root', accountId: '111111111111' }, { kind: 'principal', principal: { arn: 'arn:aws:iam::111111111111:root', type: 'root' } }],
    [
      'federated user by the issuing IAM user',
      { type: 'FederatedUser', sessionContext: { sessionIssuer: { type: 'IAMUser', arn: 'arn:aws:iam::111111111111:user/bob' } } },
      { kind: 'principal', principal: { arn: 'arn:aws:iam::111111111111:user/bob', type: 'user' } },
    ],
    ['AWS service', { type: 'AWSService', invokedBy: 'config.amazonaws.com' }, { kind: 'excluded', reason: 'aws-service-identity' }],
    ['service-linked role', roleIdentity('arn:aws:iam::111111111111:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig'), { kind: 'excluded', reason: 'service-linked-role' }],
    ['another account', { type: 'AWSAccount', accountId: '222222222222' }, { kind: 'excluded', reason: 'other-account-identity' }],
    ['web identity federation', { type: 'WebIdentityUser' }, { kind: 'excluded', reason: 'federation-call' }],
    ['assumed role without issuer', { type: 'AssumedRole', arn: 'x' }, { kind: 'excluded', reason: 'missing-field:userIdentity.sessionContext.sessionIssuer.arn' }],
    ['no type', {}, { kind: 'excluded', reason: 'missing-field:userIdentity.type' }],
    ['not an object', 'x', { kind: 'excluded', reason: 'missing-field:userIdentity' }],
  ])('%s', (_name, identity, expected) => {
    expect(classifyPrincipal(identity)).toEqual(expected);
  });

  it('keeps service-linked roles when asked', () => {
    const arn = 'arn:aws:iam::111111111111:role/aws-service-role/x.amazonaws.com/R';
    expect(classifyPrincipal(roleIdentity(arn), { includeServiceLinkedRoles: true })).toEqual({ kind: 'principal', principal: { arn, type: 'role' } });
  });
});

describe('isDeniedErrorCode', () => {
  it.each(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'Client.UnauthorizedOperation', 'Client.AccessDenied', 'KMS.AccessDeniedException', 'UnauthorizedException'])(
    '%s is a denial',
    (code) => expect(isDeniedErrorCode(code)).toBe(true),
  );
  it.each(['ThrottlingException', 'NoSuchEntity', 'ValidationException', 'EntityTemporarilyUnmodifiableException'])('%s is not a denial', (code) => expect(isDeniedErrorCode(code)).toBe(false));
});

describe('UsageAggregator', () => {
  const identity = roleIdentity('arn:aws:iam::111111111111:role/app');
  const other = roleIdentity('arn:aws:iam::222222222222:role/app');
  const record = (eventTime: string, extra: object = {}) => ({ eventSource: 's3.amazonaws.com', eventName: 'ListBuckets', eventTime, userIdentity: identity, ...extra });

  it('counts per principal × event × outcome with first and last seen, and filters dates and accounts', () => {
    // Given a window of 2026-05-01 (inclusive) to 2026-05-03 (exclusive) and account 111111111111
    const aggregator = new UsageAggregator({ from: '2026-05-01T00:00:00Z', toExclusive: '2026-05-03T00:00:00Z', accountIds: ['111111111111'] });
    // When records inside, outside and of another account arrive
    aggregator.addRecord(record('2026-05-02T10:00:00Z'), 'f');
    aggregator.addRecord(record('2026-05-01T09:00:00Z'), 'f');
    aggregator.addRecord(record('2026-05-01T09:30:00Z', { errorCode: 'AccessDenied' }), 'f');
    aggregator.addRecord(record('2026-04-30T23:59:59Z'), 'f');
    aggregator.addRecord(record('2026-05-03T00:00:00Z'), 'f');
    aggregator.addRecord(record('2026-05-02T00:00:00Z', { userIdentity: other }), 'f');
    // Then
    const snapshot = aggregator.snapshot();
    expect(snapshot.rows).toEqual([
      { principalArn: 'arn:aws:iam::111111111111:role/app', principalType: 'role', eventSource: 's3.amazonaws.com', eventName: 'ListBuckets', outcome: 'allowed', count: 2, firstSeen: '2026-05-01T09:00:00Z', lastSeen: '2026-05-02T10:00:00Z' },
      { principalArn: 'arn:aws:iam::111111111111:role/app', principalType: 'role', eventSource: 's3.amazonaws.com', eventName: 'ListBuckets', outcome: 'denied', count: 1, firstSeen: '2026-05-01T09:30:00Z', lastSeen: '2026-05-01T09:30:00Z' },
    ]);
    expect(snapshot.skipped.reasons).toEqual({ 'other-account': 1, 'outside-date-range': 2 });
    expect(snapshot.recordsRead).toBe(6);
    expect([snapshot.firstEventTime, snapshot.lastEventTime]).toEqual(['2026-05-01T09:00:00Z', '2026-05-02T10:00:00Z']);
  });
});
