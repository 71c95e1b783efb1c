import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planReportCommand } from '../../src/cli/commands/plan-report';
import { runCli } from '../../src/cli/program';
import { captureOutput } from '../support/capture-output';

describe('iamctl plan-report', () => {
  it('sums plans of several stacks into the GitLab report and exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plan-report-'));
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ resource_changes: [{ change: { actions: ['create'] } }] }));
    writeFileSync(join(dir, 'b.json'), JSON.stringify({ resource_changes: [{ change: { actions: ['delete', 'create'] } }] }));
    const output = captureOutput();
    const code = await runCli(['plan-report', 'a.json', 'b.json', '--output', 'report.json'], [planReportCommand], { output, cwd: dir });
    expect(code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'))).toEqual({ create: 2, update: 0, delete: 1 });
  });

  it('exits 2 naming the unreadable plan and how to make it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plan-report-'));
    const output = captureOutput();
    const code = await runCli(['plan-report', 'missing.json'], [planReportCommand], { output, cwd: dir });
    expect(code).toBe(2);
    expect(output.stderr()).toMatch(/^error: cannot read plan missing\.json: ENOENT.*Create it with `terraform show -json <planfile> > missing\.json`\.\n$/);
    expect(output.stdout()).toBe('');
  });
});
