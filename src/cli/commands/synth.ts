import * as path from 'node:path';
import { loadOrganization, selectAccounts } from '../../config';
import { loadActionCatalog } from '../../io/catalog/load-action-catalog';
import { synthesizeOrganization, type SynthAnnotation, type SynthResult } from '../../../stacks';
import { EXIT_CODES } from '../exit-codes';
import { invalidArgument, type CommandContext, type CommandModule } from '../program';

/** Output formats of `synth` and `validate`. */
export const SYNTH_FORMATS = ['text', 'json'] as const;
type SynthFormat = (typeof SYNTH_FORMATS)[number];

/** Default output folder (cdktf.json `output`). */
export const DEFAULT_OUTDIR = 'cdktf.out';

/** commander collector for a repeatable `--account NAME` (also accepts `a,b`). */
export function collectAccounts(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',').map((v) => v.trim()).filter(Boolean)];
}

/** Checks `--format`. */
export function parseSynthFormat(value: string): SynthFormat {
  if (!(SYNTH_FORMATS as readonly string[]).includes(value)) invalidArgument(`--format must be one of ${SYNTH_FORMATS.join(', ')}, got "${value}"`);
  return value as SynthFormat;
}

/** A path relative to the working directory when it is inside it, absolute otherwise. */
export function displayPath(cwd: string, target: string): string {
  const relative = path.relative(cwd, target);
  return relative === '' ? '.' : relative.startsWith('..') || path.isAbsolute(relative) ? target : relative;
}

/** Warnings and infos go to stderr; errors never reach here (they throw). */
export function printAnnotations(context: CommandContext, annotations: readonly SynthAnnotation[]): void {
  for (const a of annotations) if (a.level !== 'error') context.output.message(`${a.level}: ${a.message}`);
}

/** The JSON shape of `synth --format json` and `validate --format json`. */
export function renderSynthJson(result: SynthResult, cwd: string, seconds: number): string {
  return JSON.stringify(
    {
      outdir: result.outdir === undefined ? null : displayPath(cwd, result.outdir),
      seconds: Number(seconds.toFixed(2)),
      stacks: result.stacks.map((s) => ({
        account: s.account,
        stack: s.stack,
        file: result.outdir === undefined ? null : displayPath(cwd, s.file),
        sources: s.sourcesFile === undefined ? null : displayPath(cwd, s.sourcesFile),
        resources: s.resources,
      })),
      warnings: result.annotations.filter((a) => a.level === 'warning').map((a) => a.message),
      kept: result.keptStacks ?? [],
    },
    null,
    2,
  );
}

/**
 * `iamctl synth [--account NAME ...] [--outdir DIR]`: one Terraform JSON stack per account in
 * `<outdir>/stacks/<stack>/cdk.tf.json`. Invalid config or a guardrail error exits 1 with the full list.
 * With `--account`, only the named accounts' stacks are replaced; the other stacks of an earlier synth stay.
 */
export const synthCommand: CommandModule = {
  register(program, context) {
    program
      .command('synth')
      .description('Synthesize one Terraform JSON stack per account into <outdir>/stacks/<stack>/cdk.tf.json')
      .option('--account <name>', 'only this account (repeatable, or comma-separated)', collectAccounts, [])
      .option('--outdir <dir>', 'output folder (replaced as a whole; with --account only those stacks are replaced)', DEFAULT_OUTDIR)
      .option('--format <format>', `output format (${SYNTH_FORMATS.join(', ')})`, 'text')
      .action((options: { account: string[]; outdir: string; format: string }) => {
        const format = parseSynthFormat(options.format);
        const started = process.hrtime.bigint();
        const org = loadOrganization(context.cwd);
        // Naming accounts narrows the synth to their stacks; the organization stacks come with a full synth.
        const accounts = options.account.length > 0 ? selectAccounts(org, options.account).map((a) => a.name) : undefined;
        const result = synthesizeOrganization(org, { outdir: path.resolve(context.cwd, options.outdir), accounts, catalog: loadActionCatalog() });
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        printAnnotations(context, result.annotations);
        if (format === 'json') {
          context.output.result(renderSynthJson(result, context.cwd, seconds));
        } else {
          const width = Math.max(0, ...result.stacks.map((s) => s.stack.length));
          const lines = result.stacks.map((s) => `${s.stack.padEnd(width)}  ${displayPath(context.cwd, s.file)}  (${s.resources} resources)`);
          const total = result.stacks.reduce((sum, s) => sum + s.resources, 0);
          lines.push(`Synthesized ${result.stacks.length} stack${result.stacks.length === 1 ? '' : 's'} (${total} resources) into ${displayPath(context.cwd, result.outdir ?? context.cwd)} in ${seconds.toFixed(1)} s`);
          const kept = result.keptStacks ?? [];
          if (kept.length > 0) lines.push(`Kept ${kept.length} other stack${kept.length === 1 ? '' : 's'} of the earlier synth as they were: ${kept.join(', ')}`);
          context.output.result(lines.join('\n'));
        }
        context.setExitCode(EXIT_CODES.CLEAN);
      });
  },
};
