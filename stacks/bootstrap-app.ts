/**
 * Synth of the bootstrap stacks (`iam-bootstrap-<account>`) and, when the organization deploys through Terraform
 * Cloud with dynamic credentials, of the Terraform Cloud stack. They go to their own output folder
 * (`cdktf.out.bootstrap` by default), apart from the account stacks, because an administrator applies them once,
 * from their machine, with local state kept in the stack folders: a new synth rewrites only each stack's
 * `cdk.tf.json`, never a state file.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, type TerraformStack } from 'cdktf';
import type { ActionCatalog } from '../src/core/catalog';
import type { ResolvedOrganization } from '../src/core/model';
import { collectAnnotations, guardrailError, pickAccounts, type SynthAnnotation } from './app';
import { addBootstrapStack } from './bootstrap-stack';
import { TerraformCloudStack, type TerraformCloudStackProps } from './tfc-stack';

/** Options of {@link synthesizeBootstrap}. */
export interface SynthesizeBootstrapOptions extends TerraformCloudStackProps {
  /** Output folder; stacks go to `<outdir>/stacks/<stack>/cdk.tf.json`. */
  readonly outdir: string;
  /** Accounts whose bootstrap stack to write. @default - every account */
  readonly accounts?: readonly string[];
  /** Role of the scheduled drift job. @default DEFAULT_DRIFT_ROLE */
  readonly driftRole?: string;
  /** IAM action catalog for the policy-lint guardrail. @default - none: that guardrail is skipped */
  readonly catalog?: ActionCatalog;
}

/** One stack written by {@link synthesizeBootstrap}. */
export interface BootstrapSynthStack {
  /** Stack id. */
  readonly stack: string;
  /** Path of its `cdk.tf.json`. */
  readonly file: string;
}

/** What {@link synthesizeBootstrap} wrote. */
export interface BootstrapSynthResult {
  readonly stacks: readonly BootstrapSynthStack[];
  readonly annotations: readonly SynthAnnotation[];
  /** Why no Terraform Cloud stack was written. @default - it was written */
  readonly terraformCloudSkipped?: string;
}

/** Writes the bootstrap stacks (and the Terraform Cloud stack); guardrail errors throw like `synthesizeOrganization`, writing nothing. */
export function synthesizeBootstrap(org: ResolvedOrganization, options: SynthesizeBootstrapOptions): BootstrapSynthResult {
  const accounts = pickAccounts(org, options.accounts);
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'iamctl-bootstrap-'));
  const sourceMaps = process.sourceMapsEnabled;
  process.setSourceMapsEnabled(false);
  try {
    const app = new App({ outdir: staging, stackTraces: false });
    const organizationAccountIds = org.accounts.map((a) => a.id);
    const stacks: TerraformStack[] = accounts.map((account) =>
      addBootstrapStack(app, account, { defaultRegion: org.defaultRegion, organizationAccountIds, ...(options.driftRole ? { driftRole: options.driftRole } : {}), ...(options.catalog ? { catalog: options.catalog } : {}) }),
    );
    const cloud = org.accounts.every((a) => a.dynamicCredentials !== undefined) && org.accounts.length > 0;
    if (cloud) stacks.push(new TerraformCloudStack(app, org, options));
    app.synth();
    const annotations = stacks.flatMap(collectAnnotations);
    if (annotations.some((a) => a.level === 'error')) throw guardrailError(annotations);
    const written = stacks.map((stack) => {
      const file = path.join(path.resolve(options.outdir), 'stacks', stack.node.id, 'cdk.tf.json');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.copyFileSync(path.join(staging, 'stacks', stack.node.id, 'cdk.tf.json'), file);
      return { stack: stack.node.id, file };
    });
    return {
      stacks: written,
      annotations,
      ...(cloud ? {} : { terraformCloudSkipped: 'the accounts do not deploy through Terraform Cloud with dynamic credentials (backend.terraformCloud.dynamicCredentials in accounts/org.yaml)' }),
    };
  } finally {
    process.setSourceMapsEnabled(sourceMaps);
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
