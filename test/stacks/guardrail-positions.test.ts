/**
 * Synth-time guardrail findings point at the element in its accounts/ file (line and column), as `iamctl lint`
 * does, not at the document's start line; a warning annotation too. Expected positions are counted by hand in the fixture
 * (test/fixtures/stacks/cli-org/accounts/workloads/app-prod/roles/app.yaml).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lintCommand } from '../../src/cli/commands/lint';
import { synthCommand } from '../../src/cli/commands/synth';
import { validateCommand } from '../../src/cli/commands/validate';
import { runCli } from '../../src/cli/program';
import { Testing } from 'cdktf';
import { createYamlPositionFinder, loadOrganization } from '../../src/config';
import { loadActionCatalog } from '../../src/io/catalog';
import { collectAnnotations } from '../../stacks/app';
import { addOrganizationStacks } from '../../stacks/organization-stack';
import { captureOutput } from '../support/capture-output';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'stacks', 'cli-org');
const COMMANDS = [synthCommand, validateCommand];
const ROLE = path.join('accounts', 'workloads', 'app-prod', 'roles', 'app.yaml');

describe('guardrail annotations carry the element line and column', () => {
  let work: string;
  beforeEach(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrail-positions-'));
    fs.cpSync(path.join(FIXTURE, 'accounts'), path.join(work, 'accounts'), { recursive: true });
  });
  afterEach(() => fs.rmSync(work, { recursive: true, force: true }));

  const edit = (from: string, to: string): void => {
    const file = path.join(work, ROLE);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain(from);
    fs.writeFileSync(file, text.replace(from, to));
  };

  it('an error names line 11, column 9: the Action key of the inline policy, where iamctl lint puts it', async () => {
    // Given a misspelled action at line 11 (`        Action: s3:GetObjectz`: the key starts in column 9; a mapping
    // value is reported at its key, as iamctl lint does)
    edit('Action: s3:GetObject', 'Action: s3:GetObjectz');
    const output = captureOutput();
    expect(await runCli(['validate'], COMMANDS, { output, cwd: work })).toBe(1);
    expect(output.stderr()).toContain(`  accounts/workloads/app-prod/roles/app.yaml:11:9 $.inlinePolicies.read-uploads.Statement[0].Action: inline policy "read-uploads" of role "app": [unknown-action]`);
    // And iamctl lint reports the same finding at the same place
    const lint = captureOutput();
    expect(await runCli(['lint', '--format', 'json'], [lintCommand], { output: lint, cwd: work })).toBe(1);
    const found = (JSON.parse(lint.stdout()) as { findings: { rule: string; file: string; line?: number; column?: number }[] }).findings.filter((f) => f.rule === 'unknown-action');
    expect(found.map((f) => [f.file, f.line, f.column])).toEqual([['accounts/workloads/app-prod/roles/app.yaml', 11, 9]]);
  });

  it('a second element of a list gets its own position: line 13, column 13', async () => {
    // Given Action as a block list whose second item (line 13, `          - s3:GetObjectz`) is wrong: column 13
    edit('        Action: s3:GetObject\n', '        Action:\n          - s3:GetObject\n          - s3:GetObjectz\n');
    const output = captureOutput();
    expect(await runCli(['validate'], COMMANDS, { output, cwd: work })).toBe(1);
    expect(output.stderr()).toContain(`  accounts/workloads/app-prod/roles/app.yaml:13:13 $.inlinePolicies.read-uploads.Statement[0].Action[1]: inline policy "read-uploads" of role "app": [unknown-action]`);
  });

  it('a warning annotation carries the position too (synth succeeds)', async () => {
    // Given s3:* on one bucket's objects (service-wildcard, a warning) at line 11, key in column 9
    edit('Action: s3:GetObject', 'Action: "s3:*"');
    const output = captureOutput();
    expect(await runCli(['synth', '--format', 'json'], COMMANDS, { output, cwd: work })).toBe(0);
    const warnings = (JSON.parse(output.stdout()) as { warnings: string[] }).warnings.filter((m) => m.includes('[service-wildcard]'));
    expect(warnings).toEqual([expect.stringMatching(/^accounts\/workloads\/app-prod\/roles\/app\.yaml:11:9 \$\.inlinePolicies\.read-uploads\.Statement\[0\]\.Action: /)]);
  });

  it('an SCP finding of the organization stack names the list item: line 19, column 11', () => {
    // Given the example organization with a misspelled action in an SCP's list (line 19, `        - cloudtrail:StopLoggingz`)
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'guardrail-positions-org-'));
    try {
      fs.cpSync(path.join(__dirname, '..', '..', 'accounts'), path.join(root, 'accounts'), { recursive: true });
      const scp = path.join(root, 'accounts', 'scps', 'deny-audit-tampering.yaml');
      const text = fs.readFileSync(scp, 'utf8');
      expect(text.split('\n')[18]).toBe('        - cloudtrail:StopLogging');
      fs.writeFileSync(scp, text.replace('- cloudtrail:StopLogging\n', '- cloudtrail:StopLoggingz\n'));
      const org = loadOrganization(root);
      const locate = createYamlPositionFinder((file) => fs.readFileSync(path.resolve(org.rootDir, file), 'utf8'));
      // When the organization stack is synthesized with the position finder
      const stacks = addOrganizationStacks(Testing.app(), org, { catalog: loadActionCatalog(), locate });
      Testing.synth(stacks!.organization);
      // Then the error names the item's line and column
      const errors = collectAnnotations(stacks!.organization).filter((a) => a.level === 'error');
      expect(errors.map((a) => [a.problem?.file, a.problem?.line, a.problem?.column, a.problem?.path])).toEqual([['accounts/scps/deny-audit-tampering.yaml', 19, 11, '$.document.Statement[1].Action[0]']]);
      expect(errors[0].message).toMatch(/^accounts\/scps\/deny-audit-tampering\.yaml:19:11 \$\.document\.Statement\[1\]\.Action\[0\]: /);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
