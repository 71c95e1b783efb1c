import { judgeDeliveryPath, segmentsAfterAwsLogs } from '../../src/io/cloudtrail';

const filter = { accounts: ['111111111111'], regions: ['eu-west-1'], fromDate: '2026-05-01', toDate: '2026-07-31' };
const judge = (path: string) => judgeDeliveryPath(segmentsAfterAwsLogs(path)!, filter);

describe('judgeDeliveryPath', () => {
  it.each([
    ['logs/AWSLogs', 'read'],
    ['AWSLogs/111111111111', 'read'],
    ['AWSLogs/222222222222', 'prune'],
    ['AWSLogs/o-abcdefghij/111111111111/CloudTrail/eu-west-1', 'read'],
    ['AWSLogs/o-abcdefghij/222222222222', 'prune'],
    ['AWSLogs/111111111111/CloudTrail/us-east-1', 'prune'],
    ['AWSLogs/111111111111/CloudTrail/eu-west-1/2025', 'prune'],
    ['AWSLogs/111111111111/CloudTrail/eu-west-1/2026', 'read'],
    ['AWSLogs/111111111111/CloudTrail/eu-west-1/2026/03', 'prune'],
    ['AWSLogs/111111111111/CloudTrail/eu-west-1/2026/04', 'read'],
    // a day of slack either side: files are delivered after their events
    ['AWSLogs/111111111111/CloudTrail/eu-west-1/2026/04/30', 'read'],
    ['AWSLogs/111111111111/CloudTrail/eu-west-1/2026/04/29', 'prune'],
    ['AWSLogs/111111111111/CloudTrail/eu-west-1/2026/08/01', 'read'],
    ['AWSLogs/111111111111/CloudTrail/eu-west-1/2026/08/02', 'prune'],
    ['AWSLogs/111111111111/CloudTrail-Digest', { skip: 'not-event-log:CloudTrail-Digest' }],
    ['AWSLogs/111111111111/CloudTrail-Insight/eu-west-1', { skip: 'not-event-log:CloudTrail-Insight' }],
    ['AWSLogs/not-an-account/x', 'read'],
  ])('%s → %j', (path, expected) => {
    expect(judge(path)).toEqual(expected);
  });

  it('reads everything without a filter', () => {
    expect(judgeDeliveryPath(segmentsAfterAwsLogs('AWSLogs/222222222222/CloudTrail/us-east-1/2020/01/01')!, {})).toBe('read');
  });
});
