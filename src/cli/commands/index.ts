import type { CommandModule } from '../program';

/**
 * Every iamctl command. Each command lives in its own file in this folder and is listed here once.
 */
export const COMMANDS: readonly CommandModule[] = [];
