import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { Construct } from 'constructs';
import { buildTrustPolicy, oidcHost, oidcProviderArn } from '../../src/core/iam';
import type { OidcTrust, SourceRef, TrustConfig } from '../../src/core/model';
import type { GuardedConstruct, OidcProviderFacts } from '../guardrails/facts';
import { reportGuardrailError } from '../guardrails/report';
import { Role, type RoleProps } from '../role';
import { markSource, withSourceTag } from '../source-marker';

/** Well-known issuers: URL and the audience their tokens carry by default. */
export const OIDC_ISSUERS = {
  /** GitLab.com CI `id_tokens` (audience set in .gitlab-ci.yml, conventionally the GitLab URL). */
  gitlab: { url: 'https://gitlab.com', audience: 'https://gitlab.com' },
  /** Terraform Cloud dynamic provider credentials (default audience `aws.workload.identity`). */
  'terraform-cloud': { url: 'https://app.terraform.io', audience: 'aws.workload.identity' },
} as const;

/** Props of {@link OidcProvider}. Feature anchor: terraform-aws-iam `iam-oidc-provider`. */
export interface OidcProviderProps {
  /** Issuer URL (`https://gitlab.com`); a URL without scheme gets `https://`. */
  readonly url: string;
  /** Allowed client ids (audiences). */
  readonly clientIds: readonly string[];
  /** Account the provider is created in (12 digits). */
  readonly accountId: string;
  /** Where the provider was declared (the account file). */
  readonly source: SourceRef;
  /** Which issuer this is. @default 'custom' */
  readonly issuer?: OidcTrust['provider'];
  /** Server certificate thumbprints. @default - none (AWS no longer needs them for well-known issuers) */
  readonly thumbprints?: readonly string[];
  /** Resource tags (the source tag is added). @default - none */
  readonly tags?: Readonly<Record<string, string>>;
}

/** An IAM OIDC identity provider (`aws_iam_openid_connect_provider`). */
export class OidcProvider extends Construct implements GuardedConstruct {
  /** The Terraform resource. */
  public readonly resource: IamOpenidConnectProvider;
  /** Issuer URL with scheme. */
  public readonly url: string;
  /** Which issuer this is. */
  public readonly issuer: OidcTrust['provider'];
  /** Provider ARN as a literal (`arn:aws:iam::<account>:oidc-provider/<host>`), usable in trust policies. */
  public readonly providerArn: string;
  public readonly guardrailFacts: OidcProviderFacts;

  constructor(scope: Construct, id: string, props: OidcProviderProps) {
    super(scope, id);
    this.url = `https://${oidcHost(props.url)}`;
    this.issuer = props.issuer ?? 'custom';
    this.resource = new IamOpenidConnectProvider(this, 'provider', {
      url: this.url,
      clientIdList: [...props.clientIds],
      thumbprintList: props.thumbprints && props.thumbprints.length > 0 ? [...props.thumbprints] : undefined,
      tags: withSourceTag(props.tags, props.source),
    });
    markSource(this.resource, props.source);
    this.providerArn = oidcProviderArn(props.accountId, this.url);
    this.guardrailFacts = { kind: 'oidc-provider', url: this.url, source: props.source };
  }
}

/** Guardrail id for an OIDC role whose trust names no subject. */
export const OIDC_SUBJECT_RULE = 'oidc-subject';

/** Props of {@link OidcFederatedRole}. */
export interface OidcFederatedRoleProps extends Omit<RoleProps, 'assumeRolePolicy' | 'trust' | 'dependsOn'> {
  /** The provider in the same account. */
  readonly provider: OidcProvider;
  /** Allowed `aud` values. @default - the issuer's default audience (custom issuers must give one) */
  readonly audiences?: readonly string[];
  /** Allowed `sub` patterns (StringLike), e.g. `project_path:acme/iam:ref_type:branch:ref:main`. At least one. */
  readonly subjects: readonly string[];
}

/** A role assumed with `sts:AssumeRoleWithWebIdentity` by GitLab CI jobs or Terraform Cloud runs. */
export class OidcFederatedRole extends Construct {
  /** The underlying role. */
  public readonly role: Role;
  /** Role ARN (a Terraform reference). */
  public readonly arn: string;

  constructor(scope: Construct, id: string, props: OidcFederatedRoleProps) {
    super(scope, id);
    const { provider, audiences, subjects, ...roleProps } = props;
    const defaultAudience = provider.issuer === 'custom' ? undefined : OIDC_ISSUERS[provider.issuer].audience;
    const trust: TrustConfig = {
      accounts: [],
      services: [],
      oidc: [
        {
          provider: provider.issuer,
          url: provider.url,
          audiences: audiences ?? (defaultAudience ? [defaultAudience] : []),
          subjects,
          source: { file: props.source.file, path: `${props.source.path}.trust` },
        },
      ],
      saml: [],
    };
    this.role = new Role(this, 'role', {
      ...roleProps,
      trust,
      assumeRolePolicy: buildTrustPolicy(trust, { accountId: props.accountId }),
      dependsOn: [provider.resource],
    });
    this.arn = this.role.arn;
    if (subjects.length === 0 || subjects.some((s) => s.trim() === '*')) {
      reportGuardrailError(
        this.role,
        OIDC_SUBJECT_RULE,
        trust.oidc[0].source,
        `role "${props.name}" trusts every token of ${provider.url}: list the allowed "sub" values (project and branch)`,
      );
    }
  }
}
