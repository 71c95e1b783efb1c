import { loadOrganization } from '../../src/config';
import { stacksCommand } from '../../src/cli/commands/stacks';
import { runCli } from '../../src/cli/program';
import { captureOutput } from '../support/capture-output';
import { EXAMPLE_ORG_ROOT } from '../support/example-org';

const root = EXAMPLE_ORG_ROOT;

describe('iamctl stacks', () => {
  it('lists the stacks of one environment, one per line, for the deploy jobs', async () => {
    const output = captureOutput();
    const code = await runCli(['stacks', '--environment', 'nonprod'], [stacksCommand], { output, cwd: root });
    expect(code).toBe(0);
    const expected = loadOrganization(root)
      .accounts.filter((a) => a.environment === 'nonprod')
      .map((a) => a.stackName);
    expect(expected.length).toBeGreaterThan(0);
    expect(output.stdout()).toBe(`${expected.join('\n')}\n`);
  });

  it('lists account names with --format accounts, every environment by default', async () => {
    const output = captureOutput();
    await runCli(['stacks', '--format', 'accounts'], [stacksCommand], { output, cwd: root });
    expect(output.stdout().trim().split('\n')).toEqual(loadOrganization(root).accounts.map((a) => a.name));
  });

  it('exits 2 on an unknown environment and says which are valid', async () => {
    const output = captureOutput();
    const code = await runCli(['stacks', '--environment', 'dev'], [stacksCommand], { output, cwd: root });
    expect(code).toBe(2);
    expect(output.stderr()).toBe('error: --environment must be one of nonprod, staging, prod, got "dev"\n');
  });
});
