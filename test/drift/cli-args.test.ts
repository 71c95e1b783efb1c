/** iamctl drift / remediate / desired-inventory: argument errors and the desired-inventory artifact (no AWS needed). */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDesiredInventoryCommand, createDriftCommand } from '../../src/cli/commands/drift';
import { createRemediateCommand } from '../../src/cli/commands/remediate';
import { runCli } from '../../src/cli/program';
import { buildTestAccount, desiredOf } from './support/account';

const account = buildTestAccount();
const commands = [createDriftCommand({ loadAccount: () => ({ account }) }), createRemediateCommand({ loadAccount: () => ({ account }) }), createDesiredInventoryCommand({ loadAccount: () => ({ account }) })];

async function run(args: readonly string[], cwd = process.cwd()): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, commands, { cwd, output: { result: (t) => out.push(t), message: (t) => err.push(t), interactive: false } });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('iamctl drift arguments', () => {
  it.each([
    [['drift', '--account', 'app-prod', '--format', 'yaml'], 'error: --format must be one of text, json, markdown, got "yaml"'],
    [['drift', '--account', 'app-prod', '--scope', 'org'], 'error: --scope must be one of managed, account, got "org"'],
    [['remediate', '--account', 'app-prod', '--max-attempts', '0'], 'error: --max-attempts must be a whole number of at least 1, got "0"'],
    [['remediate', '--account', 'app-prod', '--format', 'markdown'], 'error: --format must be one of text, json, got "markdown"'],
  ])('%j exits 2 with a clear message', async (args, message) => {
    const { code, err } = await run(args);
    expect(code).toBe(2);
    expect(err).toBe(message);
  });

  it('requires --account', async () => {
    const { code, err } = await run(['drift']);
    expect(code).toBe(2);
    expect(err).toContain("required option '--account <name>' not specified");
  });

  it('exits 2 naming the endpoint when nothing answers', async () => {
    // Static credentials, so the SDK never looks for instance credentials off the loopback.
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1' });
    try {
      const { code, err } = await run(['drift', '--account', 'app-prod', '--endpoint-url', 'http://127.0.0.1:9', '--max-attempts', '1']);
      expect(code).toBe(2);
      expect(err).toMatch(/^error: STS GetCallerIdentity failed: .*ECONNREFUSED.*\. Fix: the endpoint did not answer: check --endpoint-url \/ AWS_ENDPOINT_URL and the network$/);
    } finally {
      process.env = saved;
    }
  });
});

describe('iamctl desired-inventory', () => {
  it('writes the artifact the drift Lambda reads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'iamctl-desired-'));
    try {
      const { code, err } = await run(['desired-inventory', '--account', 'app-prod', '--out', 'out/app-prod.json'], dir);
      expect(code).toBe(0);
      expect(err).toBe(`Wrote ${join(dir, 'out', 'app-prod.json')}`);
      expect(JSON.parse(readFileSync(join(dir, 'out', 'app-prod.json'), 'utf8'))).toEqual(desiredOf(account));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
