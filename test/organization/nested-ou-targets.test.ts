/**
 * The organization stack with nested OUs (test/fixtures/config/ou-tree-cases/scp-targets): a nested
 * OU is looked up under its parent OU's data source, SCPs attach to it, and the OU that misses an SCP
 * every sibling gets is a synth warning.
 */
import { join } from 'node:path';
import { Testing } from 'cdktf';
import { loadOrganization } from '../../src/config';
import { collectAnnotations } from '../../stacks/app';
import { OrganizationStack } from '../../stacks/organization-stack';

const CASE = join(__dirname, '..', 'fixtures', 'config', 'ou-tree-cases', 'scp-targets');

type StackJson = {
  data: { aws_organizations_organizational_unit: Record<string, { name: string; parent_id: string }> };
  resource: { aws_organizations_policy_attachment: Record<string, { policy_id: string; target_id: string }> };
};

describe('organization stack with nested OUs', () => {
  const org = loadOrganization(CASE);
  const stack = new OrganizationStack(Testing.app(), org);
  const json = JSON.parse(Testing.synth(stack)) as StackJson;

  it('looks a nested OU up under its parent OU and attaches its SCP there', () => {
    const ous = Object.entries(json.data.aws_organizations_organizational_unit);
    const workloads = ous.find(([, d]) => d.name === 'workloads');
    const prod = ous.find(([, d]) => d.name === 'prod');
    expect(workloads?.[1].parent_id).toMatch(/^\$\{data\.aws_organizations_organization\.[\w-]+\.roots\[0\]\.id\}$/);
    expect(prod?.[1].parent_id).toBe(`\${data.aws_organizations_organizational_unit.${workloads?.[0]}.id}`);
    const attachments = Object.values(json.resource.aws_organizations_policy_attachment);
    expect(attachments.filter((a) => a.target_id === `\${data.aws_organizations_organizational_unit.${prod?.[0]}.id}`)).toHaveLength(1);
  });

  it('warns about the OU that misses an SCP all its siblings get', () => {
    const warnings = collectAnnotations(stack).filter((a) => a.level === 'warning').map((a) => a.message);
    expect(warnings).toEqual([
      'accounts/sandbox/ou.yaml: OU "sandbox" gets 1 SCP(s) (guard-root), fewer than every other top-level OU: it misses guard-members. Attach them (scps: in its ou.yaml, or the OU in each SCP\'s targets), or to the root',
    ]);
  });
});
