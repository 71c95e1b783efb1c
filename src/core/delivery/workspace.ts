/**
 * Where an account's stack goes in Terraform Cloud: its workspace, the API address and the token
 * variable, from the resolved `cloud` backend.
 */
import { ERROR_CODES, IamPlatformError } from '../errors';
import type { ResolvedAccount, ResolvedOrganization } from '../model';

/**
 * State names of the organization-level stacks: the workspace is `<workspacePrefix><state>` and, with
 * the cloud backend, the stack folder has the same name. The log-archive stack comes first: the
 * organization trail in the management stack writes to its bucket with its key.
 */
export const ORGANIZATION_STATE_NAMES = { logArchive: 'organization-log-archive', organization: 'organization' } as const;

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
  return resolveStateTargets(accounts.map((account) => ({ account, state: account.name, stackName: account.stackName })));
}

/**
 * The Terraform Cloud targets of the organization-level stacks (log archive first, then the management
 * account's SCPs, trail and alerts), or none when org.yaml has no `organization:`. They deploy with the
 * prod accounts, after them.
 */
export function resolveOrganizationTfcTargets(org: ResolvedOrganization): readonly TfcTarget[] {
  const settings = org.organization;
  if (!settings) return [];
  const byName = new Map(org.accounts.map((a) => [a.name, a]));
  const management = byName.get(settings.managementAccount);
  const archive = settings.trail ? byName.get(settings.trail.logArchiveAccount) : undefined;
  const states = [
    ...(archive ? [{ account: archive, state: ORGANIZATION_STATE_NAMES.logArchive }] : []),
    ...(management ? [{ account: management, state: ORGANIZATION_STATE_NAMES.organization }] : []),
  ];
  return resolveStateTargets(
    states.map(({ account, state }) => ({
      account: { ...account, environment: 'prod' as const },
      state,
      stackName: account.backend.type === 'cloud' ? `${account.backend.workspacePrefix}${state}` : `iam-${state}`,
    })),
  );
}

function resolveStateTargets(states: readonly { readonly account: ResolvedAccount; readonly state: string; readonly stackName: string }[]): readonly TfcTarget[] {
  const accounts = states.map((s) => s.account);
  const notCloud = accounts.filter((a) => a.backend.type !== 'cloud');
  if (notCloud.length > 0) {
    const names = notCloud.map((a) => `${a.name} (${a.backend.type})`).join(', ');
    throw new IamPlatformError(
      ERROR_CODES.CONFIG_NOT_FOUND,
      `Terraform Cloud delivery needs the cloud backend, but ${notCloud.length === 1 ? 'account' : 'accounts'} ${names} ${notCloud.length === 1 ? 'uses' : 'use'} another backend. ` +
        'Set it in accounts/org.yaml (or the OU/account file): `backend: { terraformCloud: { organization: <your org>, workspacePrefix: iam- } }`',
    );
  }
  return states.map(({ account: a, state, stackName }) => {
    const backend = a.backend as Extract<ResolvedAccount['backend'], { type: 'cloud' }>;
    return {
      account: a.name,
      environment: a.environment,
      stackName,
      hostname: backend.hostname,
      organization: backend.organization,
      workspace: `${backend.workspacePrefix}${state}`,
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
