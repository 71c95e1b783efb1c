import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadOrganization, selectAccounts } from '../../config';
import { loadActionCatalog } from '../../io/catalog/load-action-catalog';
import { evaluateScan, renderScanJson, renderScanText, SEVERITIES, type ScanReport, type Severity } from '../../core/scan';
import { DEFAULT_TERRAFORM_CONCURRENCY, scanStacks, type StackValidation } from '../../io/scanners';
import { synthesizeOrganization, validateOrganization, type SynthResult } from '../../../stacks';
import { EXIT_CODES } from '../exit-codes';
import { invalidArgument, type CommandContext, type CommandModule } from '../program';
import { collectAccounts, parseSynthFormat, printAnnotations, renderSynthJson, SYNTH_FORMATS } from './synth';

interface ValidateCliOptions {
  readonly account: string[];
  readonly format: string;
  readonly terraform?: boolean;
  readonly stacksDir?: string;
  readonly concurrency: string;
  readonly failOn: string;
}

/** Lowest Terraform diagnostic severity that fails `validate --terraform` by default: errors (warnings are reported). */
export const DEFAULT_TERRAFORM_FAIL_ON: Severity = 'critical';

function summaryLine(result: SynthResult): string {
  const resources = result.stacks.reduce((sum, s) => sum + s.resources, 0);
  return `Valid: ${result.stacks.length} stack${result.stacks.length === 1 ? '' : 's'}, ${resources} resources, no guardrail errors`;
}

function renderTerraformText(report: ScanReport, stacks: readonly StackValidation[], seconds: number): string {
  const invalid = stacks.filter((s) => !s.valid);
  const head =
    invalid.length === 0
      ? `terraform validate: ${stacks.length} stack${stacks.length === 1 ? '' : 's'} valid in ${seconds.toFixed(1)} s`
      : `terraform validate: ${invalid.length} of ${stacks.length} stacks invalid (${invalid.map((s) => s.account).join(', ')}) in ${seconds.toFixed(1)} s`;
  const warnings = stacks.reduce((n, s) => n + s.warnings, 0);
  return report.findings.length === 0 ? head : `${head}${warnings > 0 ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}\n${renderScanText(report)}`;
}

/** Synthesizes into a temporary folder (or reads --stacks-dir) and runs `terraform validate` on every stack. */
async function validateWithTerraform(context: CommandContext, options: ValidateCliOptions, accounts: readonly string[] | undefined): Promise<{ synth?: SynthResult; report: ScanReport; stacks: readonly StackValidation[]; seconds: number }> {
  const scratch = options.stacksDir ? undefined : mkdtempSync(path.join(tmpdir(), 'iamctl-validate-tf-'));
  try {
    let synth: SynthResult | undefined;
    if (scratch) {
      synth = synthesizeOrganization(loadOrganization(context.cwd), { outdir: path.join(scratch, 'out'), catalog: loadActionCatalog(), ...(accounts ? { accounts } : {}) });
      printAnnotations(context, synth.annotations);
    }
    const concurrency = Number(options.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1) invalidArgument(`--concurrency must be a whole number of 1 or more, got "${options.concurrency}"`);
    const failOn = SEVERITIES.includes(options.failOn as Severity) ? (options.failOn as Severity) : invalidArgument(`--fail-on must be one of ${SEVERITIES.join(', ')}, got "${options.failOn}"`);
    if (context.output.interactive) context.output.message(`terraform validate on every stack (${concurrency} at a time)...`);
    const started = process.hrtime.bigint();
    const scan = await scanStacks({
      cwd: context.cwd,
      stacksDir: options.stacksDir ?? path.join(scratch as string, 'out', 'stacks'),
      scanners: ['terraform'],
      terraformConcurrency: concurrency,
      ...(accounts && options.stacksDir ? { accounts } : {}),
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const report = evaluateScan({ results: scan.results, suppressions: [], today: new Date().toISOString().slice(0, 10), failOn, scanners: scan.scanners, scope: scan.scope });
    return { ...(synth ? { synth } : {}), report, stacks: scan.terraform ?? [], seconds };
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * `iamctl validate [--account NAME ...] [--terraform]`: loads accounts/ and runs every synth guardrail
 * without writing anything (the synth goes to a temporary folder that is removed). With
 * `--terraform`, also runs `terraform validate` on every synthesized stack (in parallel) and reports
 * each diagnostic like a scan finding: stack, resource address, accounts/ file and line.
 * Exit 0 clean, 1 invalid (guardrails, or a Terraform diagnostic at or above --fail-on), 2 could not run.
 */
export const validateCommand: CommandModule = {
  register(program, context) {
    program
      .command('validate')
      .description('Check accounts/ and the synth guardrails without writing stacks (--terraform: and terraform validate every stack)')
      .option('--account <name>', 'only this account (repeatable, or comma-separated)', collectAccounts, [])
      .option('--format <format>', `output format (${SYNTH_FORMATS.join(', ')})`, 'text')
      .option('--terraform', 'also run `terraform validate` on every synthesized stack (needs npm run setup:terraform)')
      .option('--stacks-dir <dir>', 'with --terraform: validate these synthesized stacks (<dir>/<stack>/cdk.tf.json) instead of synthesizing')
      .option('--concurrency <n>', 'with --terraform: stacks validated at once', String(DEFAULT_TERRAFORM_CONCURRENCY))
      .option('--fail-on <severity>', `with --terraform: lowest severity that fails (errors are critical, warnings low; ${SEVERITIES.join(', ')})`, DEFAULT_TERRAFORM_FAIL_ON)
      .action(async (options: ValidateCliOptions) => {
        const format = parseSynthFormat(options.format);
        const started = process.hrtime.bigint();
        // Naming accounts narrows the synth to their stacks; the organization stacks come with a full synth.
        let accounts: readonly string[] | undefined;
        if (options.account.length > 0) accounts = options.stacksDir ? options.account : selectAccounts(loadOrganization(context.cwd), options.account).map((a) => a.name);
        if (!options.terraform) {
          const result = validateOrganization(loadOrganization(context.cwd), { accounts, catalog: loadActionCatalog() });
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          printAnnotations(context, result.annotations);
          context.output.result(format === 'json' ? renderSynthJson(result, context.cwd, seconds) : summaryLine(result));
          context.setExitCode(EXIT_CODES.CLEAN);
          return;
        }
        const run = await validateWithTerraform(context, options, accounts);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        if (format === 'json') {
          const synth = run.synth ? (JSON.parse(renderSynthJson({ ...run.synth, outdir: undefined, stacks: run.synth.stacks }, context.cwd, seconds)) as Record<string, unknown>) : null;
          context.output.result(JSON.stringify({ synth, terraform: { seconds: Number(run.seconds.toFixed(2)), stacks: run.stacks, report: JSON.parse(renderScanJson(run.report)) as unknown } }, null, 2));
        } else {
          context.output.result([...(run.synth ? [summaryLine(run.synth)] : []), renderTerraformText(run.report, run.stacks, run.seconds)].join('\n'));
        }
        context.setExitCode(run.report.summary.clean ? EXIT_CODES.CLEAN : EXIT_CODES.FOUND);
      });
  },
};
