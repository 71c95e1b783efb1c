import type { CommandModule } from '../program';
import { planReportCommand } from './plan-report';

/**
 * Every iamctl command. Each command lives in its own file in this folder and is listed here once.
 */
export const COMMANDS: readonly CommandModule[] = [
  planReportCommand,
];
