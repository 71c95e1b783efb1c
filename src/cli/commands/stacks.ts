import { loadOrganization } from '../../config';
import type { Environment } from '../../core/model';
import { EXIT_CODES } from '../exit-codes';
import { invalidArgument, type CommandModule } from '../program';

const ENVIRONMENTS: readonly Environment[] = ['nonprod', 'staging', 'prod'];
const FORMATS = ['stacks', 'accounts', 'json'] as const;
type StacksFormat = (typeof FORMATS)[number];

/**
 * `iamctl stacks [--environment ENV] [--format stacks|accounts|json]`: the stacks (Terraform Cloud
 * workspaces) of the organization, one per line, for CI glue that loops over them in deployment order.
 */
export const stacksCommand: CommandModule = {
  register(program, context) {
    program
      .command('stacks')
      .description('List the per-account stacks (one per line), optionally of one environment')
      .option('--environment <env>', `only accounts of this environment (${ENVIRONMENTS.join(', ')})`)
      .option('--format <format>', `stacks (stack names), accounts (account names) or json`, 'stacks')
      .action((options: { environment?: string; format: string }) => {
        if (options.environment !== undefined && !(ENVIRONMENTS as readonly string[]).includes(options.environment)) {
          invalidArgument(`--environment must be one of ${ENVIRONMENTS.join(', ')}, got "${options.environment}"`);
        }
        if (!(FORMATS as readonly string[]).includes(options.format)) {
          invalidArgument(`--format must be one of ${FORMATS.join(', ')}, got "${options.format}"`);
        }
        const format = options.format as StacksFormat;
        const org = loadOrganization(context.cwd);
        const accounts = org.accounts.filter((a) => options.environment === undefined || a.environment === options.environment);
        if (format === 'json') {
          const rows = accounts.map((a) => ({ account: a.name, accountId: a.id, environment: a.environment, stack: a.stackName, backend: a.backend.type }));
          context.output.result(JSON.stringify({ stacks: rows }, null, 2));
        } else if (accounts.length > 0) {
          context.output.result(accounts.map((a) => (format === 'accounts' ? a.name : a.stackName)).join('\n'));
        }
        context.setExitCode(EXIT_CODES.CLEAN);
      });
  },
};
