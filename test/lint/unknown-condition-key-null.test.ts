import { lintPolicy } from '../../src/core/lint';
import { loadActionCatalog } from '../../src/io/catalog';

const catalog = loadActionCatalog();

function messageFor(operator: string, value: string): string | undefined {
  const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::example-bucket', Condition: { [operator]: { 's3:prefixes': value } } }] };
  return lintPolicy(policy, { type: 'identity', catalog }).find((f) => f.rule === 'unknown-condition-key')?.message;
}

describe('unknown-condition-key says what the condition does', () => {
  // An AWS managed policy (AmazonDataZoneGlueManageAccessRolePolicy) writes Null "true" on a key the reference does not list.
  it('Null "true" on a key no request has always matches', () => {
    expect(messageFor('Null', 'true')).toBe('Condition key "s3:prefixes" does not exist, so the condition always matches (Null "true" tests for a key the request never has): check its spelling against the global and service condition keys');
  });

  it('Null "false" never matches', () => {
    expect(messageFor('Null', 'false')).toBe('Condition key "s3:prefixes" does not exist, so the condition never matches (Null "false" requires a key the request never has): check its spelling against the global and service condition keys');
  });

  it('a negated operator always matches, a positive one never', () => {
    expect(messageFor('StringNotEquals', 'x')).toBe('Condition key "s3:prefixes" does not exist, so the condition always matches: check its spelling against the global and service condition keys');
    expect(messageFor('StringEquals', 'x')).toBe('Condition key "s3:prefixes" does not exist, so the condition never matches: check its spelling against the global and service condition keys');
  });
});
