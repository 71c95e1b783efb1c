import { DataAwsOrganizationsOrganization } from '@cdktf/provider-aws/lib/data-aws-organizations-organization';
import { DataAwsOrganizationsOrganizationalUnit } from '@cdktf/provider-aws/lib/data-aws-organizations-organizational-unit';
import { Construct } from 'constructs';
import type { ScpTarget } from '../../src/core/model';

/**
 * Looks up the ids of SCP targets at plan time: the organization root (`data.aws_organizations_organization`)
 * and each OU by name under its parent (the root, or the data source of the OU it is nested in) (`data.aws_organizations_organizational_unit`), since OU ids
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
      case 'ou':
        return this.lookupOu(target.path && target.path.length > 0 ? target.path : [target.name]).id;
    }
  }

  /** The OU at a path of names, each looked up under its parent (the root for the first). */
  private lookupOu(path: readonly string[]): DataAwsOrganizationsOrganizationalUnit {
    const name = path[path.length - 1] ?? '';
    let ou = this.ous.get(name);
    if (!ou) {
      const parentId = path.length > 1 ? this.lookupOu(path.slice(0, -1)).id : this.rootId;
      ou = new DataAwsOrganizationsOrganizationalUnit(this, `ou-${name}`, { parentId, name });
      this.ous.set(name, ou);
    }
    return ou;
  }
}
