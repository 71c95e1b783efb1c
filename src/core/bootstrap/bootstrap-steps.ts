/**
 * The steps from an empty fork to the first applied account, as data: each step is one command (argv, no
 * shell) with who runs it and with which credentials. The CLI renders them; tests run them.
 */
import { BOOTSTRAP_STACK_PREFIX } from './bootstrap-set';

/** Stack id of the Terraform Cloud stack (project, workspaces, variables, teams, notifications). */
export const TERRAFORM_CLOUD_STACK = 'iam-terraform-cloud';
/** Where `iamctl bootstrap --synth` writes the bootstrap and Terraform Cloud stacks by default. */
export const DEFAULT_BOOTSTRAP_OUTDIR = 'cdktf.out.bootstrap';

/** Who runs a step, which says with which credentials. */
export type BootstrapActor =
  /** An administrator of the AWS account, with their own credentials (once per account). */
  | 'aws-administrator'
  /** An owner of the Terraform Cloud organization, with a user or organization token (`TFE_TOKEN`). */
  | 'tfc-owner'
  /** Anyone with a clone of the repository, no credentials. */
  | 'developer'
  /** The IAM pipeline (or a pipeline-team token): Terraform Cloud runs with dynamic credentials. */
  | 'pipeline';

/** One step of the bootstrap. */
export interface BootstrapStep {
  /** Stable id (`apply-bootstrap-stack`). */
  readonly id: string;
  /** What the step does, one sentence. */
  readonly title: string;
  /** Who runs it. */
  readonly actor: BootstrapActor;
  /** The command, as argv (no shell). */
  readonly command: readonly string[];
  /** Environment variables the command needs (names only, values are secrets). @default - none */
  readonly env?: readonly string[];
  /** Run once per organization rather than once per account. @default false */
  readonly once?: boolean;
}

/** Options of {@link planBootstrapSteps}. */
export interface BootstrapStepsOptions {
  /** Account name. */
  readonly account: string;
  /** Account's workspace / stack id (`iam-app-prod`). */
  readonly stackName: string;
  /** Output folder of `iamctl bootstrap --synth`. @default DEFAULT_BOOTSTRAP_OUTDIR */
  readonly outdir?: string;
  /** Environment variable of the Terraform Cloud token of the pipeline (`TF_TOKEN_app_terraform_io`). */
  readonly tokenVariable: string;
  /** Drift role name, when it is not the default. @default - the default (no flag) */
  readonly driftRole?: string;
}

/** The bootstrap stack id of an account. */
export function bootstrapStackId(account: string): string {
  return `${BOOTSTRAP_STACK_PREFIX}${account}`;
}

/** The steps, in order, that bring one account from nothing to its first applied stack. */
export function planBootstrapSteps(options: BootstrapStepsOptions): BootstrapStep[] {
  const outdir = options.outdir ?? DEFAULT_BOOTSTRAP_OUTDIR;
  const bootstrapDir = `${outdir}/stacks/${bootstrapStackId(options.account)}`;
  const tfcDir = `${outdir}/stacks/${TERRAFORM_CLOUD_STACK}`;
  const driftFlag = options.driftRole ? ['--drift-role', options.driftRole] : [];
  return [
    { id: 'validate', title: 'Check the organization (schema, guardrails, lint)', actor: 'developer', command: ['iamctl', 'validate'] },
    {
      id: 'synth-bootstrap',
      title: `Write the bootstrap stack of ${options.account} and the Terraform Cloud stack`,
      actor: 'developer',
      command: ['iamctl', 'bootstrap', '--account', options.account, ...driftFlag, '--synth', '--outdir', outdir],
    },
    { id: 'init-bootstrap-stack', title: 'Initialize the bootstrap stack (local state on the administrator\'s machine)', actor: 'aws-administrator', command: ['terraform', `-chdir=${bootstrapDir}`, 'init'] },
    {
      id: 'apply-bootstrap-stack',
      title: `Create the OIDC providers, the Terraform Cloud plan and apply roles and the drift role in ${options.account} (permissions: docs/bootstrap-administrator-policy.json)`,
      actor: 'aws-administrator',
      command: ['terraform', `-chdir=${bootstrapDir}`, 'apply'],
      env: ['AWS_PROFILE'],
    },
    { id: 'init-terraform-cloud-stack', title: 'Initialize the Terraform Cloud stack', actor: 'tfc-owner', command: ['terraform', `-chdir=${tfcDir}`, 'init'], once: true },
    {
      id: 'apply-terraform-cloud-stack',
      title: 'Create the project, one workspace per account with its dynamic-credential variables, the teams and the notifications',
      actor: 'tfc-owner',
      command: ['terraform', `-chdir=${tfcDir}`, 'apply'],
      env: ['TFE_TOKEN', 'TF_VAR_notification_url'],
      once: true,
    },
    { id: 'synth-account', title: `Synthesize the account stack ${options.stackName}`, actor: 'pipeline', command: ['iamctl', 'synth', '--account', options.account] },
    {
      id: 'plan-account',
      title: `Plan ${options.stackName} in Terraform Cloud (the plan adopts the bootstrap resources with import blocks)`,
      actor: 'pipeline',
      command: ['iamctl', 'tfc', 'plan', '--account', options.account],
      env: [options.tokenVariable],
    },
    {
      id: 'apply-account',
      title: `Apply the reviewed plan of ${options.stackName}: from now on its workspace owns every bootstrap resource`,
      actor: 'pipeline',
      command: ['iamctl', 'tfc', 'apply', '--account', options.account, '--runs', 'plans/tfc-runs.json'],
      env: [options.tokenVariable],
    },
    {
      id: 'forget-bootstrap-state',
      title: 'Drop the bootstrap stack\'s local state (the account\'s workspace owns the resources now; never apply or destroy the bootstrap stack again)',
      actor: 'aws-administrator',
      command: ['rm', '-f', `${bootstrapDir}/terraform.${bootstrapStackId(options.account)}.tfstate`, `${bootstrapDir}/terraform.${bootstrapStackId(options.account)}.tfstate.backup`],
    },
  ];
}

/** Plain text rendering: one numbered block per step. */
export function renderBootstrapSteps(steps: readonly BootstrapStep[]): string {
  return steps
    .map((s, i) => {
      const env = s.env?.length ? `  (needs ${s.env.join(', ')})` : '';
      const once = s.once ? ' [once per organization]' : '';
      return `${i + 1}. ${s.title} — ${s.actor}${once}\n   ${s.command.map(quoteArgument).join(' ')}${env}`;
    })
    .join('\n');
}

function quoteArgument(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
