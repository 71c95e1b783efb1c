/**
 * The cdktf app entry (cdktf.json `app`): loads accounts/ once and synthesizes every account's stack
 * into cdktf.out. `iamctl synth` does the same with account selection and readable errors.
 */
import { loadOrganization } from './src/config';
import { describeError } from './src/cli/program';
import { loadActionCatalog } from './src/io/catalog/load-action-catalog';
import { synthesizeOrganization } from './stacks';

try {
  const result = synthesizeOrganization(loadOrganization(process.cwd()), { outdir: process.env.CDKTF_OUTDIR ?? 'cdktf.out', catalog: loadActionCatalog() });
  for (const annotation of result.annotations) if (annotation.level !== 'error') process.stderr.write(`${annotation.level}: ${annotation.message}\n`);
  for (const stack of result.stacks) process.stdout.write(`${stack.stack}: ${stack.file}\n`);
} catch (error) {
  const { text, code } = describeError(error);
  process.stderr.write(`${text}\n`);
  process.exitCode = code;
}
