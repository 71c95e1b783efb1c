import { join } from 'node:path';
import { analyzeCommand } from '../../src/cli/commands/analyze';
import { reportCommand } from '../../src/cli/commands/report';
import { runCli } from '../../src/cli/program';
import type { UnusedReport } from '../../src/core/reports';
import { diffLines } from '../../src/core/reports';
import { captureOutput } from '../support/capture-output';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

jest.setTimeout(60_000);

const fixtures = join(__dirname, '../fixtures/cloudtrail');
const repo = join(fixtures, 'cli-repo');

describe('iamctl report unused', () => {
  let out: string;
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'iamctl-unused-'));
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('ranks roles by risk, counts removable permissions and diffs the tightened policy against today\'s file', async () => {
    // Given the analyzer's result on the synthetic logs of test/fixtures/cloudtrail (the CLI repo's two roles)
    const analyze = captureOutput();
    expect(await runCli(['analyze', '--logs', join(fixtures, 'synthetic'), '--workers', '0', '--format', 'json'], [analyzeCommand], { output: analyze, cwd: repo })).toBe(0);
    const resultFile = join(out, 'analyzer.json');
    writeFileSync(resultFile, analyze.stdout());
    const analyzer = JSON.parse(analyze.stdout()) as { principals: { arn: string; managed: boolean; unused: string[] }[] };
    // When the unused report runs
    const output = captureOutput();
    const code = await runCli(['report', 'unused', '--analyzer-result', resultFile, '--format', 'json'], [reportCommand], { output, cwd: repo });
    const report = JSON.parse(output.stdout()) as UnusedReport;
    // Then: removable = the analyzer's unused actions of the managed roles, summed independently here
    const expectedRemovable = analyzer.principals.filter((p) => p.managed).reduce((n, p) => n + p.unused.length, 0);
    expect(report.summary.removable).toBe(expectedRemovable);
    expect(code).toBe(1);
    // ci's unused permissions are IAM reads (List/Read), app's include writes: risk orders them, not the count alone
    expect(report.roles.map((r) => r.arn)).toEqual(['arn:aws:iam::111111111111:role/pipeline/ci', 'arn:aws:iam::111111111111:role/app']);
    const app = report.roles[1];
    const unusedQueue = app.changes.find((c) => c.name === 'unused-queue')!;
    expect(unusedQueue.stale).toBe(false);
    expect(unusedQueue.diff.filter((l) => l.op === '+')).toEqual([]);
    expect(unusedQueue.diff.every((l) => l.op === '-')).toBe(true);
  });

  it('diffs lines by longest common subsequence', () => {
    expect(diffLines(['a', 'b', 'c', 'd'], ['a', 'c', 'x', 'd'])).toEqual([
      { op: ' ', text: 'a' },
      { op: '-', text: 'b' },
      { op: ' ', text: 'c' },
      { op: '+', text: 'x' },
      { op: ' ', text: 'd' },
    ]);
  });

  it('names a file that is not an analyzer result', async () => {
    const bad = join(out, 'bad.json');
    writeFileSync(bad, '{"principals": {}}');
    const output = captureOutput();
    expect(await runCli(['report', 'unused', '--analyzer-result', bad], [reportCommand], { output, cwd: repo })).toBe(2);
    expect(output.stderr()).toContain(`analyzer result ${bad}: $.principals and $.recommendations must be arrays: pass the output of \`iamctl analyze --format json\``);
  });
});
