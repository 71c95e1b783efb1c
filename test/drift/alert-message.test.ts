/** SNS alert messages stay under the SNS limit; the full record is linked. */
import { boundAlertMessage, MAX_SNS_MESSAGE_BYTES } from '../../src/lambda/iam-event-handler';

const item = (i: number) => ({ kind: 'changed', resourceType: 'role', name: `role-${i}`, arn: `arn:aws:iam::123456789012:role/role-${i}`, attribute: 'trustPolicy', expected: { Statement: 'x'.repeat(2000) }, actual: null, protected: false });

describe('boundAlertMessage', () => {
  const base = { account: 'app-prod', accountId: '123456789012', who: 'arn:aws:iam::123456789012:role/admin', what: 'PutRolePolicy', when: '2026-11-28T07:00:00Z', action: 'remediated' };

  it('sends a small record whole, with the link', () => {
    const message = JSON.parse(boundAlertMessage({ ...base, drift: [item(1)] }, 's3://bucket/alerts/a.json')) as Record<string, unknown>;
    expect(message).toMatchObject({ ...base, fullRecord: 's3://bucket/alerts/a.json', drift: [{ name: 'role-1' }] });
    expect(message.summarized).toBeUndefined();
  });

  it('sends a summary under the SNS limit when the record is larger, keeping who, what, when and the link', () => {
    // Given a record of about 600 KB (300 drift items with large documents and a long journal)
    const drift = Array.from({ length: 300 }, (_, i) => item(i));
    const record = { ...base, drift, journal: drift.map((d) => ({ description: d.name, replaced: d.expected })), remediation: { applied: drift.map((d) => `fix ${d.name}`) } };
    expect(Buffer.byteLength(JSON.stringify(record))).toBeGreaterThan(MAX_SNS_MESSAGE_BYTES);
    // When the message is built
    const text = boundAlertMessage(record, 's3://bucket/alerts/big.json');
    // Then it fits and says where the full record is
    expect(Buffer.byteLength(text, 'utf8')).toBeLessThanOrEqual(MAX_SNS_MESSAGE_BYTES);
    const message = JSON.parse(text) as Record<string, unknown>;
    expect(message).toMatchObject({ ...base, summarized: true, fullRecord: 's3://bucket/alerts/big.json', driftCount: 300 });
    expect((message.drift as string[])[0]).toBe('changed role role-0 trustPolicy');
    expect((message.drift as string[])[20]).toBe('... and 280 more (see the full record)');
    expect(message.journal).toBeUndefined();
  });

  it('says so when there is no bucket for the full record', () => {
    const drift = Array.from({ length: 300 }, (_, i) => item(i));
    const message = JSON.parse(boundAlertMessage({ ...base, drift, journal: drift }, undefined)) as Record<string, unknown>;
    expect(message).toMatchObject({ summarized: true, fullRecord: null, note: 'the record was larger than an SNS message and no drift bucket is configured: see the Lambda log' });
  });
});
