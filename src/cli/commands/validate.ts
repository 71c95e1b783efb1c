import { loadOrganization, selectAccounts } from '../../config';
import { loadActionCatalog } from '../../io/catalog/load-action-catalog';
import { validateOrganization } from '../../../stacks';
import { EXIT_CODES } from '../exit-codes';
import type { CommandModule } from '../program';
import { collectAccounts, parseSynthFormat, printAnnotations, renderSynthJson, SYNTH_FORMATS } from './synth';

/**
 * `iamctl validate [--account NAME ...]`: loads accounts/ and runs every synth guardrail without
 * writing anything (the synth goes to a temporary folder that is removed). Exit 0 clean, 1 invalid.
 */
export const validateCommand: CommandModule = {
  register(program, context) {
    program
      .command('validate')
      .description('Check accounts/ and the synth guardrails without writing stacks')
      .option('--account <name>', 'only this account (repeatable, or comma-separated)', collectAccounts, [])
      .option('--format <format>', `output format (${SYNTH_FORMATS.join(', ')})`, 'text')
      .action((options: { account: string[]; format: string }) => {
        const format = parseSynthFormat(options.format);
        const started = process.hrtime.bigint();
        const org = loadOrganization(context.cwd);
        // Naming accounts narrows the synth to their stacks; the organization stacks come with a full synth.
        const accounts = options.account.length > 0 ? selectAccounts(org, options.account).map((a) => a.name) : undefined;
        const result = validateOrganization(org, { accounts, catalog: loadActionCatalog() });
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        printAnnotations(context, result.annotations);
        if (format === 'json') {
          context.output.result(renderSynthJson(result, context.cwd, seconds));
        } else {
          const roles = result.stacks.reduce((sum, s) => sum + s.resources, 0);
          context.output.result(`Valid: ${result.stacks.length} stack${result.stacks.length === 1 ? '' : 's'}, ${roles} resources, no guardrail errors`);
        }
        context.setExitCode(EXIT_CODES.CLEAN);
      });
  },
};
