/**
 * Provider and backend of a platform stack, shared by the account stacks and the organization stack:
 * the AWS provider assumes the deploy role of one account (allowed_account_ids pins it), and the
 * backend is the organization's (local, Terraform Cloud workspace `<prefix><state name>`, or S3 key
 * `<prefix>/<state name>/terraform.tfstate`).
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, type TerraformStack } from 'cdktf';
import type { BackendConfig } from '../src/core/model';

/** Session name of every role the platform's providers assume. */
export const PROVIDER_SESSION_NAME = 'iam-platform';

/** Options of {@link addAccountProvider}. */
export interface AccountProviderOptions {
  /** Account id the provider may act in. */
  readonly accountId: string;
  /** Role the provider assumes. @default - none: the run's own credentials (Terraform Cloud dynamic credentials) */
  readonly roleArn?: string;
  /** Region. */
  readonly region: string;
  /** Default tags of every resource. */
  readonly defaultTags: Readonly<Record<string, string>>;
  /** Provider alias, for a second account or region in one stack. @default - the default provider */
  readonly alias?: string;
  /** Construct id. @default 'aws' (or `aws-<alias>`) */
  readonly id?: string;
}

/** Adds an AWS provider that assumes a deploy role and can only act in that account. */
export function addAccountProvider(stack: TerraformStack, options: AccountProviderOptions): AwsProvider {
  return new AwsProvider(stack, options.id ?? (options.alias ? `aws-${options.alias}` : 'aws'), {
    alias: options.alias,
    region: options.region,
    allowedAccountIds: [options.accountId],
    ...(options.roleArn !== undefined ? { assumeRole: [{ roleArn: options.roleArn, sessionName: PROVIDER_SESSION_NAME }] } : {}),
    defaultTags: [{ tags: { ...options.defaultTags } }],
  });
}

/**
 * Adds the organization's backend to a stack. `stateName` names the state: the Terraform Cloud
 * workspace is `<workspacePrefix><stateName>`, the S3 key `<keyPrefix>/<stateName>/terraform.tfstate`,
 * the local file `terraform.<stackId>.tfstate`.
 */
export function addStackBackend(stack: TerraformStack, backend: BackendConfig, stateName: string): void {
  switch (backend.type) {
    case 'local':
      new LocalBackend(stack, { path: `terraform.${stack.node.id}.tfstate` });
      return;
    case 'cloud':
      new CloudBackend(stack, {
        organization: backend.organization,
        hostname: backend.hostname,
        workspaces: new NamedCloudWorkspace(`${backend.workspacePrefix}${stateName}`, backend.project),
      });
      return;
    case 's3':
      new S3Backend(stack, {
        bucket: backend.bucket,
        key: `${backend.keyPrefix.replace(/\/+$/, '')}/${stateName}/terraform.tfstate`,
        region: backend.region,
        encrypt: true,
        dynamodbTable: backend.dynamodbTable,
      });
      // cdktf 0.21's S3Backend predates S3 native locking; without a DynamoDB table use the lock file.
      if (backend.dynamodbTable === undefined) stack.addOverride('terraform.backend.s3.use_lockfile', true);
      return;
  }
}
