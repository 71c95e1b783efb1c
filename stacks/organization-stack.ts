/**
 * The organization level, as two stacks so that each has one provider (one account, no aliased
 * provider: tfsec 1.26 ignores every attribute of a JSON resource with a `provider` meta-argument):
 * - `iam-organization` in the management account: the service control policies of accounts/scps/, the
 *   organization CloudTrail and the IAM-change alarms on the trail's log group;
 * - `iam-organization-log-archive` in the log-archive account: the trail's KMS key and log buckets.
 * The trail names the bucket and the key (alias ARN) literally, so neither stack reads the other's
 * state; the management stack depends on the log-archive stack (apply it first).
 */
import { Annotations, Aspects } from 'cdktf';
import { PlatformStack } from './platform-stack';
import type { Construct } from 'constructs';
import { IamChangeAlerts } from '../modules/iam-change-alerts';
import { OrganizationTrail, TrailStorage, buildTrailKeyAliasArn } from '../modules/organization-trail';
import { OrganizationTargets, ServiceControlPolicy } from '../modules/service-control-policy';
import { PolicyDocumentGuardrail, joinSourcePath, type SourcePositionFinder } from '../modules/guardrails';
import { PolicyLintAspect } from '../modules/guardrails/policy-lint-aspect';
import type { ActionCatalog } from '../src/core/catalog';
import { formatProblem } from '../src/core/errors';
import type { BackendConfig, ResolvedAccount, ResolvedOrganization, ResolvedOrganizationSettings, ResolvedServiceControlPolicy, ScpTarget } from '../src/core/model';
import { MANAGED_BY } from './account-stack';
import { findScpCoverageGaps } from '../src/core/organization';
import { addAccountProvider, addStackBackend } from './stack-backend';
import { ORGANIZATION_STATE_NAMES } from '../src/core/delivery';

/** State name of the management-account stack: stack `iam-organization`, workspace `<prefix>organization`. */
export const ORGANIZATION_STATE_NAME = ORGANIZATION_STATE_NAMES.organization;
/** Stack id of the management-account stack with the local or S3 backend. */
export const ORGANIZATION_STACK_NAME = `iam-${ORGANIZATION_STATE_NAME}`;
/** State name of the log-archive stack: stack `iam-organization-log-archive`, workspace `<prefix>organization-log-archive`. */
export const LOG_ARCHIVE_STATE_NAME = ORGANIZATION_STATE_NAMES.logArchive;

/** Stack id of a state: the Terraform Cloud workspace name with the cloud backend, else `iam-<state>`. */
export function organizationStackId(backend: BackendConfig | undefined, stateName: string): string {
  return backend?.type === 'cloud' ? `${backend.workspacePrefix}${stateName}` : `iam-${stateName}`;
}

/** Default tags of an organization-level stack deployed in `account`. */
function organizationDefaultTags(account: ResolvedAccount, settings: ResolvedOrganizationSettings): Record<string, string> {
  return { ...account.tags, 'managed-by': MANAGED_BY, account: account.name, owner: account.owner, 'source-file': settings.source.file };
}

/** Props of {@link OrganizationStack}. */
export interface OrganizationStackProps {
  /** The IAM action catalog: when given, the policy linter runs over the SCPs (errors stop the synth). @default - no lint aspect */
  readonly catalog?: ActionCatalog;
  /** AWS partition. @default 'aws' */
  readonly partition?: string;
  /** Where a path is in its accounts/ file, so SCP findings carry the element's line and column. @default - the document's start line */
  readonly locate?: SourcePositionFinder;
}

function targetKey(target: ScpTarget): string {
  return target.kind === 'root' ? 'root' : `${target.kind}-${target.name}`;
}

/**
 * One stack for the organization level, in the management account. Needs `org.organization` (org.yaml
 * `organization:`); throws an internal error without it, so callers check first.
 */
export class OrganizationStack extends PlatformStack {
  /** The organization settings this stack deploys. */
  public readonly settings: ResolvedOrganizationSettings;
  /** The management account. */
  public readonly managementAccount: ResolvedAccount;
  /** SCPs, by name. */
  public readonly scps: ReadonlyMap<string, ServiceControlPolicy>;
  /** The organization trail (its bucket and key are in {@link OrganizationLogArchiveStack}). @default - none when org.yaml has no trail */
  public readonly trail?: OrganizationTrail;
  /** The IAM-change alarms. @default - none when org.yaml has no alerts */
  public readonly alerts?: IamChangeAlerts;

  constructor(scope: Construct, org: ResolvedOrganization, props: OrganizationStackProps = {}) {
    const settings = org.organization;
    const management = org.accounts.find((a) => a.name === settings?.managementAccount);
    super(scope, organizationStackId(management?.backend, ORGANIZATION_STATE_NAME));
    if (!settings || !management) {
      throw new Error('OrganizationStack needs org.organization with a resolved management account: check org.organization before creating the stack');
    }
    this.settings = settings;
    this.managementAccount = management;
    const region = management.regions[0] ?? org.defaultRegion;
    addAccountProvider(this, { accountId: management.id, roleArn: management.deployRoleArn, region, defaultTags: organizationDefaultTags(management, settings) });
    addStackBackend(this, management.backend, ORGANIZATION_STATE_NAME);

    this.scps = this.addScps(settings.scps, settings, org.accounts);
    // OUs that get fewer SCPs than their siblings: shown at synth, not an error.
    for (const warning of findScpCoverageGaps(settings.scps, org.accounts, { managementAccount: settings.managementAccount })) Annotations.of(this).addWarning(formatProblem(warning));

    if (settings.trail) {
      const trail = settings.trail;
      this.trail = new OrganizationTrail(this, 'trail', {
        name: trail.name,
        managementAccountId: management.id,
        region,
        bucketName: trail.bucketName,
        kmsKeyArn: buildTrailKeyAliasArn({ partition: props.partition ?? 'aws', region: trail.logArchiveRegion, accountId: trail.logArchiveAccountId, trailName: trail.name }),
        logGroupName: trail.logGroupName,
        logRetentionDays: trail.logRetentionDays,
        source: trail.source,
        partition: props.partition,
      });
      if (settings.alerts) {
        const alerts = settings.alerts;
        this.alerts = new IamChangeAlerts(this, 'alerts', {
          logGroupName: trail.logGroupName,
          accountId: management.id,
          region,
          topicName: alerts.topicName,
          namespace: alerts.namespace,
          breakGlassRoleName: alerts.breakGlassRoleName,
          emails: alerts.emails,
          source: alerts.source,
          dependsOn: [this.trail.logGroup],
          partition: props.partition,
        });
      }
    }

    Aspects.of(this).add(new PolicyDocumentGuardrail({ locate: props.locate }));
    if (props.catalog) Aspects.of(this).add(new PolicyLintAspect({ catalog: props.catalog, organizationAccountIds: org.accounts.map((a) => a.id), locate: props.locate }));
  }

