/**
 * The bootstrap stack of one account (`iam-bootstrap-<account>`), applied once by an administrator with their
 * own credentials: the Terraform Cloud plan and apply roles, the drift role, the deploy role (when the account
 * defines it), the OIDC providers they trust and the policies they attach. It is the account stack built from the account reduced to that set
 * (src/core/bootstrap), so every resource is the account stack's own resource, at the same address, from the
 * same construction. The account stack adopts them with `import` blocks (bootstrap-imports.ts) on its
 * first apply; the bootstrap state is then dropped and the account's workspace is their only owner. The deploy
 * role is the exception: the account stack never creates it (it runs as it), so the bootstrap stack is the only
 * construction of it; keep its state, or re-apply it with `-target` to change the role.
 */
import type { Construct } from 'constructs';
import type { ResolvedAccount } from '../src/core/model';
import { buildBootstrapAccount, selectBootstrapRoleNames, selectBootstrapSet, type BootstrapRoleOptions } from '../src/core/bootstrap';
import type { ActionCatalog } from '../src/core/catalog';
import { AccountStack } from './account-stack';

/** Props of {@link BootstrapStack}. */
export interface BootstrapStackProps extends BootstrapRoleOptions {
  /** Region when the account lists none. @default 'us-east-1' */
  readonly defaultRegion?: string;
  /** Account ids of the whole organization, for guardrails. @default - this account only */
  readonly organizationAccountIds?: readonly string[];
  /** IAM action catalog for the policy-lint guardrail. @default - none: that guardrail is skipped */
  readonly catalog?: ActionCatalog;
}

/** Builds the bootstrap stack of `account` (the account stack of its bootstrap set, no role assumed, local state). */
export function addBootstrapStack(scope: Construct, account: ResolvedAccount, props: BootstrapStackProps = {}): AccountStack {
  const set = selectBootstrapSet(account, selectBootstrapRoleNames(account, props));
  return new AccountStack(scope, buildBootstrapAccount(set), {
    assumeRole: false,
    createsDeployRole: true,
    ...(props.defaultRegion ? { defaultRegion: props.defaultRegion } : {}),
    ...(props.organizationAccountIds ? { organizationAccountIds: props.organizationAccountIds } : {}),
    ...(props.catalog ? { catalog: props.catalog } : {}),
  });
}

