import { DataAwsOrganizationsOrganization } from '@cdktf/provider-aws/lib/data-aws-organizations-organization';
import { DataAwsOrganizationsOrganizationalUnit } from '@cdktf/provider-aws/lib/data-aws-organizations-organizational-unit';
import { Construct } from 'constructs';
import type { ScpTarget } from '../../src/core/model';

/**
 * Looks up the ids of SCP targets at plan time: the organization root (`data.aws_organizations_organization`)
 * and each OU by name directly under the root (`data.aws_organizations_organizational_unit`), since OU ids
 * are not known at synth. Account targets use the account id from accounts/. One data source per OU, shared.
 */
export class OrganizationTargets extends Construct {
  /** The organization data source (root id, organization id). */
  public readonly organization: DataAwsOrganizationsOrganization;
  /** The id of the organization root (a Terraform reference). */
  public readonly rootId: string;
  private readonly ous = new Map<string, DataAwsOrganizationsOrganizationalUnit>();

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.organization = new DataAwsOrganizationsOrganization(this, 'organization', {});
    this.rootId = this.organization.roots.get(0).id;
  }

  /** The target id to attach a policy to: root id, OU id (looked up by name under the root) or account id. */
  public targetId(target: ScpTarget): string {
    switch (target.kind) {
      case 'root':
        return this.rootId;
      case 'account':
        return target.id;
      case 'ou': {
        let ou = this.ous.get(target.name);
        if (!ou) {
          ou = new DataAwsOrganizationsOrganizationalUnit(this, `ou-${target.name}`, { parentId: this.rootId, name: target.name });
          this.ous.set(target.name, ou);
        }
        return ou.id;
      }
    }
  }
}
