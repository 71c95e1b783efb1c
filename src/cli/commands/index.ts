import type { CommandModule } from '../program';
import { accountsCommand } from './accounts';
import { analyzeCommand } from './analyze';
import { diffCommand } from './diff';
import { desiredInventoryCommand, driftCommand } from './drift';
import { historyCommand } from './history';
import { recordCommand } from './record';
import { rollbackCommand } from './rollback';
import { lintCommand } from './lint';
import { planReportCommand } from './plan-report';
import { remediateCommand } from './remediate';
import { scanCommand } from './scan';
import { stacksCommand } from './stacks';
import { synthCommand } from './synth';
import { tfcCommand } from './tfc';
import { validateCommand } from './validate';

/**
 * Every iamctl command. Each command lives in its own file in this folder and is listed here once.
 */
export const COMMANDS: readonly CommandModule[] = [
  accountsCommand,
  planReportCommand,
  stacksCommand,
  synthCommand,
  validateCommand,
  driftCommand,
  remediateCommand,
  desiredInventoryCommand,
  scanCommand,
  lintCommand,
  analyzeCommand,
  tfcCommand,
  diffCommand,
  recordCommand,
  historyCommand,
  rollbackCommand,
];
