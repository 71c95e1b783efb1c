import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadOrganization } from '../../src/config';
import { ERROR_CODES, IamPlatformError, formatProblem, type Problem } from '../../src/core/errors';

/**
 * One test per folder of test/fixtures/config/broken: an org tree with mistakes and an
 * expected.json listing the exact problems (file, line, path, message) the loader must report.
 */
const BROKEN = join(__dirname, '..', 'fixtures', 'config', 'broken');

interface BrokenCase {
  readonly name: string;
  readonly description: string;
  readonly problems: readonly Problem[];
}

const cases = readdirSync(BROKEN).map((name) => ({ dir: join(BROKEN, name), ...(JSON.parse(readFileSync(join(BROKEN, name, 'expected.json'), 'utf8')) as BrokenCase) }));

describe('loader problems for broken configuration', () => {
  it('has the cases the issue asks for', () => {
    expect(cases.map((c) => c.name)).toEqual(
      expect.arrayContaining([
        'yaml-syntax-account',
        'unknown-key',
        'role-without-owner',
        'bad-trust-principal',
        'boundary-opt-out-without-reason',
        'third-party-without-external-id',
        'duplicate-role-name',
        'bad-account-id',
        'bad-environment',
        'symlink-outside-repository',
        'symlinked-roles-folder',
        'placeholder-prototype',
        'yaml-alias-bomb',
        'yaml-multi-document',
        'yaml-recursive-alias',
        'iam-size-limits',
        'dynamic-credentials-plan-can-apply',
      ]),
    );
  });

  it.each(cases)('$name: $description', ({ dir, problems }) => {
    let error: unknown;
    try {
      loadOrganization(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(IamPlatformError);
    const platformError = error as IamPlatformError;
    expect(platformError.code).toBe(ERROR_CODES.INVALID_CONFIG);
    expect(platformError.source).toBe('user');
    expect(platformError.problems).toEqual(problems);
    // The message is the one-screen list of every problem, with no stack trace.
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    expect(platformError.message).toBe([`invalid configuration in accounts/ (${count}):`, ...problems.map((p) => `  ${formatProblem(p)}`)].join('\n'));
    expect(platformError.message).not.toMatch(/\bat .*\.ts:\d+/);
    // Nothing of a file outside the repository (test/fixtures/config/outside-repository) reaches the message.
    expect(platformError.message).not.toContain('s3cr3t');
    expect(platformError.message).not.toContain('outside-repository');
  });
});
