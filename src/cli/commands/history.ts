import { listAccountVersions, renderHistoryText } from '../../core/registry';
import { openRegistry } from '../../io/registry';
import { EXIT_CODES } from '../exit-codes';
import { type CommandModule, invalidArgument } from '../program';

const HISTORY_FORMATS = ['text', 'json'] as const;

/** `iamctl history ACCOUNT [ROLE|POLICY]`: the recorded versions of an account (or one resource), oldest first. */
export const historyCommand: CommandModule = {
  register(program, context) {
    program
      .command('history')
      .description('Recorded versions of an account, or of one role or policy: commit, status, merge request, approver, run')
      .argument('<account>', 'account name')
      .argument('[resource]', 'role or policy name (or ARN)')
      .option('--format <format>', `output format (${HISTORY_FORMATS.join(', ')})`, 'text')
      .option('--registry <store>', 'dynamodb:<table> or file:<path> (default: IAMCTL_REGISTRY_TABLE, else file .iamctl/registry.json)')
      .action(async (account: string, resource: string | undefined, flags: { format: string; registry?: string }) => {
        if (!(HISTORY_FORMATS as readonly string[]).includes(flags.format)) invalidArgument(`--format must be one of ${HISTORY_FORMATS.join(', ')}, got "${flags.format}"`);
        const store = openRegistry({ registry: flags.registry, cwd: context.cwd, env: process.env });
        const versions = listAccountVersions(await store.list(account), account, resource);
        context.output.result(flags.format === 'json' ? JSON.stringify({ account, ...(resource ? { resource } : {}), versions }, null, 2) : renderHistoryText(account, versions, resource));
        context.setExitCode(EXIT_CODES.CLEAN);
      });
  },
};
