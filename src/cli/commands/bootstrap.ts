import * as path from 'node:path';
import { loadOrganization, selectAccounts } from '../../config';
import { DEFAULT_BOOTSTRAP_OUTDIR, planBootstrapSteps, renderBootstrapSteps, selectBootstrapRoleNames, selectBootstrapSet } from '../../core/bootstrap';
import { tokenVariableName } from '../../core/delivery';
import { loadActionCatalog } from '../../io/catalog/load-action-catalog';
import { synthesizeBootstrap } from '../../../stacks/bootstrap-app';
import { EXIT_CODES } from '../exit-codes';
import { invalidArgument, type CommandModule } from '../program';
import { displayPath, printAnnotations } from './synth';

const FORMATS = ['text', 'json'] as const;
/** Terraform Cloud host when the backend is not Terraform Cloud yet (the steps name its token variable). */
const DEFAULT_TFC_HOSTNAME = 'app.terraform.io';

interface BootstrapFlags {
  readonly account?: string;
  readonly driftRole?: string;
  readonly synth?: boolean;
  readonly outdir: string;
  readonly format: string;
}

/**
 * `iamctl bootstrap --account A`: prints the steps, in order, from an empty fork to the account's first applied
 * stack (commands as data: `--format json` gives them as a list). With `--synth`, writes the account's bootstrap
 * stack (every account's without `--account`) and the Terraform Cloud stack into `--outdir` instead and prints what it wrote.
 */
export const bootstrapCommand: CommandModule = {
  names: ['bootstrap'],
  register(program, context) {
    program
      .command('bootstrap')
      .description('Print the steps that bootstrap an account (bootstrap stack, Terraform Cloud stack, first apply); --synth writes the two stacks')
      .option('--account <name>', 'the account to bootstrap (required, except with --synth: then every account)')
      .option('--drift-role <name>', 'role of the scheduled drift job (DRIFT_ROLE_NAME of the pipeline)')
      .option('--synth', 'write the bootstrap stack and the Terraform Cloud stack instead of printing the steps')
      .option('--outdir <dir>', 'output folder of --synth (state files in it are kept)', DEFAULT_BOOTSTRAP_OUTDIR)
      .option('--format <format>', `output format (${FORMATS.join(', ')})`, 'text')
      .action((flags: BootstrapFlags) => {
        if (!(FORMATS as readonly string[]).includes(flags.format)) invalidArgument(`--format must be one of ${FORMATS.join(', ')}, got "${flags.format}"`);
        if (!flags.account && !flags.synth) invalidArgument('--account is required (the steps are per account); only --synth writes every account\'s bootstrap stack without it');
        const org = loadOrganization(context.cwd);
        const selected = flags.account ? selectAccounts(org, [flags.account]) : org.accounts;
        // Fails here, naming the missing roles, rather than at the administrator's apply.
        for (const a of selected) selectBootstrapSet(a, selectBootstrapRoleNames(a, flags.driftRole ? { driftRole: flags.driftRole } : {}));
        const account = selected[0];
        if (flags.synth) {
          const result = synthesizeBootstrap(org, { outdir: path.resolve(context.cwd, flags.outdir), accounts: selected.map((a) => a.name), catalog: loadActionCatalog(), ...(flags.driftRole ? { driftRole: flags.driftRole } : {}) });
          printAnnotations(context, result.annotations);
          if (result.terraformCloudSkipped) context.output.message(`warning: no Terraform Cloud stack: ${result.terraformCloudSkipped}`);
          const stacks = result.stacks.map((s) => ({ stack: s.stack, file: displayPath(context.cwd, s.file) }));
          context.output.result(flags.format === 'json' ? JSON.stringify({ stacks, terraformCloudSkipped: result.terraformCloudSkipped ?? null }, null, 2) : stacks.map((s) => `${s.stack}: ${s.file}`).join('\n'));
          context.setExitCode(EXIT_CODES.CLEAN);
          return;
        }
        const hostname = account!.backend.type === 'cloud' ? account!.backend.hostname : DEFAULT_TFC_HOSTNAME;
        const steps = planBootstrapSteps({
          account: account!.name,
          stackName: account!.stackName,
          outdir: flags.outdir,
          tokenVariable: tokenVariableName(hostname),
          ...(flags.driftRole ? { driftRole: flags.driftRole } : {}),
        });
        context.output.result(flags.format === 'json' ? JSON.stringify({ account: account!.name, steps }, null, 2) : renderBootstrapSteps(steps));
        context.setExitCode(EXIT_CODES.CLEAN);
      });
  },
};
