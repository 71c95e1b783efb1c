import { AccessanalyzerAnalyzer } from '@cdktf/provider-aws/lib/accessanalyzer-analyzer';
import { AccessanalyzerArchiveRule } from '@cdktf/provider-aws/lib/accessanalyzer-archive-rule';
import { OrganizationsDelegatedAdministrator } from '@cdktf/provider-aws/lib/organizations-delegated-administrator';
import { Construct } from 'constructs';
import { ERROR_CODES, IamPlatformError } from '../../src/core/errors';
import { buildTrustPolicy, roleArn } from '../../src/core/iam';
import type { ResolvedAccount, SourceRef } from '../../src/core/model';
import { markSource } from '../source-marker';

/** Service principal of IAM Access Analyzer (RegisterDelegatedAdministrator). */
export const ACCESS_ANALYZER_SERVICE_PRINCIPAL = 'access-analyzer.amazonaws.com';
/** Values one archive-rule criterion (`eq`) may hold. @see https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_Criterion.html */
export const MAX_ARCHIVE_CRITERION_VALUES = 20;
/** Archive rules per analyzer (IAM Access Analyzer quotas). @see https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-quotas.html */
export const MAX_ARCHIVE_RULES_PER_ANALYZER = 100;

/** Principal keys of Access Analyzer findings on a role's trust policy (archive-rule criteria `principal.<key>`). */
export type TrustPrincipalKind = 'AWS' | 'Federated';

/** Access the platform grants on purpose: a role it creates and the principals its trust policy names. */
export interface PlatformTrustedAccess {
  /** Account name of the role. */
  readonly account: string;
  /** Role ARN, built like the stack builds it. */
  readonly roleArn: string;
  /** `AWS` (accounts, roles, users) or `Federated` (OIDC and SAML providers). */
  readonly kind: TrustPrincipalKind;
  /** Principal values of that kind, as the trust policy writes them. */
  readonly principals: readonly string[];
}

/** Account id of an AWS principal ARN (`arn:aws:iam::123456789012:root`), or the value when it is an id. */
function principalAccount(value: string): string {
  return /^\d{12}$/.test(value) ? value : (value.split(':')[4] ?? '');
}

/**
 * The platform's own trust that reaches outside the organization, from the resolved model: for each
 * role, the AWS principals of other organizations and the Federated principals (OIDC, SAML) of the trust
 * policy {@link buildTrustPolicy} builds for it (the document Terraform is given). Principals inside the
 * organization are left out (an organization analyzer never reports them), and so are services.
 */
export function describePlatformTrust(accounts: readonly ResolvedAccount[], partition = 'aws'): PlatformTrustedAccess[] {
  const organization = new Set(accounts.map((a) => a.id));
  const out: PlatformTrustedAccess[] = [];
  for (const account of accounts) {
    for (const role of account.roles) {
      const document = buildTrustPolicy(role.trust, { accountId: account.id, partition }).toJSON();
      const byKind = new Map<TrustPrincipalKind, Set<string>>();
      for (const statement of Array.isArray(document.Statement) ? document.Statement : [document.Statement]) {
        const principal = statement.Principal;
        if (principal === undefined || typeof principal === 'string') continue;
        for (const kind of ['AWS', 'Federated'] as const) {
          const value = (principal as Record<string, string | readonly string[] | undefined>)[kind];
          if (value === undefined) continue;
          const set = byKind.get(kind) ?? new Set<string>();
          for (const v of typeof value === 'string' ? [value] : value) if (kind === 'Federated' || !organization.has(principalAccount(v))) set.add(v);
          if (set.size > 0) byKind.set(kind, set);
        }
      }
      const arn = roleArn(account.id, role.name, role.path, partition);
      for (const [kind, values] of byKind) out.push({ account: account.name, roleArn: arn, kind, principals: [...values].sort() });
    }
  }
  return out;
}

/** Props of {@link AccessAnalyzerDelegation}. */
export interface AccessAnalyzerDelegationProps {
  /** Account that becomes the Access Analyzer delegated administrator (the security account). */
  readonly adminAccountId: string;
  /** Where the baseline is configured (org.yaml), for source markers. */
  readonly source: SourceRef;
}

