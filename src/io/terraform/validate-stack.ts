/**
 * `terraform validate -json` on one synthesized stack folder. With the project's dev_overrides the
 * stack needs no `terraform init`. Diagnostics are returned as data with the resource address they
 * point into (found from the line of cdk.tf.json they name).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ERROR_CODES, IamPlatformError } from '../../core/errors';
import { tailOutput } from '../scanners/run-process';
import type { TerraformInstallation } from './locate-terraform';
import { runTerraform } from './run-terraform';

/** Summary of the warning Terraform prints whenever dev_overrides are configured: about the harness, not the stack. */
export const DEV_OVERRIDES_WARNING = 'Provider development overrides are in effect';

/** One diagnostic of `terraform validate`. */
export interface TerraformDiagnostic {
  readonly severity: 'error' | 'warning';
  readonly summary: string;
  /** @default - none */
  readonly detail?: string;
  /** File terraform names, relative to the stack folder (`cdk.tf.json`). @default - none (not about a file) */
  readonly filename?: string;
  /** 1-based line in that file. @default - unknown */
  readonly line?: number;
  /** Resource address the line falls in (`aws_iam_role_policy.x`, `data.aws_caller_identity.x`, `provider.aws`). @default - none */
  readonly address?: string;
}

/** What `terraform validate` said about one stack. */
export interface TerraformValidation {
  readonly valid: boolean;
  readonly diagnostics: readonly TerraformDiagnostic[];
  /** Seconds the run took. */
  readonly seconds: number;
}

/** The block of cdk.tf.json (cdktf writes it with two-space indentation) a line belongs to. */
interface BlockRange {
  readonly address: string;
  readonly start: number;
  readonly end: number;
}

const BLOCK_OPEN = /^( *)"([^"]+)": [{[]$/;

/**
 * Line ranges of the resource, data and provider blocks of a cdk.tf.json written by cdktf
 * (`JSON.stringify(config, null, 2)`): `resource.<type>.<name>` opens at indent 6.
 */
export function indexStackBlocks(text: string): readonly BlockRange[] {
  const lines = text.split('\n');
  const ranges: BlockRange[] = [];
  const keys: string[] = [];
  const starts: number[] = [];
  lines.forEach((line, index) => {
    const open = BLOCK_OPEN.exec(line);
    if (open) {
      const depth = open[1].length / 2;
      keys.length = depth - 1;
      starts.length = depth - 1;
      keys.push(open[2]);
      starts.push(index + 1);
      return;
    }
    const close = /^( *)[}\]],?$/.exec(line);
    if (!close) return;
    const depth = close[1].length / 2;
    if (depth < 1 || keys.length < depth) return;
    const segments = keys.slice(0, depth);
    const start = starts[depth - 1];
    const [section, type, name] = segments;
    if (depth === 3 && section === 'resource') ranges.push({ address: `${type}.${name}`, start, end: index + 1 });
    if (depth === 3 && section === 'data') ranges.push({ address: `data.${type}.${name}`, start, end: index + 1 });
    if (depth === 2 && section === 'provider') ranges.push({ address: `provider.${type}`, start, end: index + 1 });
    keys.length = depth - 1;
    starts.length = depth - 1;
  });
  return ranges;
}

/** The address of the innermost block that holds the line. */
export function addressAtLine(blocks: readonly BlockRange[], line: number): string | undefined {
  let best: BlockRange | undefined;
  for (const block of blocks) {
    if (block.start <= line && line <= block.end && (!best || block.start >= best.start)) best = block;
  }
  return best?.address;
}

interface RawDiagnostic {
  readonly severity?: unknown;
  readonly summary?: unknown;
  readonly detail?: unknown;
  readonly address?: unknown;
  readonly range?: { readonly filename?: unknown; readonly start?: { readonly line?: unknown } };
}

/**
 * Parses `terraform validate -json` output; `stackText` is the cdk.tf.json the lines point into.
 * The dev-overrides warning is dropped.
 * @throws Error when the text is not validate's JSON.
 */
export function parseValidateOutput(stdout: string, stackText: string): { readonly valid: boolean; readonly diagnostics: readonly TerraformDiagnostic[] } {
  const data = JSON.parse(stdout) as { valid?: unknown; diagnostics?: unknown };
  if (typeof data.valid !== 'boolean' || !Array.isArray(data.diagnostics)) throw new Error('no "valid" and "diagnostics" in the output');
  const blocks = indexStackBlocks(stackText);
  const diagnostics = (data.diagnostics as RawDiagnostic[])
    .filter((d) => d.summary !== DEV_OVERRIDES_WARNING)
    .map((d): TerraformDiagnostic => {
      const filename = typeof d.range?.filename === 'string' ? d.range.filename : undefined;
      const line = typeof d.range?.start?.line === 'number' ? d.range.start.line : undefined;
      const address = typeof d.address === 'string' ? d.address : line !== undefined && filename !== undefined ? addressAtLine(blocks, line) : undefined;
      return {
        severity: d.severity === 'error' ? 'error' : 'warning',
        summary: String(d.summary),
        ...(typeof d.detail === 'string' && d.detail !== '' ? { detail: d.detail } : {}),
        ...(filename === undefined ? {} : { filename }),
        ...(line === undefined ? {} : { line }),
        ...(address === undefined ? {} : { address }),
      };
    });
  return { valid: data.valid, diagnostics };
}

/** Options of {@link validateStack}. */
export interface ValidateStackOptions {
  /** Folder holding the stack's cdk.tf.json. */
  readonly stackDir: string;
  /** @default process.env */
  readonly baseEnv?: NodeJS.ProcessEnv;
  /** @default 300000 (5 minutes) */
  readonly timeoutMs?: number;
}

/**
 * Runs `terraform validate -json -no-color` in the stack folder.
 * @throws IamPlatformError TERRAFORM_FAILED when terraform crashes or prints no readable JSON.
 */
export async function validateStack(installation: TerraformInstallation, options: ValidateStackOptions): Promise<TerraformValidation> {
  const started = process.hrtime.bigint();
  // validate exits 1 when the configuration is invalid: a result, not a failure.
  const run = await runTerraform(installation, ['validate', '-json', '-no-color'], {
    cwd: options.stackDir,
    okExitCodes: [0, 1],
    timeoutMs: options.timeoutMs ?? 300_000,
    ...(options.baseEnv ? { baseEnv: options.baseEnv } : {}),
  });
  const stackText = readFileSync(path.join(options.stackDir, 'cdk.tf.json'), 'utf8');
  try {
    const parsed = parseValidateOutput(run.stdout, stackText);
    return { ...parsed, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
  } catch (error) {
    throw new IamPlatformError(ERROR_CODES.TERRAFORM_FAILED, `terraform validate printed no readable JSON in ${options.stackDir} (${(error as Error).message}); its output ends with:\n${tailOutput(run)}`, { cause: error });
  }
}
