import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { type ManagedPrincipal, type PolicyRecommendation, analyzeUsage } from '../../src/core/analyzer';
import type { PolicyDocumentJson } from '../../src/core/policy';
import { loadActionCatalog } from '../../src/io/catalog/load-action-catalog';
import { collectUsage } from '../../src/io/cloudtrail/collect-usage';
import { listLocalLogTasks } from '../../src/io/cloudtrail/local-log-source';
import { applyRecommendations, editInlinePolicies } from '../../src/io/yaml-edit';
import { diffLines } from './support/line-diff';

const fixtures = join(__dirname, '../fixtures/cloudtrail');
const roleFile = join(fixtures, 'write/app.yaml');

async function recommend(): Promise<readonly PolicyRecommendation[]> {
  const yamlText = readFileSync(roleFile, 'utf8');
  const role = parse(yamlText) as { inlinePolicies: Record<string, PolicyDocumentJson> };
  const principal: ManagedPrincipal = {
    arn: 'arn:aws:iam::111111111111:role/app',
    type: 'role',
    account: 'app-prod',
    name: 'app',
    file: 'accounts/workloads/app-prod/roles/app.yaml',
    granted: { identityPolicies: Object.entries(role.inlinePolicies).map(([name, document]) => ({ name, kind: 'inline', document })), notEvaluated: [] },
    policyPaths: { 'app-access': '$.inlinePolicies.app-access', 'unused-queue': '$.inlinePolicies.unused-queue' },
  };
  const snapshot = await collectUsage((onSkip) => listLocalLogTasks(join(fixtures, 'synthetic'), { onSkip }), { workers: 0 });
  const report = analyzeUsage({ snapshot, catalog: loadActionCatalog(), principals: [principal] });
  return report.recommendations[0].policies;
}

describe('--write: editInlinePolicies on a role file with comments', () => {
  it('rewrites only the changed statements and keeps every comment and the layout elsewhere', async () => {
    // Given the recommendations of the synthetic logs for the app role
    const policies = await recommend();
    expect(policies.map((p) => [p.name, p.removed])).toEqual([
      ['app-access', ['cloudtrail:DeleteTrail', 'cloudtrail:StopLogging', 'kms:Decrypt', 's3:GetBucketLocation', 's3:PutBucketTagging']],
      ['unused-queue', ['sqs:CreateQueue']],
    ]);
    // When they are written into the role file
    const before = readFileSync(roleFile, 'utf8');
    const result = editInlinePolicies(
      before,
      'app.yaml',
      policies.map((p) => ({ policyName: p.name, tightened: p.tightened, origins: p.statementOrigins, path: p.path })),
    );
    // Then the diff is exactly the removed actions, the dead statement and the empty policy
    expect(result.changed).toEqual(['app-access', 'unused-queue']);
    expect(diffLines(before, result.text)).toEqual([
      '-          - s3:GetBucketLocation # added for the old region check',
      '-          - s3:PutBucketTagging',
      '-          - kms:ReEncrypt*',
      '-          - kms:Decrypt',
      '+          - kms:ReEncryptFrom',
      '+          - kms:ReEncryptTo',
      '-      - Sid: DeadTrailAccess',
      '-        Effect: Allow',
      '-        Action:',
      '-          - cloudtrail:DeleteTrail',
      '-          - cloudtrail:StopLogging',
      '-        Resource: "*"',
      '-  unused-queue:',
      '-    Version: "2012-10-17"',
      '-    Statement:',
      '-      - Effect: Allow',
      '-        Action: sqs:CreateQueue',
      '-        Resource: arn:aws:sqs:eu-west-1:111111111111:jobs',
    ]);
    expect(result.text).toBe(readFileSync(join(fixtures, 'write/app.expected.yaml'), 'utf8'));
  });

  it('names the file when the policy is not in it', () => {
    expect(() => editInlinePolicies('inlinePolicies: {}\n', 'roles/x.yaml', [{ policyName: 'gone', tightened: null, origins: [] }])).toThrow(
      'roles/x.yaml: inline policy gone not found under inlinePolicies; it may come from a role template: edit it there',
    );
  });
});

