import { findClosestMatch } from '../../src/config/closest-match';
import { LineLocator } from '../../src/config/config-file';
import { formatPath, parsePath, type PathSegment } from '../../src/config/json-path';
import { substitutePlaceholders } from '../../src/config/placeholders';
import { formatConfigProblems, MAX_PROBLEMS_IN_MESSAGE } from '../../src/config/load-organization';

describe('json paths', () => {
  const cases: ReadonlyArray<{ name: string; segments: PathSegment[]; path: string }> = [
    { name: 'root', segments: [], path: '$' },
    { name: 'keys and indexes', segments: ['trust', 'accounts', 0, 'principals', 1], path: '$.trust.accounts[0].principals[1]' },
    { name: 'dashed keys stay plain', segments: ['inlinePolicies', 'read-uploads'], path: '$.inlinePolicies.read-uploads' },
    { name: 'condition keys are quoted', segments: ['Condition', 'StringEquals', 'aws:ResourceAccount'], path: '$.Condition.StringEquals["aws:ResourceAccount"]' },
    { name: 'keys with dots are quoted', segments: ['tags', 'a.b'], path: '$.tags["a.b"]' },
  ];
  it.each(cases)('$name: formats and parses back', ({ segments, path }) => {
    expect(formatPath(segments)).toBe(path);
    expect(parsePath(path)).toEqual(segments);
  });
});

describe('findClosestMatch', () => {
  const cases: ReadonlyArray<{ word: string; candidates: string[]; expected: string | undefined }> = [
    { word: 'ownr', candidates: ['owner', 'name', 'kind'], expected: 'owner' },
    { word: 'requireMFA', candidates: ['requireMfa', 'kind'], expected: 'requireMfa' },
    { word: 'secuirty', candidates: ['security', 'app'], expected: 'security' },
    { word: 'production', candidates: ['nonprod', 'staging', 'prod'], expected: 'prod' },
    { word: 'colour', candidates: ['owner', 'trust', 'tags'], expected: undefined },
    { word: 'ab', candidates: ['xy'], expected: undefined },
  ];
  it.each(cases)('$word → $expected', ({ word, candidates, expected }) => {
    expect(findClosestMatch(word, candidates)).toBe(expected);
  });
});

describe('substitutePlaceholders', () => {
  const values = { 'account.id': '123456789012', 'account.name': 'app-prod' };

  it('fills placeholders in values and keys, and reports unknown ones with their path', () => {
    const unknown: string[] = [];
    const result = substitutePlaceholders(
      { a: ['x', 'arn:aws:s3:::b-{{account.id}}', { 'k-{{ account.name }}': '{{account.nmae}}' }], b: 3, c: '${aws:username}' },
      values,
      '$.role',
      (path, name) => unknown.push(`${path} ${name}`),
    );
    expect(result).toEqual({ a: ['x', 'arn:aws:s3:::b-123456789012', { 'k-app-prod': '{{account.nmae}}' }], b: 3, c: '${aws:username}' });
    expect(unknown).toEqual(['$.role.a[2]["k-{{ account.name }}"] account.nmae']);
  });

  it('returns the same objects when nothing changes', () => {
    const input = { a: ['x', { b: 'y' }], c: { d: 1 } };
    const result = substitutePlaceholders(input, values, '$', () => undefined);
    expect(result).toBe(input);
  });
});

describe('LineLocator', () => {
  const text = ['# header', 'owner: team', 'trust:', '  accounts:', '    - principals: [a, b]', '      kind: human', ''].join('\n');
  const locator = new LineLocator(text);
  it.each([
    ['$', 2],
    ['$.owner', 2],
    ['$.trust.accounts[0]', 5],
    ['$.trust.accounts[0].principals[1]', 5],
    ['$.trust.accounts[0].kind', 6],
    ['$.trust.accounts[0].externalId', 5],
    ['$.trust.services', 3],
  ] as const)('%s is on line %d (missing paths use the nearest existing parent)', (path, line) => {
    expect(locator.lineOf(path)).toBe(line);
  });
});

describe('formatConfigProblems', () => {
  it('lists at most MAX_PROBLEMS_IN_MESSAGE problems and counts the rest', () => {
    const problems = Array.from({ length: MAX_PROBLEMS_IN_MESSAGE + 2 }, (_, i) => ({ file: 'accounts/org.yaml', line: i + 1, path: '$.name', message: 'bad' }));
    const lines = formatConfigProblems(problems).split('\n');
    expect(lines[0]).toBe(`invalid configuration in accounts/ (${MAX_PROBLEMS_IN_MESSAGE + 2} problems):`);
    expect(lines[1]).toBe('  accounts/org.yaml:1 $.name: bad');
    expect(lines).toHaveLength(MAX_PROBLEMS_IN_MESSAGE + 2);
    expect(lines[lines.length - 1]).toBe('  … and 2 more');
  });
});
