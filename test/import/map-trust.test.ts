/** mapTrustPolicy: one test per case of test/fixtures/import/trust-cases.json. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { mapTrustPolicy } from '../../src/core/import';
import type { PolicyDocumentJson } from '../../src/core/policy';

interface TrustCase {
  readonly name: string;
  readonly input: PolicyDocumentJson;
  readonly expected: unknown;
}

const { cases } = JSON.parse(readFileSync(resolve(__dirname, '..', 'fixtures', 'import', 'trust-cases.json'), 'utf8')) as { cases: TrustCase[] };

describe('mapTrustPolicy', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(mapTrustPolicy(c.input, '123456789012')).toEqual(c.expected);
  });
});
