/** Loads the desired inventory artifact the pipeline publishes to S3. */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { DESIRED_INVENTORY_SCHEMA_VERSION, type DesiredInventory } from '../core/drift';
import { ERROR_CODES, IamPlatformError } from '../core/errors';
import { callAws } from '../io/iam';

/** Reads and checks `s3://bucket/key`; throws naming the object and the fix when it is not a desired inventory. */
export async function loadDesiredInventory(s3: S3Client, bucket: string, key: string): Promise<DesiredInventory> {
  const object = await callAws('S3', 'GetObject', () => s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })));
  const text = (await object.Body?.transformToString('utf8')) ?? '';
  let value: Partial<DesiredInventory>;
  try {
    value = JSON.parse(text) as Partial<DesiredInventory>;
  } catch (error) {
    throw new IamPlatformError(ERROR_CODES.UNREADABLE_INPUT, `s3://${bucket}/${key} is not JSON (${(error as Error).message}): publish it with \`iamctl desired-inventory\``);
  }
  if (value.schemaVersion !== DESIRED_INVENTORY_SCHEMA_VERSION || !Array.isArray(value.roles) || !Array.isArray(value.policies)) {
    throw new IamPlatformError(
      ERROR_CODES.UNREADABLE_INPUT,
      `s3://${bucket}/${key} is not a desired inventory of schema version ${DESIRED_INVENTORY_SCHEMA_VERSION}: publish it with \`iamctl desired-inventory\` from this release`,
    );
  }
  return value as DesiredInventory;
}
