import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * scripts/check-system-tools.sh, the first step of `npm run setup`, on a PATH of fake tools: it lists every missing
 * or too old tool at once with how to install it, and exits 1; with all present it exits 0.
 */
const SCRIPT = path.join(__dirname, '..', '..', 'scripts', 'check-system-tools.sh');
/** Real commands the script itself uses. */
const SHELL_COMMANDS = ['grep', 'sort', 'head', 'cut'];

/** What each fake tool prints for its version query, as the real ones do. */
const CURRENT_TOOLS: Readonly<Record<string, string>> = {
  node: 'v22.12.0',
  git: 'git version 2.39.5',
  rsync: 'rsync  version 3.2.7  protocol version 31',
  chromium: 'Chromium 156.0.8078.114 built on Debian GNU/Linux 12 (bookworm)',
  python3: 'Python 3.11.2',
  go: 'go version go1.22.5 linux/amd64',
  terraform: 'Terraform v1.11.4',
};

describe('scripts/check-system-tools.sh', () => {
  let bin: string;
  beforeEach(() => {
    bin = fs.mkdtempSync(path.join(os.tmpdir(), 'check-tools-'));
    for (const command of SHELL_COMMANDS) {
      const real = spawnSync('bash', ['-c', `command -v ${command}`], { encoding: 'utf8' }).stdout.trim();
      fs.symlinkSync(real, path.join(bin, command));
    }
  });
  afterEach(() => fs.rmSync(bin, { recursive: true, force: true }));

  /** A fake tool printing `version`; the fake python3 answers `-c` (the venv check) with `venvExit`. */
  function addTool(name: string, version: string, venvExit = 0): void {
    const body = name === 'python3' ? `if [ "$1" = "-c" ]; then exit ${venvExit}; fi\necho '${version}'` : `echo '${version}'`;
    fs.writeFileSync(path.join(bin, name), `#!/bin/bash\n${body}\n`, { mode: 0o755 });
  }

  function runCheck(): { status: number | null; stdout: string; stderr: string } {
    const run = spawnSync('/bin/bash', [SCRIPT], { env: { PATH: bin, HOME: os.tmpdir() }, encoding: 'utf8' });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
  }

  it('passes when every tool is present at a supported version', () => {
    for (const [name, version] of Object.entries(CURRENT_TOOLS)) addTool(name, version);
    const run = runCheck();
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.trimEnd().split('\n')).toEqual([
      'ok: node 22.12.0',
      'ok: git 2.39.5',
      'ok: rsync 3.2.7',
      'ok: chromium 156.0.8078',
      'ok: python3 3.11.2',
      'ok: go 1.22.5',
      'ok: terraform 1.11.4',
      'All system tools the setup and the tests need are present.',
    ]);
  });

  it('lists every missing or too old tool with how to install it, and exits 1', () => {
    // Given no rsync, no chromium and no terraform, Node 18, and a Python without venv
    for (const [name, version] of Object.entries(CURRENT_TOOLS)) if (name !== 'rsync' && name !== 'chromium' && name !== 'terraform') addTool(name, version);
    addTool('node', 'v18.20.4');
    addTool('python3', 'Python 3.11.2', 1);
    // When the check runs, Then it names all five problems at once
    const run = runCheck();
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      [
        '',
        'npm run setup needs these system tools first (5 missing or too old):',
        '  - node 18.20.4 is too old (need >= 20.19): install Node.js 22 LTS (or 20.19+), e.g. with your version manager (nvm install 22)',
        '  - rsync is not installed: on Debian/Ubuntu: apt-get install -y rsync (gitlab-ci-local\'s shell executor needs it)',
        "  - chromium is not installed: on Debian/Ubuntu: apt-get install -y chromium (the reports' and the portal's browser tests render in it; or set CHROMIUM_PATH)",
        '  - python3 has no working venv module (ensurepip is missing): on Debian/Ubuntu: apt-get install -y python3-venv (or python3.11-venv)',
        '  - terraform is not installed: install Terraform 1.5+ (HashiCorp\'s release zip or apt repository) and put it on PATH',
        'Install them and run npm run setup again.',
        '',
      ].join('\n'),
    );
  });
});