  private addScps(scps: readonly ResolvedServiceControlPolicy[], settings: ResolvedOrganizationSettings, accounts: readonly ResolvedAccount[]): Map<string, ServiceControlPolicy> {
    const targets = new OrganizationTargets(this, 'organization');
    const out = new Map<string, ServiceControlPolicy>();
    for (const scp of scps) {
      const source = { file: scp.source.file, line: scp.source.line, path: joinSourcePath(scp.source.path, '$.document') };
      const construct = new ServiceControlPolicy(this, `scp-${scp.name}`, {
        name: scp.name,
        description: scp.description || undefined,
        document: scp.document,
        targets: scp.targets.map((t) => ({ key: targetKey(t), targetId: targets.targetId(t) })),
        source,
        suppressions: scp.lint,
      });
      // SCPs never apply to the management account: an SCP that only targets it (or OUs holding only it) does nothing.
      const onlyManagement = (t: ScpTarget): boolean =>
        (t.kind === 'account' && t.id === settings.managementAccountId) ||
        (t.kind === 'ou' && accounts.filter((a) => (a.ouPath ?? [a.ou]).includes(t.name)).every((a) => a.id === settings.managementAccountId));
      const effective = scp.targets.filter((t) => !onlyManagement(t));
      if (effective.length === 0) {
        Annotations.of(construct).addWarning(
          formatProblem({
            file: scp.source.file,
            line: scp.source.line,
            path: '$.targets',
            message: `service control policy "${scp.name}" targets only the management account (${settings.managementAccount}), which SCPs never affect: attach it to OUs with member accounts or the root`,
          }),
        );
      }
      out.set(scp.name, construct);
    }
    return out;
  }
}

/**
 * The log-archive side of the organization trail (`iam-organization-log-archive`), deployed in the
 * log-archive account with its deploy role: the trail's KMS key and the log buckets.
 */
export class OrganizationLogArchiveStack extends PlatformStack {
  /** The key and buckets. */
  public readonly storage: TrailStorage;
  /** The log-archive account. */
  public readonly logArchiveAccount: ResolvedAccount;

  constructor(scope: Construct, org: ResolvedOrganization, props: Pick<OrganizationStackProps, 'partition'> = {}) {
    const settings = org.organization;
    const trail = settings?.trail;
    const archive = org.accounts.find((a) => a.name === trail?.logArchiveAccount);
    super(scope, organizationStackId(archive?.backend, LOG_ARCHIVE_STATE_NAME));
    if (!settings || !trail || !archive) {
      throw new Error('OrganizationLogArchiveStack needs org.organization.trail with a resolved log-archive account: check org.organization?.trail before creating the stack');
    }
    this.logArchiveAccount = archive;
    addAccountProvider(this, { accountId: archive.id, roleArn: archive.deployRoleArn, region: trail.logArchiveRegion, defaultTags: organizationDefaultTags(archive, settings) });
    addStackBackend(this, archive.backend, LOG_ARCHIVE_STATE_NAME);
    const management = org.accounts.find((a) => a.name === settings.managementAccount);
    this.storage = new TrailStorage(this, 'trail-storage', {
      trailName: trail.name,
      managementAccountId: settings.managementAccountId,
      trailRegion: management?.regions[0] ?? org.defaultRegion,
      accountId: archive.id,
      region: trail.logArchiveRegion,
      bucketName: trail.bucketName,
      source: trail.source,
      partition: props.partition,
    });
  }
}

/** The organization-level stacks of an organization. */
export interface OrganizationStacks {
  /** `iam-organization` (management account). */
  readonly organization: OrganizationStack;
  /** `iam-organization-log-archive` (log-archive account). @default - none without organization.trail */
  readonly logArchive?: OrganizationLogArchiveStack;
}

/**
 * Adds the organization-level stacks to an app when org.yaml has `organization:`; returns undefined otherwise.
 * The management stack depends on the log-archive stack (the trail needs its bucket and key).
 */
export function addOrganizationStacks(scope: Construct, org: ResolvedOrganization, props: OrganizationStackProps = {}): OrganizationStacks | undefined {
  if (!org.organization || !org.accounts.some((a) => a.name === org.organization?.managementAccount)) return undefined;
  const logArchive = org.organization.trail ? new OrganizationLogArchiveStack(scope, org, props) : undefined;
  const organization = new OrganizationStack(scope, org, props);
  if (logArchive) organization.addDependency(logArchive);
  return { organization, ...(logArchive ? { logArchive } : {}) };
}
