import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { mapTfsecResults, writeTfsecCopies, type TfsecResult } from '../../src/io/scanners/tfsec';
import { readStacks } from '../../src/io/scanners/stack-index';

/**
 * tfsec v1.26.0 ignores every attribute of a Terraform JSON resource that has a `provider` meta-argument,
 * so the gate hands it copies without the alias and maps its results back to the real stack files.
 */
describe('tfsec stack copies', () => {
  it('strips provider aliases from the copies, keeps other stacks byte-identical, and maps results back', () => {
    // Given one stack with an aliased KMS key and one without aliases
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsec-copies-'));
    const stacksDir = path.join(root, 'cdktf.out', 'stacks');
    const aliased = { resource: { aws_kms_key: { key: { enable_key_rotation: true, provider: 'aws.iam-events' } } } };
    const plain = { resource: { aws_kms_key: { key: { enable_key_rotation: true } } } };
    for (const [stack, json] of [['iam-a', aliased], ['iam-b', plain]] as const) {
      fs.mkdirSync(path.join(stacksDir, stack), { recursive: true });
      fs.writeFileSync(path.join(stacksDir, stack, 'cdk.tf.json'), JSON.stringify(json, null, 2));
    }
    const stacks = readStacks({ cwd: root, stacksDir });
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tfsec-scratch-'));

    // When the copies are written
    const copies = writeTfsecCopies(stacks, scratch);

    // Then the aliased stack's copy has no provider, and the other is the same bytes
    const a = copies.get(path.join(stacksDir, 'iam-a', 'cdk.tf.json'))!;
    const b = copies.get(path.join(stacksDir, 'iam-b', 'cdk.tf.json'))!;
    expect(JSON.parse(fs.readFileSync(a.path, 'utf8'))).toEqual({ resource: { aws_kms_key: { key: { enable_key_rotation: true } } } });
    expect(a.rewritten).toBe(true);
    expect(fs.readFileSync(b.path, 'utf8')).toBe(fs.readFileSync(path.join(stacksDir, 'iam-b', 'cdk.tf.json'), 'utf8'));
    expect(b.rewritten).toBe(false);

    // And results on the copies land on the real stacks; line numbers only where the copy is unchanged
    const result = (file: string): TfsecResult => ({
      rule_id: 'AVD-AWS-0065',
      long_id: 'aws-kms-auto-rotate-keys',
      rule_description: 'rotation',
      description: 'Key does not have rotation enabled.',
      severity: 'MEDIUM',
      resource: 'aws_kms_key.key',
      location: { filename: file, start_line: 4 },
    });
    const mapped = mapTfsecResults([result(a.path), result(b.path)], stacks, copies);
    expect(mapped.map((m) => [m.account, m.resource, m.stackFile, m.stackLine])).toEqual([
      ['a', 'aws_kms_key.key', 'cdktf.out/stacks/iam-a/cdk.tf.json', undefined],
      ['b', 'aws_kms_key.key', 'cdktf.out/stacks/iam-b/cdk.tf.json', 4],
    ]);
  });
});
