import type { CommandModule } from '../program';

/* eslint-disable @typescript-eslint/no-require-imports -- each command module is required on demand, so a command loads only its own dependencies */

/**
 * A command that is registered under the given top-level names and whose module is required only when one of
 * them runs (or when the program needs every command, as for `--help`). This keeps `iamctl --version` and
 * `iamctl lint FILE` from loading cdktf, the provider bindings and the AWS SDK clients.
 */
function defineLazyCommand(names: readonly string[], load: () => CommandModule): CommandModule {
  let loaded: CommandModule | undefined;
  return {
    names,
    register: (program, context) => {
      loaded ??= load();
      loaded.register(program, context);
    },
  };
}

/**
 * Every iamctl command. Each command lives in its own file in this folder and is listed here once, with the
 * top-level command names it registers.
 */
export const COMMANDS: readonly CommandModule[] = [
  defineLazyCommand(['accounts'], () => (require('./accounts') as typeof import('./accounts')).accountsCommand),
  defineLazyCommand(['plan-report'], () => (require('./plan-report') as typeof import('./plan-report')).planReportCommand),
  defineLazyCommand(['stacks'], () => (require('./stacks') as typeof import('./stacks')).stacksCommand),
  defineLazyCommand(['synth'], () => (require('./synth') as typeof import('./synth')).synthCommand),
  defineLazyCommand(['validate'], () => (require('./validate') as typeof import('./validate')).validateCommand),
  defineLazyCommand(['drift'], () => (require('./drift') as typeof import('./drift')).driftCommand),
  defineLazyCommand(['remediate'], () => (require('./remediate') as typeof import('./remediate')).remediateCommand),
  defineLazyCommand(['desired-inventory'], () => (require('./drift') as typeof import('./drift')).desiredInventoryCommand),
  defineLazyCommand(['scan'], () => (require('./scan') as typeof import('./scan')).scanCommand),
  defineLazyCommand(['lint'], () => (require('./lint') as typeof import('./lint')).lintCommand),
  defineLazyCommand(['analyze'], () => (require('./analyze') as typeof import('./analyze')).analyzeCommand),
  defineLazyCommand(['tfc'], () => (require('./tfc') as typeof import('./tfc')).tfcCommand),
  defineLazyCommand(['diff'], () => (require('./diff') as typeof import('./diff')).diffCommand),
  defineLazyCommand(['record'], () => (require('./record') as typeof import('./record')).recordCommand),
  defineLazyCommand(['history'], () => (require('./history') as typeof import('./history')).historyCommand),
  defineLazyCommand(['bootstrap'], () => (require('./bootstrap') as typeof import('./bootstrap')).bootstrapCommand),
  defineLazyCommand(['report'], () => (require('./report') as typeof import('./report')).reportCommand),
  defineLazyCommand(['import'], () => (require('./import') as typeof import('./import')).importCommand),
  defineLazyCommand(['rollback'], () => (require('./rollback') as typeof import('./rollback')).rollbackCommand),
  defineLazyCommand(['serve'], () => (require('./serve') as typeof import('./serve')).serveCommand),
  defineLazyCommand(['expire'], () => (require('./expire') as typeof import('./expire')).expireCommand),
];
