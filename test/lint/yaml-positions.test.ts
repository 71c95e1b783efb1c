import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createYamlPositionFinder, loadOrganization, readYamlPolicyText } from '../../src/config';
import { lintOrganization, lintPolicy } from '../../src/core/lint';
import { loadActionCatalog } from '../../src/io/catalog';
import { EXAMPLE_ORG_ROOT } from '../support/example-org';

const catalog = loadActionCatalog();

// Columns and lines below are counted by hand in the texts and files they name.
const POLICY_YAML = [
  'Version: "2012-10-17"',
  'Statement:',
  '  - Sid: Read',
  '    Effect: Allow',
  '    Action:',
  '      - s3:GetObject',
  '      - s3:GetObjekt',
  '    Resource: "arn:aws:s3:::b/*"',
  '    Condition:',
  '      StringLike:',
  '        s3:prefixes: "x"',
  '',
].join('\n');

describe('YAML findings carry the line and column of the offending element', () => {
  it('points at the list item and the condition key of a YAML policy', () => {
    // Given a YAML policy with a misspelled action (line 7) and an unknown condition key (line 11)
    const read = readYamlPolicyText(POLICY_YAML);
    if (!('data' in read)) throw new Error(read.error);
    // When it is linted and each finding placed
    const placed = lintPolicy(read.data, { type: 'identity', catalog }).map((f) => [f.rule, read.positionOf(f.path)]);
    // Then each finding is at the element, not at the document start
    expect(placed).toEqual([
      ['unknown-action', { line: 7, column: 9 }],
      ['unknown-condition-key', { line: 11, column: 9 }],
    ]);
  });

  it('reports a YAML syntax error at its line', () => {
    const read = readYamlPolicyText('Version: "2012-10-17"\nStatement: [ {\n');
    expect('error' in read && read.position.line).toBe(3);
  });

  it('places findings of accounts/ role and policy files', () => {
    // Given the example organization linted as a whole
    const org = loadOrganization(EXAMPLE_ORG_ROOT);
    const positionOf = createYamlPositionFinder((file) => readFileSync(join(org.rootDir, file), 'utf8'));
    const placed = lintOrganization(org, catalog).map((f) => ({ file: f.file, path: f.path, rule: f.rule, at: positionOf(f.file, f.path) }));
    // Then an inline policy finding is at its Resource key (line 40, column 9) and a policy file finding at the
    // action of its document (line 30, column 11), and a finding on a generated trust policy has no position
    expect(placed).toContainEqual({ file: 'accounts/workloads/app-prod/roles/datadog-integration.yaml', path: '$.inlinePolicies.datadog-read.Statement[0].Resource', rule: 'resource-star-for-restrictable', at: { line: 40, column: 9 } });
    expect(placed).toContainEqual({ file: 'accounts/policies/iam-platform-deployer.yaml', path: '$.document.Statement[1].Action[4]', rule: 'privilege-escalation', at: { line: 30, column: 11 } });
    expect(placed.find((f) => f.rule === 'trust-oidc-unscoped')?.at).toBeUndefined();
  });
});
