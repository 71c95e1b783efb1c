/**
 * The redundancy check's fast paths against the general algorithm they replace:
 * - the statement head built directly from the statement equals the head of the previous code (the statement
 *   written to JSON, rebuilt and canonicalized);
 * - candidates found pair by pair (policies of up to 32 statements) equal the candidates of the prefix index.
 */
import { computeCanonicalHead, listRedundancyCandidates } from '../../src/core/lint/checks/document-checks';
import { PolicyDocument, Statement, locateStatements, type LocatedStatement, type StatementJson } from '../../src/core/policy';

function createRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The head as the code before the fast path computed it. */
function referenceHead(st: LocatedStatement): string {
  const { Effect, Principal, NotPrincipal, Condition } = st.statement.toJSON();
  const c = Statement.fromJson({ Effect, Principal, NotPrincipal, Condition } as StatementJson).toCanonical(true);
  return JSON.stringify([c.Effect, c.Principal, c.NotPrincipal, c.Condition, st.notActions ? 'NA' : 'A', st.notResources ? 'NR' : 'R']);
}

const RESOURCES = ['*', 'arn:aws:s3:::b*', 'arn:aws:s3:::b1', 'arn:aws:s3:::b1/*', 'arn:aws:s3:::b1/k', 'arn:aws:s3:::b?/k', 'arn:aws:s3:::*', 'arn:aws:sqs:eu-west-1:1:q', '*:q', 'arn:aws:s3:::b1/${aws:username}'];

function generateStatements(random: () => number, count: number): StatementJson[] {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const some = <T>(list: readonly T[], max: number): T[] => Array.from({ length: 1 + Math.floor(random() * max) }, () => pick(list));
  return Array.from({ length: count }, () => {
    const st: Record<string, unknown> = { Effect: pick(['Allow', 'Deny']) };
    if (random() < 0.8) st.Action = some(['s3:GetObject', 's3:Get*', 'S3:getobject', 'sqs:*'], 3);
    else st.NotAction = some(['s3:GetObject', 'iam:*'], 2);
    const r = random();
    if (r < 0.75) st.Resource = random() < 0.3 ? pick(RESOURCES) : some(RESOURCES, 3);
    else if (r < 0.9) st.NotResource = some(RESOURCES.slice(0, 4), 2);
    if (random() < 0.2) st.Principal = random() < 0.3 ? '*' : { [pick(['AWS', 'Service'])]: some(['arn:aws:iam::1:root', 'arn:aws:iam::2:root', 'lambda.amazonaws.com'], 2), ...(random() < 0.5 ? { AWS: 'arn:aws:iam::3:root' } : {}) };
    if (random() < 0.3) {
      const values = some(['a', 'b', 'c'], 3);
      st.Condition = { [pick(['StringEquals', 'StringLike'])]: { [pick(['aws:PrincipalOrgID', 'AWS:PrincipalOrgID', 'aws:SourceVpc'])]: random() < 0.5 ? values : values[0] }, ...(random() < 0.3 ? { Bool: { 'aws:SecureTransport': random() < 0.5 ? 'true' : true } } : {}) };
    }
    return st as unknown as StatementJson;
  });
}

function locate(statements: readonly StatementJson[]): readonly LocatedStatement[] {
  const { document, problems } = PolicyDocument.parse({ Version: '2012-10-17', Statement: statements }, { type: 'resource' });
  if (!document) throw new Error(`generated an invalid document: ${JSON.stringify(problems)}`);
  return locateStatements(document).statements;
}

describe('redundancy check fast paths', () => {
  it('builds the same head as the previous code, on 3,000 random statements', () => {
    const statements = locate(generateStatements(createRandom(3), 3000));
    const differences = statements.filter((st) => computeCanonicalHead(st) !== referenceHead(st)).map((st) => JSON.stringify(st.statement));
    expect(differences).toEqual([]);
    // Heads that must differ do: conditions with other values, another effect.
    const [a, b, c] = locate([
      { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' },
      { Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } },
      { Effect: 'Deny', Action: 's3:GetObject', Resource: '*' },
    ] as StatementJson[]);
    expect(new Set([a, b, c].map(computeCanonicalHead)).size).toBe(3);
  });

  it('finds the same candidates pair by pair as through the prefix index, on 2,000 random policies', () => {
    const random = createRandom(11);
    let compared = 0;
    const differences: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const statements = locate(generateStatements(random, 2 + Math.floor(random() * 12)));
      const scanned = JSON.stringify(listRedundancyCandidates(statements, 'scan'));
      const indexed = JSON.stringify(listRedundancyCandidates(statements, 'index'));
      if (scanned !== indexed) differences.push(`policy ${i}: scan ${scanned}, index ${indexed}`);
      compared += (scanned.match(/\d+/g) ?? []).length;
    }
    expect(differences).toEqual([]);
    // The generator gives overlapping statements: most policies have candidates to compare.
    expect(compared).toBeGreaterThan(5000);
  });
});
