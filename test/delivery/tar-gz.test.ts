import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildTar, packStackDirectory } from '../../src/io/terraform-cloud';
import { makeTempDir, writeStacks } from './support/stacks';

describe('packStackDirectory (ustar + gzip)', () => {
  it('writes an archive GNU tar lists and extracts byte for byte, without .terraform', () => {
    // Given a stack folder with a nested file, a long path and a provider cache
    const stacksDir = writeStacks(makeTempDir('tar-'), ['iam-app']);
    const stack = join(stacksDir, 'iam-app');
    const longFolder = join(stack, 'a'.repeat(60), 'b'.repeat(60));
    mkdirSync(longFolder, { recursive: true });
    const big = Buffer.alloc(1500, 7);
    writeFileSync(join(longFolder, 'big.bin'), big);
    // When it is packed and extracted with the system tar
    const archive = join(makeTempDir('tar-out-'), 'stack.tar.gz');
    writeFileSync(archive, packStackDirectory(stack));
    const listing = execFileSync('tar', ['-tzf', archive], { encoding: 'utf8' }).trim().split('\n');
    const out = makeTempDir('tar-x-');
    execFileSync('tar', ['-xzf', archive, '-C', out]);
    // Then every file is there with its contents, and the provider cache is not
    expect(listing).toEqual([`${'a'.repeat(60)}/`, `${'a'.repeat(60)}/${'b'.repeat(60)}/`, `${'a'.repeat(60)}/${'b'.repeat(60)}/big.bin`, 'cdk.tf.json']);
    expect(readFileSync(join(out, 'cdk.tf.json'), 'utf8')).toBe(readFileSync(join(stack, 'cdk.tf.json'), 'utf8'));
    expect(readFileSync(join(out, 'a'.repeat(60), 'b'.repeat(60), 'big.bin')).equals(big)).toBe(true);
  });

  it('is deterministic: the same folder gives the same bytes', () => {
    const stack = join(writeStacks(makeTempDir('tar-'), ['iam-app']), 'iam-app');
    expect(packStackDirectory(stack).equals(packStackDirectory(stack))).toBe(true);
  });

  it('writes a valid ustar header checksum and pads data to 512-byte blocks', () => {
    const tar = buildTar([{ path: 'main.tf.json', data: Buffer.from('{}') }]);
    expect(tar.length).toBe(512 + 512 + 1024);
    const header = tar.subarray(0, 512);
    const stored = parseInt(header.subarray(148, 154).toString('ascii'), 8);
    const computed = [...header].reduce((sum, byte, i) => sum + (i >= 148 && i < 156 ? 32 : byte), 0);
    expect(stored).toBe(computed);
    expect(header.subarray(257, 263).toString('ascii')).toBe('ustar\0');
  });

  it('refuses a path too long for ustar, naming it', () => {
    const path = 'x'.repeat(120);
    expect(() => buildTar([{ path, data: Buffer.from('') }])).toThrow(`cannot archive ${path}: a ustar path is at most 155+100 bytes; shorten the file or folder name`);
  });
});
