import { loadOrganization } from '../../src/config';
import { resolveOrganizationTfcTargets } from '../../src/core/delivery';
import type { BackendConfig, ResolvedOrganization } from '../../src/core/model';
import { EXAMPLE_ORG_ROOT } from '../support/example-org';

const example = loadOrganization(EXAMPLE_ORG_ROOT);

function withBackend(org: ResolvedOrganization, backend: BackendConfig): ResolvedOrganization {
  return { ...org, accounts: org.accounts.map((a) => ({ ...a, backend })) };
}

describe('Terraform Cloud targets of the organization stacks', () => {
  it('plans the log-archive stack before the management stack, with prod, in their own workspaces', () => {
    // Given the example organization on Terraform Cloud
    const cloud = withBackend(example, { type: 'cloud', organization: 'acme', hostname: 'app.terraform.io', workspacePrefix: 'iam-' });
    // Then the two organization stacks are targets, log archive first (the trail writes to its bucket)
    expect(resolveOrganizationTfcTargets(cloud)).toEqual([
      { account: 'log-archive', environment: 'prod', stackName: 'iam-organization-log-archive', hostname: 'app.terraform.io', organization: 'acme', workspace: 'iam-organization-log-archive' },
      { account: 'management', environment: 'prod', stackName: 'iam-organization', hostname: 'app.terraform.io', organization: 'acme', workspace: 'iam-organization' },
    ]);
  });

  it('has no targets without organization settings, and names the accounts whose backend is not cloud', () => {
    expect(resolveOrganizationTfcTargets({ ...example, organization: undefined })).toEqual([]);
    expect(() => resolveOrganizationTfcTargets(example)).toThrow(/accounts log-archive \(local\), management \(local\) use another backend/);
  });
});
