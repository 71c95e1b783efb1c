/**
 * Reads the IAM users of an account and their long-lived credentials (access keys, console password)
 * for the credential report (src/core/credentials). Read-only: ListUsers, ListAccessKeys, GetLoginProfile.
 */
import { GetLoginProfileCommand, type IAMClient, ListAccessKeysCommand, ListUsersCommand } from '@aws-sdk/client-iam';
import type { LiveUserCredentials } from '../../core/credentials';
import { callAws, describeAwsFailure } from './errors';

/** Page size of the list calls (IAM MaxItems upper bound). */
const PAGE_SIZE = 1000;

async function hasLoginProfile(iam: IAMClient, userName: string): Promise<boolean> {
  try {
    await iam.send(new GetLoginProfileCommand({ UserName: userName }));
    return true;
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchEntityException') return false;
    throw describeAwsFailure('IAM', 'GetLoginProfile', error);
  }
}

/** Every user of the account with its keys and whether it has a console password. */
export async function readUserCredentials(iam: IAMClient): Promise<LiveUserCredentials[]> {
  const out: LiveUserCredentials[] = [];
  let marker: string | undefined;
  do {
    const page = await callAws('IAM', 'ListUsers', () => iam.send(new ListUsersCommand({ MaxItems: PAGE_SIZE, Marker: marker })));
    for (const user of page.Users ?? []) {
      const userName = user.UserName ?? '';
      const keys = await callAws('IAM', 'ListAccessKeys', () => iam.send(new ListAccessKeysCommand({ UserName: userName, MaxItems: PAGE_SIZE })));
      out.push({
        userName,
        arn: user.Arn ?? '',
        hasPassword: await hasLoginProfile(iam, userName),
        accessKeys: (keys.AccessKeyMetadata ?? []).map((k) => ({
          accessKeyId: k.AccessKeyId ?? '',
          status: k.Status === 'Inactive' ? 'Inactive' : 'Active',
          createDate: k.CreateDate ? new Date(k.CreateDate).toISOString() : '',
        })),
      });
    }
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return out;
}
