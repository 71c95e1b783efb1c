/** Attaching who changed a resource, from CloudTrail records, to drift items. */
import type { ChangeAuthor, DriftItem } from './diff';
import { iamArnKey, iamNameKey } from './identity';

/** The fields of a CloudTrail record that attribution reads (management event, `iam.amazonaws.com`). */
export interface CloudTrailIamRecord {
  readonly eventName: string;
  readonly eventTime: string;
  readonly eventSource?: string;
  readonly sourceIPAddress?: string;
  readonly userIdentity?: {
    readonly type?: string;
    readonly arn?: string;
    readonly sessionContext?: { readonly sessionIssuer?: { readonly arn?: string } };
  };
  readonly requestParameters?: Readonly<Record<string, unknown>> | null;
}

/** The principal that made a call: the role (session issuer) for assumed-role sessions, else the identity ARN. */
export function actorOf(record: CloudTrailIamRecord): string {
  return record.userIdentity?.sessionContext?.sessionIssuer?.arn ?? record.userIdentity?.arn ?? 'unknown';
}

/** Role name and policy ARN a CloudTrail IAM record touched, from its request parameters. */
export function resourcesOf(record: CloudTrailIamRecord): { readonly roleName?: string; readonly policyArn?: string } {
  const params = record.requestParameters ?? {};
  const roleName = typeof params.roleName === 'string' ? params.roleName : undefined;
  const policyArn = typeof params.policyArn === 'string' && !roleName ? params.policyArn : undefined;
  return { ...(roleName !== undefined ? { roleName } : {}), ...(policyArn !== undefined ? { policyArn } : {}) };
}

/** The author of a record as attached to drift items. */
export function authorOf(record: CloudTrailIamRecord): ChangeAuthor {
  return {
    actor: actorOf(record),
    eventName: record.eventName,
    eventTime: record.eventTime,
    ...(record.sourceIPAddress !== undefined ? { sourceIpAddress: record.sourceIPAddress } : {}),
  };
}

/**
 * Attaches to each drift item the latest CloudTrail record that touched its resource (role name, or
 * policy ARN). Items with no matching record are returned unchanged.
 */
export function attachChangeAuthors(drift: readonly DriftItem[], records: readonly CloudTrailIamRecord[]): DriftItem[] {
  const latest = new Map<string, CloudTrailIamRecord>();
  for (const record of records) {
    const { roleName, policyArn } = resourcesOf(record);
    for (const key of [roleName !== undefined ? `role:${iamNameKey(roleName)}` : undefined, policyArn !== undefined ? `policy:${iamArnKey(policyArn)}` : undefined]) {
      if (key === undefined) continue;
      const seen = latest.get(key);
      if (!seen || seen.eventTime < record.eventTime) latest.set(key, record);
    }
  }
  return drift.map((item) => {
    const key = item.resourceType === 'role' ? `role:${iamNameKey(item.name)}` : item.resourceType === 'policy' ? `policy:${iamArnKey(item.arn)}` : undefined;
    const record = key !== undefined ? latest.get(key) : undefined;
    return record ? { ...item, changedBy: authorOf(record) } : item;
  });
}