describe('editInlinePolicies: merged statements, NotAction, list form', () => {
  it('updates the first merged statement, removes the others, and replaces NotAction in place', () => {
    // Given inline policies written as a list of { name, document }
    const before = [
      'inlinePolicies:',
      '  - name: app # the app policy',
      '    document:',
      '      Statement:',
      '        - Sid: Read # reads',
      '          Effect: Allow',
      '          Action: [s3:GetObject, s3:ListBucket]',
      '          Resource: arn:aws:s3:::a/*',
      '        - Sid: Write',
      '          Effect: Allow',
      '          Action: [s3:PutObject, s3:DeleteObjectTagging]',
      '          Resource: arn:aws:s3:::a/*',
      '        - Effect: Allow',
      '          NotAction: iam:*',
      '          Resource: "*"',
      '',
    ].join('\n');
    // When the tightened document merges statements 0 and 1 and narrows the NotAction one
    const result = editInlinePolicies(before, 'role.yaml', [
      {
        policyName: 'app',
        path: '$.inlinePolicies[0].document',
        tightened: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::a/*' },
            { Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*' },
          ],
        },
        origins: [[0, 1], [2]],
      },
    ]);
    // Then
    expect(result.text).toBe(
      [
        'inlinePolicies:',
        '  - name: app # the app policy',
        '    document:',
        '      Statement:',
        '        - Effect: Allow',
        '          Action: [s3:GetObject, s3:PutObject]',
        '          Resource: arn:aws:s3:::a/*',
        '        - Effect: Allow',
        '          Action: sts:GetCallerIdentity',
        '          Resource: "*"',
        '',
      ].join('\n'),
    );
  });

  it('removes a policy given as a list item when nothing is left (flow collections come out with one padding style)', () => {
    const before = 'inlinePolicies:\n  - name: keep\n    document: { Statement: [{ Effect: Allow, Action: s3:GetObject, Resource: "*" }] }\n  - name: gone\n    document: { Statement: [{ Effect: Allow, Action: sqs:CreateQueue, Resource: "*" }] }\n';
    const result = editInlinePolicies(before, 'role.yaml', [{ policyName: 'gone', tightened: null, origins: [] }]);
    expect(result.text).toBe('inlinePolicies:\n  - name: keep\n    document: { Statement: [ { Effect: Allow, Action: s3:GetObject, Resource: "*" } ] }\n');
  });
});

describe('applyRecommendations', () => {
  it('leaves role-template and customer managed policies alone and says why', () => {
    const tightened = { Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Action: 's3:GetObject', Resource: '*' }] };
    const edits = applyRecommendations(
      [
        {
          arn: 'arn:aws:iam::111111111111:role/app-worker',
          account: 'app-prod',
          role: 'app-worker',
          file: 'write/app.yaml',
          template: 'app-worker',
          policies: [{ name: 'app-access', kind: 'inline', file: 'write/app.yaml', original: tightened, tightened, removed: ['s3:PutObject'], size: 1, statementOrigins: [[0]] }],
        },
        {
          arn: 'arn:aws:iam::111111111111:role/app',
          account: 'app-prod',
          role: 'app',
          file: 'write/app.yaml',
          policies: [{ name: 'shared', kind: 'customer', file: 'write/app.yaml', original: tightened, tightened, removed: ['s3:PutObject'], size: 1, statementOrigins: [[0]] }],
        },
      ],
      { rootDir: fixtures, dryRun: true },
    );
    expect(edits).toEqual([
      {
        file: 'write/app.yaml',
        policies: [],
        notApplied: [
          'app-prod/app-worker: inline policy app-access comes from role template app-worker, shared by every matching account; edit the template by hand if their usage agrees',
          'app-prod/app: customer managed policy shared may be attached to other roles; edit it by hand',
        ],
        text: readFileSync(roleFile, 'utf8'),
      },
    ]);
  });
});
