import { compileWildcard } from '../../src/core/catalog';
import { matchesGlob } from '../../src/core/lint/escalation/target-match';

/** Deterministic pseudo-random numbers. */
function createRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('matchesGlob (the escalation check matches probes without compiling a regex)', () => {
  it('answers like the regex of compileWildcard, case-sensitively', () => {
    const cases: [string, string, boolean][] = [
      ['arn:aws:iam::*:role/*', 'arn:aws:iam::210987654321:role/qz7-probe-a1', true],
      ['arn:aws:iam::*:role/app-*', 'arn:aws:iam::210987654321:role/qz7-probe-a1', false],
      ['arn:aws:iam::*:role/?*', 'arn:aws:iam::1:role/x', true],
      ['arn:aws:iam::*:role/?*', 'arn:aws:iam::1:role/', false],
      ['arn:aws:iam::*:ROLE/*', 'arn:aws:iam::1:role/x', false],
      ['a*b*c', 'aXbYbZc', true],
      ['a*b*c', 'aXbYbZ', false],
      ['', '', true],
      ['*', '', true],
      ['a.b', 'aXb', false],
      ['${x}', '${x}', true],
      ['a*', 'a\nb', false],
    ];
    expect(cases.map(([p, t]) => [p, t, matchesGlob(p, t)])).toEqual(cases);
    expect(cases.map(([p, t]) => [p, t, compileWildcard(p, false).test(t)])).toEqual(cases);
  });

  it('agrees with compileWildcard on 50,000 random patterns and texts', () => {
    const random = createRandom(7);
    const pick = (alphabet: string, max: number): string => Array.from({ length: Math.floor(random() * max) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    const differences: string[] = [];
    for (let i = 0; i < 50000; i++) {
      const pattern = pick('ab*?:/.', 8);
      const text = pick('abAB:/.', 10);
      if (matchesGlob(pattern, text) !== compileWildcard(pattern, false).test(text)) differences.push(`${pattern} ~ ${text}`);
    }
    expect(differences.slice(0, 10)).toEqual([]);
  });
});
