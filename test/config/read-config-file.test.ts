import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfigFile } from '../../src/config/config-file';
import { substitutePlaceholders } from '../../src/config/placeholders';

/** readConfigFile on its own (any caller, not only the tree scan) and placeholders from own properties. */
describe('readConfigFile', () => {
  it('refuses a symbolic link out of the repository without reading or showing the target', () => {
    // Given a repository with a role file that links to a token file outside it
    const base = mkdtempSync(join(tmpdir(), 'read-config-'));
    const repo = join(base, 'repo');
    mkdirSync(repo);
    writeFileSync(join(base, 'token.yaml'), 'token: tfc-s3cr3t\n');
    symlinkSync(join(base, 'token.yaml'), join(repo, 'role.yaml'));
    // When it is read with the repository root
    const file = readConfigFile(join(repo, 'role.yaml'), 'role.yaml', repo);
    // Then it is refused with no data and nothing of the target
    expect(file.data).toBeUndefined();
    expect(file.syntaxProblems).toEqual([
      { file: 'role.yaml', path: '$', message: 'the file is a symbolic link to a file outside the repository: config files are read only inside the repository; replace the link with the file itself' },
    ]);
  });

  it('reads a symbolic link inside the repository', () => {
    const repo = mkdtempSync(join(tmpdir(), 'read-config-'));
    writeFileSync(join(repo, 'real.yaml'), 'owner: team\n');
    symlinkSync(join(repo, 'real.yaml'), join(repo, 'link.yaml'));
    expect(readConfigFile(join(repo, 'link.yaml'), 'link.yaml', repo).data).toEqual({ owner: 'team' });
  });

  it('reports a missing file by its error code only', () => {
    const repo = mkdtempSync(join(tmpdir(), 'read-config-'));
    expect(readConfigFile(join(repo, 'gone.yaml'), 'gone.yaml', repo).syntaxProblems[0]?.message).toBe('cannot read the file (ENOENT): check that it exists and is readable (a symbolic link whose target is missing?)');
  });
});

describe('substitutePlaceholders', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])('treats {{%s}} as unknown, not as an Object.prototype member', (name) => {
    const unknown: string[] = [];
    const out = substitutePlaceholders({ d: `x {{${name}}} {{account.id}}` }, { 'account.id': '123456789012' }, '$', (_p, n) => unknown.push(n));
    expect(out).toEqual({ d: `x {{${name}}} 123456789012` });
    expect(unknown).toEqual([name]);
  });
});
