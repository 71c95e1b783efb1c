import { Command } from 'commander';
import { COMMANDS as LAZY } from '../../src/cli/commands';
import { selectCommands, type CommandModule } from '../../src/cli/program';

/** Which command modules a run registers (and so loads): only the one it runs, all of them for help. */
const named = (...names: string[]): CommandModule => ({ names, register: () => undefined });
const lint = named('lint');
const drift = named('drift', 'desired-inventory');
const synth = named('synth');
const unnamed: CommandModule = { register: () => undefined };
const COMMANDS = [lint, drift, synth, unnamed];

describe('selectCommands', () => {
  it.each([
    ['a command: its module and the unnamed ones', ['lint', 'policy.json'], [lint, unnamed]],
    ['a second name of a module', ['desired-inventory', '--account', 'a'], [drift, unnamed]],
    ['flags before the command', ['--no-color', 'synth'], [synth, unnamed]],
    ['--version alone: no named module', ['--version'], [unnamed]],
    ['-V alone: no named module', ['-V'], [unnamed]],
    ['--help: every module, so help lists them', ['--help'], COMMANDS],
    ['help <command>: every module', ['help', 'lint'], COMMANDS],
    ['a typo: every module, so commander can suggest one', ['lnt'], COMMANDS],
    ['nothing: every module', [], COMMANDS],
  ])('%s', (_name, argv, expected) => {
    expect(selectCommands(argv, COMMANDS)).toEqual(expected);
  });

  it('a command with --version still registers that command', () => {
    expect(selectCommands(['lint', '--version'], COMMANDS)).toEqual([lint, unnamed]);
  });
});

describe('the lazy command list (src/cli/commands/index.ts)', () => {
  it('declares exactly the top-level names each module registers, so every command is reachable when run by name', () => {
    const context = { output: { result: () => undefined, message: () => undefined, interactive: false }, cwd: process.cwd(), setExitCode: () => undefined };
    for (const command of LAZY) {
      const program = new Command('iamctl');
      command.register(program, context);
      expect({ declared: command.names, registered: program.commands.map((c) => c.name()) }).toEqual({ declared: command.names, registered: command.names });
    }
    const all = LAZY.flatMap((c) => c.names ?? []);
    expect(new Set(all).size).toBe(all.length);
  });
});
