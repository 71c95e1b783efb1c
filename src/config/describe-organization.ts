/**
 * What `iamctl accounts` shows: each resolved account with its inherited settings and where each
 * role came from. Plain data (the JSON output of the command); rendering is in the CLI.
 */
import type { Environment, ResolvedOrganization, RoleKind } from '../core/model';

/** Version of the {@link OrganizationDescription} shape; bumped on breaking changes. */
export const ORGANIZATION_DESCRIPTION_VERSION = 1;

/** One role of an account, and where it came from. */
export interface RoleDescription {
  readonly name: string;
  readonly kind: RoleKind;
  readonly owner: string;
  /** `template` for roles from an org/OU role template, `file` for roles/<name>.yaml. */
  readonly origin: 'file' | 'template';
  /** Template name when origin is `template`; null otherwise. */
  readonly template: string | null;
  /** `default`, `named` or `none` (opt-out). */
  readonly boundary: 'default' | 'named' | 'none';
  /** Repository-relative file the role is defined in. */
  readonly file: string;
}

/** One account with its inherited settings. */
export interface AccountDescription {
  readonly name: string;
  readonly id: string;
  readonly ou: string;
  /** OU names from the top-level OU down to `ou`, for accounts of nested OUs. @default - [ou] */
  readonly ouPath?: readonly string[];
  readonly environment: Environment;
  readonly owner: string;
  readonly regions: readonly string[];
  readonly stackName: string;
  /** Terraform Cloud workspace, or null with the local and S3 backends. */
  readonly workspace: string | null;
  readonly backend: 'local' | 'cloud' | 's3';
  readonly deployRoleArn: string;
  /** Name of the default permission boundary, or null when none is set. */
  readonly boundary: string | null;
  readonly tags: Readonly<Record<string, string>>;
  readonly driftMode: 'alert' | 'remediate';
  readonly driftEnabled: boolean;
  readonly roleCount: number;
  readonly roles: readonly RoleDescription[];
  /** Customer managed policies created in the account, with their origin. */
  readonly policies: readonly { readonly name: string; readonly origin: 'account' | 'library' }[];
  /** Files the account was resolved from, nearest last. */
  readonly sources: readonly string[];
}

/** The JSON shape of `iamctl accounts --format json`. */
export interface OrganizationDescription {
  readonly version: typeof ORGANIZATION_DESCRIPTION_VERSION;
  readonly organization: string;
  readonly defaultRegion: string;
  readonly accounts: readonly AccountDescription[];
}

/** Describes the resolved organization (or the given subset of its accounts). */
export function describeOrganization(org: ResolvedOrganization, accounts = org.accounts): OrganizationDescription {
  return {
    version: ORGANIZATION_DESCRIPTION_VERSION,
    organization: org.name,
    defaultRegion: org.defaultRegion,
    accounts: accounts.map((account) => ({
        name: account.name,
        id: account.id,
        ou: account.ou,
        ...(account.ouPath ? { ouPath: account.ouPath } : {}),
        environment: account.environment,
        owner: account.owner,
        regions: account.regions,
        stackName: account.stackName,
        workspace: account.backend.type === 'cloud' ? account.stackName : null,
        backend: account.backend.type,
        deployRoleArn: account.deployRoleArn,
        boundary: account.permissionBoundary?.name ?? null,
        tags: account.tags,
        driftMode: account.drift.mode,
        driftEnabled: account.drift.enabled,
        roleCount: account.roles.length,
        roles: account.roles.map((role) => ({
            name: role.name,
            kind: role.kind,
            owner: role.owner,
            origin: role.template ? 'template' : 'file',
            template: role.template ?? null,
            boundary: role.boundary.kind,
            file: role.source.file,
          })),
        policies: account.policies.map((p) => ({ name: p.name, origin: p.origin })),
        sources: account.sources,
    })),
  };
}