/** Management-account side: registers the security account as Access Analyzer's delegated administrator. */
export class AccessAnalyzerDelegation extends Construct {
  public readonly delegation: OrganizationsDelegatedAdministrator;

  constructor(scope: Construct, id: string, props: AccessAnalyzerDelegationProps) {
    super(scope, id);
    this.delegation = new OrganizationsDelegatedAdministrator(this, 'delegated-administrator', { accountId: props.adminAccountId, servicePrincipal: ACCESS_ANALYZER_SERVICE_PRINCIPAL });
    markSource(this.delegation, props.source);
  }
}

/** Props of {@link OrganizationAccessAnalyzers}. */
export interface OrganizationAccessAnalyzersProps {
  /** Days without use after which the unused-access analyzer reports (1–365). */
  readonly unusedAccessAgeDays: number;
  /** The platform's intended trust: archived on the external-access analyzer, principal by principal. */
  readonly trustedAccess: readonly PlatformTrustedAccess[];
  /** Where the baseline is configured (org.yaml), for source markers. */
  readonly source: SourceRef;
  /** Prefix of the analyzer names. @default 'iam-platform' */
  readonly namePrefix?: string;
}

function chunk<T>(values: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.slice(i, i + size));
  return out;
}

/**
 * In the delegated administrator: an organization external-access analyzer (zone of trust: the
 * organization) and an organization unused-access analyzer. The external-access analyzer archives
 * findings that are exactly the platform's own trust (this role ARN and this principal), so a finding
 * on a platform role for any other principal stays active; nothing is archived by name.
 */
export class OrganizationAccessAnalyzers extends Construct {
  public readonly externalAccess: AccessanalyzerAnalyzer;
  public readonly unusedAccess: AccessanalyzerAnalyzer;
  /** The archive rules, in order. */
  public readonly archiveRules: readonly AccessanalyzerArchiveRule[];

  constructor(scope: Construct, id: string, props: OrganizationAccessAnalyzersProps) {
    super(scope, id);
    const prefix = props.namePrefix ?? 'iam-platform';
    if (!Number.isInteger(props.unusedAccessAgeDays) || props.unusedAccessAgeDays < 1 || props.unusedAccessAgeDays > 365) {
      throw new IamPlatformError(ERROR_CODES.INVALID_CONFIG, `unusedAccessAgeDays ${props.unusedAccessAgeDays} is out of range: Access Analyzer tracks 1 to 365 days`);
    }
    this.externalAccess = new AccessanalyzerAnalyzer(this, 'external-access', { analyzerName: `${prefix}-organization-external-access`, type: 'ORGANIZATION' });
    markSource(this.externalAccess, props.source);
    this.unusedAccess = new AccessanalyzerAnalyzer(this, 'unused-access', {
      analyzerName: `${prefix}-organization-unused-access`,
      type: 'ORGANIZATION_UNUSED_ACCESS',
      configuration: { unusedAccess: { unusedAccessAge: props.unusedAccessAgeDays } },
    });
    markSource(this.unusedAccess, props.source);

    const rules: AccessanalyzerArchiveRule[] = [];
    for (const access of props.trustedAccess) {
      for (const principals of chunk(access.principals, MAX_ARCHIVE_CRITERION_VALUES)) {
        const index = rules.length + 1;
        rules.push(
          new AccessanalyzerArchiveRule(this, `archive-${index}`, {
            analyzerName: this.externalAccess.analyzerName,
            ruleName: `platform-trust-${String(index).padStart(3, '0')}`,
            filter: [
              { criteria: 'resourceType', eq: ['AWS::IAM::Role'] },
              { criteria: 'resource', eq: [access.roleArn] },
              { criteria: `principal.${access.kind}`, eq: principals },
            ],
          }),
        );
      }
    }
    if (rules.length > MAX_ARCHIVE_RULES_PER_ANALYZER) {
      throw new IamPlatformError(
        ERROR_CODES.INVALID_CONFIG,
        `${rules.length} archive rules for the platform's trust exceed Access Analyzer's ${MAX_ARCHIVE_RULES_PER_ANALYZER} per analyzer: ask AWS for a higher quota or archive by account (resourceOwnerAccount) instead`,
      );
    }
    this.archiveRules = rules;
  }
}
