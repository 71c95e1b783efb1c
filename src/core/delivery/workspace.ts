/**
 * Where an account's stack goes in Terraform Cloud: its workspace, the API address and the token
 * variable, from the resolved `cloud` backend.
 */
import { ERROR_CODES, IamPlatformError } from '../errors';
import type { ResolvedAccount } from '../model';

/** Terraform Cloud target of one account's stack. */
export interface TfcTarget {
  /** Account name. */
  readonly account: string;
  /** Environment of the account. */
  readonly environment: ResolvedAccount['environment'];
  /** Stack id: the folder under `cdktf.out/stacks`. */
  readonly stackName: string;
  /** Terraform Cloud hostname (`app.terraform.io`). */
  readonly hostname: string;
  /** Terraform Cloud organization. */
  readonly organization: string;
  /** Workspace name: `<workspacePrefix><account>`. */
  readonly workspace: string;
}

/**
 * The Terraform Cloud targets of the given accounts. Throws CONFIG_NOT_FOUND (exit 2, could not run) naming every account whose
 * backend is not `cloud`, and how to set it in accounts/org.yaml.
 */
export function resolveTfcTargets(accounts: readonly ResolvedAccount[]): readonly TfcTarget[] {
  const notCloud = accounts.filter((a) => a.backend.type !== 'cloud');
  if (notCloud.length > 0) {
    const names = notCloud.map((a) => `${a.name} (${a.backend.type})`).join(', ');
    throw new IamPlatformError(
      ERROR_CODES.CONFIG_NOT_FOUND,
      `Terraform Cloud delivery needs the cloud backend, but ${notCloud.length === 1 ? 'account' : 'accounts'} ${names} ${notCloud.length === 1 ? 'uses' : 'use'} another backend. ` +
        'Set it in accounts/org.yaml (or the OU/account file): `backend: { terraformCloud: { organization: <your org>, workspacePrefix: iam- } }`',
    );
  }
  return accounts.map((a) => {
    const backend = a.backend as Extract<ResolvedAccount['backend'], { type: 'cloud' }>;
    return {
      account: a.name,
      environment: a.environment,
      stackName: a.stackName,
      hostname: backend.hostname,
      organization: backend.organization,
      workspace: `${backend.workspacePrefix}${a.name}`,
    };
  });
}

/**
 * The environment variable Terraform reads the token of a host from: `TF_TOKEN_` and the hostname with
 * dots as underscores and hyphens as double underscores (Terraform CLI docs, "Environment variable credentials").
 */
export function tokenVariableName(hostname: string): string {
  return `TF_TOKEN_${hostname.replace(/-/g, '__').replace(/\./g, '_')}`;
}

/** The run's page in the Terraform Cloud UI. */
export function buildRunUrl(hostname: string, organization: string, workspace: string, runId: string): string {
  return `https://${hostname}/app/${encodeURIComponent(organization)}/workspaces/${encodeURIComponent(workspace)}/runs/${encodeURIComponent(runId)}`;
}
