/**
 * Every unknown/removed finding on AWS managed policies matches a verified row of
 * test/fixtures/lint/aws-managed/verdicts.json (rule, severity, subject), and every row is seen: the documents are
 * iam-dataset's (MIT, see PROVENANCE.md there), committed, so this runs everywhere with nothing skipped.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintPolicy, type LintFinding } from '../../src/core/lint';
import { loadActionCatalog } from '../../src/io/catalog';

interface Verdict {
  readonly kind: 'service' | 'action' | 'condition-key' | 'service-principal';
  readonly subject: string;
  readonly rule: string;
  readonly severity: string;
  readonly verdict: string;
  readonly evidence: string;
  readonly policies: readonly string[];
  readonly sources: readonly string[];
}

const DIR = join(__dirname, '..', 'fixtures', 'lint', 'aws-managed');
const VERDICTS = (JSON.parse(readFileSync(join(DIR, 'verdicts.json'), 'utf8')) as { verdicts: Verdict[] }).verdicts;
/** The rules whose findings the table verifies. */
const NAME_RULES = new Set(['unknown-service', 'unknown-action', 'removed-action', 'wildcard-matches-nothing', 'unknown-condition-key', 'unknown-service-principal']);
const catalog = loadActionCatalog();

const policies = readdirSync(join(DIR, 'policies'))
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => ({ name: f.replace(/\.json$/, ''), document: JSON.parse(readFileSync(join(DIR, 'policies', f), 'utf8')) as unknown }));

/** The quoted name a finding is about: `Action "x:Y"`, `Condition key "k"`, `Service principal "p"`. */
function subjectOf(f: LintFinding): string {
  const m = /^(?:Action|Condition key|Service principal) "([^"]+)"/.exec(f.message);
  if (!m) throw new Error(`no subject in: ${f.message}`);
  return m[1];
}

/** The row for a finding: an exact action/key/principal row, else the row of the action's service. */
function findVerdict(f: LintFinding): Verdict | undefined {
  const s = subjectOf(f).toLowerCase();
  return VERDICTS.find((v) => v.subject.toLowerCase() === s) ?? VERDICTS.find((v) => v.kind === 'service' && s.startsWith(`${v.subject.toLowerCase()}:`));
}

const findings = policies.flatMap((p) => lintPolicy(p.document, { type: 'identity', catalog, awsManaged: true }).filter((f) => NAME_RULES.has(f.rule)).map((f) => ({ policy: p.name, f })));

describe('AWS managed policies: every unknown/removed finding is verified', () => {
  it('holds every policy the table names', () => {
    expect(new Set(VERDICTS.flatMap((v) => v.policies))).toEqual(new Set(policies.map((p) => p.name)));
  });

  it('reports every finding with the rule and severity of its verified row', () => {
    const unverified = findings.filter(({ f }) => {
      const v = findVerdict(f);
      return !v || v.rule !== f.rule || v.severity !== f.severity;
    });
    expect(unverified.map(({ policy, f }) => `${policy} ${f.rule} ${f.severity} ${f.message}`)).toEqual([]);
  });

  it.each(VERDICTS.map((v) => [v.subject, v]))('sees %s in the policies the row names', (_subject, v) => {
    const hits = findings.filter(({ f }) => findVerdict(f) === v);
    expect(new Set(hits.map((h) => h.policy))).toEqual(new Set(v.policies));
    expect(v.sources.length).toBeGreaterThan(0);
  });

  it('says why a retired service or removed action is reported (the evidence in the message)', () => {
    const message = (subject: string): string => findings.find(({ f }) => subjectOf(f).toLowerCase().startsWith(subject))!.f.message;
    expect(message('iotroborunner:')).toContain('service "iotroborunner" was retired: it is not in the Service Authorization Reference of 2026-09-26, and only AWS managed policies that AWS deprecated name it');
    expect(message('mobilehub:')).toContain('service "mobilehub" was retired: the Service Authorization Reference listed it (duo-labs/parliament c7ea5b2 (2020-11-19))');
    expect(message('cloudhsm:createlunaclient')).toContain('was removed from AWS: the Service Authorization Reference listed it');
    expect(message('cloud9:validateenvironmentname')).toContain('is not in the Service Authorization Reference of 2026-09-26, though live AWS managed policies (2026-08-22) still name it');
    expect(message('iotroborunner:')).toContain('IAM Access Analyzer reports it as an error (INVALID_SERVICE_IN_ACTION)');
    expect(message('crowd.amazonaws.com')).toBe(
      'Service principal "crowd.amazonaws.com" is named only by AWS managed policies that AWS deprecated (data of 2026-08-22): a retired service or stage; the iam:PassedToService condition never matches it',
    );
  });

  it('has a verified row for every name of the removed-actions data', () => {
    const data = JSON.parse(readFileSync(join(__dirname, '..', '..', 'src', 'core', 'catalog', 'data', 'aws-removed-actions.json'), 'utf8')) as { services: string[]; actions: string[] };
    const rows = new Set(VERDICTS.filter((v) => v.rule === 'removed-action').map((v) => v.subject.toLowerCase()));
    expect([...data.services, ...data.actions].filter((n) => !rows.has(n.toLowerCase()))).toEqual([]);
  });

  it('leaves no unknown-service on them: every unknown prefix AWS wrote is a retired service', () => {
    expect(findings.filter(({ f }) => f.rule === 'unknown-service')).toEqual([]);
  });

  it('still reports a made-up service and action as unknown', () => {
    const rules = lintPolicy({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iotrobotrunner:GetSite', 's3:GetObjectz'], Resource: '*' }] }, { type: 'identity', catalog }).map((f) => f.rule);
    expect(rules).toEqual(expect.arrayContaining(['unknown-service', 'unknown-action']));
    expect(rules).not.toContain('removed-action');
  });
});
