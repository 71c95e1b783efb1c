import { describeOrganization, loadOrganization, selectAccounts, type OrganizationDescription } from '../../config';
import { EXIT_CODES } from '../exit-codes';
import { invalidArgument, type CommandModule } from '../program';

const FORMATS = ['text', 'json'] as const;
type AccountsFormat = (typeof FORMATS)[number];

/** Pads the columns of rows to a readable table. */
function renderTable(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ').trimEnd());
}

/** Text rendering of `iamctl accounts`: a summary table, then each account's roles and where they come from. */
export function renderAccountsText(description: OrganizationDescription): string {
  const lines: string[] = [`Organization ${description.organization} (default region ${description.defaultRegion}), ${description.accounts.length} accounts`, ''];
  const header = ['ACCOUNT', 'ID', 'OU', 'ENV', 'OWNER', 'REGIONS', 'STACK', 'BACKEND', 'BOUNDARY', 'DRIFT', 'ROLES'];
  const rows = description.accounts.map((a) => {
    const fromTemplates = a.roles.filter((r) => r.origin === 'template').length;
    return [
      a.name,
      a.id,
      a.ou,
      a.environment,
      a.owner,
      a.regions.join(','),
      a.workspace ?? a.stackName,
      a.backend,
      a.boundary ?? '-',
      a.driftEnabled ? a.driftMode : 'off',
      `${a.roleCount} (${fromTemplates} template, ${a.roleCount - fromTemplates} file)`,
    ];
  });
  lines.push(...renderTable([header, ...rows]));
  for (const a of description.accounts) {
    lines.push('', `${a.name} (${a.id}) roles:`);
    const roleRows = a.roles.map((r) => [
      `  ${r.name}`,
      r.kind,
      r.boundary === 'none' ? 'no boundary (opt-out)' : r.boundary === 'named' ? 'named boundary' : 'default boundary',
      r.origin === 'template' ? `template ${r.template}` : 'file',
      r.file,
    ]);
    if (roleRows.length > 0) lines.push(...renderTable(roleRows));
    else lines.push('  (none)');
  }
  return lines.join('\n');
}

/**
 * `iamctl accounts [--account NAME ...] [--format text|json]`: the resolved accounts with their
 * inherited settings and where each role comes from. Invalid config exits 1 with every problem.
 */
export const accountsCommand: CommandModule = {
  register(program, context) {
    program
      .command('accounts')
      .description('List the resolved accounts with their inherited settings and the origin of each role')
      .option('--account <name...>', 'only these accounts')
      .option('--format <format>', `output format (${FORMATS.join(', ')})`, 'text')
      .action((options: { account?: string[]; format: string }) => {
        if (!(FORMATS as readonly string[]).includes(options.format)) {
          invalidArgument(`--format must be one of ${FORMATS.join(', ')}, got "${options.format}"`);
        }
        const format = options.format as AccountsFormat;
        const org = loadOrganization(context.cwd);
        const description = describeOrganization(org, selectAccounts(org, options.account ?? []));
        context.output.result(format === 'json' ? JSON.stringify(description, null, 2) : renderAccountsText(description));
        context.setExitCode(EXIT_CODES.CLEAN);
      });
  },
};
